"""The programs' notices, each sent once through the outbox, and the daily job that finds them."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django_scopes import scope, scopes_disabled

from ascend.lib.urls import workspace_url
from ascend.notifications.outbox import send_email
from ascend.tenancy.queries import members

from . import rules
from .models import Enrollment, OffTrackSpell
from .progress import client_time_zone, progress_for
from .queries import enrollments_with_content
from .tracking import update_off_track


def _client_context(enrollment: Enrollment) -> dict[str, str]:
    user = enrollment.client.user
    with translation.override(user.language or enrollment.workspace.default_language):
        start = formats.date_format(enrollment.start_date, "DATE_FORMAT")
    return {
        "recipient_name": user.get_short_name(),
        "program_title": enrollment.program.title,
        "cohort_name": enrollment.cohort.name,
        "coach_name": str(enrollment.cohort.coach.user),
        "start_date": start,
        "program_url": workspace_url(
            enrollment.workspace, reverse("programs:client_program", args=[enrollment.pk])
        ),
    }


def notify_enrolled(enrollment: Enrollment) -> None:
    """The client hears they are enrolled, with their start date and coach."""
    user = enrollment.client.user
    send_email(
        workspace=enrollment.workspace,
        to=user.email,
        user=user,
        template="program_enrolled",
        context=_client_context(enrollment),
    )


def notify_not_enrolled(subscription, program) -> None:  # type: ignore[no-untyped-def]
    """Admins hear that a subscriber could not be placed: the program has no open cohort."""
    workspace = subscription.workspace
    for admin in members(workspace).filter(Q(is_owner=True) | Q(is_admin=True)):
        send_email(
            workspace=workspace,
            to=admin.user.email,
            user=admin.user,
            template="program_not_enrolled",
            context={
                "recipient_name": admin.user.get_short_name(),
                "client_name": str(subscription.client.user),
                "plan_name": subscription.plan.name,
                "program_title": program.title,
                "cohorts_url": workspace_url(
                    workspace, reverse("programs:team_program", args=[program.pk])
                ),
            },
        )


def send_start_notices(now: datetime) -> int:
    """Clients of fixed cohorts hear the day before they start, once (claimed with an UPDATE)."""
    sent = 0
    candidates = Enrollment.objects.filter(
        ended_at__isnull=True,
        start_notice_sent_at__isnull=True,
        cohort__kind="fixed",
        start_date__gt=now.date() - timedelta(days=1),
        start_date__lte=now.date() + timedelta(days=2),
    ).select_related("workspace", "client__user", "cohort__coach__user", "program")
    for enrollment in candidates:
        tomorrow = rules.client_today(client_time_zone(enrollment), now) + timedelta(days=1)
        if enrollment.start_date != tomorrow:
            continue
        claimed = Enrollment.objects.filter(
            pk=enrollment.pk, start_notice_sent_at__isnull=True
        ).update(start_notice_sent_at=now)
        if not claimed:
            continue
        with scope(workspace=enrollment.workspace):
            user = enrollment.client.user
            send_email(
                workspace=enrollment.workspace,
                to=user.email,
                user=user,
                template="cohort_starting",
                context=_client_context(enrollment),
            )
        sent += 1
    return sent


def reconcile_off_track(now: datetime) -> int:
    """Open and close off-track spells for every active enrolment (batched per workspace)."""
    changes = 0
    active = Enrollment.objects.filter(ended_at__isnull=True)
    workspace_ids = active.values_list("workspace_id", flat=True).distinct()
    for workspace_id in list(workspace_ids):
        batch = enrollments_with_content(active.filter(workspace_id=workspace_id))
        # The job's own instant, so a run for a given moment judges that moment's "today".
        progress = progress_for(batch, now=now)
        spells = {
            (s.enrollment_id, s.habit_id): s
            for s in OffTrackSpell.objects.filter(workspace_id=workspace_id, ended_at__isnull=True)
        }
        for entry in progress.values():
            enrollment = entry.enrollment
            with scope(workspace=enrollment.workspace):
                for state in entry.habits:
                    spell = spells.get((enrollment.id, state.habit.id))
                    if state.off_track != (spell is not None):
                        update_off_track(
                            enrollment,
                            state.habit,
                            due=state.due_dates,
                            today=entry.today,
                            checked=state.checked,
                            open_spell=spell,
                        )
                        changes += 1
    return changes


def send_off_track_notices(now: datetime) -> int:
    """The client and their coach hear once per spell that a habit went off track."""
    sent = 0
    spells = OffTrackSpell.objects.filter(
        ended_at__isnull=True, notified_at__isnull=True
    ).select_related(
        "workspace",
        "habit",
        "enrollment__client__user",
        "enrollment__cohort__coach__user",
        "enrollment__program",
        "enrollment__workspace",
    )
    for spell in spells:
        if not OffTrackSpell.objects.filter(pk=spell.pk, notified_at__isnull=True).update(
            notified_at=now
        ):
            continue
        enrollment = spell.enrollment
        context = {**_client_context(enrollment), "habit_title": spell.habit.title}
        with scope(workspace=enrollment.workspace):
            client = enrollment.client.user
            coach = enrollment.cohort.coach.user
            send_email(
                workspace=enrollment.workspace,
                to=client.email,
                user=client,
                template="habit_off_track_client",
                context=context,
            )
            send_email(
                workspace=enrollment.workspace,
                to=coach.email,
                user=coach,
                template="habit_off_track_coach",
                context={
                    **context,
                    "recipient_name": coach.get_short_name(),
                    "client_name": str(client),
                },
            )
        sent += 1
    return sent


def run_daily(now: datetime | None = None) -> dict[str, int]:
    """The daily job: start notices, off-track spells and their notices.

    Safe to run twice, or twice at once: every notice is claimed before it is sent.
    """
    now = now or timezone.now()
    with scopes_disabled():
        return {
            "start_notices": send_start_notices(now),
            "off_track_changes": reconcile_off_track(now),
            "off_track_notices": send_off_track_notices(now),
        }
