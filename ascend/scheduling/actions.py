"""Every change to session requests.

Rules: a client asks their own coach (``messaging.access.coaches_of_client``) for a
time in the future; the coach accepts, proposes another time or declines; the
client accepts or refuses a proposal. Accepting takes one credit from the client's
packages (``billing.packages.do_use_credit``: the earliest-expiring package valid
that day); nothing is accepted without a credit. Either side may cancel; before the
workspace's cut-off the credit is given back.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ascend.activity.actions import record_event
from ascend.activity.verbs import Verb
from ascend.billing.models import PackageKind
from ascend.billing.packages import do_return_credit, do_use_credit
from ascend.lib.errors import field_error
from ascend.messaging.access import coaches_of_client
from ascend.notifications.inapp import notify
from ascend.tenancy.models import Membership

from .models import SessionRequest, SessionStatus
from .rules import cancellation_refunds

REQUESTED = gettext_lazy("%(client)s asked for a session on %(when)s.")
ACCEPTED = gettext_lazy("%(coach)s accepted your session on %(when)s.")
PROPOSED = gettext_lazy("%(coach)s proposed another time for your session: %(when)s.")
DECLINED = gettext_lazy("%(coach)s declined your session request for %(when)s.")
PROPOSAL_ACCEPTED = gettext_lazy("%(client)s accepted the time you proposed: %(when)s.")
CANCELLED = gettext_lazy("%(who)s cancelled the session on %(when)s.")


def _when(member: Membership, at: datetime) -> str:
    zone = zoneinfo.ZoneInfo(member.user.time_zone or member.workspace.time_zone)
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _tell(member: Membership, text: Any, url_name: str, **params: str) -> None:
    notify(member.workspace, member.user, text, url=reverse(url_name), params=params)


def _check_future(at: datetime, field: str) -> None:
    if at <= timezone.now():
        raise field_error(field, _("Choose a time in the future."), "in_the_past")


def _lock(request: SessionRequest) -> SessionRequest:
    return (
        SessionRequest.objects.select_for_update()
        .select_related("client__user", "coach__user", "workspace")
        .get(pk=request.pk)
    )


def _coach_answering(
    request: SessionRequest, coach: Membership, open_states: set[str]
) -> SessionRequest:
    """The request, locked, when ``coach`` is its coach and it is still in ``open_states``."""
    request = _lock(request)
    if request.coach_id != coach.pk:
        raise field_error("session", _("Only the client's coach can answer."), "not_your_session")
    if request.status not in open_states:
        raise field_error("session", _("This request was already answered."), "already_answered")
    return request


@transaction.atomic
def do_request_session(
    client: Membership,
    *,
    coach: Membership,
    starts_at: datetime,
    duration_minutes: int = 60,
    note: str = "",
) -> SessionRequest:
    """A client asks their coach for a session at a time in the future."""
    if not client.is_client or not client.is_active:
        raise field_error("coach", _("Only clients request sessions."), "not_a_client")
    if not coaches_of_client(client).filter(pk=coach.pk).exists():
        raise field_error("coach", _("Choose your coach."), "not_your_coach")
    _check_future(starts_at, "starts_at")
    request = SessionRequest(
        workspace=client.workspace,
        client=client,
        coach=coach,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        note=(note or "").strip(),
    )
    request.full_clean()
    request.save()
    record_event(client.workspace, Verb.SESSION_REQUESTED, actor=client.user, target=request)
    _tell(
        coach,
        REQUESTED,
        "scheduling:coach_sessions",
        client=str(client.user),
        when=_when(coach, starts_at),
    )
    return request


def _take_credit(request: SessionRequest, actor: Any) -> None:
    zone = zoneinfo.ZoneInfo(request.workspace.time_zone)
    day = request.starts_at.astimezone(zone).date()
    try:
        use = do_use_credit(request.client, day=day, kind=PackageKind.ONE_TO_ONE, actor=actor)
    except ValidationError:
        raise field_error(
            "starts_at",
            _("%(client)s has no package covering a session that day.")
            % {"client": request.client.user},
            "no_credit",
        ) from None
    request.credit_use = use


@transaction.atomic
def do_accept_session(request: SessionRequest, *, coach: Membership) -> SessionRequest:
    """The coach accepts the requested time: one credit is taken from the client's packages."""
    request = _coach_answering(request, coach, {SessionStatus.REQUESTED})
    _check_future(request.starts_at, "starts_at")
    _take_credit(request, coach.user)
    request.status = SessionStatus.ACCEPTED
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at", "credit_use"])
    record_event(request.workspace, Verb.SESSION_ACCEPTED, actor=coach.user, target=request)
    _tell(
        request.client,
        ACCEPTED,
        "scheduling:client_sessions",
        coach=str(coach.user),
        when=_when(request.client, request.starts_at),
    )
    return request


