"""Orders and payments: payment links, checkouts, webhooks and fulfilment.

Rules (issue #5): a completed payment of a package adds it to the buyer when they
are already a client here, or sends them a client invitation by itself (the
package is given when they accept); a completed membership payment subscribes
and enrols the client. Webhooks are checked on the raw body, recorded once per
event id, and safe when delivered many times, at once, or out of order: only
pending → paid fulfils, and a late "expired" never undoes a payment.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from ascend.activity.actions import record_event
from ascend.activity.verbs import Verb
from ascend.lib.errors import field_error
from ascend.tenancy.models import Membership, Workspace

from .models import (
    HoldingSource,
    MembershipPlan,
    Order,
    OrderKind,
    OrderStatus,
    Package,
    WebhookEvent,
)
from .providers import BadWebhook, Checkout, CheckoutFailed, get_provider

log = logging.getLogger("ascend.payments")


def _provider_or_refuse(key: str):  # type: ignore[no-untyped-def]
    provider = get_provider(key)
    if provider is None:
        raise field_error("provider", _("This way of paying isn't available."), "provider")
    return provider


@transaction.atomic
def do_start_package_order(
    package: Package, *, buyer_name: str, buyer_email: str, provider: str
) -> Order:
    """An order for a package bought through its payment link (nothing is charged yet)."""
    from ascend.crm.actions import normalize_email

    _provider_or_refuse(provider)
    if not package.is_active:
        raise field_error("package", _("This package is no longer on offer."), "package_inactive")
    name, email = (buyer_name or "").strip(), normalize_email(buyer_email)
    if not name:
        raise field_error("buyer_name", _("Write your name."), "required")
    order = Order(
        workspace=package.workspace,
        kind=OrderKind.PACKAGE,
        package=package,
        buyer_name=name,
        buyer_email=email,
        client=Membership.objects.filter(
            workspace=package.workspace,
            user__email__iexact=email,
            removed_at__isnull=True,
            is_client=True,
        ).first(),
        amount=Decimal(package.price),
        currency=package.currency,
        provider=provider,
    )
    order.full_clean()
    order.save()
    record_event(package.workspace, Verb.ORDER_STARTED, actor=None, target=order)
    return order


@transaction.atomic
def do_start_membership_order(plan: MembershipPlan, *, client: Membership, provider: str) -> Order:
    """An order for a membership, by a signed-in client; refused while a program of the plan
    has no open cohort with room (``actions.can_purchase``)."""
    from .actions import can_purchase

    _provider_or_refuse(provider)
    if not plan.is_active or not can_purchase(plan):
        raise field_error(
            "plan",
            _("This membership can't be bought now: one of its programs has no open cohort."),
            "no_open_cohort",
        )
    order = Order.objects.create(
        workspace=plan.workspace,
        kind=OrderKind.MEMBERSHIP,
        plan=plan,
        buyer_name=str(client.user),
        buyer_email=client.user.email,
        client=client,
        amount=Decimal(plan.price),
        currency=plan.currency,
        provider=provider,
    )
    record_event(plan.workspace, Verb.ORDER_STARTED, actor=client.user, target=order)
    return order


@transaction.atomic
def do_start_course_order(
    product: Any, *, buyer_name: str, buyer_email: str, provider: str
) -> Order:
    """An order for a course product bought through its payment link (nothing is charged yet).

    Paying it gives the buyer access (``courses.actions_access.do_give_access``).
    """
    from ascend.crm.actions import normalize_email

    _provider_or_refuse(provider)
    if not product.is_active:
        raise field_error("product", _("This product is no longer on sale."), "product_inactive")
    name, email = (buyer_name or "").strip(), normalize_email(buyer_email)
    if not name:
        raise field_error("buyer_name", _("Write your name."), "required")
    order = Order(
        workspace=product.workspace,
        kind=OrderKind.COURSE,
        product=product,
        buyer_name=name,
        buyer_email=email,
        client=Membership.objects.filter(
            workspace=product.workspace,
            user__email__iexact=email,
            removed_at__isnull=True,
            is_client=True,
        ).first(),
        amount=Decimal(product.price),
        currency=product.currency,
        provider=provider,
    )
    order.full_clean()
    order.save()
    record_event(product.workspace, Verb.ORDER_STARTED, actor=None, target=order)
    return order


def do_open_checkout(order: Order, *, success_url: str, cancel_url: str) -> Checkout:
    """Ask the order's provider for a checkout and keep its reference on the order.

    Called after the order is committed: the provider is asked over the network,
    never inside a transaction. Raises ``CheckoutFailed`` (the order stays waiting).
    """
    provider = get_provider(order.provider)
    if provider is None:
        raise CheckoutFailed(f"provider {order.provider} is not available")
    checkout = provider.start_checkout(order, success_url=success_url, cancel_url=cancel_url)
    if checkout.provider_ref:
        Order.objects.filter(pk=order.pk, provider_ref="").update(
            provider_ref=checkout.provider_ref
        )
        order.provider_ref = order.provider_ref or checkout.provider_ref
    return checkout


def complete_order(order: Order, *, actor: Any = None) -> bool:
    """Mark the order paid and fulfil it, once. Returns False when it already was paid.

    Must run inside a transaction (the webhook's, or the admin's).
    """
    changed = Order.objects.filter(
        pk=order.pk, status__in=[OrderStatus.PENDING, OrderStatus.CANCELLED]
    ).update(status=OrderStatus.PAID, paid_at=timezone.now(), marked_paid_by=actor)
    if not changed:
        return False
    order.refresh_from_db()
    order.outcome = _fulfil(order)
    order.save(update_fields=["outcome"])
    record_event(order.workspace, Verb.ORDER_PAID, actor=actor, target=order)
    return True


def _fulfil(order: Order) -> str:
    from ascend.crm.actions import invite_buyer

    from .actions import do_subscribe
    from .packages import do_give_package

    if order.kind == OrderKind.MEMBERSHIP:
        assert order.plan is not None and order.client is not None
        do_subscribe(order.plan, order.client, actor=None)
        return "subscribed"
    if order.kind == OrderKind.COURSE:
        return _fulfil_course(order)
    assert order.package is not None
    client = (
        order.client
        or Membership.objects.filter(
            workspace=order.workspace,
            user__email__iexact=order.buyer_email,
            removed_at__isnull=True,
            is_client=True,
        ).first()
    )
    if client is not None:
        do_give_package(order.package, client, actor=None, source=HoldingSource.PURCHASE)
        Order.objects.filter(pk=order.pk).update(client=client)
        return "package_added"
    try:
        with transaction.atomic():
            invitation = invite_buyer(order)
    except ValidationError as error:
        # Paid all the same: the admins see the order and settle it by hand.
        log.warning("Order %s paid but no invitation could be sent: %s", order.pk, error)
        return "needs_attention"
    return "invitation_sent" if invitation is not None else "needs_attention"


def _fulfil_course(order: Order) -> str:
    """A paid course product: the buyer gets access and the access email (once: giving an
    open access again changes nothing)."""
    from ascend.courses.actions_access import do_give_access
    from ascend.courses.models import AccessSource

    assert order.product is not None
    try:
        with transaction.atomic():
            access = do_give_access(
                order.workspace,
                actor=None,
                email=order.buyer_email,
                full_name=order.buyer_name,
                product=order.product,
                source=AccessSource.PURCHASE,
                order=order,
            )
    except ValidationError as error:
        # Paid all the same (a coach's email, say): the admins see the order and settle it.
        log.warning("Order %s paid but no course access could be given: %s", order.pk, error)
        return "needs_attention"
    Order.objects.filter(pk=order.pk).update(client=access.learner)
    return "course_access_given"


@transaction.atomic
def do_mark_order_paid(order: Order, *, actor: Any) -> Order:
    """An admin confirms an offline payment; a second confirmation changes nothing."""
    if order.status == OrderStatus.PAID:
        raise field_error("order", _("This order is already paid."), "already_paid")
    complete_order(order, actor=actor)
    order.refresh_from_db()
    return order


@transaction.atomic
def do_cancel_order(order: Order, *, actor: Any) -> Order:
    """Cancel an order still waiting for payment."""
    if not Order.objects.filter(pk=order.pk, status=OrderStatus.PENDING).update(
        status=OrderStatus.CANCELLED
    ):
        raise field_error(
            "order", _("Only an order waiting for payment can be cancelled."), "not_pending"
        )
    record_event(order.workspace, Verb.ORDER_CANCELLED, actor=actor, target=order)
    order.refresh_from_db()
    return order


class WebhookRefused(Exception):
    """The request isn't a genuine provider event; answered 400 and logged."""


