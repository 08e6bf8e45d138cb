"""The session requests API: a client asks their coach for a time, the coach answers.

Each endpoint applies the rule of the page that does the same thing
(``scheduling.views``):

- a client (``Cap.PORTAL_CLIENT``) lists their own requests, asks one of their coaches
  for a time, takes a time the coach proposed, and cancels;
- a coach (``Cap.PORTAL_COACH``) lists the sessions they give, accepts (taking one
  credit from the client's packages), proposes another time or declines, and cancels;
- a session the caller takes no part in is a 404, exactly like a missing one
  (``views.access_session``); a role with no sessions (owners, admins, auditors…)
  gets 403.

Every write goes through ``ascend.scheduling.actions``; their refusals come back as
422 with the field and a stable code (``in_the_past``, ``no_credit``,
``not_your_coach``, ``already_answered``…), and nothing is changed by a refusal.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import AfterValidator, AwareDatetime, Field

from ascend.api.helpers import person_out as _person
from ascend.api.schemas import ErrorOut
from ascend.lib.errors import field_error
from ascend.messaging.access import coaches_of_client
from ascend.programs.api import MAX_INT, Id, PersonRef, Text
from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership

from . import actions
from .models import SessionRequest, SessionStatus
from .views import access_session

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}

router = Router(tags=["sessions"])


def _in_range(value: datetime) -> datetime:
    if not date(1900, 1, 1) <= value.date() <= date(9999, 1, 1):
        raise ValueError("Use a date between 1900 and 9999")
    return value


# A moment with its time zone (``2025-03-01T18:30:00+01:00``), so that no server guesses one.
When = Annotated[AwareDatetime, AfterValidator(_in_range)]


# Schemas -----------------------------------------------------------------------------------


class SessionOut(Schema):
    id: int
    client: PersonRef
    coach: PersonRef
    starts_at: datetime
    duration_minutes: int
    note: str = Field(description="What the client wrote with the request.")
    status: SessionStatus
    proposed_starts_at: datetime | None = Field(
        description="The coach's other time, waiting for the client's answer."
    )
    decline_reason: str
    credit_taken: bool = Field(
        description="A session was taken from the client's packages (accepted, or cancelled "
        "after the cut-off)."
    )
    credit_returned: bool = Field(description="Cancelled before the cut-off: given back.")
    created_at: datetime
    decided_at: datetime | None
    cancelled_at: datetime | None


class SessionFilter(Schema):
    status: SessionStatus | None = None
    upcoming: bool | None = Field(
        None, description="true: starting from now on; false: those that already started."
    )
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_INT)


class SessionIn(Schema):
    coach: Id | None = Field(
        None, description="The coach's membership id; may be left out when you have one coach."
    )
    starts_at: When = Field(..., description="In the future, with its UTC offset.")
    duration_minutes: int = Field(60, ge=15, le=240)
    note: Text = Field("", max_length=1000)


class ProposeIn(Schema):
    starts_at: When = Field(..., description="The other time, in the future, with its offset.")


class DeclineIn(Schema):
    reason: Text = Field("", max_length=300, description="Optional, shown to the client.")


# Answers -----------------------------------------------------------------------------------


def _member(request: HttpRequest) -> Membership:
    return request.membership  # type: ignore[attr-defined,no-any-return]


def _sessions(member: Membership) -> QuerySet[SessionRequest]:
    """A client's requests or the sessions a coach gives; 403 for anyone else."""
    sessions = SessionRequest.objects.filter(workspace=member.workspace).select_related(
        "client__user", "coach__user"
    )
    if can(member, Cap.PORTAL_CLIENT):
        return sessions.filter(client=member)
    if can(member, Cap.PORTAL_COACH):
        return sessions.filter(coach=member)
    raise PermissionDenied


def _session_out(s: SessionRequest) -> dict:
    return {
        "id": s.id,
        "client": _person(s.client),
        "coach": _person(s.coach),
        "starts_at": s.starts_at,
        "duration_minutes": s.duration_minutes,
        "note": s.note,
        "status": s.status,
        "proposed_starts_at": s.proposed_starts_at,
        "decline_reason": s.decline_reason,
        "credit_taken": s.credit_use_id is not None and not s.credit_returned,
        "credit_returned": s.credit_returned,
        "created_at": s.created_at,
        "decided_at": s.decided_at,
        "cancelled_at": s.cancelled_at,
    }


def _answer(member: Membership, session: SessionRequest) -> dict:
    """The session as it is now (the actions work on their own locked copy)."""
    return _session_out(access_session(member, session.pk))


def _require(request: HttpRequest, cap: Cap) -> Membership:
    member = _member(request)
    if not can(member, cap):
        raise PermissionDenied
    return member


# Endpoints ---------------------------------------------------------------------------------


