from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from ascend.activity.models import Event
from ascend.programs.actions import do_enroll, do_set_check_in, do_set_milestone_done, do_unenroll
from ascend.programs.models import CheckIn, Enrollment, OffTrackSpell
from ascend.programs.progress import progress_for
from ascend.programs.queries import enrollments_with_content
from ascend.programs.testing import make_cohort, make_program

pytestmark = pytest.mark.django_db


def started(cast, days_ago: int, **program):  # type: ignore[no-untyped-def]
    cohort = make_cohort(make_program(cast.alpha.workspace, **program), cast.alpha.coach.membership)
    enrollment = do_enroll(cohort, cast.alpha.client.membership, actor=None)
    Enrollment.objects.filter(pk=enrollment.pk).update(
        start_date=enrollment.start_date - timedelta(days=days_ago)
    )
    enrollment.refresh_from_db()
    return enrollment


def progress(enrollment):  # type: ignore[no-untyped-def]
    qs = enrollments_with_content(Enrollment.objects.filter(pk=enrollment.pk))
    return progress_for(qs)[enrollment.pk]


def test_ticking_a_milestone_and_a_habit_moves_progress(cast):
    enrollment = started(cast, days_ago=2, days=10, habits=1, milestones=2)
    assert progress(enrollment).total == 12 and progress(enrollment).percent == 0
    milestone = enrollment.program.milestones.first()
    habit = enrollment.program.habits.first()
    do_set_milestone_done(enrollment, milestone, True, actor=None)
    do_set_check_in(enrollment, habit, enrollment.start_date, True, actor=None)
    assert progress(enrollment).done == 2 and progress(enrollment).percent == 16
    do_set_milestone_done(enrollment, milestone, True, actor=None)  # twice changes nothing
    assert progress(enrollment).done == 2
    assert Event.objects.filter(verb="milestone.completed").count() == 1
    do_set_milestone_done(enrollment, milestone, False, actor=None)
    assert progress(enrollment).done == 1


def test_a_habit_has_one_check_in_per_due_date(cast):
    enrollment = started(cast, days_ago=1)
    habit = enrollment.program.habits.first()
    do_set_check_in(enrollment, habit, enrollment.start_date, True, actor=None)
    do_set_check_in(enrollment, habit, enrollment.start_date, True, actor=None)
    assert CheckIn.objects.filter(enrollment=enrollment).count() == 1


def test_future_and_off_schedule_check_ins_are_refused(cast):
    from django.utils import timezone

    from ascend.programs.actions import do_save_habit

    program = make_program(cast.alpha.workspace, habits=0)
    tomorrow = timezone.localdate() + timedelta(days=1)
    habit = do_save_habit(
        program,
        actor=None,
        title="Only tomorrow's weekday",
        schedule="weekdays",
        weekdays=str(tomorrow.weekday()),
    )
    enrollment = do_enroll(
        make_cohort(program, cast.alpha.coach.membership), cast.alpha.client.membership, actor=None
    )
    with pytest.raises(ValidationError) as caught:
        do_set_check_in(enrollment, habit, tomorrow, True, actor=None)
    assert caught.value.error_dict["due_date"][0].code == "future_date"
    with pytest.raises(ValidationError) as caught:
        do_set_check_in(enrollment, habit, enrollment.start_date, True, actor=None)
    assert caught.value.error_dict["due_date"][0].code == "not_due"


def test_three_missed_days_open_an_off_track_spell_and_a_late_check_in_closes_it(cast):
    from ascend.programs.notices import run_daily

    enrollment = started(cast, days_ago=4)
    habit = enrollment.program.habits.first()
    run_daily()
    assert OffTrackSpell.objects.filter(enrollment=enrollment, ended_at__isnull=True).count() == 1
    assert progress(enrollment).off_track
    yesterday = enrollment.start_date + timedelta(days=3)
    do_set_check_in(enrollment, habit, yesterday, True, actor=cast.alpha.client.user)
    assert not progress(enrollment).off_track
    assert not OffTrackSpell.objects.filter(enrollment=enrollment, ended_at__isnull=True).exists()
    assert Event.objects.filter(verb="habit.back_on_track").count() == 1


def test_an_ended_enrolment_cannot_be_ticked(cast):
    enrollment = started(cast, days_ago=1)
    do_unenroll(enrollment, actor=None)
    with pytest.raises(ValidationError) as caught:
        do_set_check_in(
            enrollment, enrollment.program.habits.first(), enrollment.start_date, True, actor=None
        )
    assert caught.value.code == "enrollment_ended"
