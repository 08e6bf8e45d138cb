"""The ranks API: categories and their ranks, visits, clients' ranks, promotions, eligibility.

Each endpoint applies the rule of the page that does the same thing:

- owners and admins (``Cap.RANKS_MANAGE``) manage categories and ranks, promote,
  demote and assign, and read everything;
- operators (and owners and admins, ``Cap.VISITS_RECORD``) record and correct
  visits and read clients' current ranks and history;
- a client reads the ladders, their own ranks, history and visits;
- anyone else is refused with 403; an object the person may not see is a 404,
  exactly like a missing one. When the workspace has ranks switched off, every
  endpoint answers 404.

Every write goes through ``ascend.ranks.actions``; their refusals come back as
422 with the field and a stable code.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time, timedelta
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import AfterValidator, AwareDatetime, Field

from ascend.api.helpers import get_or_404 as _get
from ascend.api.helpers import person_out as _person
from ascend.api.helpers import referenced as _referenced
from ascend.api.schemas import ErrorOut
from ascend.lib.errors import field_error
from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership

from . import actions, queries, rules
from .models import Eligibility, Rank, RankCategory, RankHolding, Visit

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
# Beyond any real id or offset, and inside what every database accepts as an integer.
MAX_INT = 2**31 - 1

router = Router(tags=["ranks"])


def _no_nul(value: str) -> str:
    # PostgreSQL refuses NUL characters in text; say so instead of failing on save.
    if "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
Id = Annotated[int, Field(ge=1, le=MAX_INT)]
# Criteria a person types: the action says "zero or more" (code ``negative``); this only
# keeps them storable.
Int = Annotated[int, Field(ge=-MAX_INT, le=MAX_INT)]
# Far enough either way for any visit, and clear of the calendar's ends in every time zone.
Day = Annotated[date, Field(ge=date(1900, 1, 1), le=date(9999, 1, 1))]


def _in_range(value: datetime) -> datetime:
    if not date(1900, 1, 1) <= value.date() <= date(9999, 1, 1):
        raise ValueError("Use a date between 1900 and 9999")
    return value


# A moment with its time zone (``2025-03-01T18:30:00+01:00``), so that no server guesses one.
When = Annotated[AwareDatetime, AfterValidator(_in_range)]


# Schemas -----------------------------------------------------------------------------------


class RankOut(Schema):
    id: int
    name: str
    colour: str
    position: int = Field(description="0 is the first rank; the next rank is the next position.")
    min_visits: int | None = Field(description="Visits since entering the rank; null: none.")
    min_days: int | None = Field(description="Days in the rank; null: no time criterion.")


class CategoryOut(Schema):
    id: int
    name: str
    auto_promote: bool
    notify_roles: list[str]
    notify_client: bool
    ranks: list[RankOut]


class CategoryIn(Schema):
    name: Text = Field(..., max_length=120)
    auto_promote: bool = False
    notify_roles: list[Text] = Field(default_factory=list, max_length=9)
    notify_client: bool = True


class CategoryPatch(Schema):
    name: Text | None = Field(None, max_length=120)
    auto_promote: bool | None = None
    notify_roles: list[Text] | None = Field(None, max_length=9)
    notify_client: bool | None = None


class RankIn(Schema):
    name: Text = Field(..., max_length=120)
    colour: Text = Field("#9aa4b2", max_length=7, description="Like #1f6feb.")
    min_visits: Int | None = None
    min_days: Int | None = None


class RankPatch(Schema):
    name: Text | None = Field(None, max_length=120)
    colour: Text | None = Field(None, max_length=7)
    min_visits: Int | None = None
    min_days: Int | None = None


class OrderIn(Schema):
    order: list[Id] = Field(..., max_length=500, description="Every rank id, first rank first.")


class ClientRef(Schema):
    id: int  # the membership's id in this workspace
    name: str
    email: str


class NamedRef(Schema):
    id: int
    name: str


class VisitOut(Schema):
    id: int
    client: ClientRef
    occurred_at: datetime
    class_name: str
    recorded_by: str | None
    recorded_at: datetime
    corrected_by: str | None
    corrected_at: datetime | None
    cancelled: bool
    correction_note: str


class VisitIn(Schema):
    client: Id = Field(..., description="The client's membership id.")
    occurred_at: When | None = Field(None, description="Empty: now.")
    class_name: Text = Field("", max_length=120)


class RosterIn(Schema):
    clients: list[Id] = Field(..., max_length=200, description="The clients' membership ids.")
    occurred_at: When | None = Field(None, description="Empty: now.")
    class_name: Text = Field(..., max_length=120)


class VisitPatch(Schema):
    occurred_at: When | None = None
    cancel: bool = False
    note: Text = Field("", max_length=200)


class VisitFilter(Schema):
    client: Int | None = Field(None, description="The client's membership id.")
    since: Day | None = Field(None, description="Visits on or after this day.")
    until: Day | None = Field(None, description="Visits on or before this day.")
    include_cancelled: bool = False
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_INT)


class Progress(Schema):
    visits: list[int] | None = Field(description="[x, y]: visits x of y, or null.")
    days: list[int] | None = Field(description="[x, y]: days x of y, or null.")


class CurrentRankOut(Schema):
    holding_id: int
    category: NamedRef
    rank: RankOut
    next_rank: RankOut | None
    since: date
    visits: int = Field(description="Visits since entering the rank.")
    days: int = Field(description="Whole days in the rank, in the workspace's calendar.")
    progress: Progress
    eligible: bool = Field(description="Marked eligible for the next rank, not promoted yet.")
    kind: str
    by: str | None
    note: str


class HistoryOut(Schema):
    holding_id: int
    category: NamedRef
    rank: NamedRef
    since: date
    until: datetime | None
    kind: str = Field(description="automatic, manual or mass")
    by: str | None
    note: str


class ClientRanksOut(Schema):
    client: ClientRef
    rank_word: str
    current: list[CurrentRankOut]
    history: list[HistoryOut]


class HoldingOut(Schema):
    holding_id: int
    client: ClientRef
    category: NamedRef
    rank: NamedRef
    since: date
    kind: str
    by: str | None
    note: str


class AssignIn(Schema):
    rank: Id
    note: Text = Field("", max_length=300)


class StepIn(Schema):
    category: Id
    note: Text = Field("", max_length=300)


class DateIn(Schema):
    since: date
    reason: Text = Field("", max_length=200)


class EligibleOut(Schema):
    holding_id: int
    client: ClientRef
    rank: NamedRef
    next_rank: NamedRef
    since: date
    visits: int
    days: int
    detected_at: datetime
    notified_at: datetime | None


# Who sees what -----------------------------------------------------------------------------


def _member(request: HttpRequest) -> Membership:
    """The member, when the workspace has ranks switched on; otherwise nothing is here."""
    member: Membership = request.membership  # type: ignore[attr-defined]
    if not member.workspace.ranks_enabled:
        raise Http404
    return member


def _require(request: HttpRequest, *caps: Cap) -> Membership:
    member = _member(request)
    if not any(can(member, cap) for cap in caps):
        raise PermissionDenied
    return member


def _staff(member: Membership) -> bool:
    return can(member, Cap.RANKS_MANAGE) or can(member, Cap.VISITS_RECORD)


def access_category(member: Membership, category_id: int) -> RankCategory:
    return _get(queries.categories(member.workspace), category_id)  # type: ignore[no-any-return]


def access_category_only(member: Membership, category_id: int) -> RankCategory:
    """The category without its ladder, for endpoints that don't show it."""
    qs = RankCategory.objects.filter(workspace=member.workspace, archived_at__isnull=True)
    return _get(qs, category_id)  # type: ignore[no-any-return]


