"""Communication quality per coach and month: 1 − needs improvement ÷ replies, percentiles,
months in the workspace's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from ascend.messaging.actions import do_start_conversation
from ascend.messaging.testing import enrol, say
from ascend.programs.testing import make_cohort, make_program
from ascend.quality.figures import quality_figures
from ascend.quality.models import Grade
from ascend.quality.presenting import duration_text, follow_up, month_bounds
from ascend.quality.rules import communication_quality, percentile_rank

from .quality_world import audit, exchange

pytestmark = pytest.mark.django_db

MARCH = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def other_talk(cast):
    program = make_program(cast.alpha.workspace, habits=0, milestones=0)
    other_cohort = make_cohort(program, cast.alpha.other_coach.membership)
    enrol(other_cohort, cast.alpha.other_client.membership)
    return do_start_conversation(
        cast.alpha.other_client.membership, recipient=cast.alpha.other_coach.membership
    )


def test_quality_is_one_minus_needs_improvement_over_replies(cast, talk):
    replies = exchange(cast.alpha, talk, 4, MARCH)
    audit(cast.alpha, replies[0], Grade.NEEDS_IMPROVEMENT)
    audit(cast.alpha, replies[1], Grade.SUGGESTION)
    audit(cast.alpha, replies[2], Grade.OUTSTANDING)
    (figure,) = quality_figures(cast.alpha.workspace)
    assert (figure.month, figure.replies, figure.audited, figure.needs_improvement) == (
        date(2026, 3, 1), 4, 3, 1,
    )  # fmt: skip
    assert figure.quality == 0.75


def test_the_percentile_places_each_coach_among_the_workspaces_coaches(cast, talk, other_talk):
    mine = exchange(cast.alpha, talk, 4, MARCH)
    audit(cast.alpha, mine[0])
    for i in range(2):
        say(other_talk, cast.alpha.other_client, "Q", MARCH + timedelta(days=i))
        say(other_talk, cast.alpha.other_coach, "A", MARCH + timedelta(days=i, hours=2))
    figures = {f.coach_id: f for f in quality_figures(cast.alpha.workspace)}
    coach = figures[cast.alpha.coach.membership.pk]
    other = figures[cast.alpha.other_coach.membership.pk]
    assert (coach.quality, coach.percentile) == (0.75, 50)
    assert (other.quality, other.percentile) == (1.0, 100)


def test_the_month_is_the_workspaces_month(cast, talk):
    workspace = cast.alpha.workspace
    workspace.time_zone = "America/New_York"
    workspace.save(update_fields=["time_zone"])
    # 1 March 02:00 UTC is still 28 February, 21:00 in New York.
    say(talk, cast.alpha.client, "Late question", datetime(2026, 3, 1, 1, 0, tzinfo=UTC))
    say(talk, cast.alpha.coach, "Late answer", datetime(2026, 3, 1, 2, 0, tzinfo=UTC))
    say(talk, cast.alpha.client, "Morning question", datetime(2026, 3, 1, 12, 0, tzinfo=UTC))
    say(talk, cast.alpha.coach, "Morning answer", datetime(2026, 3, 1, 13, 0, tzinfo=UTC))
    months = [(f.month, f.replies) for f in quality_figures(workspace)]
    assert months == [(date(2026, 2, 1), 1), (date(2026, 3, 1), 1)]
    start, end = month_bounds(date(2026, 3, 1), date(2026, 3, 1), workspace.time_zone)
    assert [(f.month, f.replies) for f in quality_figures(workspace, start=start, end=end)] == [
        (date(2026, 3, 1), 1)
    ]


def test_the_rules_in_numbers():
    assert communication_quality(0, 0) is None
    assert communication_quality(10, 3) == 0.7
    assert communication_quality(2, 5) == 0.0
    assert percentile_rank(0.9, [0.5, 0.9, 1.0, 0.7]) == 75
    assert percentile_rank(0.5, [0.5, 0.9, 1.0, 0.7]) == 25


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(20, "under 1 min"), (45 * 60, "45 min"), (3 * 3600, "3 h"),
     (3 * 3600 + 20 * 60, "3 h 20 min"), (50 * 3600, "2 d 2 h"), (72 * 3600, "3 d")],
)  # fmt: skip
def test_durations_read_like_people_say_them(seconds, text):
    assert duration_text(seconds) == text


def test_the_follow_up_reads_done_missed_or_pending(cast, talk):
    (reply,) = exchange(cast.alpha, talk, 1, MARCH)
    graded = audit(cast.alpha, reply)
    assert follow_up(graded, now=graded.created_at + timedelta(hours=2)).text == (
        "24 h not yet passed"
    )
    assert follow_up(graded, now=graded.created_at + timedelta(hours=24)).text == (
        "no follow-up within 24 h"
    )
    graded.followed_up_at = graded.created_at + timedelta(hours=3, minutes=5)
    assert follow_up(graded).text == "followed up in 3 h 5 min"
