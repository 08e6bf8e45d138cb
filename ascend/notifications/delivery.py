"""Sending a recorded email and tracking what the provider says about it."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django.utils.html import escape, linebreaks
from django_scopes import scopes_disabled

from .models import DeliveryState, OutboundEmail

logger = logging.getLogger(__name__)


def from_address(workspace_name: str) -> str:
    """Emails go out under the workspace's name, from the platform's address."""
    from email.utils import formataddr, parseaddr

    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((workspace_name, address))


def deliver(email_id: int) -> str:
    """Claim the email with a conditional update, send it, and record the outcome."""
    with scopes_disabled():
        claimed = OutboundEmail.objects.filter(
            id=email_id, state=DeliveryState.QUEUED, claimed_at__isnull=True
        ).update(claimed_at=timezone.now())
        if not claimed:
            return "skipped"
        email = OutboundEmail.objects.select_related("workspace").get(id=email_id)
        message = EmailMultiAlternatives(
            subject=email.subject,
            body=email.body,
            from_email=from_address(email.workspace.name),
            to=[email.to],
        )
        message.attach_alternative(linebreaks(escape(email.body)), "text/html")
        now = timezone.now()
        try:
            message.send()
        except Exception as exc:  # noqa: BLE001 - any transport failure is recorded on the row
            logger.warning("Email %s failed: %s", email_id, exc)
            OutboundEmail.objects.filter(id=email_id).update(
                state=DeliveryState.FAILED, error=str(exc)[:2000], state_changed_at=now
            )
            return "failed"
        status = getattr(message, "anymail_status", None)
        message_id = getattr(status, "message_id", None) or ""
        OutboundEmail.objects.filter(id=email_id).update(
            state=DeliveryState.SENT,
            sent_at=now,
            state_changed_at=now,
            provider_message_id=str(message_id or ""),
        )
        return "sent"


TRACKING_STATES = {
    "delivered": DeliveryState.DELIVERED,
    "bounced": DeliveryState.BOUNCED,
    "rejected": DeliveryState.BOUNCED,
    "complained": DeliveryState.BOUNCED,
    "failed": DeliveryState.FAILED,
}


def record_tracking_event(message_id: str, event_type: str, description: str = "") -> int:
    """Apply a provider's delivery event to the outbox rows with that message id."""
    state = TRACKING_STATES.get(event_type)
    if not state or not message_id:
        return 0
    with scopes_disabled():
        return OutboundEmail.objects.filter(provider_message_id=message_id).update(
            state=state, error=description[:2000], state_changed_at=timezone.now()
        )
