from __future__ import annotations

import random

import pytest
from django.core.exceptions import ValidationError

from ascend.activity.models import Event
from ascend.billing.actions import can_purchase, do_save_plan, do_subscribe, do_unsubscribe
from ascend.notifications.models import OutboundEmail
from ascend.programs.models import Enrollment
from ascend.programs.testing import make_cohort, make_program

pytestmark = pytest.mark.django_db


def plan_with(cast, *programs):  # type: ignore[no-untyped-def]
    return do_save_plan(cast.alpha.workspace, actor=None, name="Gold", programs=programs)


def test_subscribing_enrols_into_a_random_open_cohort_of_each_program(cast):
    strength, mind = (
        make_program(cast.alpha.workspace),
        make_program(cast.alpha.workspace, title="Mind"),
    )
    cohorts = {make_cohort(strength, cast.alpha.coach.membership, name=f"S{n}") for n in range(3)}
    make_cohort(mind, cast.alpha.other_coach.membership)
    plan = plan_with(cast, strength, mind)
    chosen = set()
    for seed in range(12):
        subscription = do_subscribe(
            plan, cast.alpha.client.membership, actor=None, rng=random.Random(seed)
        )
        enrollments = list(subscription.enrollments.all())
        assert {e.program for e in enrollments} == {strength, mind}
        chosen |= {e.cohort for e in enrollments if e.program == strength}
        do_unsubscribe(subscription, actor=None)
    assert chosen == cohorts


def test_a_program_without_an_open_cohort_leaves_the_client_subscribed_and_tells_the_admins(cast):
    program = make_program(cast.alpha.workspace)
    make_cohort(program, cast.alpha.coach.membership, is_open=False)
    plan = plan_with(cast, program)
    assert not can_purchase(plan)
    subscription = do_subscribe(plan, cast.alpha.client.membership, actor=cast.alpha.admin.user)
    assert subscription.ended_at is None
    assert not Enrollment.objects.filter(client=cast.alpha.client.membership).exists()
    assert Event.objects.filter(verb="membership.not_enrolled").count() == 1
    told = set(
        OutboundEmail.objects.filter(template="program_not_enrolled").values_list("to", flat=True)
    )
    assert told == {cast.alpha.owner.email, cast.alpha.admin.email}


def test_a_full_or_started_cohort_does_not_count_for_purchase(cast):
    program = make_program(cast.alpha.workspace)
    cohort = make_cohort(program, cast.alpha.coach.membership, capacity=1)
    plan = plan_with(cast, program)
    assert can_purchase(plan)
    do_subscribe(plan, cast.alpha.client.membership, actor=None)
    assert Enrollment.objects.get(client=cast.alpha.client.membership).cohort == cohort
    assert not can_purchase(plan)


def test_unsubscribing_ends_the_enrolments_it_made_and_keeps_history(cast):
    program = make_program(cast.alpha.workspace)
    make_cohort(program, cast.alpha.coach.membership)
    subscription = do_subscribe(plan_with(cast, program), cast.alpha.client.membership, actor=None)
    do_unsubscribe(subscription, actor=None)
    enrollment = Enrollment.objects.get(client=cast.alpha.client.membership)
    assert enrollment.ended_at is not None and subscription.ended_at is not None
    with pytest.raises(ValidationError):
        do_unsubscribe(subscription, actor=None)


def test_coaches_cannot_subscribe_as_clients(cast):
    program = make_program(cast.alpha.workspace)
    make_cohort(program, cast.alpha.coach.membership)
    with pytest.raises(ValidationError):
        do_subscribe(plan_with(cast, program), cast.alpha.other_coach.membership, actor=None)


def test_a_plan_opens_only_programs_of_its_workspace(cast):
    foreign = make_program(cast.beta.workspace)
    with pytest.raises(ValidationError) as caught:
        plan_with(cast, foreign)
    assert caught.value.error_dict["programs"][0].code == "wrong_workspace"