def access_rank(category: RankCategory, rank_id: int) -> Rank:
    return _get(Rank.objects.filter(category=category), rank_id)  # type: ignore[no-any-return]


def access_client(member: Membership, client_id: int) -> Membership:
    """A client of the workspace: staff may see any, a client only themselves; else 404."""
    if not _staff(member):
        if not can(member, Cap.PORTAL_CLIENT):
            raise PermissionDenied
        if client_id != member.pk:
            raise Http404
    return _get(  # type: ignore[no-any-return]
        Membership.objects.filter(
            workspace=member.workspace, is_client=True, removed_at__isnull=True
        ).select_related("user", "workspace"),
        client_id,
    )


def _visits(member: Membership) -> QuerySet[Visit]:
    qs = Visit.objects.filter(workspace=member.workspace).select_related(
        "client__user", "recorded_by", "corrected_by"
    )
    if can(member, Cap.VISITS_RECORD):
        return qs
    if can(member, Cap.PORTAL_CLIENT):
        return qs.filter(client=member)
    raise PermissionDenied


# Shaping answers ---------------------------------------------------------------------------


def _name(user) -> str | None:  # type: ignore[no-untyped-def]
    return str(user) if user is not None else None


def _rank_out(r: Rank) -> dict:
    return {
        "id": r.id,
        "name": r.name,
        "colour": r.colour,
        "position": r.position,
        "min_visits": r.min_visits,
        "min_days": r.min_days,
    }


