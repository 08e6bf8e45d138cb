"""Communication quality pages: every coach's for admins and auditors (team portal), and in
the coach portal a coach's own figures, with those of the coaches a head coach leads."""

from __future__ import annotations

import zoneinfo
from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ascend.lib.csv_export import csv_response
from ascend.tenancy.access import capability_required
from ascend.tenancy.capabilities import Cap
from ascend.tenancy.models import Membership

from . import queries
from .forms import QualityFilterForm
from .report import build_report


def this_month(workspace) -> date:  # type: ignore[no-untyped-def]
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(workspace.time_zone)).date()
    return date(today.year, today.month, 1)


def _chosen_coach(request: HttpRequest, coaches: list[Membership]) -> Membership | None:
    """The coach asked for with ``?coach=``; one not in view is a 404, like a missing one."""
    raw = request.GET.get("coach", "")
    if not raw:
        return None
    chosen = next((c for c in coaches if str(c.pk) == raw), None)
    if chosen is None:
        raise Http404
    return chosen


def _quality_page(
    request: HttpRequest, coaches: list[Membership], *, portal: str, choose: bool
) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    chosen = _chosen_coach(request, coaches)
    options = {"coaches": coaches if choose else None, "this_month": this_month(workspace)}
    form = QualityFilterForm(request.GET, **options)
    first, last = form.months()
    if form.is_valid():  # show the months the page covers, defaults included
        shown_months = {"since": f"{first:%Y-%m}", "until": f"{last:%Y-%m}"}
        form = QualityFilterForm({**request.GET.dict(), **shown_months}, **options)
    shown = [chosen] if chosen else coaches
    report = build_report(workspace, shown, first, last)
    if request.GET.get("format") == "csv":
        rows = list(report.csv_rows())
        return csv_response(workspace, lambda: rows, "communication-quality")
    query = request.GET.copy()
    query.pop("format", None)
    own = len(shown) == 1 and shown[0].pk == request.membership.pk  # type: ignore[attr-defined]
    return render(
        request,
        "quality/quality.html",
        {
            "form": form,
            "report": report,
            "chart": report.chart(),
            "portal": portal,
            "own": own,
            "latest": report.rows[0] if own and report.rows else None,
            "csv_query": (query.urlencode() + "&") if query else "",
            "goal_hours": workspace.response_goal_hours,
            "target_hours": workspace.response_target_hours,
        },
    )


@capability_required(Cap.QUALITY_ALL)
def team_quality(request: HttpRequest) -> HttpResponse:
    coaches = list(queries.workspace_coaches(request.workspace))  # type: ignore[attr-defined]
    return _quality_page(request, coaches, portal="team", choose=True)


@capability_required(Cap.PORTAL_COACH)
def coach_quality(request: HttpRequest) -> HttpResponse:
    me = request.membership  # type: ignore[attr-defined]
    coaches = list(queries.coaches_in_view(me))
    return _quality_page(request, coaches, portal="coach", choose=len(coaches) > 1)
