"""Telling the coach and their head coach of an audit: in-app and by email."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ascend.lib.urls import workspace_url
from ascend.messaging.links import conversation_url
from ascend.notifications.inapp import notify
from ascend.notifications.outbox import recipient_language, send_email

from .models import Audit

AUDITED = _("%(auditor)s audited your reply to %(client)s: %(grade)s.")
AUDITED_LEADER = _("%(auditor)s audited %(coach)s's reply to %(client)s: %(grade)s.")


def _client_name(audit: Audit) -> str:
    conversation = audit.conversation
    if conversation.client_id:
        return str(conversation.client.user)
    return conversation.cohort.name if conversation.cohort_id else ""


def notify_audited(audit: Audit) -> None:
    """The coach gets a copy of the audit, and so does the head coach who leads them.

    Both are recorded in the audit's transaction; emails leave once it commits.
    """
    readers = [(audit.coach, AUDITED)]
    leader = audit.coach.team_leader
    if leader is not None and leader.is_active and leader.pk != audit.coach_id:
        readers.append((leader, AUDITED_LEADER))
    for member, text in readers:
        path = conversation_url(member, audit.conversation_id) + f"#message-{audit.message_id}"
        user = member.user
        language = recipient_language(audit.workspace, user)
        with translation.override(language):
            grade = str(audit.get_grade_display())
        params = {
            "auditor": str(audit.auditor.user),
            "coach": str(audit.coach.user),
            "client": _client_name(audit),
            "grade": grade,
        }
        notify(audit.workspace, user, text, url=path, params=params)
        send_email(
            workspace=audit.workspace,
            to=user.email,
            user=user,
            template="message_audited",
            context={
                "recipient_name": user.get_short_name(),
                "auditor_name": params["auditor"],
                "coach_name": params["coach"],
                "client_name": params["client"],
                "grade": grade,
                "feedback": audit.feedback,
                "conversation_url": workspace_url(audit.workspace, path),
            },
        )
