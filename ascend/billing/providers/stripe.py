"""Stripe Checkout: sessions created with the ``stripe`` library, webhooks checked by it.

Only ``checkout.session.completed`` (payment_status "paid"),
``checkout.session.async_payment_succeeded`` and ``checkout.session.expired``
change an order; other events are recorded and ignored. The order is found by
the ``order_token`` metadata and ``client_reference_id`` we set on the session,
so an event that arrives before our own redirect finished still finds it.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import stripe
from django.utils.translation import gettext_lazy as _

from .base import BadWebhook, Checkout, CheckoutFailed, WebhookPayment

if TYPE_CHECKING:
    from ascend.billing.models import Order

PAID_EVENTS = {"checkout.session.completed", "checkout.session.async_payment_succeeded"}
EXPIRED_EVENTS = {"checkout.session.expired", "checkout.session.async_payment_failed"}
# Currencies Stripe counts in whole units (no cents).
ZERO_DECIMAL = {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF",
                "UGX", "VND", "VUV", "XAF", "XOF", "XPF"}  # fmt: skip


def minor_units(amount: Decimal, currency: str) -> int:
    """An amount in the currency's smallest unit, as Stripe expects (cents, or whole yen)."""
    factor = 1 if currency.upper() in ZERO_DECIMAL else 100
    return int((Decimal(amount) * factor).quantize(Decimal(1)))


class StripeProvider:
    key = "stripe"
    label = _("Pay by card")
    online = True

    def __init__(self, *, secret_key: str, webhook_secret: str):
        self.secret_key = secret_key
        self.webhook_secret = webhook_secret

    def session_params(self, order: Order, *, success_url: str, cancel_url: str) -> dict[str, Any]:
        """The Checkout Session we ask Stripe for: one line, the order's reference twice."""
        if order.package is not None:
            name = order.package.name
        elif order.product is not None:
            name = order.product.name
        else:
            name = str(order.plan)
        return {
            "mode": "payment",
            "success_url": success_url,
            "cancel_url": cancel_url,
            "customer_email": order.buyer_email,
            "client_reference_id": str(order.token),
            "metadata": {"order_token": str(order.token), "workspace": order.workspace.slug},
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": order.currency.lower(),
                        "unit_amount": minor_units(order.amount, order.currency),
                        "product_data": {"name": name},
                    },
                }
            ],
        }

    def start_checkout(self, order: Order, *, success_url: str, cancel_url: str) -> Checkout:
        try:
            session = stripe.checkout.Session.create(
                api_key=self.secret_key,
                idempotency_key=f"order-{order.token}",
                **self.session_params(order, success_url=success_url, cancel_url=cancel_url),
            )
        except stripe.StripeError as error:
            raise CheckoutFailed(str(error)) from error
        if not session.url:
            raise CheckoutFailed(f"Stripe gave no checkout URL for session {session.id}")
        return Checkout(redirect_url=session.url, provider_ref=session.id)

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookPayment:
        signature = headers.get("Stripe-Signature") or headers.get("stripe-signature") or ""
        try:
            event = stripe.Webhook.construct_event(body, signature, self.webhook_secret)
        except (stripe.SignatureVerificationError, ValueError) as error:
            raise BadWebhook(str(error)) from error
        except (KeyError, TypeError, AttributeError) as error:
            raise BadWebhook(f"not a Stripe event: {error!r}") from error
        try:
            return self._read_event(event)
        except (KeyError, TypeError, AttributeError, ValueError) as error:
            # Signed but not an event's shape: refused like a bad signature, never a 500.
            raise BadWebhook(f"not a Stripe event: {error!r}") from error

    def _read_event(self, event: Any) -> WebhookPayment:
        event_id, type_ = str(event["id"]), str(event["type"])
        data = event["data"]["object"]
        session = data.to_dict() if hasattr(data, "to_dict") else dict(data)
        metadata = session.get("metadata") or {}
        token = metadata.get("order_token") or session.get("client_reference_id") or ""
        state = ""
        if type_ in PAID_EVENTS and session.get("payment_status") in {
            "paid",
            "no_payment_required",
        }:
            state = "paid"
        elif type_ in EXPIRED_EVENTS:
            state = "cancelled"
        if not event_id:
            raise KeyError("id")
        return WebhookPayment(
            event_id=event_id,
            type=type_,
            order_token=str(token),
            state=state,
            provider_ref=str(session.get("id") or ""),
        )
