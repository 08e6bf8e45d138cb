"""The learner access API: learners, their accesses and progress, giving, changing and removing
access, resending the access link or a password reset, correcting a bounced address.

The same rules as the Learners page: ``Cap.COURSES_LEARNERS`` only (owners, admins,
supervisors; anyone else 403); a learner or access of another workspace is a 404 like
a missing one. Every write goes through ``actions_access``; refusals come back as 422
with the field and a stable code (``expires_in_past``, ``is_coach``, ``email_taken``,
``email_unchanged``, ``email_invalid``, ``not_only_here``, ``access_removed``,
``no_open_access``, ``not_found``) and nothing is half-written.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from ascend.api.helpers import referenced, require
from ascend.api.schemas import ErrorOut
from ascend.notifications.models import DeliveryState
from ascend.programs.api import MAX_INT, Id, Text
from ascend.tenancy.capabilities import Cap
from ascend.tenancy.models import Membership

from . import actions_access as actions
from . import queries_learners
from .models import AccessSource, LearnerAccess
from .progress import progress_of_accesses

router = Router(tags=["Course access"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}

Day = Annotated[date, Field(ge=date(1900, 1, 1), le=date(9999, 1, 1))]
AnyId = Annotated[int, Field(ge=-MAX_INT, le=MAX_INT)]


class ProductRef(Schema):
    id: int
    name: str


class LearnerProductProgressOut(Schema):
    total: int = Field(description="Lessons in the product.")
    viewed: int
    completed: int
    percent: int


class AccessOut(Schema):
    id: int
    learner_id: int
    product: ProductRef
    source: AccessSource
    starts_at: datetime
    expires_at: datetime | None = Field(description="null: no end.")
    removed_at: datetime | None
    is_open: bool
    first_accessed_at: datetime | None
    last_accessed_at: datetime | None
    progress: LearnerProductProgressOut


class LearnerOut(Schema):
    id: int = Field(description="The learner's membership id.")
    full_name: str
    email: str
    email_failed: bool = Field(description="The latest email to this address bounced.")
    first_given_at: datetime | None = Field(description="When their first access started.")
    accesses: list[AccessOut]


class CorrectionOut(Schema):
    old_email: str
    new_email: str
    corrected_at: datetime


class LearnerDetailOut(LearnerOut):
    has_password: bool
    email_corrections: list[CorrectionOut]


class LearnerFilter(Schema):
    q: Text | None = Field(None, max_length=200, description="Part of the name or email.")
    product: AnyId | None = Field(None, description="Learners holding this product (any state).")
    failed_email: bool | None = Field(None, description="true: only addresses that bounced.")
    sort: str = Field("newest", pattern="^(newest|oldest)$", description="newest or oldest.")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_INT)


class AccessIn(Schema):
    email: Text = Field(..., max_length=254)
    full_name: Text = Field("", max_length=150)
    product: Id = Field(..., description="The product's id.")
    expires_on: Day | None = Field(
        None, description="The last day of access (workspace's time zone); null: the product's."
    )
    send: bool = Field(True, description="Send the access email.")


class ExpiryIn(Schema):
    expires_on: Day | None = Field(..., description="The last day of access; null: no end.")


class EmailIn(Schema):
    email: Text = Field(..., max_length=254)


class SentOut(Schema):
    sent_to: str


def _accesses_out(accesses: list[LearnerAccess]) -> list[dict]:
    progress = progress_of_accesses(accesses)
    now = timezone.now()
    out = []
    for a in accesses:
        p = progress[a.pk]
        out.append(
            {
                "id": a.pk,
                "learner_id": a.learner_id,
                "product": {"id": a.product.pk, "name": a.product.name},
                "source": a.source,
                "starts_at": a.starts_at,
                "expires_at": a.expires_at,
                "removed_at": a.removed_at,
                "is_open": a.is_open(now),
                "first_accessed_at": a.first_accessed_at,
                "last_accessed_at": a.last_accessed_at,
                "progress": {
                    "total": p.total,
                    "viewed": p.viewed,
                    "completed": p.completed,
                    "percent": p.percent,
                },
            }
        )
    return out


def _learner_out(m: Membership, accesses: list[dict]) -> dict:
    return {
        "id": m.pk,
        "full_name": m.user.full_name,
        "email": m.user.email,
        "email_failed": m.email_state == DeliveryState.BOUNCED,  # type: ignore[attr-defined]
        "first_given_at": m.first_given_at,  # type: ignore[attr-defined]
        "accesses": accesses,
    }


def _detail(member: Membership, learner_id: int) -> dict:
    learner = queries_learners.access_learner(member, learner_id)
    out = _learner_out(learner, _accesses_out(learner.accesses))  # type: ignore[attr-defined]
    out["has_password"] = learner.user.has_usable_password()
    out["email_corrections"] = [
        {"old_email": c.old_email, "new_email": c.new_email, "corrected_at": c.corrected_at}
        for c in learner.email_corrections.order_by("-corrected_at", "-id")
    ]
    return out


def _one_access(member: Membership, access_id: int) -> dict:
    access = queries_learners.access_learner_access(member, access_id)
    return _accesses_out([access])[0]


def _until(member: Membership, day: date | None) -> datetime | None:
    return actions.expiry_from_date(day, member.workspace.time_zone) if day else None


@router.get("/learners", response={200: list[LearnerOut], **ERRORS}, summary="List learners")
def list_learners(request: HttpRequest, filters: Query[LearnerFilter]):  # type: ignore[no-untyped-def]
    """Every learner (a member with any access), newest or oldest first by their first access;
    ``q`` searches names and emails, ``product`` and ``failed_email`` filter. Pages of
    ``limit`` from ``offset``."""
    member = require(request, Cap.COURSES_LEARNERS)
    rows = list(
        queries_learners.learners(
            member.workspace,
            q=(filters.q or "").strip(),
            product=filters.product,
            failed_email=bool(filters.failed_email),
            sort=filters.sort,
        )[filters.offset : filters.offset + filters.limit]
    )
    accesses = _accesses_out([a for m in rows for a in m.accesses])  # type: ignore[attr-defined]
    by_learner: dict[int, list[dict]] = {}
    for a in accesses:
        by_learner.setdefault(a["learner_id"], []).append(a)
    return [_learner_out(m, by_learner.get(m.pk, [])) for m in rows]


@router.get(
    "/learners/{learner_id}", response={200: LearnerDetailOut, **ERRORS}, summary="A learner"
)
def get_learner(request: HttpRequest, learner_id: int):  # type: ignore[no-untyped-def]
    """One learner with every access, its progress, and the corrections of their address."""
    return _detail(require(request, Cap.COURSES_LEARNERS), learner_id)


@router.post("/access", response={201: AccessOut, 200: AccessOut, **ERRORS}, summary="Give access")
def give_access(request: HttpRequest, payload: AccessIn):  # type: ignore[no-untyped-def]
    """Give a person access to a product (making them a learner). 201 when given or reopened,
    200 when they already had it open (nothing changed, no email). Refused with 422:
    ``email_invalid``, ``is_coach``, ``expires_in_past``, ``not_found`` (product)."""
    member = require(request, Cap.COURSES_LEARNERS)
    prod = referenced(queries_learners.products(member.workspace), payload.product, "product")
    outcome = actions.give_access(
        member.workspace,
        actor=request.user,
        email=payload.email,
        full_name=payload.full_name,
        product=prod,
        expires_at=_until(member, payload.expires_on),
        source=AccessSource.MANUAL,
        send=payload.send,
        request=request,
    )
    return Status(201 if outcome.changed else 200, _one_access(member, outcome.access.pk))


@router.patch("/access/{access_id}", response={200: AccessOut, **ERRORS}, summary="Change expiry")
def change_access(request: HttpRequest, access_id: int, payload: ExpiryIn):  # type: ignore[no-untyped-def]
    """Change the last day of access (null: no end). Refused with 422: ``expires_in_past``,
    ``access_removed``."""
    member = require(request, Cap.COURSES_LEARNERS)
    access = queries_learners.access_learner_access(member, access_id)
    actions.do_change_access_expiry(
        access, actor=request.user, expires_at=_until(member, payload.expires_on)
    )
    return _one_access(member, access.pk)


@router.delete("/access/{access_id}", response={204: None, **ERRORS}, summary="Remove access")
def remove_access(request: HttpRequest, access_id: int):  # type: ignore[no-untyped-def]
    """Close the access now; its row, dates and the learner's progress are kept (giving the
    product again reopens it). Already removed: 422 ``access_removed``."""
    member = require(request, Cap.COURSES_LEARNERS)
    access = queries_learners.access_learner_access(member, access_id)
    actions.do_remove_access(access, actor=request.user)
    return Status(204, None)


@router.post(
    "/learners/{learner_id}/send-access",
    response={200: SentOut, **ERRORS},
    summary="Resend the access link",
)
def send_access(request: HttpRequest, learner_id: int):  # type: ignore[no-untyped-def]
    """Email the access link again, naming every open product. No open access: 422
    ``no_open_access``."""
    member = require(request, Cap.COURSES_LEARNERS)
    learner = queries_learners.access_learner(member, learner_id)
    actions.do_send_access_link(learner, actor=request.user, request=request)
    return {"sent_to": learner.user.email}


@router.post(
    "/learners/{learner_id}/password-reset",
    response={200: SentOut, **ERRORS},
    summary="Send a password reset",
)
def password_reset(request: HttpRequest, learner_id: int):  # type: ignore[no-untyped-def]
    """Email the learner a link to choose a new password."""
    member = require(request, Cap.COURSES_LEARNERS)
    learner = queries_learners.access_learner(member, learner_id)
    actions.do_send_learner_password_reset(learner, actor=request.user, request=request)
    return {"sent_to": learner.user.email}


@router.post(
    "/learners/{learner_id}/correct-email",
    response={200: LearnerDetailOut, **ERRORS},
    summary="Correct a learner's address",
)
def correct_email(request: HttpRequest, learner_id: int, payload: EmailIn):  # type: ignore[no-untyped-def]
    """Change the learner's address (after a bounce): the old one is kept in
    ``email_corrections`` and the access email goes to the new one. Refused with 422:
    ``email_invalid``, ``email_unchanged``, ``email_taken``, ``not_only_here``."""
    member = require(request, Cap.COURSES_LEARNERS)
    learner = queries_learners.access_learner(member, learner_id)
    actions.do_correct_learner_email(learner, payload.email, actor=request.user, request=request)
    return _detail(member, learner.pk)
