"""Demo packages: one of the workspace's, one on a coach's list, held by demo clients."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django_scopes import scope

from ascend.programs.actions import workspace_today
from ascend.tenancy.models import Membership, Workspace

from .models import Package, PackageKind
from .packages import do_give_package, do_save_package, do_use_credit

TEN = "Ten coaching sessions"


@transaction.atomic
def load_demo_packages(workspace: Workspace) -> bool:
    """Add the demo packages; returns False (and does nothing) if present."""
    with scope(workspace=workspace):
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
