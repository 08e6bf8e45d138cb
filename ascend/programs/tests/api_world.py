"""A small world of programs for the API tests: one program per workspace, cohorts, enrolments.

In alpha: a published program with two milestones, a daily habit and a weekdays
habit; the coach's cohort (the client enrolled ten days ago), the other coach's
cohort (the other client enrolled). In beta: the same program shape, with its
client enrolled. The head coach leads the coach, not the other coach.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from ascend.programs.models import (
    Cohort,
    CohortKind,
    Enrollment,
    EnrollmentSource,
    Habit,
    HabitSchedule,
    Milestone,
    Program,
    ProgramStatus,
)
from ascend.testing import Cast, Crew


@dataclass
class Side:
    program: Program
    milestones: list[Milestone]
    daily: Habit
    weekly: Habit
    cohort: Cohort  # the coach's
    other_cohort: Cohort  # the other coach's
    enrollment: Enrollment  # the client's, in the coach's cohort
    other_enrollment: Enrollment  # the other client's, in the other coach's cohort


@dataclass
class World:
    alpha: Side
    beta: Side


def make_program(workspace, title: str = "Strength reset", days: int = 28, **extra) -> Program:  # type: ignore[no-untyped-def]
    return Program.objects.create(
        workspace=workspace,
        title=title,
        duration_days=days,
        status=extra.pop("status", ProgramStatus.PUBLISHED),
        **extra,
    )


def make_cohort(program: Program, coach, name: str = "", **extra) -> Cohort:  # type: ignore[no-untyped-def]
    return Cohort.objects.create(
        workspace=program.workspace,
        program=program,
        coach=coach,
        name=name or f"{program.title} group",
        kind=extra.pop("kind", CohortKind.ROLLING),
        **extra,
    )


def make_enrollment(cohort: Cohort, client, days_ago: int = 10) -> Enrollment:  # type: ignore[no-untyped-def]
    """An enrolment written directly (test set-up: no email, no event), started days ago."""
    return Enrollment.objects.create(
        workspace=cohort.workspace,
        cohort=cohort,
        program=cohort.program,
        client=client,
        start_date=timezone.localdate() - timedelta(days=days_ago),
        source=EnrollmentSource.MANUAL,
    )


def make_side(crew: Crew) -> Side:
    ws = crew.workspace
    program = make_program(ws)
    milestones = [
        Milestone.objects.create(
            workspace=ws, program=program, title="Book a check-up", due_after_days=3
        ),
        Milestone.objects.create(
            workspace=ws, program=program, title="Lift your body weight", due_after_days=21
        ),
    ]
    daily = Habit.objects.create(
        workspace=ws, program=program, title="Walk 20 minutes", schedule=HabitSchedule.DAILY
    )
    weekly = Habit.objects.create(
        workspace=ws,
        program=program,
        title="Strength session",
        schedule=HabitSchedule.WEEKDAYS,
        weekdays="024",
        position=1,
    )
    cohort = make_cohort(program, crew.coach.membership, name=f"{crew.workspace.slug} spring")
    other = make_cohort(program, crew.other_coach.membership, name=f"{crew.workspace.slug} autumn")
    return Side(
        program=program,
        milestones=milestones,
        daily=daily,
        weekly=weekly,
        cohort=cohort,
        other_cohort=other,
        enrollment=make_enrollment(cohort, crew.client.membership),
        other_enrollment=make_enrollment(other, crew.other_client.membership),
    )


def make_world(cast: Cast) -> World:
    return World(alpha=make_side(cast.alpha), beta=make_side(cast.beta))
