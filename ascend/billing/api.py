"""The memberships API: plans, and subscribing clients to them by hand.

Rules: owners and admins (``Cap.PROGRAMS_MANAGE``) read plans and subscribe or
unsubscribe clients; a client reads their own subscriptions; everyone else gets
403. Subscribing enrols the client into a randomly chosen open cohort of each of
the plan's programs (``billing.actions.do_subscribe``); a plan or subscription of
another workspace is a 404.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from ascend.api.helpers import get_or_404 as _get_or_404
from ascend.api.helpers import person_out as _person
from ascend.api.helpers import referenced as _referenced
from ascend.api.helpers import require as _require
from ascend.api.schemas import ErrorOut
from ascend.lib.errors import field_error
from ascend.lib.urls import workspace_url
from ascend.programs.api import MAX_INT, Id, PersonRef, Ref
from ascend.programs.models import Program
from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership

from . import actions
from .models import (
    HoldingSource,
    MembershipPlan,
    Order,
    OrderKind,
    OrderStatus,
    Package,
    PackageHolding,
    PackageKind,
    Subscription,
)
from .packages import do_give_package, do_save_package
from .payments import do_mark_order_paid

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}

router = Router()


class PlanOut(Schema):
    id: int
    name: str
    description: str
    is_active: bool
    price: Decimal = Field(description="What a client pays at checkout.")
    currency: str = Field(description="ISO 4217 code, e.g. USD.")
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
        "price": plan.price,
        "currency": plan.currency,
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


# Packages, what clients hold, and orders ------------------------------------------------------
#
# Rules: owners and admins (``Cap.PROGRAMS_MANAGE``, as on the packages and orders
# pages) read, create and change packages, give them to clients, and read orders and
# mark them paid. A coach reads their list: the workspace's one-to-one packages and
# their own, on offer (the packages they may offer with an invitation). A client's
# holdings are read by admins, the client themselves, and a coach of that client. A
# buyer reads nothing here: their order page (the link they were given) is theirs.
# Anything of another workspace is a 404.

PACKAGE_FIELDS = ["name", "description", "kind", "sessions", "price", "currency",
                  "validity_days", "coach", "is_active"]  # fmt: skip
MAX_PRICE = Decimal("99999999.99")


class PackageOut(Schema):
    id: int
    name: str
    description: str
    kind: PackageKind
    sessions: int | None = Field(description="Sessions included; null: unlimited until expiry.")
    price: Decimal
    currency: str
    validity_days: int
    coach: PersonRef | None = Field(description="The coach whose list it is on; null: workspace.")
    is_active: bool = Field(description="On offer: it can be given and bought.")
    payment_url: str = Field(description="The package's public payment link.")
    created_at: datetime


class PackageIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    kind: PackageKind = PackageKind.ONE_TO_ONE
    sessions: int | None = Field(None, ge=1, le=MAX_INT, description="Null: unlimited.")
    price: Decimal = Field(..., ge=0, le=MAX_PRICE, decimal_places=2)
    currency: str = Field("USD", max_length=3, description="ISO 4217 code, e.g. USD.")
    validity_days: int = Field(90, ge=1, le=3650)
    coach: Id | None = Field(None, description="A coach's membership id; null: the workspace.")
    is_active: bool = True


class PackagePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=5000)
    kind: PackageKind | None = None
    sessions: int | None = Field(None, ge=1, le=MAX_INT, description="Null: unlimited.")
    price: Decimal | None = Field(None, ge=0, le=MAX_PRICE, decimal_places=2)
    currency: str | None = Field(None, max_length=3)
    validity_days: int | None = Field(None, ge=1, le=3650)
    coach: Id | None = Field(None, description="A coach's membership id; null: the workspace.")
    is_active: bool | None = None


class GiveIn(Schema):
    client: Id = Field(..., description="The client's membership id.")
    starts_on: date | None = Field(
        None, ge=date(2000, 1, 1), le=date(2999, 12, 31), description="Empty: today."
    )


class BoughtRef(Schema):
    id: int
    name: str


class PackageHoldingOut(Schema):
    id: int
    package: BoughtRef
    client: PersonRef
    kind: PackageKind
    sessions: int | None = Field(description="Null: unlimited until expiry.")
    sessions_used: int
    sessions_left: int | None
    starts_on: date
    expires_on: date
    source: HoldingSource


class OrderOut(Schema):
    id: int
    kind: OrderKind
    status: OrderStatus
    package: BoughtRef | None
    plan: BoughtRef | None
    product: BoughtRef | None = Field(description="The course product, for a course order.")
    buyer_name: str
    buyer_email: str
    client: PersonRef | None = Field(description="The buyer's client membership, once known.")
    amount: Decimal
    currency: str
    provider: str = Field(description='"manual" or "stripe".')
    provider_ref: str
    created_at: datetime
    paid_at: datetime | None
    outcome: str = Field(
        description='Once paid: "invitation_sent", "package_added", "subscribed", '
        '"course_access_given" or "needs_attention"; empty before.'
    )


class OrderFilter(Schema):
    status: OrderStatus | None = None
    provider: str | None = Field(None, max_length=20)
    kind: OrderKind | None = None
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_INT)


def _packages(member: Membership) -> QuerySet[Package]:
    """All of the workspace's for owners and admins, a coach's list for a coach, else 403."""
    qs = Package.objects.filter(workspace=member.workspace).select_related("coach__user")
    if can(member, Cap.PROGRAMS_MANAGE):
        return qs
    if can(member, Cap.PORTAL_COACH):
        return qs.filter(
            Q(coach=member) | Q(coach__isnull=True, kind=PackageKind.ONE_TO_ONE), is_active=True
        )
    raise PermissionDenied


def _package_out(package: Package, request: HttpRequest) -> dict:
    path = reverse("checkout:package", args=[package.payment_token])
    return {
        "id": package.id,
        "name": package.name,
        "description": package.description,
        "kind": package.kind,
        "sessions": package.sessions,
        "price": package.price,
        "currency": package.currency,
        "validity_days": package.validity_days,
        "coach": _person(package.coach) if package.coach else None,
        "is_active": package.is_active,
        # The request's workspace is the package's (``_packages`` filters by it): no query.
        "payment_url": workspace_url(request.workspace, path, request),  # type: ignore[attr-defined]
        "created_at": package.created_at,
    }


def _holding_out(h: PackageHolding) -> dict:
    return {
        "id": h.id,
        "package": {"id": h.package.id, "name": h.package.name},
        "client": _person(h.client),
        "kind": h.kind,
        "sessions": h.sessions,
        "sessions_used": h.sessions_used,
        "sessions_left": h.sessions_left,
        "starts_on": h.starts_on,
        "expires_on": h.expires_on,
        "source": h.source,
    }


def _order_out(o: Order) -> dict:
    return {
        "id": o.id,
        "kind": o.kind,
        "status": o.status,
        "package": {"id": o.package.id, "name": o.package.name} if o.package else None,
        "plan": {"id": o.plan.id, "name": o.plan.name} if o.plan else None,
        "product": {"id": o.product.id, "name": o.product.name} if o.product else None,
        "buyer_name": o.buyer_name,
        "buyer_email": o.buyer_email,
        "client": _person(o.client) if o.client else None,
        "amount": o.amount,
        "currency": o.currency,
        "provider": o.provider,
        "provider_ref": o.provider_ref,
        "created_at": o.created_at,
        "paid_at": o.paid_at,
        "outcome": o.outcome,
    }


def _orders(member: Membership) -> QuerySet[Order]:
    return Order.objects.filter(workspace=member.workspace).select_related(
        "package", "plan", "product", "client__user"
    )


def _package_fields(member: Membership, values: dict) -> dict:
    if "coach" in values and values["coach"] is not None:
        values["coach"] = _referenced(
            Membership.objects.filter(workspace=member.workspace).select_related("user"),
            values["coach"],
            "coach",
        )
    if "currency" in values and values["currency"] is not None:
        values["currency"] = values["currency"].strip()
    return values


@router.get(
    "/packages",
    response={200: list[PackageOut], **ERRORS},
    tags=["packages"],
    summary="List packages",
)
def list_packages(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Packages, by name: all for owners and admins; a coach's list for a coach (the
    workspace's one-to-one packages and their own, on offer); 403 for anyone else."""
    return [_package_out(p, request) for p in _packages(_member(request))]


