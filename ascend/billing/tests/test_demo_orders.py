"""The demo's orders: client1 paid offline for "Ten coaching sessions" and the owner confirmed
it; a stranger ordered it and hasn't paid. Loading again adds nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from ascend.billing.demo import TEN, load_demo_packages
from ascend.billing.models import Order, OrderStatus, PackageHolding
from ascend.tenancy.models import Workspace

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_paid_order_and_one_waiting_and_loads_once():
    call_command("seed_demo", stdout=StringIO())
    workspace = Workspace.objects.get()
    paid = Order.objects.get(status=OrderStatus.PAID)
    assert paid.package.name == TEN and paid.provider == "manual"
    assert paid.client.user.email.startswith("client1@")
    assert paid.marked_paid_by.email.startswith("owner@")
    assert paid.outcome == "package_added"
    assert PackageHolding.objects.filter(client=paid.client, source="purchase").count() == 1
    waiting = Order.objects.get(status=OrderStatus.PENDING)
    assert waiting.client is None and waiting.buyer_email == "priya.shah@example.com"

    before = (Order.objects.count(), PackageHolding.objects.count())
    assert load_demo_packages(workspace) is False
    call_command("seed_demo", stdout=StringIO())
    assert (Order.objects.count(), PackageHolding.objects.count()) == before