@transaction.atomic
def do_propose_time(
    request: SessionRequest, *, coach: Membership, starts_at: datetime
) -> SessionRequest:
    """The coach proposes another time; the client answers it."""
    request = _coach_answering(request, coach, {SessionStatus.REQUESTED, SessionStatus.PROPOSED})
    _check_future(starts_at, "starts_at")
    request.status = SessionStatus.PROPOSED
    request.proposed_starts_at = starts_at
    request.save(update_fields=["status", "proposed_starts_at"])
    record_event(request.workspace, Verb.SESSION_PROPOSED, actor=coach.user, target=request)
    _tell(
        request.client,
        PROPOSED,
        "scheduling:client_sessions",
        coach=str(coach.user),
        when=_when(request.client, starts_at),
    )
    return request


@transaction.atomic
def do_decline_session(
    request: SessionRequest, *, coach: Membership, reason: str = ""
) -> SessionRequest:
    """The coach declines the request (with an optional reason for the client)."""
    request = _coach_answering(request, coach, {SessionStatus.REQUESTED, SessionStatus.PROPOSED})
    request.status = SessionStatus.DECLINED
    request.decline_reason = (reason or "").strip()[:300]
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decline_reason", "decided_at"])
    record_event(request.workspace, Verb.SESSION_DECLINED, actor=coach.user, target=request)
    _tell(
        request.client,
        DECLINED,
        "scheduling:client_sessions",
        coach=str(coach.user),
        when=_when(request.client, request.starts_at),
    )
    return request


@transaction.atomic
def do_accept_proposal(request: SessionRequest, *, client: Membership) -> SessionRequest:
    """The client takes the coach's proposed time: it becomes the session, and a credit is used."""
    request = _lock(request)
    if request.client_id != client.pk:
        raise field_error("session", _("This isn't your session."), "not_your_session")
    if request.status != SessionStatus.PROPOSED or request.proposed_starts_at is None:
        raise field_error("session", _("There is no proposal to accept."), "no_proposal")
    _check_future(request.proposed_starts_at, "starts_at")
    request.starts_at = request.proposed_starts_at
    request.proposed_starts_at = None
    _take_credit(request, client.user)
    request.status = SessionStatus.ACCEPTED
    request.decided_at = timezone.now()
    request.save(
        update_fields=["starts_at", "proposed_starts_at", "status", "decided_at", "credit_use"]
    )
    record_event(request.workspace, Verb.SESSION_ACCEPTED, actor=client.user, target=request)
    _tell(
        request.coach,
        PROPOSAL_ACCEPTED,
        "scheduling:coach_sessions",
        client=str(client.user),
        when=_when(request.coach, request.starts_at),
    )
    return request


@transaction.atomic
def do_cancel_session(request: SessionRequest, *, member: Membership) -> SessionRequest:
    """The client or the coach cancels. An accepted session cancelled before the cut-off
    gives its credit back (``rules.cancellation_refunds``); a later one keeps it used."""
    request = _lock(request)
    if member.pk not in {request.client_id, request.coach_id}:
        raise field_error("session", _("This isn't your session."), "not_your_session")
    if request.status in {SessionStatus.DECLINED, SessionStatus.CANCELLED}:
        raise field_error("session", _("This session is already closed."), "closed")
    now = timezone.now()
    refund = False
    if request.status == SessionStatus.ACCEPTED and request.credit_use is not None:
        refund = cancellation_refunds(
            request.starts_at, now, request.workspace.session_cancel_cutoff_hours
        )
        if refund:
            do_return_credit(request.credit_use, actor=member.user)
    request.status = SessionStatus.CANCELLED
    request.cancelled_at = now
    request.cancelled_by = member.user
    request.credit_returned = refund
    request.save(update_fields=["status", "cancelled_at", "cancelled_by", "credit_returned"])
    record_event(
        request.workspace,
        Verb.SESSION_CANCELLED,
        actor=member.user,
        target=request,
        data={"credit_returned": refund},
    )
    other = request.coach if member.pk == request.client_id else request.client
    _tell(
        other,
        CANCELLED,
        "scheduling:coach_sessions"
        if other.pk == request.coach_id
        else "scheduling:client_sessions",
        who=str(member.user),
        when=_when(other, request.starts_at),
    )
    return request
