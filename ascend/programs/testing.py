"""Builders for programs in tests: a published program with content and cohorts in one call."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from .models import Cohort, CohortKind, Habit, HabitSchedule, Milestone, Program, ProgramStatus


def make_program(
    workspace,
    *,
    title: str = "Strength reset",
    days: int = 28,
    habits: int = 1,  # type: ignore[no-untyped-def]
    milestones: int = 2,
    status: str = ProgramStatus.PUBLISHED,
) -> Program:
    program = Program.objects.create(
        workspace=workspace, title=title, duration_days=days, status=status
    )
    for n in range(milestones):
        Milestone.objects.create(
            workspace=workspace,
            program=program,
            title=f"Milestone {n + 1}",
            due_after_days=min(days - 1, 7 * (n + 1)),
            position=n,
        )
    for n in range(habits):
        Habit.objects.create(
            workspace=workspace,
            program=program,
            title=f"Habit {n + 1}",
            schedule=HabitSchedule.DAILY,
            position=n,
        )
    return program


def make_cohort(
    program: Program,
    coach,
    *,
    kind: str = CohortKind.ROLLING,  # type: ignore[no-untyped-def]
    start_date: date | None = None,
    capacity: int | None = None,
    is_open: bool = True,
    name: str = "",
) -> Cohort:
    if kind == CohortKind.FIXED and start_date is None:
        start_date = timezone.localdate() + timedelta(days=7)
    return Cohort.objects.create(
        workspace=program.workspace,
        program=program,
        coach=coach,
        name=name or f"{program} cohort",
        kind=kind,
        start_date=start_date,
        capacity=capacity,
        is_open=is_open,
    )
