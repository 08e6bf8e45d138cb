"""Payment providers behind one adapter interface; see ``base.PaymentProvider``."""

from __future__ import annotations

from django.conf import settings

from .base import BadWebhook, Checkout, CheckoutFailed, PaymentProvider, WebhookPayment
from .manual import ManualProvider
from .stripe import StripeProvider


def available_providers() -> dict[str, PaymentProvider]:
    """The providers this installation can use: manual always, Stripe when configured."""
    providers: dict[str, PaymentProvider] = {"manual": ManualProvider()}
    if settings.STRIPE_SECRET_KEY and settings.STRIPE_WEBHOOK_SECRET:
        providers["stripe"] = StripeProvider(
            secret_key=settings.STRIPE_SECRET_KEY, webhook_secret=settings.STRIPE_WEBHOOK_SECRET
        )
    return providers


def get_provider(key: str) -> PaymentProvider | None:
    return available_providers().get(key)


__all__ = [
    "BadWebhook",
    "Checkout",
    "CheckoutFailed",
    "PaymentProvider",
    "WebhookPayment",
    "available_providers",
    "get_provider",
]
