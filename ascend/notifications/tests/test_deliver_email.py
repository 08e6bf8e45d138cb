from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings

from ascend.notifications.delivery import deliver
from ascend.notifications.models import DeliveryState, OutboundEmail
from ascend.notifications.outbox import send_email

pytestmark = pytest.mark.django_db

FAILING_BACKEND = "ascend.notifications.tests.backends.FailingEmailBackend"


def queue_email(person):  # type: ignore[no-untyped-def]
    return send_email(
        workspace=person.workspace,
        to=person.email,
        user=person.user,
        template="password_changed",
        context={"recipient_name": person.user.full_name},
    )


def test_nothing_is_sent_before_the_transaction_commits(cast, mailoutbox):
    email = queue_email(cast.alpha.coach)

    assert mailoutbox == []
    email.refresh_from_db()
    assert email.state == DeliveryState.QUEUED


def test_after_commit_the_email_is_sent_under_the_workspace_name(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_email(cast.alpha.coach)

    email.refresh_from_db()
    assert email.state == DeliveryState.SENT
    assert email.sent_at is not None
    assert email.error == ""
    [message] = mailoutbox
    assert message.to == [cast.alpha.coach.email]
    assert message.from_email == "Alpha <no-reply@ascend.localhost>"
    assert message.subject == "Your Alpha password was changed"
    assert message.body == email.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "Hello Alpha Coach," in html


def test_html_in_the_body_is_escaped_in_the_html_part(cast, mailoutbox):
    email = send_email(
        workspace=cast.alpha.workspace,
        to=cast.alpha.coach.email,
        template="password_changed",
        context={"recipient_name": "<script>alert(1)</script>"},
    )

    deliver(email.id)

    [(html, _mimetype)] = mailoutbox[0].alternatives
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_delivering_twice_sends_once(cast, mailoutbox):
    email = queue_email(cast.alpha.coach)

    assert deliver(email.id) == "sent"
    assert deliver(email.id) == "skipped"

    assert len(mailoutbox) == 1


def test_an_email_that_is_no_longer_queued_is_not_sent(cast, mailoutbox):
    email = queue_email(cast.alpha.coach)
    OutboundEmail.objects.filter(id=email.id).update(state=DeliveryState.FAILED)

    assert deliver(email.id) == "skipped"
    assert mailoutbox == []


@override_settings(EMAIL_BACKEND=FAILING_BACKEND)
def test_a_transport_failure_is_recorded_with_its_error(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_email(cast.alpha.coach)

    email.refresh_from_db()
    assert email.state == DeliveryState.FAILED
    assert email.error == "SMTP server refused the connection"
    assert email.sent_at is None
    assert email.state_changed_at is not None


@override_settings(EMAIL_BACKEND=FAILING_BACKEND)
def test_a_failed_email_is_not_retried_by_a_second_run(cast):
    email = queue_email(cast.alpha.coach)

    assert deliver(email.id) == "failed"
    assert deliver(email.id) == "skipped"


def test_nothing_is_recorded_or_sent_when_the_transaction_rolls_back(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue_email(cast.alpha.coach)
        raise RuntimeError("the action failed after queueing its email")

    assert callbacks == []
    assert not OutboundEmail.objects.exists()
    assert mailoutbox == []


def test_an_unknown_email_id_is_skipped(db, mailoutbox):
    assert deliver(999_999) == "skipped"
    assert mailoutbox == []