def _category_out(c: RankCategory) -> dict:
    return {
        "id": c.id,
        "name": c.name,
        "auto_promote": c.auto_promote,
        "notify_roles": list(c.notify_roles),
        "notify_client": c.notify_client,
        "ranks": [_rank_out(r) for r in c.ranks.all()],
    }


def _category_detail(member: Membership, category_id: int) -> dict:
    return _category_out(access_category(member, category_id))


def _visit_out(v: Visit) -> dict:
    return {
        "id": v.id,
        "client": _person(v.client),
        "occurred_at": v.occurred_at,
        "class_name": v.class_name,
        "recorded_by": _name(v.recorded_by),
        "recorded_at": v.recorded_at,
        "corrected_by": _name(v.corrected_by),
        "corrected_at": v.corrected_at,
        "cancelled": v.cancelled_at is not None,
        "correction_note": v.correction_note,
    }


def _days(holding: RankHolding, today: date) -> int:
    return rules.days_in_rank(holding.started_on, today)


def _current_out(holding: RankHolding, today: date) -> dict:
    ladder = list(holding.category.ranks.all())
    following = rules.next_in_ladder(ladder, holding.rank)
    days = _days(holding, today)
    shown = rules.progress_towards(
        rules.Criteria(holding.rank.min_visits, holding.rank.min_days),
        visits=holding.visits,  # type: ignore[attr-defined]
        days=days,
    )
    return {
        "holding_id": holding.id,
        "category": {"id": holding.category.id, "name": holding.category.name},
        "rank": _rank_out(holding.rank),
        "next_rank": _rank_out(following) if following else None,
        "since": holding.started_on,
        "visits": holding.visits,  # type: ignore[attr-defined]
        "days": days,
        "progress": {
            "visits": list(shown["visits"]) if following and "visits" in shown else None,
            "days": list(shown["days"]) if following and "days" in shown else None,
        },
        "eligible": holding.is_eligible,  # type: ignore[attr-defined]
        "kind": holding.kind,
        "by": _name(holding.by),
        "note": holding.note,
    }


def _history_out(h: RankHolding) -> dict:
    return {
        "holding_id": h.id,
        "category": {"id": h.category.id, "name": h.category.name},
        "rank": {"id": h.rank.id, "name": h.rank.name},
        "since": h.started_on,
        "until": h.ended_at,
        "kind": h.kind,
        "by": _name(h.by),
        "note": h.note,
    }


def _holding_out(h: RankHolding) -> dict:
    return {
        "holding_id": h.id,
        "client": _person(h.client),
        "category": {"id": h.category.id, "name": h.category.name},
        "rank": {"id": h.rank.id, "name": h.rank.name},
        "since": h.started_on,
        "kind": h.kind,
        "by": _name(h.by),
        "note": h.note,
    }


def _current_holdings(workspace) -> QuerySet[RankHolding]:  # type: ignore[no-untyped-def]
    from django.db.models import Exists, OuterRef

    return (
        queries.current_holdings(workspace)
        .select_related("by")
        .annotate(is_eligible=Exists(Eligibility.objects.filter(holding=OuterRef("pk"))))
    )


