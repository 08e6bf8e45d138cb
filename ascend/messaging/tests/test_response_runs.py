from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ascend.messaging.figures import response_figures
from ascend.messaging.models import ResponseRun
from ascend.messaging.rules import median, waiting_runs
from ascend.messaging.testing import coached_cohort, coaching_conversation, say

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def talk(cast):
    coached_cohort(cast.alpha)
    return coaching_conversation(cast.alpha)


def test_several_client_messages_in_a_row_give_one_figure(cast, talk):
    alpha = cast.alpha
    say(talk, alpha.client, "First", START)
    say(talk, alpha.client, "Second", START + timedelta(hours=1))
    say(talk, alpha.client, "Third", START + timedelta(hours=2))
    say(talk, alpha.coach, "Answer", START + timedelta(hours=5))
    runs = list(ResponseRun.objects.filter(conversation=talk))
    assert [(r.started_at, r.seconds) for r in runs] == [(START, 5 * 3600)]


def test_replies_before_any_client_message_start_nothing(cast, talk):
    say(talk, cast.alpha.coach, "Welcome!", START)
    say(talk, cast.alpha.coach, "Anything?", START + timedelta(hours=1))
    assert not ResponseRun.objects.filter(conversation=talk).exists()
    talk.refresh_from_db()
    assert talk.waiting_since is None


def test_the_conversation_waits_from_the_first_unanswered_message(cast, talk):
    say(talk, cast.alpha.client, "Hi", START)
    say(talk, cast.alpha.client, "Hello?", START + timedelta(hours=3))
    talk.refresh_from_db()
    assert talk.waiting_since == START
    say(talk, cast.alpha.coach, "Here", START + timedelta(hours=4))
    talk.refresh_from_db()
    assert talk.waiting_since is None


def test_median_of_an_even_count_is_the_mean_of_the_middle_two(cast, talk):
    for hours in [1, 3, 5, 11]:
        day = START + timedelta(days=hours)
        say(talk, cast.alpha.client, "Q", day)
        say(talk, cast.alpha.coach, "A", day + timedelta(hours=hours))
    (figure,) = response_figures(cast.alpha.workspace)
    assert figure.replies == 4
    assert figure.median_seconds == 4 * 3600
    assert figure.mean_seconds == 5 * 3600
    assert figure.within_goal == 0.75  # 1, 3, 5 h within 9 h
    assert figure.within_target == 1.0


def test_a_reply_counts_in_the_month_of_the_workspace_time_zone(cast, talk):
    workspace = cast.alpha.workspace
    workspace.time_zone = "America/Sao_Paulo"
    workspace.save()
    # 31 March 23:00 in São Paulo is 1 April 02:00 UTC.
    asked = datetime(2026, 4, 1, 1, 0, tzinfo=UTC)
    say(talk, cast.alpha.client, "Q", asked)
    say(talk, cast.alpha.coach, "A", asked + timedelta(hours=1))
    (figure,) = response_figures(workspace)
    assert (figure.month.year, figure.month.month) == (2026, 3)


# Property: the figures the database keeps equal the rule run over the same messages.
steps = st.lists(
    st.tuples(st.integers(min_value=1, max_value=40 * 3600), st.booleans()),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    steps=steps,
    zone=st.sampled_from(["UTC", "Europe/Madrid", "America/New_York", "Australia/Sydney"]),
)
def test_database_runs_match_the_rule(cast, steps, zone):
    from ascend.messaging.models import Conversation

    workspace = cast.alpha.workspace
    workspace.time_zone = zone
    workspace.save()
    Conversation.objects.filter(workspace=workspace).delete()
    if not hasattr(cast.alpha, "_cohort"):
        coached_cohort(cast.alpha)
        cast.alpha.__dict__["_cohort"] = True
    talk = coaching_conversation(cast.alpha)
    # Around the European DST change (29 March 2026).
    at = datetime(2026, 3, 27, 12, 0, tzinfo=UTC)
    sent = []
    for gap, from_client in steps:
        at += timedelta(seconds=gap)
        say(talk, cast.alpha.client if from_client else cast.alpha.coach, "m", at)
        sent.append((at, from_client))
    expected = waiting_runs(sent)
    stored = list(ResponseRun.objects.filter(conversation=talk).order_by("started_at"))
    assert [(r.started_at, r.answered_at) for r in stored] == [(r.start, r.end) for r in expected]
    answered = [r.seconds for r in expected if r.seconds is not None]
    figures = response_figures(workspace)
    assert sum(f.replies for f in figures) == len(answered)
    if len(figures) == 1:
        assert figures[0].median_seconds == median(answered)
