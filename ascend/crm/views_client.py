"""The client's side: accepting an invitation, the onboarding, ticking tasks, and the
cards of the client dashboard (greeting, messages, tasks, shared notes)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascend.accounts.actions import InvitationUnusable
from ascend.accounts.forms import AcceptInvitationForm
from ascend.accounts.models import User
from ascend.lib.forms import apply_validation_error
from ascend.tenancy.access import capability_required
from ascend.tenancy.capabilities import Cap
from ascend.tenancy.models import Membership

from . import queries
from .actions import do_accept_client_invitation, find_client_invitation
from .actions_client import do_save_onboarding_step, do_tick_task, step_index
from .forms import ONBOARDING_FORMS
from .models import ONBOARDING_ORDER, ClientProfile, ClientTask, OnboardingStep

# Unknown links are "not found", like the staff flow; spent ones are "gone"; the
# wrong person (another account, a coach of the workspace) is "forbidden".
UNUSABLE_STATUS = {"unknown": 404, "used": 410, "revoked": 410, "expired": 410,
                   "account_exists": 403, "other_account": 403, "is_coach": 403}  # fmt: skip


def _unusable(request: HttpRequest, reason: str, invitation: Any = None) -> HttpResponse:
    return render(
        request,
        "crm/invitation_unusable.html",
        {"reason": reason, "invitation": invitation},
        status=UNUSABLE_STATUS.get(reason, 410),
    )


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Accept a client invitation: a new person sets a password and is signed in; someone
    with an account signs in first. Then the onboarding."""
    workspace = request.workspace  # type: ignore[attr-defined]
    try:
        invitation = find_client_invitation(workspace, token)
    except InvitationUnusable as unusable:
        return _unusable(request, unusable.reason)
    contact = invitation.contact
    existing = User.objects.filter(email__iexact=contact.email).first()
    signed_in = request.user.is_authenticated
    if signed_in and (existing is None or request.user.pk != existing.pk):
        return render(
            request,
            "crm/invitation_sign_in.html",
            {"invitation": invitation, "signed_in_as_other": True},
            status=403,
        )
    if existing is not None:
        if not signed_in:
            return render(
                request,
                "crm/invitation_sign_in.html",
                {
                    "invitation": invitation,
                    "login_url": f"{reverse('accounts:login')}?next={request.path}",
                },
            )
        member = request.membership  # type: ignore[attr-defined]
        if member is not None and member.is_coach:
            return _unusable(request, "is_coach", invitation)
        if request.method == "POST":
            return _accept(request, token, user=request.user)
        return render(request, "crm/invitation_confirm.html", {"invitation": invitation})
    form = AcceptInvitationForm(
        request.POST or None, email=contact.email, initial={"full_name": contact.full_name}
    )
    if request.method == "POST" and form.is_valid():
        return _accept(
            request,
            token,
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password1"],
        )
    return render(
        request,
        "crm/invitation_accept.html",
        {"invitation": invitation, "form": form},
        status=422 if form.errors else 200,
    )


