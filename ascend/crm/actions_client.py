"""Every change on the client's side of coaching: onboarding, the coach's greeting,
tasks and notes (seed 002: "viewing any tasks or notes provided by their coach")."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ascend.activity.actions import record_event
from ascend.activity.verbs import Verb
from ascend.lib.errors import field_error
from ascend.lib.markup import render_markdown
from ascend.programs.models import Enrollment
from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership, validate_time_zone

from .models import (
    ONBOARDING_ORDER,
    ClientNote,
    ClientProfile,
    ClientTask,
    CoachGreeting,
    Contact,
    OnboardingStep,
)

GREETING_MAX = 4000
NOTE_MAX = 10000


# Onboarding ------------------------------------------------------------------------------


def step_index(step: str) -> int:
    return ONBOARDING_ORDER.index(OnboardingStep(step))


@transaction.atomic
def do_save_onboarding_step(
    profile: ClientProfile,
    step: str,
    *,
    actor: Any,
    full_name: str = "",
    phone: str = "",
    goals: str = "",
    time_zone: str = "",
    consent: bool = False,
) -> ClientProfile:
    """Save one onboarding step and move the client on to the next.

    Rules: steps go profile → goals → time zone → consent → done; a step may be
    saved when reached (going back to change one is fine, skipping ahead is not).
    Profile: a name is required, the phone is optional. Goals may be left empty.
    Time zone: one of the known zones, or empty for the workspace's. Consent must
    be given; it is stamped in ``consent_at`` and finishes the onboarding.
    """
    profile = (
        ClientProfile.objects.select_for_update().select_related("member__user").get(pk=profile.pk)
    )
    step = OnboardingStep(step)
    if step == OnboardingStep.DONE or step_index(step) > step_index(profile.step):
        raise ValidationError(_("Finish the steps before this one first."), code="step_ahead")
    user = profile.member.user
    if step == OnboardingStep.PROFILE:
        full_name = " ".join((full_name or "").split())
        if not full_name:
            raise field_error("full_name", _("Tell us your name."), "name_required")
        if len(full_name) > 150:
            raise field_error("full_name", _("Keep your name under 150 characters."), "too_long")
        user.full_name = full_name
        user.save(update_fields=["full_name"])
        profile.phone = (phone or "").strip()[:40]
    elif step == OnboardingStep.GOALS:
        profile.goals = (goals or "").strip()
    elif step == OnboardingStep.TIME_ZONE:
        time_zone = (time_zone or "").strip()
        if time_zone:
            try:
                validate_time_zone(time_zone)
            except ValidationError:
                raise field_error(
                    "time_zone", _("Choose a time zone from the list."), "bad_time_zone"
                ) from None
        user.time_zone = time_zone
        user.save(update_fields=["time_zone"])
    elif step == OnboardingStep.CONSENT:
        if not consent:
            raise field_error(
                "consent", _("Tick the box to agree before you go on."), "consent_required"
            )
        if profile.consent_at is None:
            profile.consent_at = timezone.now()
    following = ONBOARDING_ORDER[step_index(step) + 1]
    if step_index(following) > step_index(profile.step):
        profile.step = following
    finished = profile.step == OnboardingStep.DONE and profile.onboarded_at is None
    if finished:
        profile.onboarded_at = timezone.now()
    profile.save()
    workspace = profile.member.workspace
    record_event(
        workspace, Verb.ONBOARDING_STEP_SAVED, actor=actor, target=profile.member,
        data={"step": step.value},
    )  # fmt: skip
    if finished:
        record_event(workspace, Verb.CLIENT_ONBOARDED, actor=actor, target=profile.member)
    return profile


# The coach's greeting --------------------------------------------------------------------


@transaction.atomic
def do_save_greeting(coach: Membership, *, actor: Any, text: str) -> CoachGreeting | None:
    """Write the greeting a coach's clients see on their dashboard (markdown, cleaned).

    Rules: only coaches have a greeting; it is at most 4,000 characters; saving
    an empty text removes it.
    """
    if not (coach.is_active and coach.is_coach):
        raise ValidationError(_("Only coaches write a greeting."), code="not_a_coach")
    text = (text or "").strip()
    if len(text) > GREETING_MAX:
        raise field_error(
            "text",
            _("Keep the greeting under %(n)d characters.") % {"n": GREETING_MAX},
            "too_long",
        )
    greeting = CoachGreeting.objects.filter(coach=coach).first()
    if not text:
        if greeting is not None:
            greeting.delete()
            record_event(coach.workspace, Verb.GREETING_SAVED, actor=actor, target=coach)
        return None
    greeting = greeting or CoachGreeting(workspace=coach.workspace, coach=coach)
    greeting.text = text
    greeting.text_html = render_markdown(text)
    greeting.save()
    record_event(coach.workspace, Verb.GREETING_SAVED, actor=actor, target=coach)
    return greeting


# Tasks and notes -------------------------------------------------------------------------


def may_coach_client(member: Membership, client: Membership) -> bool:
    """Whether the member may give this client tasks and notes.

    Rules: admins (who see every client) may, for any client of the workspace; a
    coach may for their own clients — contacts they coach who became clients, and
    clients in the coach's active cohorts; nobody else may.
    """
    if not (member.is_active and client.is_active and client.is_client):
        return False
    if member.workspace_id != client.workspace_id:
        return False
    if can(member, Cap.CLIENTS_VIEW_ALL):
        return True
    if not member.is_coach:
        return False
    return (
        Contact.objects.filter(workspace=member.workspace_id, member=client, coach=member).exists()
        or Enrollment.objects.filter(
            workspace=member.workspace_id, client=client, cohort__coach=member,
            ended_at__isnull=True,
        ).exists()
    )  # fmt: skip


def _coach_for(client: Membership, actor: Membership) -> Membership:
    """Whose task or note it is: the actor if a coach, else the client's coach, else the actor."""
    if actor.is_coach:
        return actor
    contact = Contact.objects.filter(member=client, coach__isnull=False).select_related("coach")
    found = contact.first()
    return found.coach if found and found.coach else actor


