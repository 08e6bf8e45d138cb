from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ascend.activity.models import Event
from ascend.notifications.models import OutboundEmail
from ascend.programs.actions import do_enroll, do_unenroll
from ascend.programs.models import CohortKind, Enrollment, ProgramStatus
from ascend.programs.testing import make_cohort, make_program

pytestmark = pytest.mark.django_db


def code_of(error: ValidationError) -> str:
    return next(e.code for errors in error.error_dict.values() for e in errors)


def test_enrolling_into_a_rolling_cohort_starts_today_and_tells_the_client(cast):
    cohort = make_cohort(make_program(cast.alpha.workspace), cast.alpha.coach.membership)
    enrollment = do_enroll(cohort, cast.alpha.client.membership, actor=cast.alpha.admin.user)
    assert enrollment.start_date == timezone.localdate()
    assert Event.objects.filter(verb="client.enrolled").count() == 1
    email = OutboundEmail.objects.get(template="program_enrolled")
    assert email.to == cast.alpha.client.email and "Strength reset" in email.subject


def test_a_fixed_cohort_starts_everyone_on_its_date_and_refuses_from_that_date(cast):
    start = timezone.localdate() + timedelta(days=3)
    cohort = make_cohort(
        make_program(cast.alpha.workspace),
        cast.alpha.coach.membership,
        kind=CohortKind.FIXED,
        start_date=start,
    )
    assert do_enroll(cohort, cast.alpha.client.membership, actor=None).start_date == start
    cohort.start_date = timezone.localdate()
    cohort.save()
    with pytest.raises(ValidationError) as caught:
        do_enroll(cohort, cast.alpha.other_client.membership, actor=None)
    assert code_of(caught.value) == "cohort_started"


def test_a_full_cohort_refuses_and_says_so(cast):
    cohort = make_cohort(
        make_program(cast.alpha.workspace), cast.alpha.coach.membership, capacity=1
    )
    do_enroll(cohort, cast.alpha.client.membership, actor=None)
    with pytest.raises(ValidationError) as caught:
        do_enroll(cohort, cast.alpha.other_client.membership, actor=None)
    assert code_of(caught.value) == "cohort_full"
    assert "full" in caught.value.messages[0]


def test_a_closed_cohort_and_a_draft_program_refuse(cast):
    closed = make_cohort(
        make_program(cast.alpha.workspace), cast.alpha.coach.membership, is_open=False
    )
    with pytest.raises(ValidationError) as caught:
        do_enroll(closed, cast.alpha.client.membership, actor=None)
    assert code_of(caught.value) == "cohort_closed"
    draft = make_cohort(
        make_program(cast.alpha.workspace, status=ProgramStatus.DRAFT), cast.alpha.coach.membership
    )
    with pytest.raises(ValidationError) as caught:
        do_enroll(draft, cast.alpha.client.membership, actor=None)
    assert code_of(caught.value) == "program_not_published"


def test_a_coach_of_the_workspace_cannot_enrol_as_a_client(cast):
    cohort = make_cohort(make_program(cast.alpha.workspace), cast.alpha.coach.membership)
    with pytest.raises(ValidationError) as caught:
        do_enroll(cohort, cast.alpha.other_coach.membership, actor=None)
    assert code_of(caught.value) == "coach_cannot_enrol"
    assert "cannot enrol as a client" in caught.value.messages[0]
    with pytest.raises(ValidationError) as caught:
        do_enroll(cohort, cast.alpha.operator.membership, actor=None)
    assert code_of(caught.value) == "not_a_client"


def test_one_active_enrolment_per_program(cast):
    program = make_program(cast.alpha.workspace)
    first = make_cohort(program, cast.alpha.coach.membership)
    second = make_cohort(program, cast.alpha.other_coach.membership)
    enrollment = do_enroll(first, cast.alpha.client.membership, actor=None)
    with pytest.raises(ValidationError) as caught:
        do_enroll(second, cast.alpha.client.membership, actor=None)
    assert code_of(caught.value) == "already_enrolled"
    do_unenroll(enrollment, actor=cast.alpha.admin.user)
    assert do_enroll(second, cast.alpha.client.membership, actor=None).cohort == second


def test_unenrolling_keeps_the_history(cast):
    cohort = make_cohort(make_program(cast.alpha.workspace), cast.alpha.coach.membership)
    enrollment = do_enroll(cohort, cast.alpha.client.membership, actor=None)
    do_unenroll(enrollment, actor=cast.alpha.admin.user)
    enrollment.refresh_from_db()
    assert enrollment.ended_at is not None and enrollment.ended_by == cast.alpha.admin.user
    assert Enrollment.objects.filter(pk=enrollment.pk).exists()
    assert Event.objects.filter(verb="client.unenrolled").exists()
    with pytest.raises(ValidationError):
        do_unenroll(enrollment, actor=None)


def test_an_unenrolled_seat_frees_capacity(cast):
    cohort = make_cohort(
        make_program(cast.alpha.workspace), cast.alpha.coach.membership, capacity=1
    )
    enrollment = do_enroll(cohort, cast.alpha.client.membership, actor=None)
    do_unenroll(enrollment, actor=None)
    assert do_enroll(cohort, cast.alpha.other_client.membership, actor=None)
