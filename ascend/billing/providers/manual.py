"""Offline payments (bank transfer, card at the desk): an admin marks the order paid."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from .base import BadWebhook, Checkout, WebhookPayment

if TYPE_CHECKING:
    from ascend.billing.models import Order


class ManualProvider:
    key = "manual"
    label = _("Pay offline (the team confirms your payment)")
    online = False

    def start_checkout(self, order: Order, *, success_url: str, cancel_url: str) -> Checkout:
        # Nothing to open elsewhere: the buyer sees the order page with how to pay.
        return Checkout(redirect_url=success_url, provider_ref="")

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookPayment:
        raise BadWebhook("The manual provider receives no webhooks.")
