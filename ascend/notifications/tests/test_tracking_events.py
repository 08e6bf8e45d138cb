from __future__ import annotations

import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from django.test import override_settings

from ascend.notifications.delivery import deliver
from ascend.notifications.models import DeliveryState, OutboundEmail
from ascend.notifications.outbox import send_email

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_email(cast) -> OutboundEmail:
    """An email sent through anymail's test backend, which gives it a provider message id."""
    email = send_email(
        workspace=cast.alpha.workspace,
        to=cast.alpha.coach.email,
        template="password_changed",
        context={"recipient_name": "Coach"},
    )
    with override_settings(EMAIL_BACKEND="anymail.backends.test.EmailBackend"):
        assert deliver(email.id) == "sent"
    email.refresh_from_db()
    assert email.provider_message_id
    return email


def provider_says(event_type: str, message_id: str, **details: str) -> None:
    event = AnymailTrackingEvent(event_type=event_type, message_id=message_id, **details)
    tracking.send(sender=object, event=event, esp_name="TestESP")


def test_a_bounce_marks_the_sent_email_bounced_with_the_reason(sent_email):
    provider_says("bounced", sent_email.provider_message_id, description="Mailbox does not exist")

    sent_email.refresh_from_db()
    assert sent_email.state == DeliveryState.BOUNCED
    assert sent_email.error == "Mailbox does not exist"


def test_the_receiving_servers_reply_is_the_reason_when_there_is_no_description(sent_email):
    provider_says("bounced", sent_email.provider_message_id, mta_response="550 5.1.1 No such user")

    sent_email.refresh_from_db()
    assert sent_email.error == "550 5.1.1 No such user"


def test_a_delivery_marks_the_sent_email_delivered(sent_email):
    provider_says("delivered", sent_email.provider_message_id)

    sent_email.refresh_from_db()
    assert sent_email.state == DeliveryState.DELIVERED


def test_a_complaint_or_rejection_counts_as_a_bounce(sent_email):
    provider_says("complained", sent_email.provider_message_id)

    sent_email.refresh_from_db()
    assert sent_email.state == DeliveryState.BOUNCED


def test_a_late_delivery_report_does_not_hide_a_bounce(sent_email):
    provider_says("bounced", sent_email.provider_message_id, description="Mailbox full")
    provider_says("delivered", sent_email.provider_message_id)

    sent_email.refresh_from_db()
    assert sent_email.state == DeliveryState.BOUNCED
    assert sent_email.error == "Mailbox full"


def test_a_bounce_after_delivery_is_recorded(sent_email):
    provider_says("delivered", sent_email.provider_message_id)
    provider_says("bounced", sent_email.provider_message_id, description="Rejected later")

    sent_email.refresh_from_db()
    assert sent_email.state == DeliveryState.BOUNCED


def test_opens_and_clicks_change_nothing(sent_email):
    provider_says("opened", sent_email.provider_message_id)
    provider_says("clicked", sent_email.provider_message_id)

    sent_email.refresh_from_db()
    assert sent_email.state == DeliveryState.SENT


def test_events_for_other_messages_leave_the_email_alone(sent_email):
    provider_says("bounced", "someone-elses-message")
    provider_says("bounced", "")

    sent_email.refresh_from_db()
    assert sent_email.state == DeliveryState.SENT
