from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ascend.programs.actions import (
    do_archive_program,
    do_enroll,
    do_save_cohort,
    do_save_habit,
    do_save_milestone,
    do_set_program_status,
    do_unenroll,
    do_update_program,
)
from ascend.programs.models import CohortKind
from ascend.programs.testing import make_cohort, make_program

pytestmark = pytest.mark.django_db


def enrolled_program(cast):  # type: ignore[no-untyped-def]
    program = make_program(cast.alpha.workspace)
    cohort = make_cohort(program, cast.alpha.coach.membership)
    enrollment = do_enroll(cohort, cast.alpha.client.membership, actor=None)
    return program, enrollment


def test_a_program_with_enrolled_clients_has_its_content_locked(cast):
    program, _ = enrolled_program(cast)
    with pytest.raises(ValidationError) as caught:
        do_update_program(program, actor=None, title="New title")
    assert caught.value.code == "program_locked"
    assert "content is locked" in caught.value.messages[0]
    with pytest.raises(ValidationError):
        do_save_milestone(program, actor=None, title="Extra", due_after_days=3)
    with pytest.raises(ValidationError):
        do_save_habit(program, actor=None, title="Extra", schedule="daily")
    program.refresh_from_db()
    assert program.title == "Strength reset"


def test_a_locked_program_still_takes_new_cohorts_and_can_be_published(cast):
    program, _ = enrolled_program(cast)
    cohort = do_save_cohort(
        program,
        actor=None,
        coach=cast.alpha.other_coach.membership,
        name="Autumn",
        kind=CohortKind.ROLLING,
    )
    assert cohort.pk
    do_set_program_status(program, "draft", actor=None)
    do_set_program_status(program, "published", actor=None)


def test_once_the_last_client_leaves_the_content_unlocks(cast):
    program, enrollment = enrolled_program(cast)
    do_unenroll(enrollment, actor=None)
    do_update_program(program, actor=None, title="Strength reset II")
    program.refresh_from_db()
    assert program.title == "Strength reset II"


def test_a_program_with_active_enrolments_cannot_be_deleted(cast):
    program, enrollment = enrolled_program(cast)
    with pytest.raises(ValidationError) as caught:
        do_archive_program(program, actor=None)
    assert caught.value.code == "program_has_enrollments"
    do_unenroll(enrollment, actor=None)
    do_archive_program(program, actor=None)
    program.refresh_from_db()
    assert program.archived_at is not None
    assert not program.cohorts.filter(is_open=True).exists()


def test_habits_need_a_schedule_that_is_ever_due(cast):
    program = make_program(cast.alpha.workspace, habits=0)
    with pytest.raises(ValidationError) as caught:
        do_save_habit(program, actor=None, title="Stretch", schedule="weekdays", weekdays="")
    assert "weekdays" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        do_save_habit(program, actor=None, title="Stretch", schedule="every_n_days")
    assert "interval_days" in caught.value.error_dict
    with pytest.raises(ValidationError):
        do_save_habit(program, actor=None, title="Stretch", schedule="daily", duration_days=0)
    habit = do_save_habit(program, actor=None, title="Stretch", schedule="weekdays", weekdays="420")
    assert habit.weekdays == "024"


def test_a_milestone_must_fall_within_the_program(cast):
    program = make_program(cast.alpha.workspace, days=28, milestones=0)
    with pytest.raises(ValidationError) as caught:
        do_save_milestone(program, actor=None, title="Late", due_after_days=40)
    assert caught.value.error_dict["due_after_days"][0].code == "beyond_program"
    # Day 28 of a 28-day program is the day after it ends; day 27 is its last day.
    with pytest.raises(ValidationError):
        do_save_milestone(program, actor=None, title="Day after", due_after_days=28)
    assert do_save_milestone(program, actor=None, title="Last day", due_after_days=27).pk


def test_cohort_rules_are_checked_at_their_fields(cast):
    program = make_program(cast.alpha.workspace)
    coach = cast.alpha.coach.membership
    with pytest.raises(ValidationError) as caught:
        do_save_cohort(
            program,
            actor=None,
            coach=coach,
            name="Past",
            kind=CohortKind.FIXED,
            start_date=timezone.localdate() - timedelta(days=1),
        )
    assert caught.value.error_dict["start_date"][0].code == "start_date_past"
    with pytest.raises(ValidationError) as caught:
        do_save_cohort(
            program,
            actor=None,
            coach=cast.alpha.client.membership,
            name="X",
            kind=CohortKind.ROLLING,
        )
    assert caught.value.error_dict["coach"][0].code == "not_a_coach"
    with pytest.raises(ValidationError) as caught:
        do_save_cohort(
            program,
            actor=None,
            coach=coach,
            name="X",
            kind=CohortKind.ROLLING,
            appointments_enabled=True,
            booking_url="",
        )
    assert "booking_url" in caught.value.error_dict


def test_capacity_cannot_drop_below_the_clients_enrolled(cast):
    program, enrollment = enrolled_program(cast)
    cohort = enrollment.cohort
    do_enroll(cohort, cast.alpha.other_client.membership, actor=None)
    with pytest.raises(ValidationError) as caught:
        do_save_cohort(program, actor=None, cohort=cohort, capacity=1)
    assert caught.value.error_dict["capacity"][0].code == "capacity_below_enrolled"
    cohort.refresh_from_db()
    assert cohort.capacity is None
