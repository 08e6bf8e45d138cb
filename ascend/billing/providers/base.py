"""The adapter interface every payment provider implements."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.utils.functional import Promise

if TYPE_CHECKING:
    from ascend.billing.models import Order


class BadWebhook(Exception):
    """The request is not a genuine event of the provider (bad or missing signature, bad body)."""


class CheckoutFailed(Exception):
    """The provider could not open a checkout (unreachable, refused); nothing was charged."""


@dataclass(frozen=True)
class Checkout:
    """Where to send the buyer to pay, and the provider's reference of that checkout."""

    redirect_url: str
    provider_ref: str


@dataclass(frozen=True)
class WebhookPayment:
    """What an event says about one of our orders.

    ``state`` is "paid", "cancelled" or "" (an event about something else, recorded
    and otherwise ignored). ``order_token`` is the reference we gave the provider.
    """

    event_id: str
    type: str
    order_token: str
    state: str
    provider_ref: str = ""


class PaymentProvider(Protocol):
    key: str

    @property
    def label(self) -> str | Promise:
        """What buyers read when choosing how to pay (translated)."""
        ...

    # Whether the buyer pays on the provider's page (else staff confirm the payment).
    online: bool

    def start_checkout(self, order: Order, *, success_url: str, cancel_url: str) -> Checkout:
        """Open a checkout for the order and say where to send the buyer; raises
        ``CheckoutFailed`` when the provider can't."""
        ...

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookPayment:
        """Check the signature on the raw body and read the event; raises ``BadWebhook``."""
        ...
