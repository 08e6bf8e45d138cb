"""/api/v1/quality/coaches: response and quality figures per coach and month.

Rules: owners, admins and auditors read every coach's figures; a coach their own, a
head coach also the coaches they lead; others get 403; a coach not in view is a 404.
Quality is 1 − needs improvement ÷ replies; the percentile compares the coach with
every coach of the workspace that month, even when the caller sees only one. Months
are the workspace's.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ascend.api.tests.helpers import assert_error
from ascend.messaging.actions import do_start_conversation
from ascend.messaging.testing import say
from ascend.messaging.tests.api_world import MATRIX, make_world, new_client
from ascend.quality.actions import do_audit_message
from ascend.testing import Cast, assert_flat_queries

pytestmark = pytest.mark.django_db

JAN = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
FEB = datetime(2026, 2, 10, 9, 0, tzinfo=UTC)
RANGE = "start=2026-01&end=2026-02"


def exchange(conversation, client, coach, start: datetime, count: int, hours: float = 1):  # type: ignore[no-untyped-def]
    """``count`` questions, each answered ``hours`` later, a day apart; the replies."""
    replies = []
    for i in range(count):
        asked = start + timedelta(days=i)
        say(conversation, client, f"Question {i}", asked)
        replies.append(say(conversation, coach, f"Answer {i}", asked + timedelta(hours=hours)))
    return replies


@pytest.fixture
def figures(cast):
    """January: the coach answers 4 times within the hour, one graded needs improvement; the
    other coach answers twice, both fine. February: the coach answers once, after 10 h."""
    alpha = cast.alpha
    world = make_world(cast)
    talk = world.alpha.talk
    replies = exchange(talk, alpha.client, alpha.coach, JAN, 4)
    auditor = alpha.auditor.membership
    do_audit_message(replies[0], auditor=auditor, grade="needs_improvement", feedback="Warmer")
    do_audit_message(replies[1], auditor=auditor, grade="outstanding", feedback="Great")
    theirs = new_client(world.alpha.other_cohort, 1)
    other_talk = do_start_conversation(theirs, recipient=alpha.other_coach.membership)
    exchange(other_talk, theirs, alpha.other_coach.membership, JAN, 2)
    exchange(talk, alpha.client, alpha.coach, FEB, 1, hours=10)
    return world


def as_(cast: Cast, who: str):  # type: ignore[no-untyped-def]
    return cast.client_for(cast.beta.admin if who == "beta" else getattr(cast.alpha, who))


def rows(response) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return [(r["coach"]["email"], r["month"]) for r in response.json()]


COACH, OTHER = "coach@alpha.test", "other.coach@alpha.test"
ALL_ROWS = [(COACH, "2026-02"), (COACH, "2026-01"), (OTHER, "2026-01")]


@pytest.mark.parametrize("who", MATRIX)
def test_who_reads_whose_figures(cast, figures, who):
    response = as_(cast, who).get(f"/api/v1/quality/coaches?{RANGE}")
    expected = {
        "coach": ALL_ROWS[:2],
        "head_coach": ALL_ROWS[:2],  # leads the coach, answers nobody
        "other_coach": ALL_ROWS[2:],
        "auditor": ALL_ROWS,
        "admin": ALL_ROWS,
        "beta": [],
    }
    if who in expected:
        assert rows(response) == expected[who]
    else:
        assert_error(response, 403, "forbidden")


@pytest.mark.parametrize("role", ["supervisor", "attendant", "operator"])
def test_roles_without_figures_are_refused(cast, figures, role):
    response = cast.client_for(getattr(cast.alpha, role)).get("/api/v1/quality/coaches")
    assert_error(response, 403, "forbidden")


def test_the_figures_of_a_month(cast, figures):
    data = as_(cast, "coach").get(f"/api/v1/quality/coaches?{RANGE}").json()
    feb, jan = data
    assert jan["coach"]["id"] == cast.alpha.coach.membership.id
    assert (jan["replies"], jan["audited"], jan["needs_improvement"]) == (4, 2, 1)
    assert jan["quality"] == 0.75
    # Among the workspace's coaches that month (the other coach is at 1.0): 1 of 2.
    assert jan["percentile"] == 50
    assert (jan["answered"], jan["median_seconds"], jan["mean_seconds"]) == (4, 3600, 3600)
    assert (jan["within_goal"], jan["within_target"]) == (1.0, 1.0)
    assert (feb["replies"], feb["quality"], feb["percentile"]) == (1, 1.0, 100)
    assert (feb["median_seconds"], feb["within_goal"], feb["within_target"]) == (36000, 0, 1)


def test_one_coach_of_those_in_view(cast, figures):
    other_id = cast.alpha.other_coach.membership.id
    response = as_(cast, "admin").get(f"/api/v1/quality/coaches?{RANGE}&coach={other_id}")
    assert rows(response) == ALL_ROWS[2:]
    response = as_(cast, "coach").get(f"/api/v1/quality/coaches?{RANGE}&coach={other_id}")
    assert_error(response, 404, "not_found")


def test_months_are_the_workspaces(cast, figures):
    workspace = cast.alpha.workspace
    workspace.time_zone = "America/Sao_Paulo"
    workspace.save()
    # 1 March 01:30 UTC is still 28 February in São Paulo.
    late = datetime(2026, 3, 1, 0, 30, tzinfo=UTC)
    say(figures.alpha.talk, cast.alpha.client, "Late question", late)
    say(figures.alpha.talk, cast.alpha.coach, "Late answer", late + timedelta(hours=1))
    data = as_(cast, "coach").get("/api/v1/quality/coaches?start=2026-02&end=2026-03").json()
    assert [(r["month"], r["replies"]) for r in data] == [("2026-02", 2)]


def test_the_default_is_the_last_six_months(cast, figures):
    data = as_(cast, "coach").get("/api/v1/quality/coaches").json()
    # The world's reply is from today; January and February 2026 are further back.
    assert [r["replies"] for r in data] == [1]
    assert len(data) == 1


@pytest.mark.parametrize(
    ("query", "field", "code"),
    [
        ("start=2026-13", "start", "invalid_month"),
        ("end=2026-00", "end", "invalid_month"),
        ("start=0001-01", "start", "invalid_month"),
        ("start=2026-5", "start", "validation_error"),
        ("start=May", "start", "validation_error"),
        ("start=2026-03&end=2026-02", "end", "end_before_start"),
        ("start=2020-01&end=2023-01", "end", "too_many_months"),
    ],
)
def test_bad_months_are_refused_at_the_field(cast, figures, query, field, code):
    response = as_(cast, "admin").get(f"/api/v1/quality/coaches?{query}")
    assert field in assert_error(response, 422, code)


def test_three_years_at_most_is_fine(cast, figures):
    response = as_(cast, "admin").get("/api/v1/quality/coaches?start=2023-03&end=2026-02")
    assert rows(response) == ALL_ROWS


@pytest.mark.parametrize("who", ["admin", "head_coach", "coach"])
def test_the_figures_run_the_same_queries_however_many_replies(cast, figures, who):
    alpha = cast.alpha
    client = as_(cast, who)
    counter = iter(range(100, 1000, 10))

    def grow() -> None:
        for n in range(next(counter), next(counter)):
            member = new_client(figures.alpha.cohort, n)
            talk = do_start_conversation(member, recipient=alpha.coach.membership)
            exchange(talk, member, alpha.coach, JAN + timedelta(days=n % 20), 2)
            exchange(talk, member, alpha.coach, FEB, 1, hours=5)

    count = assert_flat_queries(lambda: client.get(f"/api/v1/quality/coaches?{RANGE}"), grow)
    # Signing in (4), the coaches in view, quality (1) and response times (2).
    assert count == 8, count
