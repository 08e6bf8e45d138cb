from __future__ import annotations

from anymail.signals import tracking
from django.dispatch import receiver

from .delivery import record_tracking_event


@receiver(tracking)
def on_tracking_event(sender, event, esp_name, **kwargs):  # type: ignore[no-untyped-def]
    """Bounces, complaints and deliveries reported by the email provider update the outbox."""
    # Providers put the reason in the description or only in the receiving server's reply.
    reason = event.description or event.mta_response or ""
    record_tracking_event(event.message_id or "", event.event_type, reason)
