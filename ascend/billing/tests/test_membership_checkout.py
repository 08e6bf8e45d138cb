"""/me/memberships/: a client buys a membership at its price, through the same checkout.

Rules: clients only; plans on sale are listed with "Buy", or, while a program
has no open cohort, with the reason instead of the button; a plan of another
workspace or off sale is a 404; the order carries the plan's price and
currency; paying it subscribes and enrols (the core does it). The plan's price
is set on the team's plan form.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
import stripe

from ascend.billing.actions import do_save_plan
from ascend.billing.models import MembershipPlan, Order, OrderKind, Subscription
from ascend.billing.payments import do_mark_order_paid
from ascend.billing.testing import WEBHOOK_SECRET
from ascend.programs.models import Enrollment
from ascend.programs.testing import make_cohort, make_program

ROLES = ["owner", "admin", "coach", "auditor", "operator"]


@pytest.fixture(autouse=True)
def _stripe_keys(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_ascend"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET


@pytest.fixture
def plans(cast):
    ws = cast.alpha.workspace
    open_program = make_program(ws, title="Strength reset")
    make_cohort(open_program, cast.alpha.coach.membership)
    closed_program = make_program(ws, title="Mindful mornings")
    beta_program = make_program(cast.beta.workspace)
    make_cohort(beta_program, cast.beta.coach.membership)
    return {
        "gold": do_save_plan(
            ws,
            actor=None,
            name="Gold",
            programs=[open_program],
            price=Decimal("99.00"),
            currency="eur",
        ),  # fmt: skip
        "waiting": do_save_plan(ws, actor=None, name="Waiting list", programs=[closed_program]),
        "off": do_save_plan(
            ws, actor=None, name="Old plan", programs=[open_program], is_active=False
        ),  # fmt: skip
        "beta": do_save_plan(
            cast.beta.workspace, actor=None, name="Beta plan", programs=[beta_program]
        ),  # fmt: skip
    }


@pytest.mark.parametrize("role", ROLES)
def test_the_memberships_page_is_for_clients(cast, plans, role):
    client = cast.client_for(getattr(cast.alpha, role))
    assert client.get("/me/memberships/").status_code == 403
    assert client.get(f"/me/memberships/{plans['gold'].pk}/").status_code == 403


def test_plans_on_sale_show_buy_or_why_they_cannot_be_bought(cast, plans):
    page = cast.client_for(cast.alpha.client).get("/me/memberships/").content.decode()
    assert "Gold" in page and "99.00 EUR" in page
    assert f'href="/me/memberships/{plans["gold"].pk}/"' in page
    assert "Waiting list" in page and "Mindful mornings has no open cohort with room." in page
    assert f'href="/me/memberships/{plans["waiting"].pk}/"' not in page
    assert "Old plan" not in page and "Beta plan" not in page


def test_another_workspaces_plan_or_one_off_sale_is_not_found(cast, plans):
    client = cast.client_for(cast.alpha.client)
    assert client.get(f"/me/memberships/{plans['beta'].pk}/").status_code == 404
    assert client.get(f"/me/memberships/{plans['off'].pk}/").status_code == 404


def test_buying_offline_makes_an_order_at_the_plans_price(cast, plans):
    client = cast.client_for(cast.alpha.client)
    page = client.get(f"/me/memberships/{plans['gold'].pk}/").content.decode()
    assert "Buy for 99.00 EUR" in page
    response = client.post(f"/me/memberships/{plans['gold'].pk}/", {"provider": "manual"})
    order = Order.objects.get()
    assert order.kind == OrderKind.MEMBERSHIP and order.client == cast.alpha.client.membership
    assert (order.amount, order.currency) == (Decimal("99.00"), "EUR")
    assert response["Location"].endswith(f"/pay/orders/{order.token}/")
    waiting = client.get(f"/pay/orders/{order.token}/").content.decode()
    assert "Waiting for confirmation" in waiting and "your membership starts" in waiting


def test_once_paid_the_client_is_subscribed_enrolled_and_told(cast, plans):
    client = cast.client_for(cast.alpha.client)
    client.post(f"/me/memberships/{plans['gold'].pk}/", {"provider": "manual"})
    order = Order.objects.get()
    do_mark_order_paid(order, actor=cast.alpha.admin.user)
    assert Subscription.objects.filter(client=cast.alpha.client.membership).exists()
    assert Enrollment.objects.filter(client=cast.alpha.client.membership).exists()
    page = client.get(f"/pay/orders/{order.token}/").content.decode()
    assert "Your membership is active" in page
    listing = client.get("/me/memberships/").content.decode()
    assert "You have this membership" in listing and 'data-testid="my-orders"' in listing


def test_a_plan_without_an_open_cohort_is_refused_with_the_reason(cast, plans):
    client = cast.client_for(cast.alpha.client)
    page = client.get(f"/me/memberships/{plans['waiting'].pk}/").content.decode()
    assert 'data-testid="cannot-buy"' in page and "Buy for" not in page
    response = client.post(f"/me/memberships/{plans['waiting'].pk}/", {"provider": "manual"})
    assert response.status_code == 422
    assert "Mindful mornings has no open cohort with room." in response.content.decode()
    assert not Order.objects.exists()


def test_buying_by_card_goes_to_stripe_and_back_to_the_memberships_page(cast, plans, monkeypatch):
    calls = []

    def create(**params):  # type: ignore[no-untyped-def]
        calls.append(params)
        return stripe.checkout.Session.construct_from(
            {"id": "cs_test_9", "url": "https://checkout.stripe.com/c/pay/cs_test_9"}, "sk"
        )

    monkeypatch.setattr(stripe.checkout.Session, "create", create)
    response = cast.client_for(cast.alpha.client).post(
        f"/me/memberships/{plans['gold'].pk}/", {"provider": "stripe"}
    )
    assert response["Location"] == "https://checkout.stripe.com/c/pay/cs_test_9"
    (params,) = calls
    assert params["cancel_url"] == "http://alpha.localhost/me/memberships/"
    assert params["line_items"][0]["price_data"]["unit_amount"] == 9900


def test_the_client_navigation_links_memberships(cast, plans):
    page = cast.client_for(cast.alpha.client).get("/me/").content.decode()
    assert 'href="/me/memberships/"' in page


def test_the_team_sets_a_plans_price_and_currency(cast):
    program = make_program(cast.alpha.workspace)
    owner = cast.client_for(cast.alpha.owner)
    response = owner.post(
        "/team/memberships/new/",
        {"name": "Gold", "programs": [program.pk], "is_active": "on", "price": "49.50",
         "currency": "brl"},
    )  # fmt: skip
    assert response.status_code == 302
    plan = MembershipPlan.objects.get()
    assert (plan.price, plan.currency) == (Decimal("49.50"), "BRL")
    page = owner.get(f"/team/memberships/{plan.pk}/").content.decode()
    assert 'value="49.50"' in page and 'value="BRL"' in page
    assert "49.50 BRL" in owner.get("/team/memberships/").content.decode()


@pytest.mark.parametrize(
    "field, value", [("price", "-1"), ("currency", "euros"), ("currency", "E1")]
)
def test_a_bad_price_or_currency_is_refused_at_the_field(cast, field, value):
    program = make_program(cast.alpha.workspace)
    response = cast.client_for(cast.alpha.owner).post(
        "/team/memberships/new/",
        {"name": "Gold", "programs": [program.pk], "price": "10", "currency": "USD",
         field: value},
    )  # fmt: skip
    assert response.status_code == 422
    assert f'id="id_{field}_errors"' in response.content.decode()
    assert not MembershipPlan.objects.exists()
