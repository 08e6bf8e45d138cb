from __future__ import annotations

import logging
import random
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from ascend.billing.models import Order, OrderStatus, PackageHolding, WebhookEvent
from ascend.billing.packages import do_save_package
from ascend.billing.payments import (
    WebhookRefused,
    do_mark_order_paid,
    do_start_membership_order,
    do_start_package_order,
    process_webhook,
)
from ascend.billing.testing import WEBHOOK_SECRET, signature_for, stripe_event
from ascend.crm.models import ClientInvitation, Contact
from ascend.notifications.models import OutboundEmail


@pytest.fixture(autouse=True)
def _stripe_keys(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_ascend"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET


def _package(crew, **fields):
    values = {"name": "Ten sessions", "sessions": 10, "price": Decimal("450.00"),
              "currency": "USD", "validity_days": 90, "coach": crew.coach.membership,
              **fields}  # fmt: skip
    return do_save_package(crew.workspace, actor=None, **values)


def _deliver(body: bytes) -> str:
    return process_webhook("stripe", body, {"Stripe-Signature": signature_for(body)})


def test_a_paid_order_from_a_stranger_sends_the_invitation_by_itself(cast):
    order = do_start_package_order(
        _package(cast.alpha),
        buyer_name="Rosa Diaz",
        buyer_email="Rosa@Example.com",
        provider="manual",
    )
    assert not ClientInvitation.objects.exists()
    do_mark_order_paid(order, actor=cast.alpha.admin.user)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.outcome == "invitation_sent"
    invitation = ClientInvitation.objects.get()
    assert invitation.contact.email == "rosa@example.com"
    assert invitation.coach == cast.alpha.coach.membership
    assert OutboundEmail.objects.filter(
        template="client_invitation", to="rosa@example.com"
    ).exists()
    assert Contact.objects.get().source == "purchase"


def test_a_paid_order_from_a_client_adds_the_package_to_them(cast):
    order = do_start_package_order(
        _package(cast.alpha),
        buyer_name="Alpha Client",
        buyer_email=cast.alpha.client.email,
        provider="manual",
    )
    do_mark_order_paid(order, actor=cast.alpha.admin.user)
    holding = PackageHolding.objects.get()
    assert holding.client == cast.alpha.client.membership and holding.source == "purchase"
    assert not ClientInvitation.objects.exists()


def test_marking_an_order_paid_twice_is_refused_and_fulfils_once(cast):
    order = do_start_package_order(
        _package(cast.alpha), buyer_name="A", buyer_email=cast.alpha.client.email, provider="manual"
    )
    do_mark_order_paid(order, actor=None)
    with pytest.raises(ValidationError):
        do_mark_order_paid(order, actor=None)
    assert PackageHolding.objects.count() == 1


def test_a_signed_completed_session_pays_the_order(cast):
    order = do_start_package_order(
        _package(cast.alpha), buyer_name="A", buyer_email=cast.alpha.client.email, provider="stripe"
    )
    body = stripe_event("evt_1", "checkout.session.completed", str(order.token))
    assert _deliver(body) == "paid"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.provider_ref.startswith("cs_test_")


def test_a_bad_signature_is_refused_logged_and_changes_nothing(cast, caplog):
    order = do_start_package_order(
        _package(cast.alpha), buyer_name="A", buyer_email=cast.alpha.client.email, provider="stripe"
    )
    body = stripe_event("evt_bad", "checkout.session.completed", str(order.token))
    forged = signature_for(body, secret="whsec_someone_else")
    with caplog.at_level(logging.WARNING, logger="ascend.payments"), pytest.raises(WebhookRefused):
        process_webhook("stripe", body, {"Stripe-Signature": forged})
    assert "Refused a stripe webhook" in caplog.text
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING and not WebhookEvent.objects.exists()


def test_a_body_changed_after_signing_is_refused(cast):
    order = do_start_package_order(
        _package(cast.alpha), buyer_name="A", buyer_email=cast.alpha.client.email, provider="stripe"
    )
    body = stripe_event("evt_2", "checkout.session.expired", str(order.token))
    header = signature_for(body)
    tampered = body.replace(b"expired", b"completed")
    with pytest.raises(WebhookRefused):
        process_webhook("stripe", tampered, {"Stripe-Signature": header})


def test_a_late_expired_event_never_undoes_a_payment(cast):
    order = do_start_package_order(
        _package(cast.alpha), buyer_name="A", buyer_email=cast.alpha.client.email, provider="stripe"
    )
    token = str(order.token)
    assert _deliver(stripe_event("evt_a", "checkout.session.completed", token)) == "paid"
    assert _deliver(stripe_event("evt_b", "checkout.session.expired", token)) == "ignored"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_an_event_about_an_unknown_order_is_recorded_and_ignored(cast):
    body = stripe_event("evt_x", "checkout.session.completed", "not-a-token")
    assert _deliver(body) == "unknown_order"
    assert _deliver(body) == "duplicate"


def test_a_membership_cannot_be_bought_while_a_program_has_no_open_cohort(cast):
    from ascend.billing.actions import do_save_plan
    from ascend.programs.testing import make_program

    plan = do_save_plan(
        cast.alpha.workspace, actor=None, name="Gold", programs=[make_program(cast.alpha.workspace)]
    )
    with pytest.raises(ValidationError) as error:
        do_start_membership_order(plan, client=cast.alpha.client.membership, provider="manual")
    assert error.value.error_dict["plan"][0].code == "no_open_cohort"
    assert not Order.objects.exists()


def test_a_paid_membership_subscribes_and_enrols(cast):
    from ascend.billing.actions import do_save_plan
    from ascend.billing.models import Subscription
    from ascend.programs.models import Enrollment
    from ascend.programs.testing import make_cohort, make_program

    program = make_program(cast.alpha.workspace)
    make_cohort(program, cast.alpha.coach.membership)
    plan = do_save_plan(cast.alpha.workspace, actor=None, name="Gold", programs=[program])
    order = do_start_membership_order(plan, client=cast.alpha.client.membership, provider="manual")
    do_mark_order_paid(order, actor=None)
    assert Subscription.objects.filter(client=cast.alpha.client.membership).exists()
    assert Enrollment.objects.filter(client=cast.alpha.client.membership).exists()


@pytest.mark.django_db(transaction=True)
def test_one_event_delivered_46_times_at_once_and_out_of_order_makes_one_payment(cast):
    order = do_start_package_order(
        _package(cast.alpha), buyer_name="Rosa", buyer_email="rosa@example.com", provider="stripe"
    )
    token = str(order.token)
    completed = stripe_event("evt_done", "checkout.session.completed", token)
    succeeded = stripe_event("evt_async", "checkout.session.async_payment_succeeded", token)
    expired = stripe_event("evt_late", "checkout.session.expired", token)
    deliveries = [completed] * 46 + [succeeded] * 3 + [expired] * 3
    random.Random(7).shuffle(deliveries)
    outcomes: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(8)
    lock = threading.Lock()

    def worker(bodies: list[bytes]) -> None:
        try:
            start.wait()
            for body in bodies:
                outcome = _deliver(body)
                with lock:
                    outcomes.append(outcome)
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(deliveries[n::8],)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert outcomes.count("paid") == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert WebhookEvent.objects.count() == 3
    assert ClientInvitation.objects.count() == 1
    assert OutboundEmail.objects.filter(template="client_invitation").count() == 1


def test_a_stripe_checkout_session_carries_the_order_reference_and_minor_units(cast, monkeypatch):
    import stripe

    from ascend.billing.providers import get_provider

    calls = []

    def create(**params):
        calls.append(params)
        return stripe.checkout.Session.construct_from(
            {"id": "cs_test_1", "url": "https://checkout.stripe.com/c/pay/cs_test_1"}, "sk"
        )

    monkeypatch.setattr(stripe.checkout.Session, "create", create)
    order = do_start_package_order(
        _package(cast.alpha, price=Decimal("99.90"), currency="brl"),
        buyer_name="A",
        buyer_email="a@example.com",
        provider="stripe",
    )
    checkout = get_provider("stripe").start_checkout(
        order, success_url="https://x/ok", cancel_url="https://x/no"
    )
    assert checkout.provider_ref == "cs_test_1" and checkout.redirect_url.startswith("https://")
    (params,) = calls
    assert params["metadata"]["order_token"] == str(order.token)
    assert params["client_reference_id"] == str(order.token)
    assert params["idempotency_key"] == f"order-{order.token}"
    item = params["line_items"][0]["price_data"]
    assert (item["currency"], item["unit_amount"]) == ("brl", 9990)


def test_stripe_is_offered_only_when_both_keys_are_set(settings):
    from ascend.billing.providers import available_providers

    settings.STRIPE_WEBHOOK_SECRET = ""
    assert set(available_providers()) == {"manual"}
