"""A visitor buys a package through its payment link and pays offline; an admin confirms the
payment, the invitation goes out by itself, and the visitor's order page says so."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from ascend.billing.models import Order, OrderStatus
from ascend.billing.packages import do_save_package
from ascend.notifications.models import OutboundEmail
from ascend.testing import PASSWORD
from tests.browser.conftest import open_nav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_buys_a_package_offline_and_is_invited_once_an_admin_confirms(
    cast, live_server, page, browser, sign_in
):
    package = do_save_package(
        cast.alpha.workspace,
        actor=None,
        name="Ten coaching sessions",
        description="One-to-one video sessions of 45 minutes.",
        sessions=10,
        price=Decimal("450.00"),
        currency="USD",
        validity_days=120,
        coach=cast.alpha.coach.membership,
    )

    # The visitor opens the payment link, no account needed.
    page.goto(f"{live_server.url}/pay/{package.payment_token}/")
    expect(page.get_by_role("heading", name="Ten coaching sessions")).to_be_visible()
    expect(page.get_by_test_id("price")).to_have_text("450.00 USD")
    page.get_by_label("Your name").fill("Rosa Diaz")
    page.get_by_label("Your email").fill("rosa@example.com")
    page.get_by_label("Pay offline (the team confirms your payment)").check()
    page.get_by_role("button", name="Buy for 450.00 USD").click()
    expect(page).to_have_url(re.compile(r"/pay/orders/[0-9a-f-]+/$"))
    status = page.get_by_test_id("order-status")
    expect(status).to_contain_text("Waiting for confirmation")
    expect(status).to_contain_text("we send your invitation to rosa@example.com")
    order_url = page.url
    assert Order.objects.get().status == OrderStatus.PENDING
    assert not OutboundEmail.objects.filter(template="client_invitation").exists()

    # An admin signs in and confirms the offline payment (the page asks once).
    team = browser.new_context()
    admin = team.new_page()
    sign_in(admin, cast.alpha.admin.email, PASSWORD)
    open_nav(admin, "Orders")
    orders = admin.get_by_test_id("orders")
    expect(orders).to_contain_text("rosa@example.com")
    expect(orders).to_contain_text("Waiting for the team to confirm the payment")
    orders.get_by_role("link", name="Ten coaching sessions").click()
    questions: list[str] = []

    def accept(dialog):  # type: ignore[no-untyped-def]
        questions.append(dialog.message)
        dialog.accept()

    admin.on("dialog", accept)
    admin.get_by_role("button", name="Mark as paid").click()
    expect(admin.get_by_text("The order is marked as paid.")).to_be_visible()
    expect(admin.get_by_test_id("outcome")).to_have_text("Invitation sent to the buyer")
    assert questions == ["Mark this order as paid? The buyer is sent a client invitation."]
    team.close()

    email = OutboundEmail.objects.get(template="client_invitation")
    assert email.to == "rosa@example.com"

    # The visitor's order page now says the invitation was sent.
    page.goto(order_url)
    expect(page.get_by_test_id("order-status")).to_contain_text("Paid")
    expect(page.get_by_test_id("next-step")).to_contain_text(
        "We've sent your invitation to rosa@example.com"
    )