@router.get(
    "/packages/{package_id}",
    response={200: PackageOut, **ERRORS},
    tags=["packages"],
    summary="A package",
)
def get_package(request: HttpRequest, package_id: int):  # type: ignore[no-untyped-def]
    """One package (as in the list: 404 when it isn't there for you)."""
    return _package_out(_get_or_404(_packages(_member(request)), package_id), request)


@router.post(
    "/packages",
    response={201: PackageOut, **ERRORS},
    tags=["packages"],
    summary="Create a package",
)
def create_package(request: HttpRequest, payload: PackageIn):  # type: ignore[no-untyped-def]
    """A package of sessions (owners and admins). Refused with 422: a currency that isn't
    three letters (``currency``), a coach not of this workspace (``not_a_coach`` or
    ``not_found``)."""
    member = _require(request, Cap.PROGRAMS_MANAGE)
    fields = _package_fields(member, payload.dict())
    package = do_save_package(member.workspace, actor=request.user, **fields)
    return Status(201, _package_out(_packages(member).get(pk=package.pk), request))


@router.patch(
    "/packages/{package_id}",
    response={200: PackageOut, **ERRORS},
    tags=["packages"],
    summary="Change a package",
)
def update_package(request: HttpRequest, package_id: int, payload: PackagePatch):  # type: ignore[no-untyped-def]
    """Change the fields sent (owners and admins); clients who hold it keep what they were
    given. ``sessions: null`` makes it unlimited, ``coach: null`` the workspace's."""
    member = _require(request, Cap.PROGRAMS_MANAGE)
    package = _get_or_404(_packages(member), package_id)
    values = payload.dict(exclude_unset=True)
    for required in ("name", "description", "kind", "price", "currency", "validity_days",
                     "is_active"):  # fmt: skip
        if required in values and values[required] is None:
            raise field_error(required, _("This field can't be empty."), "required")
    do_save_package(
        member.workspace, actor=request.user, package=package, **_package_fields(member, values)
    )
    return _package_out(_packages(member).get(pk=package.pk), request)