def _check_may_coach(actor: Membership, client: Membership) -> None:
    if not may_coach_client(actor, client):
        raise ValidationError(
            _("Only the client's coach or an admin may do that."), code="not_your_client"
        )


@transaction.atomic
def do_add_task(
    client: Membership, *, actor: Membership, title: str, due_on: date | None = None
) -> ClientTask:
    """Give a client a task, with an optional due date.

    Rules: the client's coach or an admin (``may_coach_client``); a title of 1–200
    characters; the due date may be any day (a date in the past shows as late).
    """
    _check_may_coach(actor, client)
    title = " ".join((title or "").split())
    if not title:
        raise field_error("title", _("Say what the task is."), "title_required")
    if len(title) > 200:
        raise field_error("title", _("Keep the task under 200 characters."), "too_long")
    task = ClientTask.objects.create(
        workspace=client.workspace,
        client=client,
        coach=_coach_for(client, actor),
        title=title,
        due_on=due_on,
    )
    record_event(
        client.workspace, Verb.CLIENT_TASK_ADDED, actor=actor.user, target=client,
        data={"task": task.pk},
    )  # fmt: skip
    return task


@transaction.atomic
def do_tick_task(task: ClientTask, *, actor: Membership, done: bool) -> ClientTask:
    """Tick (or untick) a task.

    Rules: only the client the task was given to ticks it; the client, or whoever may
    coach them (``may_coach_client``), unticks it (a tick given by mistake).
    """
    if actor.pk == task.client_id:
        allowed = actor.is_active
    else:
        allowed = not done and may_coach_client(actor, task.client)
    if not allowed:
        raise ValidationError(_("Only the client ticks their own tasks."), code="not_your_task")
    task = ClientTask.objects.select_for_update().get(pk=task.pk)
    if done == (task.done_at is not None):
        return task
    task.done_at = timezone.now() if done else None
    task.save(update_fields=["done_at"])
    record_event(
        task.workspace, Verb.CLIENT_TASK_TICKED, actor=actor.user, target=task,
        data={"done": done},
    )  # fmt: skip
    return task


@transaction.atomic
def do_add_client_note(
    client: Membership, *, actor: Membership, body: str, shared: bool = False
) -> ClientNote:
    """Write a note about a client: private (the coaches and admins only) or shared with them.

    Rules: the client's coach or an admin (``may_coach_client``); a text of at most
    10,000 characters, markdown cleaned of anything but formatting. A private note
    is never shown to the client.
    """
    _check_may_coach(actor, client)
    body = (body or "").strip()
    if not body:
        raise field_error("body", _("Write the note first."), "body_required")
    if len(body) > NOTE_MAX:
        raise field_error(
            "body", _("Keep the note under %(n)d characters.") % {"n": NOTE_MAX}, "too_long"
        )
    note = ClientNote.objects.create(
        workspace=client.workspace,
        client=client,
        coach=_coach_for(client, actor),
        body=body,
        body_html=render_markdown(body),
        shared=shared,
    )
    record_event(
        client.workspace, Verb.CLIENT_NOTE_ADDED, actor=actor.user, target=client,
        data={"note": note.pk, "shared": shared},
    )  # fmt: skip
    return note
