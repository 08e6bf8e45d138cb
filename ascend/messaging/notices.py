"""One email per unread run: a message left unread for the workspace's N minutes.

The ``messaging_unread`` job (every minute, Celery beat or ``manage.py
messaging_unread --loop``) finds participants whose oldest unread message is older
than their workspace's ``unread_email_minutes`` and who haven't been emailed for
this run; each is claimed with a conditional UPDATE, so two runs at once send one
email. Reading the conversation ends the run; the next unread message starts a
new one.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from ascend.lib.urls import workspace_url

from .links import conversation_url
from .models import ConversationKind, Message, Participant

PREVIEW_CHARS = 200


def _conversation_name(seat: Participant, sender) -> str:  # type: ignore[no-untyped-def]
    conversation = seat.conversation
    if conversation.kind == ConversationKind.COHORT and conversation.cohort is not None:
        return _("the group of %(cohort)s") % {"cohort": conversation.cohort.name}
    return _("your conversation with %(name)s") % {"name": str(sender.user)}


def send_unread_emails(now: datetime | None = None) -> int:
    """Email every participant whose unread run is old enough; returns how many were sent."""
    from ascend.notifications.outbox import recipient_language, send_email

    now = now or timezone.now()
    sent = 0
    with scopes_disabled():
        candidates = list(
            Participant.objects.filter(
                unread_since__isnull=False,
                unread_emailed_at__isnull=True,
                unread_since__lte=now - timedelta(minutes=1),
            ).select_related("workspace", "member__user", "conversation__cohort")
        )
    for seat in candidates:
        workspace = seat.workspace
        if seat.unread_since > now - timedelta(minutes=workspace.unread_email_minutes):
            continue
        with scope(workspace=workspace), transaction.atomic():
            claimed = Participant.objects.filter(
                pk=seat.pk, unread_emailed_at__isnull=True, unread_since=seat.unread_since
            ).update(unread_emailed_at=now)
            if not claimed:
                continue  # read meanwhile, or another run of the job sent it
            first = (
                Message.objects.filter(
                    conversation_id=seat.conversation_id, created_at__gte=seat.unread_since
                )
                .exclude(author=seat.member)
                .select_related("author__user")
                .order_by("created_at", "id")
                .first()
            )
            if first is None:
                continue
            user = seat.member.user
            with translation.override(recipient_language(workspace, user)):
                name = _conversation_name(seat, first.author)
            path = conversation_url(seat.member, seat.conversation_id)
            send_email(
                workspace=workspace,
                to=user.email,
                user=user,
                template="unread_messages",
                context={
                    "recipient_name": user.get_short_name(),
                    "sender_name": str(first.author.user),
                    "conversation_name": name,
                    "unread_count": seat.unread_count,
                    "preview": first.body[:PREVIEW_CHARS],
                    "conversation_url": workspace_url(workspace, path),
                },
            )
            sent += 1
    return sent
