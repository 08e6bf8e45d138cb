"""Builders for the client and coach portal tests: a program with content, a cohort, enrolments."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from ascend.programs.models import (
    CheckIn,
    Cohort,
    CohortKind,
    Enrollment,
    EnrollmentSource,
    Habit,
    HabitSchedule,
    Milestone,
    MilestoneCompletion,
    Program,
    ProgramStatus,
)


def today() -> date:
    """Today for the cast, whose people live in the workspace's time zone (UTC)."""
    return timezone.now().date()


def program_with(
    workspace, *, habits: int = 1, milestones: int = 2, days: int = 28, title: str = "Reset"
) -> Program:  # type: ignore[no-untyped-def]
    program = Program.objects.create(
        workspace=workspace, title=title, duration_days=days, status=ProgramStatus.PUBLISHED
    )
    add_milestones(program, milestones)
    add_habits(program, habits)
    return program


def add_milestones(program: Program, n: int, start: int = 0) -> None:
    Milestone.objects.bulk_create(
        Milestone(
            workspace=program.workspace,
            program=program,
            title=f"Milestone {i + 1}",
            due_after_days=min(program.duration_days, 3 * (i + 1)),
            position=i,
        )
        for i in range(start, start + n)
    )


def add_habits(program: Program, n: int, start: int = 0) -> None:
    Habit.objects.bulk_create(
        Habit(
            workspace=program.workspace,
            program=program,
            title=f"Habit {i + 1}",
            schedule=HabitSchedule.DAILY,
            position=i,
        )
        for i in range(start, start + n)
    )


def cohort_for(program: Program, coach, **fields) -> Cohort:  # type: ignore[no-untyped-def]
    fields.setdefault("name", f"{program.title} cohort")
    fields.setdefault("kind", CohortKind.ROLLING)
    return Cohort.objects.create(
        workspace=program.workspace, program=program, coach=coach.membership, **fields
    )


def enrol(cohort: Cohort, person, *, started_days_ago: int = 10) -> Enrollment:  # type: ignore[no-untyped-def]
    """An active enrolment that started some days ago (history is written straight to the rows)."""
    return Enrollment.objects.create(
        workspace=cohort.workspace,
        cohort=cohort,
        program=cohort.program,
        client=person.membership,
        start_date=today() - timedelta(days=started_days_ago),
        source=EnrollmentSource.MANUAL,
    )


def check_in_every_day(enrollment: Enrollment, days: int) -> None:
    CheckIn.objects.bulk_create(
        CheckIn(
            workspace=enrollment.workspace,
            enrollment=enrollment,
            habit=habit,
            due_date=enrollment.start_date + timedelta(days=d),
        )
        for habit in enrollment.program.habits.all()
        for d in range(days)
    )


def complete(enrollment: Enrollment, milestone: Milestone) -> MilestoneCompletion:
    return MilestoneCompletion.objects.create(
        workspace=enrollment.workspace, enrollment=enrollment, milestone=milestone
    )
