from __future__ import annotations

from celery import shared_task

from .delivery import deliver, stale_email_ids


@shared_task(name="notifications.deliver_email")
def deliver_email(email_id: int) -> str:
    """Send one queued email; safe to run twice (the second run finds it claimed)."""
    return deliver(email_id)


@shared_task(name="notifications.retry_stale_emails")
def retry_stale_emails() -> int:
    """Deliver emails left queued (the periodic safety net behind ``deliver_email``)."""
    ids = stale_email_ids()
    for email_id in ids:
        deliver(email_id)
    return len(ids)