def process_webhook(provider_key: str, body: bytes, headers: Any) -> str:
    """Check, record and apply one webhook delivery; returns what happened.

    "duplicate" when the event id was already recorded (nothing else is done),
    "ignored" for events about nothing we sell, else "paid", "already_paid",
    "cancelled" or "unknown_order". Raises ``WebhookRefused`` for a bad signature.
    """
    provider = get_provider(provider_key)
    if provider is None:
        raise WebhookRefused(f"unknown provider {provider_key}")
    try:
        payment = provider.parse_webhook(body, headers)
    except BadWebhook as error:
        log.warning("Refused a %s webhook: %s", provider_key, error)
        raise WebhookRefused(str(error)) from error
    with scopes_disabled():
        order = (
            Order.objects.filter(token=payment.order_token).select_related("workspace").first()
            if _is_uuid(payment.order_token)
            else None
        )
    try:
        with transaction.atomic():
            event = WebhookEvent.objects.create(
                provider=provider_key,
                event_id=payment.event_id,
                type=payment.type,
                workspace=order.workspace if order else None,
                order=order,
            )
            outcome = (
                _apply(order, payment.state, payment.provider_ref)
                if order
                else ("unknown_order" if payment.state else "ignored")
            )
            event.outcome = outcome
            event.save(update_fields=["outcome"])
    except IntegrityError:
        return "duplicate"
    return outcome


def _apply(order: Order, state: str, provider_ref: str) -> str:
    with scope(workspace=order.workspace):
        if provider_ref and not order.provider_ref:
            Order.objects.filter(pk=order.pk, provider_ref="").update(provider_ref=provider_ref)
        if state == "paid":
            return "paid" if complete_order(order) else "already_paid"
        if state == "cancelled":
            cancelled = Order.objects.filter(pk=order.pk, status=OrderStatus.PENDING).update(
                status=OrderStatus.CANCELLED
            )
            return "cancelled" if cancelled else "ignored"
        return "ignored"


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except (ValueError, TypeError):
        return False
    return True


def coach_loads(workspace: Workspace) -> list[tuple[int, int]]:
    """(coach id, current clients and open invitations) for every active coach."""
    from ascend.crm.models import ContactStatus

    coaches = Membership.objects.filter(
        workspace=workspace, is_coach=True, removed_at__isnull=True
    ).annotate(
        load=Count(
            "contacts",
            filter=Q(contacts__status__in=[ContactStatus.ACTIVE, ContactStatus.INVITED]),
        )
    )
    return [(c.pk, c.load) for c in coaches]
