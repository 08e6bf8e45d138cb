"""The audits and quality API: the auditors' queue, grading replies, audits and their
acknowledgement, and each coach's response and quality figures per month.

Each endpoint applies the rule of the page that does the same thing:

- auditors (``Cap.MESSAGES_AUDIT``) read the sampled queue and grade any coach's
  reply in a conversation they may read, once per reply;
- audits: auditors, owners and admins read all; a coach the audits of their own
  replies, a head coach also those of the coaches they lead; only the coach
  audited acknowledges (for another coach the audit is a 404);
- figures: owners, admins and auditors (``Cap.QUALITY_ALL``) read every coach's;
  a coach their own, a head coach also their coaches';
- anyone else is refused with 403; an object the person may not see is a 404,
  exactly like a missing one.

Every write goes through ``ascend.quality.actions``; their refusals come back as
422 with the field and a stable code.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import AfterValidator, Field

from ascend.api.helpers import get_or_404 as _get
from ascend.api.helpers import person_out as _person
from ascend.api.helpers import require as _require
from ascend.api.schemas import ErrorOut
from ascend.lib.errors import field_error
from ascend.messaging.access import visible_conversations
from ascend.messaging.api import CohortBriefOut, MessagingPersonOut
from ascend.messaging.figures import response_figures
from ascend.messaging.models import Message
from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership

from . import actions, queries
from .figures import quality_figures
from .models import Audit

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
# Beyond any real id or offset, and inside what every database accepts as an integer.
MAX_INT = 2**31 - 1
# The same window as the quality pages: six months by default, at most three years.
DEFAULT_MONTHS = 6
MAX_MONTHS = 36

router = Router(tags=["quality"])


def _no_nul(value: str) -> str:
    # PostgreSQL refuses NUL characters in text; say so instead of failing on save.
    if "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
Int = Annotated[int, Field(ge=-MAX_INT, le=MAX_INT)]
Month = Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}$", description="YYYY-MM")]


# Schemas -----------------------------------------------------------------------------------


class AuditedMessageOut(Schema):
    id: int
    conversation_id: int
    body: str
    body_html: str
    created_at: datetime


class AuditOut(Schema):
    id: int
    message: AuditedMessageOut
    coach: MessagingPersonOut
    auditor: MessagingPersonOut
    grade: str = Field(description="outstanding, suggestion or needs_improvement.")
    colour: str = Field(description="green, blue or yellow.")
    feedback: str
    created_at: datetime
    acknowledged_at: datetime | None
    followed_up_at: datetime | None = Field(
        description="The coach's first message in the conversation within 24 h of the audit."
    )


class AuditIn(Schema):
    grade: Literal["outstanding", "suggestion", "needs_improvement"]
    feedback: Text = Field(..., description="For the coach; at most 5,000 characters.")


class AuditFilter(Schema):
    coach: Int | None = Field(None, description="The coach's membership id.")
    acknowledged: bool | None = None
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_INT)


class QueueItemOut(Schema):
    message_id: int
    conversation_id: int
    kind: str
    coach: MessagingPersonOut
    client: MessagingPersonOut | None
    cohort: CohortBriefOut | None
    body: str
    body_html: str
    created_at: datetime


class QueueFilter(Schema):
    coach: Int | None = Field(None, description="The coach's membership id.")
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_INT)


class CoachMonthOut(Schema):
    coach: MessagingPersonOut
    month: str = Field(description="YYYY-MM, in the workspace's time zone.")
    replies: int = Field(description="Replies the coach sent to clients.")
    audited: int
    needs_improvement: int
    quality: float | None = Field(
        description="1 − needs improvement ÷ replies (0–1); null without replies."
    )
    percentile: int | None = Field(
        description="Share (0–100) of the workspace's coaches that month at or below this one."
    )
    answered: int = Field(description="Waiting runs answered, each one response-time figure.")
    median_seconds: float | None
    mean_seconds: float | None
    within_goal: float | None = Field(description="Share (0–1) answered within the goal.")
    within_target: float | None = Field(description="Share (0–1) answered within the target.")


class FiguresFilter(Schema):
    start: Month | None = Field(None, description="First month, YYYY-MM; default: 5 before end.")
    end: Month | None = Field(None, description="Last month, YYYY-MM; default: this month.")
    coach: Int | None = Field(None, description="One coach's membership id.")


# Who sees what -----------------------------------------------------------------------------


def _member(request: HttpRequest) -> Membership:
    return request.membership  # type: ignore[attr-defined,no-any-return]


def visible_audits(member: Membership) -> QuerySet[Audit]:
    """All for auditors, owners and admins; a coach's own, and a head coach's coaches'."""
    audits = Audit.objects.filter(workspace=member.workspace)
    if can(member, Cap.MESSAGES_AUDIT) or can(member, Cap.INBOXES_ALL):
        return audits
    if can(member, Cap.PORTAL_COACH):
        condition = Q(coach=member)
        if can(member, Cap.INBOXES_OF_LED_COACHES):
            condition |= Q(coach__team_leader=member)
        return audits.filter(condition)
    raise PermissionDenied


