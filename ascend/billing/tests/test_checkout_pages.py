"""/pay/<payment link>/ and /pay/orders/<order>/: buying a package without signing in.

Rules: the link is public and works only on its own workspace's host; a package
no longer on offer is a 410 page; bad input is shown at the field and stores
nothing; the manual provider goes straight to the order page, Stripe to its
Checkout Session (monkeypatched here: nothing leaves the machine); the order
page says where the order stands and what happens next.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
import stripe

from ascend.billing.models import Order, OrderStatus
from ascend.billing.packages import do_save_package
from ascend.billing.payments import do_cancel_order, do_mark_order_paid, do_start_package_order
from ascend.billing.testing import WEBHOOK_SECRET

BUYER = {"buyer_name": "Rosa Diaz", "buyer_email": "rosa@example.com", "provider": "manual"}


@pytest.fixture(autouse=True)
def _stripe_keys(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_ascend"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET


@pytest.fixture
def package(cast):
    return do_save_package(
        cast.alpha.workspace,
        actor=None,
        name="Ten sessions",
        description="Video calls of 45 minutes.",
        sessions=10,
        price=Decimal("450.00"),
        currency="EUR",
        validity_days=90,
        coach=cast.alpha.coach.membership,
    )


def _link(package) -> str:  # type: ignore[no-untyped-def]
    return f"/pay/{package.payment_token}/"


@pytest.fixture
def stripe_sessions(monkeypatch):
    calls: list[dict] = []

    def create(**params):  # type: ignore[no-untyped-def]
        calls.append(params)
        return stripe.checkout.Session.construct_from(
            {"id": "cs_test_42", "url": "https://checkout.stripe.com/c/pay/cs_test_42"}, "sk"
        )

    monkeypatch.setattr(stripe.checkout.Session, "create", create)
    return calls


def test_a_visitor_sees_the_package_and_the_ways_to_pay(cast, package):
    response = cast.client_for(None).get(_link(package))
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("Ten sessions", "Video calls of 45 minutes.", "10 sessions", "90 days",
                 "450.00 EUR", "One-to-one", "Pay offline", "Pay by card"):  # fmt: skip
        assert text in page, text
    assert 'name="buyer_email"' in page and 'value="rosa' not in page


def test_a_signed_in_person_finds_their_name_and_email_filled_in(cast, package):
    page = cast.client_for(cast.alpha.client).get(_link(package)).content.decode()
    assert f'value="{cast.alpha.client.email}"' in page


def test_only_the_manual_way_is_offered_when_stripe_is_not_configured(cast, package, settings):
    settings.STRIPE_SECRET_KEY = ""
    page = cast.client_for(None).get(_link(package)).content.decode()
    assert "Pay offline" in page and "Pay by card" not in page
    response = cast.client_for(None).post(_link(package), {**BUYER, "provider": "stripe"})
    assert response.status_code == 422 and not Order.objects.exists()


def test_the_link_is_not_found_on_another_workspaces_host(cast, package):
    response = cast.client_for(None, workspace=cast.beta.workspace).get(_link(package))
    assert response.status_code == 404
    assert cast.client_for(None).get(f"/pay/{uuid.uuid4()}/").status_code == 404


def test_a_package_no_longer_on_offer_answers_a_clear_410(cast, package):
    package.is_active = False
    package.save()
    response = cast.client_for(None).get(_link(package))
    assert response.status_code == 410
    assert "no longer on offer" in response.content.decode()
    assert cast.client_for(None).post(_link(package), BUYER).status_code == 410
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    "field, value",
    [("buyer_email", "rosa@"), ("buyer_email", ""), ("buyer_name", "  "), ("provider", "cash")],
)
def test_bad_input_is_refused_at_the_field_and_nothing_is_stored(cast, package, field, value):
    response = cast.client_for(None).post(_link(package), {**BUYER, field: value})
    assert response.status_code == 422
    page = response.content.decode()
    assert f'id="id_{field}_errors"' in page
    assert not Order.objects.exists()
    if field != "buyer_email":
        assert 'value="rosa@example.com"' in page  # what was typed is kept


def test_paying_offline_goes_straight_to_the_order_page_waiting_for_confirmation(cast, package):
    visitor = cast.client_for(None)
    response = visitor.post(_link(package), BUYER)
    order = Order.objects.get()
    assert (order.buyer_email, order.amount, order.currency) == (
        "rosa@example.com", Decimal("450.00"), "EUR",
    )  # fmt: skip
    assert order.provider == "manual" and order.status == OrderStatus.PENDING
    assert response.status_code == 302
    assert response["Location"] == f"http://alpha.localhost/pay/orders/{order.token}/"
    page = visitor.get(f"/pay/orders/{order.token}/").content.decode()
    assert "Waiting for confirmation" in page
    assert "we send your invitation to rosa@example.com" in page
    assert "hx-trigger" not in page  # nothing to poll for: the team confirms


def test_paying_by_card_sends_the_buyer_to_the_stripe_checkout_session(
    cast, package, stripe_sessions
):
    response = cast.client_for(None).post(_link(package), {**BUYER, "provider": "stripe"})
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == "https://checkout.stripe.com/c/pay/cs_test_42"
    assert order.provider == "stripe" and order.provider_ref == "cs_test_42"
    (params,) = stripe_sessions
    assert params["success_url"] == f"http://alpha.localhost/pay/orders/{order.token}/"
    assert params["cancel_url"] == f"http://alpha.localhost{_link(package)}"
    assert params["line_items"][0]["price_data"]["unit_amount"] == 45000


def test_a_stripe_failure_is_explained_on_the_form_and_nothing_is_charged(
    cast, package, monkeypatch
):
    def down(**params):  # type: ignore[no-untyped-def]
        raise stripe.APIConnectionError("network down")

    monkeypatch.setattr(stripe.checkout.Session, "create", down)
    response = cast.client_for(None).post(_link(package), {**BUYER, "provider": "stripe"})
    assert response.status_code == 422
    assert "couldn" in response.content.decode() and "reach the payment provider" in (
        response.content.decode()
    )
    assert Order.objects.get().status == OrderStatus.PENDING


def test_a_card_order_waiting_for_stripe_polls_for_its_status(cast, package, stripe_sessions):
    cast.client_for(None).post(_link(package), {**BUYER, "provider": "stripe"})
    order = Order.objects.get()
    visitor = cast.client_for(None)
    page = visitor.get(f"/pay/orders/{order.token}/").content.decode()
    assert "Waiting for payment" in page and 'hx-trigger="every 5s"' in page
    fragment = visitor.get(f"/pay/orders/{order.token}/", HTTP_HX_REQUEST="true")
    assert fragment.content.decode().lstrip().startswith('<div class="card order-status')


def test_the_order_page_says_the_invitation_was_sent_once_paid(cast, package):
    order = do_start_package_order(package, **BUYER)
    do_mark_order_paid(order, actor=cast.alpha.admin.user)
    page = cast.client_for(None).get(f"/pay/orders/{order.token}/").content.decode()
    assert "Paid" in page and "sent your invitation to rosa@example.com" in page


def test_the_order_page_says_the_package_was_added_for_a_client(cast, package):
    order = do_start_package_order(package, **{**BUYER, "buyer_email": cast.alpha.client.email})
    do_mark_order_paid(order, actor=cast.alpha.admin.user)
    page = cast.client_for(cast.alpha.client).get(f"/pay/orders/{order.token}/").content.decode()
    assert "The package was added to your account." in page


def test_a_cancelled_order_says_nothing_was_charged_and_offers_to_start_again(cast, package):
    order = do_start_package_order(package, **BUYER)
    do_cancel_order(order, actor=cast.alpha.admin.user)
    page = cast.client_for(None).get(f"/pay/orders/{order.token}/").content.decode()
    assert "nothing was charged" in page and _link(package) in page


def test_an_order_page_is_not_found_elsewhere_or_with_a_made_up_token(cast, package):
    order = do_start_package_order(package, **BUYER)
    other = cast.client_for(None, workspace=cast.beta.workspace)
    assert other.get(f"/pay/orders/{order.token}/").status_code == 404
    assert cast.client_for(None).get(f"/pay/orders/{uuid.uuid4()}/").status_code == 404
    assert cast.client_for(None).get("/pay/orders/12/").status_code == 404
