"""Messaging's periodic work for Celery beat; ``manage.py messaging_unread`` runs the same."""

from __future__ import annotations

from celery import shared_task

from .notices import send_unread_emails


@shared_task(name="messaging.send_unread_emails")
def unread_emails() -> int:
    """Email people about messages left unread; one email per unread run, safe twice at once."""
    return send_unread_emails()
