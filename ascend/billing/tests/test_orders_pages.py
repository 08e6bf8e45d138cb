"""/team/orders/: the orders list with its filters, one order with "Mark as paid" and "Cancel",
and the package page's payment link and orders.

Rules: owners and admins only; another workspace's order is a 404; marking paid
fulfils once (the stranger is invited, a client gets the package); only a
waiting order can be cancelled; the list runs the same queries however many
orders there are.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from ascend.billing.models import Order, OrderStatus, PackageHolding
from ascend.billing.packages import do_save_package
from ascend.billing.payments import do_mark_order_paid, do_start_package_order
from ascend.billing.testing import WEBHOOK_SECRET
from ascend.crm.models import ClientInvitation
from ascend.notifications.models import OutboundEmail
from ascend.testing import assert_flat_queries

ROLES = ["owner", "admin", "coach", "head_coach", "supervisor", "attendant", "auditor",
         "operator", "client"]  # fmt: skip
MANAGERS = {"owner", "admin"}


@pytest.fixture(autouse=True)
def _stripe_keys(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_ascend"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET


def _package(crew, **fields):  # type: ignore[no-untyped-def]
    values = {"name": "Ten sessions", "sessions": 10, "price": Decimal("450.00"),
              "currency": "USD", "validity_days": 90, "coach": crew.coach.membership,
              **fields}  # fmt: skip
    return do_save_package(crew.workspace, actor=None, **values)


def _order(package, email="rosa@example.com", provider="manual"):  # type: ignore[no-untyped-def]
    return do_start_package_order(
        package, buyer_name="Rosa Diaz", buyer_email=email, provider=provider
    )


@pytest.fixture
def order(cast) -> Order:
    return _order(_package(cast.alpha))


@pytest.mark.parametrize("role", ROLES)
def test_the_orders_pages_are_for_owners_and_admins(cast, order, role):
    client = cast.client_for(getattr(cast.alpha, role))
    expected = 200 if role in MANAGERS else 403
    assert client.get("/team/orders/").status_code == expected
    assert client.get(f"/team/orders/{order.pk}/").status_code == expected
    response = client.post(f"/team/orders/{order.pk}/paid/")
    assert response.status_code == (302 if role in MANAGERS else 403)


def test_a_visitor_is_sent_to_sign_in(cast, order):
    response = cast.client_for(None).get("/team/orders/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_workspaces_order_is_not_found(cast):
    theirs = _order(_package(cast.beta))
    admin = cast.client_for(cast.alpha.admin)
    assert admin.get(f"/team/orders/{theirs.pk}/").status_code == 404
    assert admin.post(f"/team/orders/{theirs.pk}/paid/").status_code == 404
    assert admin.post(f"/team/orders/{theirs.pk}/cancel/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == OrderStatus.PENDING
    assert "Rosa Diaz" not in admin.get("/team/orders/").content.decode()


def test_the_list_shows_buyer_amount_dates_and_outcome_in_words(cast, order):
    do_mark_order_paid(order, actor=cast.alpha.admin.user)
    waiting = _order(order.package, email="sam@example.com")
    page = cast.client_for(cast.alpha.owner).get("/team/orders/").content.decode()
    assert "Rosa Diaz" in page and "rosa@example.com" in page and "450.00 USD" in page
    assert "Invitation sent to the buyer" in page
    assert "Waiting for the team to confirm the payment" in page
    assert waiting.buyer_email in page


def test_the_list_filters_by_status_provider_and_kind(cast, order):
    do_mark_order_paid(order, actor=None)
    _order(order.package, email="card@example.com", provider="stripe")
    admin = cast.client_for(cast.alpha.admin)
    paid = admin.get("/team/orders/?status=paid").content.decode()
    assert "rosa@example.com" in paid and "card@example.com" not in paid
    by_card = admin.get("/team/orders/?provider=stripe").content.decode()
    assert "card@example.com" in by_card and "rosa@example.com" not in by_card
    memberships = admin.get("/team/orders/?kind=membership").content.decode()
    assert "No order matches" in memberships
    ignored = admin.get("/team/orders/?status=bogus").content.decode()
    assert "rosa@example.com" in ignored and "card@example.com" in ignored


def test_an_empty_list_says_what_to_do_next(cast):
    page = cast.client_for(cast.alpha.admin).get("/team/orders/").content.decode()
    assert "No orders yet" in page and "payment link" in page


def test_marking_an_offline_payment_paid_invites_the_stranger_once(cast, order):
    admin = cast.client_for(cast.alpha.admin)
    page = admin.get(f"/team/orders/{order.pk}/").content.decode()
    assert "Mark as paid" in page and 'data-confirm="Mark this order as paid?' in page
    response = admin.post(f"/team/orders/{order.pk}/paid/", follow=True)
    assert "The order is marked as paid." in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.marked_paid_by == cast.alpha.admin.user
    assert ClientInvitation.objects.count() == 1
    assert (
        OutboundEmail.objects.filter(template="client_invitation", to="rosa@example.com").count()
        == 1
    )
    again = admin.post(f"/team/orders/{order.pk}/paid/", follow=True).content.decode()
    assert "already paid" in again
    assert ClientInvitation.objects.count() == 1
    assert "Mark as paid" not in admin.get(f"/team/orders/{order.pk}/").content.decode()


def test_marking_a_clients_order_paid_adds_the_package(cast):
    order = _order(_package(cast.alpha), email=cast.alpha.client.email)
    cast.client_for(cast.alpha.owner).post(f"/team/orders/{order.pk}/paid/")
    holding = PackageHolding.objects.get()
    assert holding.client == cast.alpha.client.membership and holding.source == "purchase"
    page = cast.client_for(cast.alpha.owner).get(f"/team/orders/{order.pk}/").content.decode()
    assert "Package added to the client" in page


def test_cancelling_a_waiting_order(cast, order):
    admin = cast.client_for(cast.alpha.admin)
    admin.post(f"/team/orders/{order.pk}/cancel/")
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    again = admin.post(f"/team/orders/{order.pk}/cancel/", follow=True).content.decode()
    assert "Only an order waiting for payment can be cancelled." in again


def test_a_get_to_an_action_changes_nothing(cast, order):
    response = cast.client_for(cast.alpha.admin).get(f"/team/orders/{order.pk}/paid/")
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING


def test_the_orders_list_runs_the_same_queries_however_many_orders(cast, order):
    admin = cast.client_for(cast.alpha.admin)

    def grow():  # type: ignore[no-untyped-def]
        for n in range(12):
            extra = _order(order.package, email=f"buyer{n}@example.com")
            if n % 3 == 0:
                do_mark_order_paid(extra, actor=cast.alpha.admin.user)
        _order(order.package, email=cast.alpha.client.email)

    assert_flat_queries(lambda: admin.get("/team/orders/"), grow)


def test_the_package_page_shows_its_payment_link_and_its_orders(cast, order):
    page = cast.client_for(cast.alpha.admin).get(f"/team/packages/{order.package_id}/")
    html = page.content.decode()
    link = f"http://alpha.localhost/pay/{order.package.payment_token}/"
    assert f'value="{link}"' in html and 'data-copy="payment-url"' in html
    assert "ascend/copy.js" in html and "<script>" not in html
    assert 'data-testid="package-orders"' in html and "rosa@example.com" in html


def test_the_package_page_runs_the_same_queries_however_many_orders(cast, order):
    admin = cast.client_for(cast.alpha.admin)

    def grow():  # type: ignore[no-untyped-def]
        for n in range(8):
            _order(order.package, email=f"buyer{n}@example.com")

    assert_flat_queries(lambda: admin.get(f"/team/packages/{order.package_id}/"), grow)


def test_the_team_navigation_has_orders_for_admins_only(cast):
    admin = cast.client_for(cast.alpha.admin).get("/team/").content.decode()
    assert 'href="/team/orders/"' in admin
    auditor = cast.client_for(cast.alpha.auditor).get("/team/").content.decode()
    assert 'href="/team/orders/"' not in auditor
