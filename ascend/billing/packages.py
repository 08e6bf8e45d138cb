"""Packages: defining them, giving them to clients, and taking and giving back session credits."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ascend.activity.actions import record_event
from ascend.activity.verbs import Verb
from ascend.lib.errors import field_error
from ascend.programs.actions import workspace_today
from ascend.tenancy.models import Membership

from .credits import Credit, credit_to_use, expiry
from .models import CreditUse, HoldingSource, Package, PackageHolding

CURRENCY = re.compile(r"^[A-Z]{3}$")


@transaction.atomic
def do_save_package(workspace, *, actor, package: Package | None = None, **fields: Any) -> Package:  # type: ignore[no-untyped-def]
    """Create or change a package.

    Rules: a name; a price of 0 or more in a three-letter currency code (ISO 4217,
    e.g. USD); valid at least one day; sessions at least one, or empty for
    unlimited; a coach-owned package belongs to a coach of this workspace.
    Clients who already hold it keep the numbers they were given.
    """
    creating = package is None
    package = package or Package(workspace=workspace)
    for key, value in fields.items():
        setattr(package, key, value)
    package.name = (package.name or "").strip()
    package.currency = (package.currency or "").strip().upper()
    if not CURRENCY.match(package.currency):
        raise field_error("currency", _("Use a three-letter currency code, e.g. USD."), "currency")
    if package.price is None or Decimal(package.price) < 0:
        raise field_error("price", _("The price can't be negative."), "price_negative")
    coach = package.coach if package.coach_id else None
    if coach is not None and (
        coach.workspace_id != workspace.pk or not coach.is_active or not coach.is_coach
    ):
        raise field_error("coach", _("Choose a coach of this workspace."), "not_a_coach")
    package.full_clean()
    package.save()
    record_event(
        workspace,
        Verb.PACKAGE_CREATED if creating else Verb.PACKAGE_UPDATED,
        actor=actor,
        target=package,
    )
    return package


@transaction.atomic
def do_give_package(
    package: Package,
    client: Membership,
    *,
    actor,  # type: ignore[no-untyped-def]
    source: str = HoldingSource.STAFF,
    starts_on: date | None = None,
) -> PackageHolding:
    """Give a client a package: nothing is charged, the holding is recorded on the client.

    A client may hold several packages, the same one more than once. The package
    must be on offer and the person an active client of the package's workspace.
    """
    if not package.is_active:
        raise field_error("package", _("This package is no longer on offer."), "package_inactive")
    if client.workspace_id != package.workspace_id or not client.is_active or not client.is_client:
        raise field_error("client", _("Choose a client of this workspace."), "not_a_client")
    start = starts_on or workspace_today(package.workspace)
    holding = PackageHolding.objects.create(
        workspace=package.workspace,
        client=client,
        package=package,
        kind=package.kind,
        sessions=package.sessions,
        starts_on=start,
        expires_on=expiry(start, package.validity_days),
        source=source,
        given_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_event(
        package.workspace,
        Verb.PACKAGE_GIVEN,
        actor=actor,
        target=holding,
        data={"package": package.name, "client": client.pk, "source": source},
    )
    return holding


def _credits(client: Membership) -> list[Credit]:
    holdings = PackageHolding.objects.select_for_update().filter(client=client)
    return [
        Credit(h.pk, h.kind, h.starts_on, h.expires_on, h.sessions, h.sessions_used)
        for h in holdings
    ]


@transaction.atomic
def do_use_credit(client: Membership, *, day: date, kind: str, actor) -> CreditUse:  # type: ignore[no-untyped-def]
    """Take one session from the package that pays for it (``credits.credit_to_use``).

    The client's holdings are locked while choosing, and the count only grows
    while a session is left, so two sessions at once never overdraw a package.
    """
    chosen = credit_to_use(_credits(client), day, kind)
    if chosen is None:
        raise field_error(
            "package", _("No package of this client covers a session on that day."), "no_credit"
        )
    taken = PackageHolding.objects.filter(
        Q(sessions__isnull=True) | Q(sessions_used__lt=F("sessions")), pk=chosen.id
    ).update(sessions_used=F("sessions_used") + 1)
    if not taken:  # pragma: no cover - the lock above makes this unreachable
        raise field_error("package", _("That package has no session left."), "no_credit")
    use = CreditUse.objects.create(workspace=client.workspace, holding_id=chosen.id, session_on=day)
    record_event(client.workspace, Verb.CREDIT_USED, actor=actor, target=use.holding)
    return use


@transaction.atomic
def do_return_credit(use: CreditUse, *, actor) -> CreditUse:  # type: ignore[no-untyped-def]
    """Give a session back to the package it came from (once; a second call changes nothing)."""
    returned = CreditUse.objects.filter(pk=use.pk, returned_at__isnull=True).update(
        returned_at=timezone.now()
    )
    if returned:
        PackageHolding.objects.filter(pk=use.holding_id, sessions_used__gt=0).update(
            sessions_used=F("sessions_used") - 1
        )
        record_event(use.workspace, Verb.CREDIT_RETURNED, actor=actor, target=use.holding)
    use.refresh_from_db()
    return use