@router.get(
    "/sessions",
    response={200: list[SessionOut], **ERRORS},
    summary="List session requests",
)
def list_sessions(request: HttpRequest, filters: Query[SessionFilter]):  # type: ignore[no-untyped-def]
    """Sessions by time: a client's own requests, or the sessions a coach gives; other roles
    get 403. ``status`` and ``upcoming`` filter; pages of ``limit`` (at most 500) from
    ``offset``."""
    sessions = _sessions(_member(request))
    if filters.status is not None:
        sessions = sessions.filter(status=filters.status)
    if filters.upcoming is not None:
        now = timezone.now()
        sessions = sessions.filter(
            Q(starts_at__gte=now) if filters.upcoming else Q(starts_at__lt=now)
        )
    page = sessions.order_by("starts_at", "id")[filters.offset : filters.offset + filters.limit]
    return [_session_out(s) for s in page]


@router.get(
    "/sessions/{session_id}",
    response={200: SessionOut, **ERRORS},
    summary="A session request",
)
def get_session(request: HttpRequest, session_id: int):  # type: ignore[no-untyped-def]
    """One session the caller takes part in (as its client or its coach), else 404."""
    return _session_out(access_session(_member(request), session_id))


@router.post(
    "/sessions",
    response={201: SessionOut, **ERRORS},
    summary="Ask your coach for a session",
)
def request_session(request: HttpRequest, payload: SessionIn):  # type: ignore[no-untyped-def]
    """A client asks one of their coaches for a session at a time in the future; the coach
    is told. Clients only (others get 403). Refused with 422: a coach who isn't yours
    (``not_your_coach``), no coach named when you have several or none
    (``coach_required``), a time in the past (``in_the_past``)."""
    member = _require(request, Cap.PORTAL_CLIENT)
    coaches = coaches_of_client(member).select_related("user", "workspace")
    if payload.coach is None:
        mine = list(coaches[:2])
        if len(mine) != 1:
            raise field_error("coach", _("Choose your coach."), "coach_required")
        coach = mine[0]
    else:
        found = coaches.filter(pk=payload.coach).first()
        if found is None:
            raise field_error("coach", _("Choose your coach."), "not_your_coach")
        coach = found
    session = actions.do_request_session(
        member,
        coach=coach,
        starts_at=payload.starts_at,
        duration_minutes=payload.duration_minutes,
        note=payload.note,
    )
    return Status(201, _answer(member, session))


@router.post(
    "/sessions/{session_id}/accept",
    response={200: SessionOut, **ERRORS},
    summary="Accept a session request",
)
def accept_session(request: HttpRequest, session_id: int):  # type: ignore[no-untyped-def]
    """The coach accepts the requested time: one session is taken from the client's package
    expiring first that covers the day. Coaches only (others 403). Refused with 422: no
    package covering it (``no_credit``), already answered (``already_answered``), a time
    now past (``in_the_past``)."""
    member = _require(request, Cap.PORTAL_COACH)
    session = access_session(member, session_id)
    actions.do_accept_session(session, coach=member)
    return _answer(member, session)


@router.post(
    "/sessions/{session_id}/propose",
    response={200: SessionOut, **ERRORS},
    summary="Propose another time",
)
def propose_time(request: HttpRequest, session_id: int, payload: ProposeIn):  # type: ignore[no-untyped-def]
    """The coach proposes another time; the client accepts it or not. Coaches only (others
    403). Refused with 422: already answered (``already_answered``), a time in the past
    (``in_the_past``)."""
    member = _require(request, Cap.PORTAL_COACH)
    session = access_session(member, session_id)
    actions.do_propose_time(session, coach=member, starts_at=payload.starts_at)
    return _answer(member, session)


@router.post(
    "/sessions/{session_id}/decline",
    response={200: SessionOut, **ERRORS},
    summary="Decline a session request",
)
def decline_session(request: HttpRequest, session_id: int, payload: DeclineIn):  # type: ignore[no-untyped-def]
    """The coach declines, with an optional reason for the client. Coaches only (others
    403). Refused with 422 ``already_answered`` once accepted, declined or cancelled."""
    member = _require(request, Cap.PORTAL_COACH)
    session = access_session(member, session_id)
    actions.do_decline_session(session, coach=member, reason=payload.reason)
    return _answer(member, session)


@router.post(
    "/sessions/{session_id}/accept-proposal",
    response={200: SessionOut, **ERRORS},
    summary="Take the time the coach proposed",
)
def accept_proposal(request: HttpRequest, session_id: int):  # type: ignore[no-untyped-def]
    """The client takes the coach's proposed time: it becomes the session and one credit is
    used. Clients only (others 403). Refused with 422: nothing proposed
    (``no_proposal``), no package covering it (``no_credit``), a time now past
    (``in_the_past``)."""
    member = _require(request, Cap.PORTAL_CLIENT)
    session = access_session(member, session_id)
    actions.do_accept_proposal(session, client=member)
    return _answer(member, session)


@router.post(
    "/sessions/{session_id}/cancel",
    response={200: SessionOut, **ERRORS},
    summary="Cancel a session",
)
def cancel_session(request: HttpRequest, session_id: int):  # type: ignore[no-untyped-def]
    """The client or the coach cancels; the other is told. An accepted session cancelled
    before the workspace's cut-off gives its credit back (``credit_returned``); later it
    counts as used. Refused with 422 ``closed`` when already declined or cancelled."""
    member = _member(request)
    session = access_session(member, session_id)
    actions.do_cancel_session(session, member=member)
    return _answer(member, session)
