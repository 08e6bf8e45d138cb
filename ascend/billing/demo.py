"""Demo packages: one of the workspace's, one on a coach's list, held by demo clients; and
their orders: one paid offline by client1 (marked paid by the owner), one a stranger
has yet to pay."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django_scopes import scope

from ascend.programs.actions import workspace_today
from ascend.tenancy.models import Membership, Workspace

from .models import Order, Package, PackageKind
from .packages import do_give_package, do_save_package, do_use_credit
from .payments import do_mark_order_paid, do_start_package_order

TEN = "Ten coaching sessions"


@transaction.atomic
def load_demo_packages(workspace: Workspace) -> bool:
    """Add the demo packages and their orders; returns False (and does nothing) if present."""
    with scope(workspace=workspace):
        added = _load_packages(workspace)
        return _load_orders(workspace) or added


def _load_orders(workspace: Workspace) -> bool:
    """client1 bought "Ten coaching sessions" offline and the owner confirmed it; a stranger
    ordered it too and hasn't paid yet. Once only: nothing if the package has orders."""
    ten = Package.objects.filter(workspace=workspace, name=TEN).first()
    if ten is None or Order.objects.filter(package=ten).exists():
        return False
    members = {
        m.user.email.split("@")[0]: m
        for m in Membership.objects.filter(workspace=workspace).select_related("user")
    }
    if "client1" not in members or "owner" not in members:
        return False
    client1 = members["client1"].user
    paid = do_start_package_order(
        ten, buyer_name=str(client1), buyer_email=client1.email, provider="manual"
    )
    do_mark_order_paid(paid, actor=members["owner"].user)
    do_start_package_order(
        ten, buyer_name="Priya Shah", buyer_email="priya.shah@example.com", provider="manual"
    )
    return True


def _load_packages(workspace: Workspace) -> bool:
    if Package.objects.filter(workspace=workspace, name=TEN).exists():
        return False
    members = {
        m.user.email.split("@")[0]: m
        for m in Membership.objects.filter(workspace=workspace).select_related("user")
    }
    if "client1" not in members or "coach1" not in members:
        return False
    owner = members["owner"].user
    today = workspace_today(workspace)
    ten = do_save_package(
        workspace,
        actor=owner,
        name=TEN,
        description="One-to-one video sessions of 45 minutes.",
        kind=PackageKind.ONE_TO_ONE,
        sessions=10,
        price=Decimal("650.00"),
        currency="USD",
        validity_days=120,
    )
    group = do_save_package(
        workspace,
        actor=owner,
        name="Strength group, 8 weeks",
        description="Carlos's weekly small-group strength class.",
        kind=PackageKind.GROUP,
        sessions=None,
        price=Decimal("240.00"),
        currency="USD",
        validity_days=56,
        coach=members["coach1"],
    )
    started = today - timedelta(days=30)
    do_give_package(ten, members["client1"], actor=owner, starts_on=started)
    for weeks_ago in (4, 3, 1):
        do_use_credit(
            members["client1"],
            day=today - timedelta(weeks=weeks_ago),
            kind=PackageKind.ONE_TO_ONE,
            actor=owner,
        )
    do_give_package(group, members["client2"], actor=owner, starts_on=today)
    return True
