"""POST /webhooks/payments/<provider>/ through HTTP, as Stripe sends it.

Rules: the signature is checked on the raw body; a good one answers 200 with
what happened, a bad one 400 ``bad_signature`` in the API error format (and is
logged); a repeated event is a 200 "duplicate" that changes nothing; a provider
this installation doesn't use is a 404; only POST is taken; no CSRF token is
needed; a malformed body is never a 500.
"""

from __future__ import annotations

import json
import logging
from decimal import Decimal

import pytest
from django.test import Client

from ascend.api.tests.helpers import assert_error
from ascend.billing.models import Order, OrderStatus, WebhookEvent
from ascend.billing.packages import do_save_package
from ascend.billing.payments import do_start_package_order
from ascend.billing.testing import WEBHOOK_SECRET, signature_for, stripe_event
from ascend.crm.models import ClientInvitation
from ascend.testing import host_of

URL = "/webhooks/payments/stripe/"


@pytest.fixture(autouse=True)
def _stripe_keys(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_ascend"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET


@pytest.fixture
def order(cast) -> Order:
    package = do_save_package(
        cast.alpha.workspace,
        actor=None,
        name="Ten sessions",
        sessions=10,
        price=Decimal("450.00"),
        currency="USD",
        validity_days=90,
        coach=cast.alpha.coach.membership,
    )
    return do_start_package_order(
        package, buyer_name="Rosa Diaz", buyer_email="rosa@example.com", provider="stripe"
    )


def stripe_client(workspace) -> Client:  # type: ignore[no-untyped-def]
    # Stripe holds no CSRF token: the view must not ask for one.
    return Client(HTTP_HOST=host_of(workspace), enforce_csrf_checks=True)


def post(client: Client, body: bytes, signature: str | None = None, url: str = URL):  # type: ignore[no-untyped-def]
    headers = {} if signature is None else {"HTTP_STRIPE_SIGNATURE": signature}
    return client.post(url, data=body, content_type="application/json", **headers)


def test_a_signed_completed_checkout_pays_the_order_and_sends_the_invitation(cast, order):
    body = stripe_event("evt_1", "checkout.session.completed", str(order.token))
    response = post(stripe_client(cast.alpha.workspace), body, signature_for(body))
    assert response.status_code == 200
    assert response.json() == {"outcome": "paid"}
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.outcome == "invitation_sent"
    assert ClientInvitation.objects.filter(contact__email="rosa@example.com").exists()


def test_a_delivery_to_another_workspaces_host_still_finds_its_order(cast, order):
    # One Stripe account, one webhook URL: the order is found by its reference.
    body = stripe_event("evt_1", "checkout.session.completed", str(order.token))
    response = post(stripe_client(cast.beta.workspace), body, signature_for(body))
    assert response.json() == {"outcome": "paid"}


def test_a_bad_signature_is_refused_with_400_logged_and_changes_nothing(cast, order, caplog):
    body = stripe_event("evt_bad", "checkout.session.completed", str(order.token))
    forged = signature_for(body, secret="whsec_someone_else")
    with caplog.at_level(logging.WARNING, logger="ascend.payments"):
        response = post(stripe_client(cast.alpha.workspace), body, forged)
    assert_error(response, 400, "bad_signature")
    assert "Refused a stripe webhook" in caplog.text
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING and not WebhookEvent.objects.exists()


def test_a_missing_signature_is_refused(cast, order):
    body = stripe_event("evt_none", "checkout.session.completed", str(order.token))
    assert_error(post(stripe_client(cast.alpha.workspace), body), 400, "bad_signature")


def test_a_body_changed_after_signing_is_refused(cast, order):
    body = stripe_event("evt_2", "checkout.session.expired", str(order.token))
    tampered = body.replace(b"expired", b"completed")
    response = post(stripe_client(cast.alpha.workspace), tampered, signature_for(body))
    assert_error(response, 400, "bad_signature")


def test_the_same_event_twice_is_a_duplicate_and_pays_once(cast, order):
    body = stripe_event("evt_1", "checkout.session.completed", str(order.token))
    client = stripe_client(cast.alpha.workspace)
    assert post(client, body, signature_for(body)).json() == {"outcome": "paid"}
    again = post(client, body, signature_for(body))
    assert again.status_code == 200 and again.json() == {"outcome": "duplicate"}
    assert WebhookEvent.objects.count() == 1
    assert ClientInvitation.objects.count() == 1


def test_a_late_expired_event_is_answered_and_ignored(cast, order):
    client = stripe_client(cast.alpha.workspace)
    done = stripe_event("evt_1", "checkout.session.completed", str(order.token))
    late = stripe_event("evt_2", "checkout.session.expired", str(order.token))
    post(client, done, signature_for(done))
    assert post(client, late, signature_for(late)).json() == {"outcome": "ignored"}
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


@pytest.mark.parametrize(
    "body",
    [
        b"not json at all",
        b"\xff\xfe\x00 binary",
        b"[]",
        b"{}",
        json.dumps({"id": "evt_9", "type": "checkout.session.completed"}).encode(),
        json.dumps({"id": "evt_9", "type": "x", "data": {"object": [1, 2]}}).encode(),
        b"",
    ],
)
def test_a_malformed_but_signed_body_is_a_400_never_a_500(cast, body):
    signature = signature_for(body) if body[:1] != b"\xff" else "t=1,v1=abc"
    response = post(stripe_client(cast.alpha.workspace), body, signature)
    assert_error(response, 400, "bad_signature")
    assert not WebhookEvent.objects.exists()


@pytest.mark.parametrize("provider", ["paypal", "manual"])
def test_a_provider_this_installation_does_not_use_is_a_404(cast, provider):
    body = b"{}"
    response = post(stripe_client(cast.alpha.workspace), body, signature_for(body),
                    url=f"/webhooks/payments/{provider}/")  # fmt: skip
    assert_error(response, 404, "not_found")


def test_stripe_is_a_404_when_its_keys_are_not_set(cast, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    body = b"{}"
    assert_error(post(stripe_client(cast.alpha.workspace), body, signature_for(body)), 404,
                 "not_found")  # fmt: skip


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_only_post_is_taken(cast, method):
    response = getattr(stripe_client(cast.alpha.workspace), method)(URL)
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "POST"
