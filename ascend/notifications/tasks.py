from __future__ import annotations

from celery import shared_task

from .delivery import deliver


@shared_task(name="notifications.deliver_email")
def deliver_email(email_id: int) -> str:
    """Send one queued email; safe to run twice (the second run finds it claimed)."""
    return deliver(email_id)
