"""Auditing coaches' replies and acknowledging the feedback."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ascend.activity.actions import record_event
from ascend.activity.verbs import Verb
from ascend.lib.errors import field_error
from ascend.messaging.access import visible_conversations
from ascend.messaging.models import Message
from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership

from .models import Audit, Grade
from .notices import notify_audited

MAX_FEEDBACK = 5_000


@transaction.atomic
def do_audit_message(message: Message, *, auditor: Membership, grade: str, feedback: str) -> Audit:
    """An auditor grades a coach's reply: outstanding, suggestion or needs improvement.

    Rules: only auditors, only coaches' replies they may read, one audit per reply,
    feedback written. The coach and their head coach are told (in-app and email).
    """
    if not can(auditor, Cap.MESSAGES_AUDIT):
        raise field_error("grade", _("Only auditors grade replies."), "not_auditor")
    if (
        message.workspace_id != auditor.workspace_id
        or not message.is_coach_reply
        or not visible_conversations(auditor).filter(pk=message.conversation_id).exists()
    ):
        raise field_error("message", _("Only a coach's reply can be audited."), "not_a_reply")
    if grade not in Grade.values:
        raise field_error("grade", _("Choose a grade."), "invalid_grade")
    feedback = (feedback or "").strip()
    if not feedback:
        raise field_error("feedback", _("Write the feedback for the coach."), "empty")
    if len(feedback) > MAX_FEEDBACK:
        raise field_error(
            "feedback", _("Keep it under %(n)d characters.") % {"n": MAX_FEEDBACK}, "too_long"
        )
    try:
        with transaction.atomic():
            audit = Audit.objects.create(
                workspace=message.workspace,
                message=message,
                conversation_id=message.conversation_id,
                coach=message.author,
                auditor=auditor,
                grade=grade,
                feedback=feedback,
            )
    except IntegrityError:
        raise field_error(
            "message", _("This reply has already been audited."), "already_audited"
        ) from None
    record_event(
        message.workspace,
        Verb.MESSAGE_AUDITED,
        actor=auditor.user,
        target=message.conversation,
        data={"grade": grade, "message": message.pk, "coach": message.author_id},
    )
    notify_audited(audit)
    return audit


@transaction.atomic
def do_acknowledge_audit(audit: Audit, *, coach: Membership) -> Audit:
    """The coach who wrote the reply confirms they have read the feedback (once)."""
    if audit.coach_id != coach.pk:
        raise field_error("audit", _("Only the coach audited can acknowledge."), "not_your_audit")
    if audit.acknowledged_at is None:
        audit.acknowledged_at = timezone.now()
        audit.save(update_fields=["acknowledged_at"])
        record_event(
            audit.workspace, Verb.AUDIT_ACKNOWLEDGED, actor=coach.user, target=audit.conversation
        )
    return audit
