"""The memberships API: plans, and subscribing clients to them by hand.

Rules: owners and admins (``Cap.PROGRAMS_MANAGE``) read plans and subscribe or
unsubscribe clients; a client reads their own subscriptions; everyone else gets
403. Subscribing enrols the client into a randomly chosen open cohort of each of
the plan's programs (``billing.actions.do_subscribe``); a plan or subscription of
another workspace is a 404.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from ascend.api.helpers import person_out as _person
from ascend.api.helpers import referenced as _referenced
from ascend.api.helpers import require as _require
from ascend.api.schemas import ErrorOut
from ascend.programs.api import MAX_INT, Id, PersonRef, Ref
from ascend.programs.models import Program
from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership

from . import actions
from .models import MembershipPlan, Subscription

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}

router = Router()


class PlanOut(Schema):
    id: int
    name: str
    description: str
    is_active: bool
    programs: list[Ref]
    created_at: datetime


class PlanWithSaleOut(PlanOut):
    can_purchase: bool = Field(
        description="Every program of the plan has a cohort taking clients today."
    )


class SubscriptionOut(Schema):
    id: int
    plan: PlanOut
    client: PersonRef
    started_at: datetime
    ended_at: datetime | None
    active: bool
    enrollment_ids: list[int]


class SubscriptionIn(Schema):
    plan: Id
    client: Id = Field(..., description="The client's membership id.")


class SubscriptionFilter(Schema):
    plan: int | None = Field(None, ge=-MAX_INT, le=MAX_INT)
    client: int | None = Field(None, ge=-MAX_INT, le=MAX_INT)
    active: bool | None = None


def _member(request: HttpRequest) -> Membership:
    return request.membership  # type: ignore[attr-defined,no-any-return]


def _programs() -> Prefetch:
    return Prefetch("programs", queryset=Program.objects.order_by("title", "id"))


def _plans(member: Membership) -> QuerySet[MembershipPlan]:
    return MembershipPlan.objects.filter(workspace=member.workspace).prefetch_related(_programs())


def visible_subscriptions(member: Membership) -> QuerySet[Subscription]:
    """All for owners and admins, a client's own for a client, 403 for anyone else."""
    qs = (
        Subscription.objects.filter(workspace=member.workspace)
        .select_related("plan", "client__user")
        .prefetch_related(
            Prefetch("plan__programs", queryset=Program.objects.order_by("title", "id")),
            "enrollments",
        )
    )
    if can(member, Cap.PROGRAMS_MANAGE):
        return qs
    if can(member, Cap.PORTAL_CLIENT):
        return qs.filter(Q(client=member))
    raise PermissionDenied


def _plan_out(plan: MembershipPlan) -> dict:
    return {
        "id": plan.id,
        "name": plan.name,
        "description": plan.description,
        "is_active": plan.is_active,
        "programs": [{"id": p.id, "title": p.title} for p in plan.programs.all()],
        "created_at": plan.created_at,
    }


def _can_purchase(plan: MembershipPlan, taking: set[int]) -> bool:
    """``actions.can_purchase`` for a plan whose programs are loaded, given the programs taking
    clients (``actions.programs_taking_clients``), without a query per plan."""
    programs = [p for p in plan.programs.all() if p.archived_at is None]
    return bool(programs) and all(p.id in taking for p in programs)


def _subscription_out(s: Subscription) -> dict:
    return {
        "id": s.id,
        "plan": _plan_out(s.plan),
        "client": _person(s.client),
        "started_at": s.started_at,
        "ended_at": s.ended_at,
        "active": s.ended_at is None,
        "enrollment_ids": sorted(e.id for e in s.enrollments.all()),
    }


def _access_subscription(member: Membership, subscription_id: int) -> Subscription:
    try:
        return visible_subscriptions(member).get(pk=subscription_id)
    except Subscription.DoesNotExist:
        raise Http404 from None