def coaches_shown(member: Membership) -> list[Membership]:
    """Whose figures the member reads: every coach, or their own and the coaches they lead."""
    if can(member, Cap.QUALITY_ALL):
        return list(queries.workspace_coaches(member.workspace))
    if can(member, Cap.PORTAL_COACH):
        return list(queries.coaches_in_view(member))
    raise PermissionDenied


# Shaping answers ---------------------------------------------------------------------------


def _audit_out(a: Audit) -> dict:
    m = a.message
    return {
        "id": a.id,
        "message": {
            "id": m.id,
            "conversation_id": m.conversation_id,
            "body": m.body,
            "body_html": m.body_html,
            "created_at": m.created_at,
        },
        "coach": _person(a.coach),
        "auditor": _person(a.auditor),
        "grade": a.grade,
        "colour": a.colour,
        "feedback": a.feedback,
        "created_at": a.created_at,
        "acknowledged_at": a.acknowledged_at,
        "followed_up_at": a.followed_up_at,
    }


def _with_people(audits: QuerySet[Audit]) -> QuerySet[Audit]:
    return audits.select_related("coach__user", "auditor__user", "message")


def _queue_item(m: Message) -> dict:
    c = m.conversation
    return {
        "message_id": m.id,
        "conversation_id": c.id,
        "kind": c.kind,
        "coach": _person(m.author),
        "client": _person(c.client) if c.client else None,
        "cohort": {"id": c.cohort.id, "name": c.cohort.name} if c.cohort else None,
        "body": m.body,
        "body_html": m.body_html,
        "created_at": m.created_at,
    }


def _month(value: str, field: str) -> date:
    try:
        month = date(int(value[:4]), int(value[5:7]), 1)
    except ValueError:
        month = None
    if month is None or not 1970 <= month.year <= 9000:
        raise field_error(field, _("Give a month as YYYY-MM."), "invalid_month")
    return month


def _add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def _this_month(workspace) -> date:  # type: ignore[no-untyped-def]
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(workspace.time_zone)).date()
    return date(today.year, today.month, 1)


def month_range(workspace, start: str | None, end: str | None) -> tuple[date, date]:  # type: ignore[no-untyped-def]
    """The first and last months asked for, defaulting like the quality pages.

    Rule: no months gives the last six up to this one; only ``start`` gives up to this
    month (at most 36); only ``end`` gives the six up to it. Refused with 422: a month
    that isn't one (``invalid_month``), ``end`` before ``start`` (``end_before_start``),
    more than 36 months (``too_many_months``).
    """
    first = _month(start, "start") if start else None
    last = _month(end, "end") if end else None
    if first and last:
        if last < first:
            raise field_error(
                "end", _("The last month comes before the first."), "end_before_start"
            )
        if _add_months(first, MAX_MONTHS) <= last:
            raise field_error(
                "end",
                _("Choose at most %(n)d months at once.") % {"n": MAX_MONTHS},
                "too_many_months",
            )
        return first, last
    if first:
        return first, min(max(_this_month(workspace), first), _add_months(first, MAX_MONTHS - 1))
    last = last or _this_month(workspace)
    return _add_months(last, 1 - DEFAULT_MONTHS), last


def coach_figures(
    workspace,  # type: ignore[no-untyped-def]
    coaches: list[Membership],
    first: date,
    last: date,
) -> list[dict]:
    """One row per coach and month with any figure, newest month first, then by name.

    Three queries however many replies: quality (one) and response times (two).
    Percentiles compare each coach with all the workspace's coaches that month.
    """
    tz = zoneinfo.ZoneInfo(workspace.time_zone)
    after = _add_months(last, 1)
    start = datetime(first.year, first.month, 1, tzinfo=tz)
    end = datetime(after.year, after.month, 1, tzinfo=tz)
    by_id = {c.pk: c for c in coaches}
    quality = {
        (f.coach_id, f.month): f
        for f in quality_figures(workspace, start=start, end=end)
        if f.coach_id in by_id
    }
    response = {
        (f.coach_id, f.month): f
        for f in response_figures(workspace, start=start, end=end, coach_ids=list(by_id))
    }
    order = {c.pk: i for i, c in enumerate(coaches)}
    keys = sorted(set(quality) | set(response), key=lambda k: (-k[1].toordinal(), order[k[0]]))
    rows = []
    for coach_id, month in keys:
        q, r = quality.get((coach_id, month)), response.get((coach_id, month))
        rows.append(
            {
                "coach": _person(by_id[coach_id]),
                "month": month.strftime("%Y-%m"),
                "replies": q.replies if q else 0,
                "audited": q.audited if q else 0,
                "needs_improvement": q.needs_improvement if q else 0,
                "quality": q.quality if q else None,
                "percentile": q.percentile if q else None,
                "answered": r.replies if r else 0,
                "median_seconds": r.median_seconds if r else None,
                "mean_seconds": r.mean_seconds if r else None,
                "within_goal": r.within_goal if r else None,
                "within_target": r.within_target if r else None,
            }
        )
    return rows


