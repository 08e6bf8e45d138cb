"""Session pages: clients request and follow their sessions, coaches answer them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascend.billing.views_packages import client_holdings
from ascend.lib.forms import apply_validation_error
from ascend.messaging.access import coaches_of_client
from ascend.tenancy.access import capability_required, member_required
from ascend.tenancy.capabilities import Cap
from ascend.tenancy.models import Membership

from . import actions
from .forms import DeclineForm, ProposeTimeForm, RequestSessionForm
from .models import SessionRequest, SessionStatus

OPEN = [SessionStatus.REQUESTED, SessionStatus.PROPOSED, SessionStatus.ACCEPTED]


def _sessions(**where: Any) -> QuerySet[SessionRequest]:
    return SessionRequest.objects.filter(**where).select_related("client__user", "coach__user")


def access_session(member: Membership, session_id: int) -> SessionRequest:
    """A session the member takes part in (as its client or its coach), or 404."""
    session = (
        _sessions(workspace=member.workspace, pk=session_id)
        .filter(Q(client=member) | Q(coach=member))
        .first()
    )
    if session is None:
        raise Http404
    return session


def _split(sessions: QuerySet[SessionRequest]) -> dict[str, list[SessionRequest]]:
    now = timezone.now()
    upcoming, past = [], []
    for s in sessions:
        (upcoming if s.status in OPEN and s.starts_at >= now else past).append(s)
    past.sort(key=lambda s: s.starts_at, reverse=True)
    return {"upcoming": upcoming, "past": past[:30]}


@capability_required(Cap.PORTAL_CLIENT)
def client_sessions(request: HttpRequest) -> HttpResponse:
    member = request.membership
    coaches = coaches_of_client(member).select_related("user")
    form = RequestSessionForm(request.POST or None, coaches=coaches)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_request_session(
                member,
                coach=form.cleaned_data["coach"],
                starts_at=form.cleaned_data["starts_at"],
                duration_minutes=form.cleaned_data["duration_minutes"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your request was sent to your coach."))
            return redirect("scheduling:client_sessions")
    context = {
        "form": form,
        "has_coach": coaches.exists(),
        "holdings": client_holdings(member),
        **_split(_sessions(workspace=member.workspace, client=member)),
    }
    return render(
        request, "scheduling/client_sessions.html", context, status=422 if form.errors else 200
    )


@capability_required(Cap.PORTAL_COACH)
def coach_sessions(request: HttpRequest) -> HttpResponse:
    member = request.membership
    sessions = _sessions(workspace=member.workspace, coach=member)
    return render(
        request,
        "scheduling/coach_sessions.html",
        {
            "propose_form": ProposeTimeForm(),
            "decline_form": DeclineForm(),
            "waiting": [s for s in sessions if s.status == SessionStatus.REQUESTED],
            **_split(sessions),
        },
    )


def _answer(
    request: HttpRequest,
    session_id: int,
    run: Callable[[SessionRequest, Membership], Any],
    done: str,
    back: str,
) -> HttpResponse:
    session = access_session(request.membership, session_id)
    try:
        run(session, request.membership)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(back)


@require_POST
@capability_required(Cap.PORTAL_COACH)
def accept(request: HttpRequest, session_id: int) -> HttpResponse:
    return _answer(
        request,
        session_id,
        lambda s, m: actions.do_accept_session(s, coach=m),
        _("Session accepted: one session was taken from the client's package."),
        "scheduling:coach_sessions",
    )


@require_POST
@capability_required(Cap.PORTAL_COACH)
def propose(request: HttpRequest, session_id: int) -> HttpResponse:
    form = ProposeTimeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the time you propose."))
        return redirect("scheduling:coach_sessions")
    return _answer(
        request,
        session_id,
        lambda s, m: actions.do_propose_time(s, coach=m, starts_at=form.cleaned_data["starts_at"]),
        _("Your proposal was sent to the client."),
        "scheduling:coach_sessions",
    )


@require_POST
@capability_required(Cap.PORTAL_COACH)
def decline(request: HttpRequest, session_id: int) -> HttpResponse:
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _answer(
        request,
        session_id,
        lambda s, m: actions.do_decline_session(s, coach=m, reason=reason),
        _("The request was declined."),
        "scheduling:coach_sessions",
    )


@require_POST
@capability_required(Cap.PORTAL_CLIENT)
def accept_proposal(request: HttpRequest, session_id: int) -> HttpResponse:
    return _answer(
        request,
        session_id,
        lambda s, m: actions.do_accept_proposal(s, client=m),
        _("Session booked at the time your coach proposed."),
        "scheduling:client_sessions",
    )


@require_POST
@member_required
def cancel(request: HttpRequest, session_id: int) -> HttpResponse:
    back = (
        "scheduling:client_sessions"
        if request.membership.is_client
        else "scheduling:coach_sessions"
    )
    return _answer(
        request,
        session_id,
        lambda s, m: actions.do_cancel_session(s, member=m),
        _("The session was cancelled."),
        back,
    )
