"""Sending a recorded email and tracking what the provider says about it."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

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
        # Anymail backends report the provider's id, which later tracking events name;
        # any value but None counts (a provider may well number its messages from 0).
        status = getattr(message, "anymail_status", None)
        message_id = getattr(status, "message_id", None)
        OutboundEmail.objects.filter(id=email_id).update(
            state=DeliveryState.SENT,
            sent_at=now,
            state_changed_at=now,
            provider_message_id="" if message_id is None else str(message_id),
        )
        return "sent"


TRACKING_STATES = {
    "delivered": DeliveryState.DELIVERED,
    "bounced": DeliveryState.BOUNCED,
    "rejected": DeliveryState.BOUNCED,
    "complained": DeliveryState.BOUNCED,
    "failed": DeliveryState.FAILED,
}

# Providers post events out of order: a late "delivered" must not hide a bounce or a
# failure, while a bounce may still follow a delivery (some servers bounce after accepting).
STATES_A_TRACKING_EVENT_MAY_REPLACE = {
    DeliveryState.DELIVERED: [DeliveryState.QUEUED, DeliveryState.SENT],
    DeliveryState.BOUNCED: [DeliveryState.QUEUED, DeliveryState.SENT, DeliveryState.DELIVERED],
    DeliveryState.FAILED: [DeliveryState.QUEUED, DeliveryState.SENT, DeliveryState.DELIVERED],
}


def record_tracking_event(message_id: str, event_type: str, description: str = "") -> int:
    """Apply a provider's delivery event to the outbox rows with that message id.

    Delivered only follows queued or sent; bounced and failed follow anything but
    each other, so the first bad news is the one kept. Other event types (opened,
    clicked, deferred…) change nothing.
    """
    state = TRACKING_STATES.get(event_type)
    if not state or not message_id:
        return 0
    with scopes_disabled():
        return OutboundEmail.objects.filter(
            provider_message_id=message_id,
            state__in=STATES_A_TRACKING_EVENT_MAY_REPLACE[state],
        ).update(state=state, error=description[:2000], state_changed_at=timezone.now())


STALE_AFTER = timedelta(minutes=10)


def stale_email_ids(now: datetime | None = None) -> list[int]:
    """Emails still queued and never claimed ten minutes after they were recorded.

    They are the ones whose queuing failed (a broker outage) or whose task was lost;
    delivering them again is safe because ``deliver`` claims each row first.
    """
    cutoff = (now or timezone.now()) - STALE_AFTER
    with scopes_disabled():
        return list(
            OutboundEmail.objects.filter(
                state=DeliveryState.QUEUED, claimed_at__isnull=True, created_at__lt=cutoff
            )
            .order_by("id")
            .values_list("id", flat=True)[:500]
        )
