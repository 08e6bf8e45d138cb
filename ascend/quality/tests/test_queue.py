"""The auditors' queue: a fixed random sample of each coach's replies per week."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ascend.messaging.actions import do_start_conversation
from ascend.messaging.testing import enrol, say
from ascend.programs.testing import make_cohort, make_program
from ascend.quality.queries import audit_queue

from .quality_world import audit, exchange

pytestmark = pytest.mark.django_db


def queue(cast, **kwargs) -> list:
    return list(audit_queue(cast.alpha.auditor.membership, **kwargs))


def a_monday_in_the_last_weeks():
    """Noon on the Monday two weeks back: seven days from it stay in one week, in UTC."""
    today = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)
    return today - timedelta(days=today.weekday() + 14)


def set_rate(cast, rate: int) -> None:
    workspace = cast.alpha.workspace
    workspace.audit_sample_per_week = rate
    workspace.save(update_fields=["audit_sample_per_week"])


def test_at_most_the_weekly_rate_of_each_coachs_replies_is_sampled(cast, talk):
    set_rate(cast, 3)
    replies = exchange(cast.alpha, talk, 7, a_monday_in_the_last_weeks())
    sampled = queue(cast)
    assert len(sampled) == 3
    assert {m.pk for m in sampled} <= {r.pk for r in replies}


def test_each_week_and_each_coach_has_its_own_sample(cast, talk):
    set_rate(cast, 2)
    monday = a_monday_in_the_last_weeks()
    exchange(cast.alpha, talk, 5, monday)
    exchange(cast.alpha, talk, 5, monday + timedelta(days=7))
    # The other coach's cohort and a conversation with the other client.
    program = make_program(cast.alpha.workspace, habits=0, milestones=0)
    other_cohort = make_cohort(program, cast.alpha.other_coach.membership)
    enrol(other_cohort, cast.alpha.other_client.membership)
    other = do_start_conversation(
        cast.alpha.other_client.membership, recipient=cast.alpha.other_coach.membership
    )
    for i in range(4):
        say(other, cast.alpha.other_client, "Q", monday + timedelta(hours=i))
        say(other, cast.alpha.other_coach, "A", monday + timedelta(hours=i, minutes=30))
    sampled = queue(cast)
    by_coach = {}
    for message in sampled:
        by_coach.setdefault(message.author_id, []).append(message)
    assert len(by_coach[cast.alpha.coach.membership.pk]) == 4  # two weeks × 2
    assert len(by_coach[cast.alpha.other_coach.membership.pk]) == 2
    only_other = queue(cast, coach_id=cast.alpha.other_coach.membership.pk)
    assert {m.author_id for m in only_other} == {cast.alpha.other_coach.membership.pk}


def test_auditing_a_reply_removes_it_without_bringing_another_in(cast, talk):
    set_rate(cast, 3)
    exchange(cast.alpha, talk, 7, a_monday_in_the_last_weeks())
    before = queue(cast)
    audit(cast.alpha, before[0])
    after = queue(cast)
    assert [m.pk for m in after] == [m.pk for m in before[1:]]


def test_a_rate_of_zero_leaves_the_queue_empty(cast, talk):
    set_rate(cast, 0)
    exchange(cast.alpha, talk, 3, a_monday_in_the_last_weeks())
    assert queue(cast) == []


def test_client_messages_and_old_replies_are_not_in_the_queue(cast, talk):
    set_rate(cast, 10)
    exchange(cast.alpha, talk, 2, timezone.now() - timedelta(weeks=6))
    assert queue(cast) == []
    say(talk, cast.alpha.client, "Still there?")
    assert queue(cast) == []
