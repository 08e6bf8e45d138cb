from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ascend.notifications.models import OutboundEmail
from ascend.notifications.outbox import send_email

pytestmark = pytest.mark.django_db


def queued_email(cast, minutes_ago: int) -> OutboundEmail:
    email = send_email(workspace=cast.alpha.workspace, to="x@example.com",
                       template="password_changed", context={"recipient_name": "X"})  # fmt: skip
    OutboundEmail.objects.filter(pk=email.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return email


def test_emails_left_queued_are_delivered_by_the_periodic_job(cast):
    stale = queued_email(cast, minutes_ago=30)
    fresh = queued_email(cast, minutes_ago=1)
    out = StringIO()
    call_command("retry_stale_emails", stdout=out)
    assert "Retried 1 stale emails" in out.getvalue()
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.state == "sent" and fresh.state == "queued"
    assert len(mail.outbox) == 1


def test_running_the_job_twice_sends_once(cast):
    queued_email(cast, minutes_ago=30)
    call_command("retry_stale_emails", stdout=StringIO())
    call_command("retry_stale_emails", stdout=StringIO())
    assert len(mail.outbox) == 1