# Audits ------------------------------------------------------------------------------------


@router.get(
    "/audits/queue",
    response={200: list[QueueItemOut], **ERRORS},
    summary="Replies waiting for an audit",
)
def audit_queue(request: HttpRequest, filters: Query[QueueFilter]):  # type: ignore[no-untyped-def]
    """Coaches' replies sampled for audit and not audited yet, oldest first (auditors only).

    Each coach's replies of each week of the last four are sampled at random, up
    to the workspace's rate per week; the sample stays fixed once drawn.
    ``coach`` keeps one coach's. Pages of ``limit`` (at most 500) from ``offset``.
    """
    member = _require(request, Cap.MESSAGES_AUDIT)
    queue = queries.audit_queue(member, coach_id=filters.coach)
    return [_queue_item(m) for m in queue[filters.offset : filters.offset + filters.limit]]


@router.post(
    "/messages/{message_id}/audit",
    response={201: AuditOut, **ERRORS},
    summary="Grade a coach's reply",
)
def audit_message(request: HttpRequest, message_id: int, payload: AuditIn):  # type: ignore[no-untyped-def]
    """Grade a reply (auditors only): outstanding, suggestion or needs improvement, with
    feedback. The coach and their head coach are told, in the app and by email.

    Any reply of a conversation the auditor may read, sampled or not; others are a
    404. Refused with 422: a message that isn't a coach's reply (``not_a_reply``),
    a reply already audited (``already_audited``), no feedback (``empty``) or too
    much (``too_long``), a grade not in the list.
    """
    member = _require(request, Cap.MESSAGES_AUDIT)
    message = _get(
        Message.objects.filter(
            workspace=member.workspace,
            conversation__in=visible_conversations(member).values("pk"),
        ).select_related("author", "conversation"),
        message_id,
    )
    audit = actions.do_audit_message(
        message, auditor=member, grade=payload.grade, feedback=payload.feedback
    )
    return Status(201, _audit_out(_with_people(Audit.objects.all()).get(pk=audit.pk)))


@router.get(
    "/audits",
    response={200: list[AuditOut], **ERRORS},
    summary="List audits",
)
def list_audits(request: HttpRequest, filters: Query[AuditFilter]):  # type: ignore[no-untyped-def]
    """Audits, newest first; ``coach`` one coach's, ``acknowledged`` true or false.

    Auditors, owners and admins read all; a coach the audits of their own replies,
    a head coach also those of the coaches they lead; everyone else gets 403.
    Pages of ``limit`` (at most 500) from ``offset``.
    """
    audits = visible_audits(_member(request))
    if filters.coach is not None:
        audits = audits.filter(coach_id=filters.coach)
    if filters.acknowledged is not None:
        audits = audits.filter(acknowledged_at__isnull=not filters.acknowledged)
    audits = _with_people(audits).order_by("-created_at", "-id")
    return [_audit_out(a) for a in audits[filters.offset : filters.offset + filters.limit]]


@router.post(
    "/audits/{audit_id}/acknowledge",
    response={200: AuditOut, **ERRORS},
    summary="Acknowledge an audit's feedback",
)
def acknowledge_audit(request: HttpRequest, audit_id: int):  # type: ignore[no-untyped-def]
    """The coach audited confirms they have read the feedback; doing it again changes nothing.

    Coaches only (403 for others); an audit of someone else's reply is a 404,
    even for the head coach who may read it.
    """
    member = _require(request, Cap.PORTAL_COACH)
    audit = _get(Audit.objects.filter(workspace=member.workspace, coach=member), audit_id)
    actions.do_acknowledge_audit(audit, coach=member)
    return _audit_out(_with_people(Audit.objects.all()).get(pk=audit.pk))


# Figures -----------------------------------------------------------------------------------


@router.get(
    "/quality/coaches",
    response={200: list[CoachMonthOut], **ERRORS},
    summary="Response and quality figures per coach and month",
)
def coach_quality(request: HttpRequest, filters: Query[FiguresFilter]):  # type: ignore[no-untyped-def]
    """Per coach and month (in the workspace's time zone): replies, audits, needs
    improvement, communication quality and percentile among all the workspace's
    coaches; answered waiting runs with their median and mean response time and the
    shares within the goal and the target.

    Owners, admins and auditors read every coach's; a coach their own, a head coach
    also the coaches they lead; everyone else gets 403. ``coach`` one of them (a
    coach not in view is a 404). Months with no figure are left out. Refused with
    422: see ``start`` and ``end`` (``invalid_month``, ``end_before_start``,
    ``too_many_months``: at most 36).
    """
    member = _member(request)
    coaches = coaches_shown(member)
    first, last = month_range(member.workspace, filters.start, filters.end)
    if filters.coach is not None:
        coaches = [c for c in coaches if c.pk == filters.coach]
        if not coaches:
            raise Http404
    return coach_figures(member.workspace, coaches, first, last)
