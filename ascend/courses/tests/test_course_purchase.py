"""Buying a course product: /buy/<payment token>/, the order, and access once it is paid.

Rules: the link is public and works only on its workspace's host; a product not on
sale is a 410 page; the manual provider goes to the order page, Stripe to its
checkout; a paid course order gives access (source "purchase") and sends the access
email once, however many times the provider's webhook is delivered.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
import stripe
from django.test import Client

from ascend.billing.models import Order, OrderKind, OrderStatus
from ascend.billing.payments import do_mark_order_paid, do_start_course_order
from ascend.billing.testing import WEBHOOK_SECRET, signature_for, stripe_event
from ascend.courses.models import AccessSource, LearnerAccess
from ascend.courses.tests.course_world import course_tree
from ascend.notifications.models import OutboundEmail
from ascend.testing import host_of

pytestmark = pytest.mark.django_db
BUYER = {"buyer_name": "Rosa Diaz", "buyer_email": "rosa@example.com", "provider": "manual"}


@pytest.fixture(autouse=True)
def _stripe_keys(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_ascend"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET


@pytest.fixture
def on_sale(cast):
    made, _lessons = course_tree(cast.alpha.workspace, name="Strength Academy")
    made.price = Decimal("149.00")
    made.access_days = 365
    made.save()
    return made


def visitor(workspace) -> Client:  # type: ignore[no-untyped-def]
    return Client(HTTP_HOST=host_of(workspace))


def url(product) -> str:  # type: ignore[no-untyped-def]
    return f"/buy/{product.payment_token}/"


def access_emails():  # type: ignore[no-untyped-def]
    return OutboundEmail.objects.filter(template="course_access")


def test_the_payment_link_shows_the_product_and_its_price(cast, on_sale):
    response = visitor(cast.alpha.workspace).get(url(on_sale))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Strength Academy" in content and "149.00 USD" in content
    assert "6" in content  # lessons


def test_the_link_of_another_workspace_is_a_404(cast, on_sale):
    assert visitor(cast.beta.workspace).get(url(on_sale)).status_code == 404


def test_a_product_not_on_sale_is_a_clear_page(cast, on_sale):
    on_sale.is_active = False
    on_sale.save()

    response = visitor(cast.alpha.workspace).get(url(on_sale))
    posted = visitor(cast.alpha.workspace).post(url(on_sale), BUYER)

    assert response.status_code == 410 and b'data-testid="product-gone"' in response.content
    assert posted.status_code == 410
    assert not Order.objects.exists()


def test_buying_offline_starts_a_course_order_and_shows_the_order_page(cast, on_sale):
    response = visitor(cast.alpha.workspace).post(url(on_sale), BUYER)

    order = Order.objects.get()
    assert order.kind == OrderKind.COURSE and order.product == on_sale
    assert order.amount == Decimal("149.00") and order.status == OrderStatus.PENDING
    assert response.status_code == 302
    assert response.url.endswith(f"/pay/orders/{order.token}/")
    page = visitor(cast.alpha.workspace).get(f"/pay/orders/{order.token}/")
    assert b"Strength Academy" in page.content
    assert b"access to the course" in page.content
    assert not LearnerAccess.objects.exists()


def test_bad_input_is_shown_at_the_field_and_stores_nothing(cast, on_sale):
    response = visitor(cast.alpha.workspace).post(
        url(on_sale), {**BUYER, "buyer_email": "rosa@", "buyer_name": ""}
    )

    assert response.status_code == 422
    assert b"buyer_email_errors" in response.content and b"buyer_name_errors" in response.content
    assert not Order.objects.exists()


def test_buying_with_stripe_goes_to_its_checkout(cast, on_sale, monkeypatch):
    seen = {}

    def fake_create(**params):  # type: ignore[no-untyped-def]
        seen.update(params)
        return stripe.checkout.Session.construct_from(
            {"id": "cs_test_1", "url": "https://checkout.stripe.com/c/pay/cs_test_1"}, "sk"
        )

    monkeypatch.setattr(stripe.checkout.Session, "create", fake_create)

    response = visitor(cast.alpha.workspace).post(url(on_sale), {**BUYER, "provider": "stripe"})

    assert response.status_code == 302 and response.url.startswith("https://checkout.stripe.com/")
    assert seen["line_items"][0]["price_data"]["product_data"]["name"] == "Strength Academy"
    assert Order.objects.get().provider_ref == "cs_test_1"


def test_a_paid_course_order_gives_access_and_sends_the_access_email(cast, on_sale):
    order = do_start_course_order(on_sale, **BUYER)

    do_mark_order_paid(order, actor=cast.alpha.owner.user)

    order.refresh_from_db()
    access = LearnerAccess.objects.get()
    assert order.outcome == "course_access_given"
    assert access.source == AccessSource.PURCHASE and access.order == order
    assert access.learner.user.email == "rosa@example.com"
    assert order.client == access.learner
    assert access_emails().filter(to="rosa@example.com").count() == 1


def test_a_purchase_webhook_delivered_twice_gives_one_access_and_one_email(cast, on_sale):
    order = do_start_course_order(on_sale, **{**BUYER, "provider": "stripe"})
    body = stripe_event("evt_1", "checkout.session.completed", str(order.token))
    stripe_post = Client(HTTP_HOST=host_of(cast.alpha.workspace), enforce_csrf_checks=True)

    outcomes = [
        stripe_post.post(
            "/webhooks/payments/stripe/",
            data=body,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=signature_for(body),
        ).json()["outcome"]
        for _ in range(2)
    ]
    again = stripe_event("evt_2", "checkout.session.completed", str(order.token))
    outcomes.append(
        stripe_post.post(
            "/webhooks/payments/stripe/",
            data=again,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=signature_for(again),
        ).json()["outcome"]
    )

    assert outcomes == ["paid", "duplicate", "already_paid"]
    assert LearnerAccess.objects.count() == 1
    assert access_emails().count() == 1


def test_a_second_order_of_a_product_the_learner_already_has_sends_nothing_new(cast, on_sale):
    do_mark_order_paid(do_start_course_order(on_sale, **BUYER), actor=None)
    do_mark_order_paid(do_start_course_order(on_sale, **BUYER), actor=None)

    assert LearnerAccess.objects.count() == 1
    assert access_emails().count() == 1


def test_a_coach_paying_is_paid_but_needs_attention(cast, on_sale):
    order = do_start_course_order(on_sale, **{**BUYER, "buyer_email": cast.alpha.coach.email})

    do_mark_order_paid(order, actor=None)

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.outcome == "needs_attention"
    assert not LearnerAccess.objects.exists()


def test_the_orders_api_names_the_course_product_and_what_paying_did(cast, on_sale):
    from ascend.api.tests.helpers import bearer_client, send, token_for

    do_mark_order_paid(do_start_course_order(on_sale, **BUYER), actor=None)
    client = bearer_client(token_for(cast.alpha.owner), cast.alpha.workspace)

    [order] = send(client, "GET", "/api/v1/orders").json()

    assert order["kind"] == "course" and order["product"]["name"] == "Strength Academy"
    assert order["outcome"] == "course_access_given"


def test_the_teams_order_pages_name_the_course_product(cast, on_sale):
    order = do_start_course_order(on_sale, **BUYER)
    client = cast.client_for(cast.alpha.owner)

    listing = client.get("/team/orders/")
    detail = client.get(f"/team/orders/{order.pk}/")

    assert b"Strength Academy" in listing.content and b"Strength Academy" in detail.content