@router.get(
    "/membership-plans",
    response={200: list[PlanWithSaleOut], **ERRORS},
    tags=["memberships"],
    summary="List membership plans",
)
def list_plans(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The workspace's membership plans, the programs each opens, and whether it can be bought.

    Owners and admins. ``can_purchase`` is false while any of a plan's programs
    has no cohort taking clients.
    """
    member = _require(request, Cap.PROGRAMS_MANAGE)
    taking = actions.programs_taking_clients(member.workspace)
    return [
        {**_plan_out(plan), "can_purchase": _can_purchase(plan, taking)} for plan in _plans(member)
    ]


@router.get(
    "/membership-plans/{plan_id}",
    response={200: PlanWithSaleOut, **ERRORS},
    tags=["memberships"],
    summary="A membership plan",
)
def get_plan(request: HttpRequest, plan_id: int):  # type: ignore[no-untyped-def]
    """One plan, and whether it can be bought now (owners and admins; 404 if not ours).

    ``can_purchase`` is false while any of its programs has no cohort taking clients.
    """
    member = _require(request, Cap.PROGRAMS_MANAGE)
    try:
        plan = _plans(member).get(pk=plan_id)
    except MembershipPlan.DoesNotExist:
        raise Http404 from None
    return {**_plan_out(plan), "can_purchase": actions.can_purchase(plan)}


@router.get(
    "/subscriptions",
    response={200: list[SubscriptionOut], **ERRORS},
    tags=["memberships"],
    summary="List subscriptions",
)
def list_subscriptions(request: HttpRequest, filters: Query[SubscriptionFilter]):  # type: ignore[no-untyped-def]
    """Subscriptions, newest first, filterable by plan, client and whether active.

    Owners and admins see all; a client sees their own; everyone else gets 403.
    """
    qs = visible_subscriptions(_member(request))
    if filters.plan is not None:
        qs = qs.filter(plan_id=filters.plan)
    if filters.client is not None:
        qs = qs.filter(client_id=filters.client)
    if filters.active is not None:
        qs = qs.filter(ended_at__isnull=filters.active)
    return [_subscription_out(s) for s in qs]


@router.post(
    "/subscriptions",
    response={201: SubscriptionOut, **ERRORS},
    tags=["memberships"],
    summary="Subscribe a client to a membership",
)
def subscribe(request: HttpRequest, payload: SubscriptionIn):  # type: ignore[no-untyped-def]
    """Subscribe a client by hand (owners and admins) and enrol them in each program.

    Each program places the client in a randomly chosen open cohort with room; a
    program with none leaves them subscribed but not enrolled there, and the
    admins are told. Refused with 422: a plan or client not of this workspace
    (``not_found``), a plan off sale (``plan_inactive``), a coach
    (``coach_cannot_enrol``) or non-client (``not_a_client``), a client who
    already has the plan (``already_subscribed``).
    """
    member = _require(request, Cap.PROGRAMS_MANAGE)
    plan = _referenced(
        MembershipPlan.objects.filter(workspace=member.workspace), payload.plan, "plan"
    )
    client = _referenced(
        Membership.objects.filter(workspace=member.workspace).select_related("user"),
        payload.client,
        "client",
    )
    subscription = actions.do_subscribe(plan, client, actor=request.user)
    return Status(201, _subscription_out(_access_subscription(member, subscription.id)))


@router.post(
    "/subscriptions/{subscription_id}/end",
    response={200: SubscriptionOut, **ERRORS},
    tags=["memberships"],
    summary="Unsubscribe",
)
def unsubscribe(request: HttpRequest, subscription_id: int):  # type: ignore[no-untyped-def]
    """End a membership and the enrolments it made; everything stays as history.

    Owners and admins. Refused with 422 ``already_ended``.
    """
    member = _require(request, Cap.PROGRAMS_MANAGE)
    subscription = _access_subscription(member, subscription_id)
    actions.do_unsubscribe(subscription, actor=request.user)
    return _subscription_out(_access_subscription(member, subscription.id))