def _accept(request: HttpRequest, token: str, **kwargs: Any) -> HttpResponse:
    try:
        membership = do_accept_client_invitation(request.workspace, token, **kwargs)  # type: ignore[attr-defined]
    except InvitationUnusable as unusable:
        return _unusable(request, unusable.reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(request.path)
    if not request.user.is_authenticated:
        login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(
        request,
        _("Welcome to %(workspace)s!") % {"workspace": request.workspace.name},  # type: ignore[attr-defined]
    )
    return redirect("crm:onboarding")


# Onboarding ------------------------------------------------------------------------------


def onboarding_pending(member: Membership) -> bool:
    """Whether the client still has onboarding to do (one query)."""
    return ClientProfile.objects.filter(member=member, onboarded_at__isnull=True).exists()


def _initial(profile: ClientProfile, step: str) -> dict[str, Any]:
    user = profile.member.user
    return {
        "profile": {"full_name": user.full_name, "phone": profile.phone},
        "goals": {"goals": profile.goals},
        "time_zone": {"time_zone": user.time_zone},
        "consent": {"consent": profile.consent_at is not None},
    }.get(step, {})


def _step_url(step: str) -> str:
    return f"{reverse('crm:onboarding')}?step={step}"


@capability_required(Cap.PORTAL_CLIENT)
def onboarding(request: HttpRequest) -> HttpResponse:
    """The onboarding, one step a page: profile → goals → time zone → consent → done."""
    member = request.membership  # type: ignore[attr-defined]
    profile = ClientProfile.objects.filter(member=member).select_related("member__user").first()
    if profile is None:
        return redirect("portals:client")
    try:
        step = OnboardingStep(request.GET.get("step") or profile.step)
    except ValueError:
        step = OnboardingStep(profile.step)
    if step_index(step) > step_index(profile.step):
        return redirect("crm:onboarding")
    form = None
    if step != OnboardingStep.DONE:
        form = ONBOARDING_FORMS[step](
            request.POST if request.method == "POST" else None, initial=_initial(profile, step)
        )
        if request.method == "POST" and form.is_valid():
            try:
                do_save_onboarding_step(profile, step, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                return redirect(_step_url(ONBOARDING_ORDER[step_index(step) + 1]))
    index = step_index(step)
    steps = [
        {
            "label": choice.label,
            "value": choice.value,
            "state": "current" if n == index else ("done" if n < index else "todo"),
            "reachable": n <= step_index(profile.step),
        }
        for n, choice in enumerate(ONBOARDING_ORDER)
    ]
    return render(
        request,
        "crm/onboarding.html",
        {
            "step": step.value,
            "step_label": step.label,
            "form": form,
            "steps": steps,
            "number": index + 1,
            "total": len(ONBOARDING_ORDER),
            "back_url": _step_url(ONBOARDING_ORDER[index - 1]) if 0 < index < 4 else "",
        },
        status=422 if form is not None and form.errors else 200,
    )


# Tasks -----------------------------------------------------------------------------------


def _with_phrase(task: ClientTask, today: date) -> ClientTask:
    from ascend.programs.views_client import due_phrase

    task.phrase = due_phrase(task.due_on, today) if task.due_on else ""  # type: ignore[attr-defined]
    task.late = bool(task.due_on and task.due_on < today and not task.done_at)  # type: ignore[attr-defined]
    return task


@require_POST
@capability_required(Cap.PORTAL_CLIENT)
def task_tick(request: HttpRequest, task_id: int) -> HttpResponse:
    """Tick or untick one of the client's own tasks: the row for htmx, else the dashboard."""
    from ascend.programs.actions import workspace_today

    member = request.membership  # type: ignore[attr-defined]
    task = ClientTask.objects.filter(workspace=member.workspace, client=member, pk=task_id).first()
    if task is None:
        raise Http404
    error = ""
    try:
        task = do_tick_task(task, actor=member, done=request.POST.get("done") in ("on", "1"))
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if not request.htmx:  # type: ignore[attr-defined]
        if error:
            messages.error(request, error)
        return redirect("portals:client")
    task = _with_phrase(task, workspace_today(member.workspace))
    return render(request, "crm/_task_row.html", {"task": task, "error": error})


# The dashboard's cards -------------------------------------------------------------------


def dashboard_cards(member: Membership, today: date) -> dict[str, Any]:
    """The coach (with their greeting), the client's tasks and the notes shared with them:
    three queries, however many tasks and notes there are."""
    coach = queries.coach_of_client(member)
    greeting = None
    if coach is not None:
        try:
            greeting = coach.greeting
        except ObjectDoesNotExist:
            greeting = None
    return {
        "my_coach": coach,
        "greeting": greeting,
        "tasks": [_with_phrase(t, today) for t in queries.tasks_of_client(member)],
        "shared_notes": queries.shared_notes(member),
    }
