"""Team portal pages for memberships (owners and admins)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ascend.lib.forms import apply_validation_error
from ascend.programs import queries as program_queries
from ascend.programs.models import Program
from ascend.tenancy.access import capability_required
from ascend.tenancy.capabilities import Cap
from ascend.tenancy.models import Membership

from . import actions
from .forms import PlanForm
from .models import MembershipPlan


def access_plan(member: Membership, plan_id: int) -> MembershipPlan:
    """A membership plan of the member's workspace, or 404."""
    plan = MembershipPlan.objects.filter(workspace=member.workspace, pk=plan_id).first()
    if plan is None:
        raise Http404
    return plan


def purchase_blockers(plan: MembershipPlan, taking: set[int]) -> list[str]:
    """Why the plan can't be bought now: not on sale, or ``actions.can_purchase`` is false."""
    blockers = [] if plan.is_active else [_("It isn't on sale.")]
    programs = list(plan.live_programs)
    if not programs:
        return [*blockers, _("It opens no program.")]
    return blockers + [
        _("%(program)s has no open cohort with room.") % {"program": p.title}
        for p in programs
        if p.id not in taking
    ]


def _plans(workspace: Any) -> QuerySet[MembershipPlan]:
    return MembershipPlan.objects.filter(workspace=workspace).prefetch_related(
        Prefetch(
            "programs",
            queryset=Program.objects.filter(archived_at__isnull=True).order_by("title"),
            to_attr="live_programs",
        )
    )


@capability_required(Cap.PROGRAMS_MANAGE)
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = list(_plans(request.workspace))
    taking = actions.programs_taking_clients(request.workspace)
    rows = []
    for plan in plans:
        blockers = purchase_blockers(plan, taking)
        rows.append({"plan": plan, "blockers": blockers, "can_purchase": not blockers})
    return render(request, "billing/plan_list.html", {"rows": rows})


def _plan_form_page(request: HttpRequest, plan: MembershipPlan | None) -> HttpResponse:
    initial: dict[str, Any] = {"is_active": True, "price": 0, "currency": "USD"}
    if plan is not None:
        initial = {
            "name": plan.name,
            "description": plan.description,
            "programs": list(plan.programs.all()),
            "is_active": plan.is_active,
            "price": plan.price,
            "currency": plan.currency,
        }
    form = PlanForm(
        request.POST or None, initial=initial, programs=program_queries.programs(request.workspace)
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.do_save_plan(
                request.workspace, actor=request.user, plan=plan, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": saved.name})
            return redirect("billing:plans")
    blockers: list[str] = []
    if plan is not None:
        plan.live_programs = list(plan.programs.filter(archived_at__isnull=True))  # type: ignore[attr-defined]
        blockers = purchase_blockers(plan, actions.programs_taking_clients(request.workspace))
    return render(
        request,
        "billing/plan_form.html",
        {"form": form, "plan": plan, "blockers": blockers},
        status=422 if form.errors else 200,
    )


@capability_required(Cap.PROGRAMS_MANAGE)
def plan_create(request: HttpRequest) -> HttpResponse:
    return _plan_form_page(request, None)


@capability_required(Cap.PROGRAMS_MANAGE)
def plan_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _plan_form_page(request, access_plan(request.membership, plan_id))
