"""Reads of programs, cohorts and enrolments, already scoped and with what they need loaded."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import Cohort, Enrollment, Habit, Milestone, Program


def enrollments_with_content(qs: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """Enrolments with everything ``progress.progress_for`` reads, in a fixed number of queries."""
    return qs.select_related(
        "workspace", "client__user", "program", "cohort__coach__user"
    ).prefetch_related(
        Prefetch(
            "program__milestones",
            queryset=Milestone.objects.order_by("due_after_days", "position", "id"),
        ),
        Prefetch("program__habits", queryset=Habit.objects.order_by("position", "id")),
    )


def programs(workspace) -> QuerySet[Program]:  # type: ignore[no-untyped-def]
    return Program.objects.filter(workspace=workspace, archived_at__isnull=True).annotate(
        active_count=Count(
            "enrollments", filter=Q(enrollments__ended_at__isnull=True), distinct=True
        ),
        cohort_count=Count("cohorts", distinct=True),
    )


def cohorts(workspace, *, coach=None, program=None) -> QuerySet[Cohort]:  # type: ignore[no-untyped-def]
    qs = (
        Cohort.objects.filter(workspace=workspace, program__archived_at__isnull=True)
        .select_related("program", "coach__user", "workspace")
        .annotate(active_count=Count("enrollments", filter=Q(enrollments__ended_at__isnull=True)))
    )
    if coach is not None:
        qs = qs.filter(coach=coach)
    if program is not None:
        qs = qs.filter(program=program)
    return qs


def open_cohorts_with_room(program: Program) -> list[Cohort]:
    """Open cohorts of the program that could take a client today (capacity counted in SQL)."""
    return list(cohorts(program.workspace, program=program).filter(is_open=True))


def client_enrollments(client) -> QuerySet[Enrollment]:  # type: ignore[no-untyped-def]
    """A client's enrolments, active first, with content for progress."""
    return enrollments_with_content(Enrollment.objects.filter(client=client)).order_by(
        "ended_at", "-start_date"
    )
