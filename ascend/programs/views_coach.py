"""The coach portal's pages: my cohorts, one cohort's clients, my clients.

A coach sees the cohorts they teach; a head coach also sees those of the
coaches they lead, marked with whose they are. Anything else is a 404
(``access.access_cohort``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ascend.tenancy.access import capability_required
from ascend.tenancy.capabilities import Cap

from .access import access_cohort, coached_by, visible_cohorts
from .models import CheckIn, Enrollment, MilestoneCompletion
from .progress import EnrollmentProgress, progress_for
from .queries import enrollments_with_content

CLIENTS_PER_PAGE = 50


def with_last_activity(qs: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """Each enrolment's latest check-in and milestone completion, read in the same query."""
    return qs.annotate(
        last_check_in=Subquery(
            CheckIn.objects.filter(enrollment=OuterRef("pk"))
            .order_by("-checked_at")
            .values("checked_at")[:1]
        ),
        last_completion=Subquery(
            MilestoneCompletion.objects.filter(enrollment=OuterRef("pk"))
            .order_by("-completed_at")
            .values("completed_at")[:1]
        ),
    )


@dataclass
class ClientRow:
    progress: EnrollmentProgress
    mine: bool

    @property
    def enrollment(self) -> Enrollment:
        return self.progress.enrollment

    @property
    def last_activity(self) -> datetime | None:
        moments = [
            m
            for m in (
                getattr(self.enrollment, "last_check_in", None),
                getattr(self.enrollment, "last_completion", None),
            )
            if m is not None
        ]
        return max(moments) if moments else None

    @property
    def off_track_habits(self) -> list[str]:
        return [h.habit.title for h in self.progress.habits if h.off_track]


def client_rows(enrollments: list[Enrollment], membership: Any) -> list[ClientRow]:
    progress = progress_for(enrollments)
    return [ClientRow(progress[e.id], e.cohort.coach_id == membership.pk) for e in enrollments]


@capability_required(Cap.PORTAL_COACH)
def cohorts(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    rows = (
        visible_cohorts(membership)
        .filter(program__archived_at__isnull=True)
        .select_related("program", "coach__user")
        .annotate(active_count=Count("enrollments", filter=Q(enrollments__ended_at__isnull=True)))
        .order_by("-is_open", "program__title", "start_date", "name", "id")
    )
    return render(
        request,
        "programs/coach/cohorts.html",
        {"cohorts": list(rows), "show_coach": membership.is_head_coach},
    )


@capability_required(Cap.PORTAL_COACH)
def cohort(request: HttpRequest, cohort_id: int) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    cohort = access_cohort(membership, cohort_id)
    enrollments = list(
        with_last_activity(
            enrollments_with_content(Enrollment.objects.filter(cohort=cohort)).select_related(
                "cohort"
            )
        ).order_by("client__user__full_name", "client__user__email", "id")
    )
    rows = client_rows(enrollments, membership)
    active = [r for r in rows if r.enrollment.is_active]
    return render(
        request,
        "programs/coach/cohort.html",
        {
            "cohort": cohort,
            "active": active,
            "ended": [r for r in rows if not r.enrollment.is_active],
            "off_track_count": sum(1 for r in active if r.progress.off_track),
            "mine": cohort.coach_id == membership.pk,
        },
    )


@capability_required(Cap.PORTAL_COACH)
def clients(request: HttpRequest) -> HttpResponse:
    """Every client enrolled now in the coach's cohorts (and their led coaches'), paginated."""
    membership = request.membership  # type: ignore[attr-defined]
    search = request.GET.get("q", "").strip()[:100]
    qs: QuerySet[Enrollment] = Enrollment.objects.filter(
        coached_by(membership, "cohort__"),
        workspace=membership.workspace,
        ended_at__isnull=True,
    )
    if search:
        qs = qs.filter(
            Q(client__user__full_name__icontains=search) | Q(client__user__email__icontains=search)
        )
    qs = with_last_activity(
        enrollments_with_content(qs).select_related("cohort__coach__user")
    ).order_by("client__user__full_name", "client__user__email", "program__title", "id")
    page = Paginator(qs, CLIENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "programs/coach/clients.html",
        {
            "rows": client_rows(list(page.object_list), membership),
            "page_obj": page,
            "search": search,
            "show_coach": membership.is_head_coach,
            "querystring_without_page": query.urlencode() + "&" if query else "",
        },
    )


def coach_summary(membership: Any) -> dict[str, Any]:
    """What the coach dashboard shows of programs: cohorts, clients, who is off track.

    A fixed number of queries however many clients: the cohorts, then the active
    enrolments with their content and progress.
    """
    cohorts = list(
        visible_cohorts(membership)
        .filter(program__archived_at__isnull=True)
        .select_related("program", "coach__user")
        .annotate(active_count=Count("enrollments", filter=Q(enrollments__ended_at__isnull=True)))
        .order_by("-is_open", "program__title", "start_date", "name", "id")
    )
    enrollments = list(
        enrollments_with_content(
            Enrollment.objects.filter(
                coached_by(membership, "cohort__"),
                workspace=membership.workspace,
                ended_at__isnull=True,
            )
        ).order_by("client__user__full_name", "client__user__email", "id")
    )
    rows = client_rows(enrollments, membership)
    return {
        "coach_cohorts": cohorts,
        "coach_client_count": len({e.client_id for e in enrollments}),
        "off_track_rows": [r for r in rows if r.progress.off_track],
    }