@router.post(
    "/packages/{package_id}/give",
    response={201: PackageHoldingOut, **ERRORS},
    tags=["packages"],
    summary="Give a package to a client",
)
def give_package(request: HttpRequest, package_id: int, payload: GiveIn):  # type: ignore[no-untyped-def]
    """Give the package to an existing client (owners and admins): nothing is charged, it is
    recorded on the client. Refused with 422: not on offer (``package_inactive``), not a
    client of this workspace (``not_a_client`` or ``not_found``)."""
    member = _require(request, Cap.PROGRAMS_MANAGE)
    package = _get_or_404(_packages(member), package_id)
    client = _referenced(
        Membership.objects.filter(workspace=member.workspace).select_related("user"),
        payload.client,
        "client",
    )
    holding = do_give_package(package, client, actor=request.user, starts_on=payload.starts_on)
    holding = PackageHolding.objects.select_related("package", "client__user").get(pk=holding.pk)
    return Status(201, _holding_out(holding))


def _may_read_holdings(member: Membership, client: Membership) -> bool:
    if can(member, Cap.PROGRAMS_MANAGE) or member.pk == client.pk:
        return True
    if not can(member, Cap.PORTAL_COACH):
        return False
    from ascend.crm.models import Contact
    from ascend.programs.models import Enrollment

    return (
        Contact.objects.filter(workspace=member.workspace, coach=member, member=client).exists()
        or Enrollment.objects.filter(
            workspace=member.workspace, client=client, cohort__coach=member, ended_at__isnull=True
        ).exists()
    )


@router.get(
    "/clients/{client_id}/packages",
    response={200: list[PackageHoldingOut], **ERRORS},
    tags=["packages"],
    summary="A client's packages",
)
def client_holdings(request: HttpRequest, client_id: int):  # type: ignore[no-untyped-def]
    """Every package the client holds, soonest expiry first, with sessions used and left.

    Owners and admins, the client themselves, and a coach of the client (their
    invited client or one in their cohort); 404 for anyone else.
    """
    member = _member(request)
    client = Membership.objects.filter(
        workspace=member.workspace, pk=client_id, is_client=True, removed_at__isnull=True
    ).first()
    if client is None or not _may_read_holdings(member, client):
        raise Http404
    holdings = (
        PackageHolding.objects.filter(client=client)
        .select_related("package", "client__user")
        .order_by("expires_on", "id")
    )
    return [_holding_out(h) for h in holdings]


@router.get(
    "/orders",
    response={200: list[OrderOut], **ERRORS},
    tags=["orders"],
    summary="List orders",
)
def list_orders(request: HttpRequest, filters: Query[OrderFilter]):  # type: ignore[no-untyped-def]
    """Orders, newest first, filterable by status, provider and kind; pages of ``limit`` (at
    most 500) from ``offset``. Owners and admins; everyone else gets 403."""
    member = _require(request, Cap.PROGRAMS_MANAGE)
    qs = _orders(member)
    for name in ("status", "provider", "kind"):
        value = getattr(filters, name)
        if value is not None:
            qs = qs.filter(**{name: value})
    return [_order_out(o) for o in qs[filters.offset : filters.offset + filters.limit]]


@router.get(
    "/orders/{order_id}",
    response={200: OrderOut, **ERRORS},
    tags=["orders"],
    summary="An order",
)
def get_order(request: HttpRequest, order_id: int):  # type: ignore[no-untyped-def]
    """One order (owners and admins)."""
    member = _require(request, Cap.PROGRAMS_MANAGE)
    return _order_out(_get_or_404(_orders(member), order_id))


@router.post(
    "/orders/{order_id}/mark-paid",
    response={200: OrderOut, **ERRORS},
    tags=["orders"],
    summary="Mark an order paid",
)
def mark_order_paid(request: HttpRequest, order_id: int):  # type: ignore[no-untyped-def]
    """Confirm an offline payment (owners and admins): the order is fulfilled once — the
    buyer is invited, or the package added to the client, or the client subscribed.
    Refused with 422 ``already_paid``."""
    member = _require(request, Cap.PROGRAMS_MANAGE)
    order = _get_or_404(_orders(member), order_id)
    do_mark_order_paid(order, actor=request.user)
    return _order_out(_get_or_404(_orders(member), order_id))