def _client_ranks(client: Membership) -> dict:
    today = actions.workspace_today(client.workspace)
    current = _current_holdings(client.workspace).filter(client=client).order_by("category__name")
    history = queries.holdings_of(client).filter(category__archived_at__isnull=True)
    return {
        "client": _person(client),
        "rank_word": client.workspace.rank_word,
        "current": [_current_out(h, today) for h in current],
        "history": [_history_out(h) for h in history],
    }


# Categories and ranks ----------------------------------------------------------------------


@router.get(
    "/rank-categories",
    response={200: list[CategoryOut], **ERRORS},
    summary="List rank categories with their ranks",
)
def list_categories(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Every category (e.g. Karate) with its ladder of ranks, first rank first.

    Owners, admins, operators and clients read them; other roles get 403.
    """
    member = _require(request, Cap.RANKS_MANAGE, Cap.VISITS_RECORD, Cap.PORTAL_CLIENT)
    return [_category_out(c) for c in queries.categories(member.workspace)]


@router.post(
    "/rank-categories",
    response={201: CategoryOut, **ERRORS},
    summary="Create a rank category",
)
def create_category(request: HttpRequest, payload: CategoryIn):  # type: ignore[no-untyped-def]
    """A new category without ranks (owners and admins).

    Refused with 422: a blank name, a name already used (``name_taken``), a
    role told of eligibility that isn't a staff role (``not_staff_role``).
    """
    member = _require(request, Cap.RANKS_MANAGE)
    category = actions.do_save_category(
        member.workspace, actor=request.user, **payload.model_dump()
    )
    return Status(201, _category_detail(member, category.id))


@router.get(
    "/rank-categories/{category_id}",
    response={200: CategoryOut, **ERRORS},
    summary="A rank category with its ranks",
)
def get_category(request: HttpRequest, category_id: int):  # type: ignore[no-untyped-def]
    """One category and its ladder; the same people as the list."""
    member = _require(request, Cap.RANKS_MANAGE, Cap.VISITS_RECORD, Cap.PORTAL_CLIENT)
    return _category_detail(member, category_id)


@router.patch(
    "/rank-categories/{category_id}",
    response={200: CategoryOut, **ERRORS},
    summary="Change a rank category",
)
def update_category(request: HttpRequest, category_id: int, payload: CategoryPatch):  # type: ignore[no-untyped-def]
    """Change the name, automatic promotion, who is told (owners and admins).

    The same refusals as creating.
    """
    member = _require(request, Cap.RANKS_MANAGE)
    category = access_category(member, category_id)
    fields = {
        "name": category.name,
        "auto_promote": category.auto_promote,
        "notify_roles": category.notify_roles,
        "notify_client": category.notify_client,
    }
    fields.update(
        {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    )
    actions.do_save_category(member.workspace, actor=request.user, category=category, **fields)
    return _category_detail(member, category.id)


@router.post(
    "/rank-categories/{category_id}/ranks",
    response={201: RankOut, **ERRORS},
    summary="Add a rank at the top of the ladder",
)
def create_rank(request: HttpRequest, category_id: int, payload: RankIn):  # type: ignore[no-untyped-def]
    """A new last rank (owners and admins); criteria left null aren't required.

    Refused with 422: criteria below zero (``negative``), a colour not like
    ``#1f6feb`` (``invalid``), a blank name.
    """
    member = _require(request, Cap.RANKS_MANAGE)
    category = access_category(member, category_id)
    rank = actions.do_save_rank(category, actor=request.user, **payload.model_dump())
    return Status(201, _rank_out(rank))


# Before the routes of one rank, whose id would otherwise take the word "order".
@router.put(
    "/rank-categories/{category_id}/ranks/order",
    response={200: CategoryOut, **ERRORS},
    summary="Reorder the ranks of a category",
)
def reorder_ranks(request: HttpRequest, category_id: int, payload: OrderIn):  # type: ignore[no-untyped-def]
    """Put the ladder in a new order; the order decides each rank's "next".

    Owners and admins. Refused with 422 ``order_clash`` unless the order names
    every rank of the category exactly once.
    """
    member = _require(request, Cap.RANKS_MANAGE)
    category = access_category(member, category_id)
    actions.do_reorder_ranks(category, payload.order, actor=request.user)
    return _category_detail(member, category.id)


@router.patch(
    "/rank-categories/{category_id}/ranks/{rank_id}",
    response={200: RankOut, **ERRORS},
    summary="Change a rank",
)
def update_rank(request: HttpRequest, category_id: int, rank_id: int, payload: RankPatch):  # type: ignore[no-untyped-def]
    """Change a rank's name, colour or criteria (owners and admins).

    Send ``null`` for a criterion to drop it. The same refusals as adding.
    """
    member = _require(request, Cap.RANKS_MANAGE)
    category = access_category(member, category_id)
    rank = access_rank(category, rank_id)
    fields = {
        "name": rank.name,
        "colour": rank.colour,
        "min_visits": rank.min_visits,
        "min_days": rank.min_days,
    }
    changes = payload.model_dump(exclude_unset=True)
    for key in ("name", "colour"):
        if changes.get(key, "") is None:
            del changes[key]
    fields.update(changes)
    actions.do_save_rank(category, actor=request.user, rank=rank, **fields)
    return _rank_out(rank)


@router.delete(
    "/rank-categories/{category_id}/ranks/{rank_id}",
    response={204: None, **ERRORS},
    summary="Remove a rank",
)
def delete_rank(request: HttpRequest, category_id: int, rank_id: int):  # type: ignore[no-untyped-def]
    """Remove a rank nobody ever held; the ladder closes the gap (owners and admins).

    Refused with 422 ``rank_in_use`` when a client holds or held it.
    """
    member = _require(request, Cap.RANKS_MANAGE)
    category = access_category(member, category_id)
    actions.do_delete_rank(access_rank(category, rank_id), actor=request.user)
    return Status(204, None)


# Visits ------------------------------------------------------------------------------------


@router.get(
    "/visits",
    response={200: list[VisitOut], **ERRORS},
    summary="List visits",
)
def list_visits(request: HttpRequest, filters: Query[VisitFilter]):  # type: ignore[no-untyped-def]
    """Visits, newest first; filter by client and by day (``since``/``until``, inclusive).

    Days are the workspace's calendar days.

    Owners, admins and operators see every visit; a client their own; other
    roles get 403. Cancelled visits are left out unless ``include_cancelled``.
    Pages of ``limit`` (at most 500) from ``offset``.
    """
    member = _member(request)
    qs = _visits(member)
    # Days are the workspace's calendar days, as on the check-in page.
    tz = zoneinfo.ZoneInfo(member.workspace.time_zone)
    if filters.client is not None:
        qs = qs.filter(client_id=filters.client)
    if filters.since is not None:
        qs = qs.filter(occurred_at__gte=datetime.combine(filters.since, time.min, tzinfo=tz))
    if filters.until is not None:
        end = datetime.combine(filters.until, time.min, tzinfo=tz) + timedelta(days=1)
        qs = qs.filter(occurred_at__lt=end)
    if not filters.include_cancelled:
        qs = qs.filter(queries.active_visit_filter())
    return [_visit_out(v) for v in qs[filters.offset : filters.offset + filters.limit]]


@router.post(
    "/visits",
    response={201: VisitOut, **ERRORS},
    summary="Record a visit",
)
def record_visit(request: HttpRequest, payload: VisitIn):  # type: ignore[no-untyped-def]
    """Record that a client came (owners, admins, operators); their ranks are checked after.

    Refused with 422: a client not of this workspace (``not_found``), someone
    who isn't a client (``not_a_client``), a visit in the future
    (``future_visit``).
    """
    member = _require(request, Cap.VISITS_RECORD)
    client = _referenced(
        Membership.objects.filter(workspace=member.workspace).select_related("user", "workspace"),
        payload.client,
        "client",
    )
    visit = actions.do_record_visit(
        client,
        actor=request.user,
        occurred_at=payload.occurred_at,
        class_name=payload.class_name,
    )
    return Status(201, _visit_out(_get(_visits(member), visit.id)))


@router.post(
    "/visits/roster",
    response={201: list[VisitOut], **ERRORS},
    summary="Record a class roster",
)
def record_roster(request: HttpRequest, payload: RosterIn):  # type: ignore[no-untyped-def]
    """One visit per client of a class, all or none (owners, admins, operators).

    Refused with 422 as recording one visit, and ``no_clients`` for an empty roster.
    A client named twice gets one visit.
    """
    member = _require(request, Cap.VISITS_RECORD)
    wanted = list(dict.fromkeys(payload.clients))
    found = {
        m.pk: m
        for m in Membership.objects.filter(
            workspace=member.workspace, pk__in=wanted
        ).select_related("user", "workspace")
    }
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        raise field_error("clients", _("There is no such item in this workspace."), "not_found")
    visits = actions.do_record_roster(
        [found[pk] for pk in wanted],
        actor=request.user,
        class_name=payload.class_name,
        occurred_at=payload.occurred_at,
    )
    recorded = _visits(member).filter(pk__in=[v.pk for v in visits])
    return Status(201, [_visit_out(v) for v in recorded])


@router.patch(
    "/visits/{visit_id}",
    response={200: VisitOut, **ERRORS},
    summary="Correct a visit",
)
def correct_visit(request: HttpRequest, visit_id: int, payload: VisitPatch):  # type: ignore[no-untyped-def]
    """Move a visit to another time or cancel it, with a reason; who and when are kept.

    Owners, admins and operators. Refused with 422 ``future_visit``.
    """
    member = _require(request, Cap.VISITS_RECORD)
    visit = _get(_visits(member), visit_id)
    actions.do_correct_visit(
        visit,
        actor=request.user,
        occurred_at=payload.occurred_at,
        cancel=payload.cancel,
        note=payload.note,
    )
    return _visit_out(_get(_visits(member), visit.id))


# Clients' ranks and promotions -------------------------------------------------------------


@router.get(
    "/my-ranks",
    response={200: ClientRanksOut, **ERRORS},
    summary="My ranks and their history",
)
def my_ranks(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The signed-in client's current rank in each category, progress to the next, history.

    Clients only; other roles get 403.
    """
    member = _require(request, Cap.PORTAL_CLIENT)
    return _client_ranks(access_client(member, member.pk))


@router.get(
    "/clients/{client_id}/ranks",
    response={200: ClientRanksOut, **ERRORS},
    summary="A client's ranks and their history",
)
def client_ranks(request: HttpRequest, client_id: int):  # type: ignore[no-untyped-def]
    """A client's current rank in each category, progress to the next, and history.

    Owners, admins and operators for any client of the workspace; a client for
    themselves only (another client is a 404); other roles get 403.
    """
    return _client_ranks(access_client(_member(request), client_id))


def _after_change(member: Membership, holding: RankHolding) -> dict:
    return _holding_out(
        RankHolding.objects.select_related("client__user", "category", "rank", "by").get(
            pk=holding.pk
        )
    )


@router.post(
    "/clients/{client_id}/ranks/assign",
    response={201: HoldingOut, **ERRORS},
    summary="Assign a rank",
)
def assign_rank(request: HttpRequest, client_id: int, payload: AssignIn):  # type: ignore[no-untyped-def]
    """Put a client on any rank of a category: their first, or a correction, with a note.

    Owners and admins. Refused with 422: a rank not of this workspace
    (``not_found``), the rank they already hold (``same_rank``).
    """
    member = _require(request, Cap.RANKS_MANAGE)
    client = access_client(member, client_id)
    rank = _referenced(
        Rank.objects.filter(
            workspace=member.workspace, category__archived_at__isnull=True
        ).select_related("category"),
        payload.rank,
        "rank",
    )
    holding = actions.do_assign_rank(client, rank, actor=request.user, note=payload.note)
    return Status(201, _after_change(member, holding))


def _step(request: HttpRequest, client_id: int, payload: StepIn, promote: bool) -> Status:
    member = _require(request, Cap.RANKS_MANAGE)
    client = access_client(member, client_id)
    category = _referenced(queries.categories(member.workspace), payload.category, "category")
    do = actions.do_promote if promote else actions.do_demote
    holding = do(client, category, actor=request.user, note=payload.note)
    return Status(201, _after_change(member, holding))


@router.post(
    "/clients/{client_id}/ranks/promote",
    response={201: HoldingOut, **ERRORS},
    summary="Promote a client",
)
def promote(request: HttpRequest, client_id: int, payload: StepIn):  # type: ignore[no-untyped-def]
    """Move a client to the next rank of a category, with a note; they hear of it.

    Owners and admins. Refused with 422: ``no_rank`` when the client has no rank
    in the category, ``top_rank`` at the last rank.
    """
    return _step(request, client_id, payload, promote=True)


@router.post(
    "/clients/{client_id}/ranks/demote",
    response={201: HoldingOut, **ERRORS},
    summary="Demote a client",
)
def demote(request: HttpRequest, client_id: int, payload: StepIn):  # type: ignore[no-untyped-def]
    """Move a client back one rank, with a note (owners and admins).

    Refused with 422: ``no_rank``, ``bottom_rank`` at the first rank.
    """
    return _step(request, client_id, payload, promote=False)


@router.patch(
    "/rank-holdings/{holding_id}",
    response={200: HoldingOut, **ERRORS},
    summary="Correct when a client entered a rank",
)
def change_holding_date(request: HttpRequest, holding_id: int, payload: DateIn):  # type: ignore[no-untyped-def]
    """Change the day a client entered a rank, with a reason kept in its history.

    Owners and admins. Refused with 422: ``future_date``, ``before_previous``
    (before the previous rank began).
    """
    member = _require(request, Cap.RANKS_MANAGE)
    holding = _get(
        RankHolding.objects.filter(
            workspace=member.workspace, category__archived_at__isnull=True
        ).select_related("workspace"),
        holding_id,
    )
    actions.do_change_holding_date(
        holding, payload.since, actor=request.user, reason=payload.reason
    )
    return _after_change(member, holding)


# Eligibility and mass promotion ------------------------------------------------------------


@router.get(
    "/rank-categories/{category_id}/eligible",
    response={200: list[EligibleOut], **ERRORS},
    summary="Clients eligible for their next rank",
)
def list_eligible(request: HttpRequest, category_id: int):  # type: ignore[no-untyped-def]
    """Clients of a category who met the criteria of their next rank and wait for promotion.

    Owners and admins; other roles get 403.
    """
    member = _require(request, Cap.RANKS_MANAGE)
    category = access_category_only(member, category_id)
    today = actions.workspace_today(member.workspace)
    holdings = (
        queries.current_holdings(member.workspace)
        .filter(category=category, eligibility__isnull=False)
        .prefetch_related(None)  # the next rank is the eligibility's, no ladder needed
        .select_related("eligibility__next_rank")
        .order_by("eligibility__detected_at", "id")
    )
    return [
        {
            "holding_id": h.id,
            "client": _person(h.client),
            "rank": {"id": h.rank.id, "name": h.rank.name},
            "next_rank": {"id": h.eligibility.next_rank.id, "name": h.eligibility.next_rank.name},
            "since": h.started_on,
            "visits": h.visits,  # type: ignore[attr-defined]
            "days": _days(h, today),
            "detected_at": h.eligibility.detected_at,
            "notified_at": h.eligibility.notified_at,
        }
        for h in holdings
    ]


@router.post(
    "/rank-categories/{category_id}/mass-promote",
    response={200: list[HoldingOut], **ERRORS},
    summary="Promote every eligible client of a category",
)
def mass_promote(request: HttpRequest, category_id: int):  # type: ignore[no-untyped-def]
    """Promote all eligible clients of the category in one step; each hears of it.

    Owners and admins. Answers the new holdings (an empty list when nobody was
    eligible).
    """
    member = _require(request, Cap.RANKS_MANAGE)
    category = access_category_only(member, category_id)
    promoted = actions.do_mass_promote(category, actor=request.user)
    holdings = RankHolding.objects.filter(pk__in=[h.pk for h in promoted]).select_related(
        "client__user", "category", "rank", "by"
    )
    return [_holding_out(h) for h in holdings.order_by("client__user__full_name", "id")]
