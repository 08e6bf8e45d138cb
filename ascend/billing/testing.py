"""Stripe webhook payloads signed in tests: nothing leaves the machine."""

from __future__ import annotations

import json
import time

import stripe

WEBHOOK_SECRET = "whsec_test_ascend"


def stripe_event(
    event_id: str, type_: str, order_token: str, *, payment_status: str = "paid"
) -> bytes:
    """The body Stripe posts for a Checkout Session event about one of our orders."""
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": type_,
            "created": int(time.time()),
            "data": {
                "object": {
                    "id": f"cs_test_{order_token[:8]}",
                    "object": "checkout.session",
                    "payment_status": payment_status,
                    "client_reference_id": order_token,
                    "metadata": {"order_token": order_token},
                }
            },
        }
    ).encode()


def signature_for(body: bytes, secret: str = WEBHOOK_SECRET) -> str:
    """The Stripe-Signature header Stripe would send for this body."""
    return stripe.WebhookSignature.generate_signature_header(body.decode(), secret)
