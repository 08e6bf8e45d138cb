"""Memberships: subscribing enrols automatically, unsubscribing keeps history."""

from __future__ import annotations

import random
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ascend.activity.actions import record_event
from ascend.activity.verbs import Verb
from ascend.lib.errors import field_error
from ascend.programs import queries as program_queries
from ascend.programs import rules
from ascend.programs.actions import (
    check_may_be_client,
    cohort_facts,
    do_enroll,
    do_unenroll,
    workspace_today,
)
from ascend.programs.models import Cohort, Enrollment, EnrollmentSource, Program
from ascend.programs.queries import open_cohorts_with_room
from ascend.tenancy.models import Membership

from .models import MembershipPlan, Subscription
from .packages import CURRENCY


def taking_clients(cohorts: Iterable[Cohort]) -> list[Cohort]:
    """The cohorts that would accept a new client today (``rules.enrolment_refusal``).

    The cohorts must come from ``programs.queries.cohorts``, which counts their
    active enrolments in SQL as ``active_count``.
    """
    cohorts = list(cohorts)
    if not cohorts:
        return []
    today = workspace_today(cohorts[0].workspace)
    return [
        cohort
        for cohort in cohorts
        if rules.enrolment_refusal(cohort_facts(cohort, cohort.active_count), today) is None  # type: ignore[attr-defined]
    ]


def cohorts_taking_clients(program: Program) -> list[Cohort]:
    """The program's cohorts that would accept a new client today."""
    return taking_clients(open_cohorts_with_room(program))


def programs_taking_clients(workspace: Any) -> set[int]:
    """Ids of the workspace's programs with a cohort taking clients today (one query)."""
    open_cohorts = program_queries.cohorts(workspace).filter(is_open=True)
    return {cohort.program_id for cohort in taking_clients(open_cohorts)}


def can_purchase(plan: MembershipPlan) -> bool:
    """A membership can be bought only while each of its programs has a cohort taking clients."""
    programs = list(plan.programs.filter(archived_at__isnull=True))
    taking = programs_taking_clients(plan.workspace)
    return bool(programs) and all(p.id in taking for p in programs)


@transaction.atomic
def do_subscribe(
    plan: MembershipPlan, client: Membership, *, actor, rng: random.Random | None = None
) -> Subscription:  # type: ignore[no-untyped-def]
    """Subscribe a client to a membership and enrol them in each of its programs.

    Each program places the client in a randomly chosen cohort that takes clients;
    a program with none leaves the client subscribed but not enrolled there, and
    the admins are told (outbox and activity). A program the client is already in
    is left as it is.
    """
    check_may_be_client(client)
    if not plan.is_active:
        raise ValidationError(_("This membership isn't on sale."), code="plan_inactive")
    if Subscription.objects.filter(plan=plan, client=client, ended_at__isnull=True).exists():
        raise field_error(
            "plan", _("The client already has this membership."), "already_subscribed"
        )
    subscription = Subscription.objects.create(
        workspace=plan.workspace,
        plan=plan,
        client=client,
        started_by=actor if getattr(actor, "pk", None) else None,
    )
    record_event(
        plan.workspace,
        Verb.SUBSCRIBED,
        actor=actor,
        target=subscription,
        data={"plan": plan.name, "client": str(client.user)},
    )
    for program in plan.programs.filter(archived_at__isnull=True):
        if Enrollment.objects.filter(
            client=client, program=program, ended_at__isnull=True
        ).exists():
            continue
        cohort = rules.choose_cohort(cohorts_taking_clients(program), rng)
        if cohort is None:
            record_event(
                plan.workspace,
                Verb.NOT_ENROLLED_NO_COHORT,
                actor=actor,
                target=program,
                data={"plan": plan.name, "client": str(client.user)},
            )
            from ascend.programs.notices import notify_not_enrolled

            notify_not_enrolled(subscription, program)
            continue
        do_enroll(
            cohort,
            client,
            actor=actor,
            source=EnrollmentSource.MEMBERSHIP,
            subscription=subscription,
        )
    return subscription


@transaction.atomic
def do_unsubscribe(subscription: Subscription, *, actor) -> Subscription:  # type: ignore[no-untyped-def]
    """End a membership and the enrolments it made; everything stays as history."""
    if subscription.ended_at is not None:
        raise ValidationError(_("This membership has already ended."), code="already_ended")
    subscription.ended_at = timezone.now()
    subscription.ended_by = actor if getattr(actor, "pk", None) else None
    subscription.save(update_fields=["ended_at", "ended_by"])
    for enrollment in subscription.enrollments.filter(ended_at__isnull=True):
        do_unenroll(enrollment, actor=actor)
    record_event(
        subscription.workspace,
        Verb.UNSUBSCRIBED,
        actor=actor,
        target=subscription,
        data={"plan": subscription.plan.name, "client": str(subscription.client.user)},
    )
    return subscription


@transaction.atomic
def do_save_plan(
    workspace,
    *,
    actor,
    plan: MembershipPlan | None = None,
    name: str,  # type: ignore[no-untyped-def]
    description: str = "",
    programs=(),
    is_active: bool = True,
    price: Decimal | None = None,
    currency: str = "",
) -> MembershipPlan:
    """Create or change a membership, its price and the programs it opens.

    The price is 0 or more (empty: 0) in a three-letter currency code (empty: USD).
    """
    plan = plan or MembershipPlan(workspace=workspace)
    plan.name, plan.description, plan.is_active = name, description, is_active
    plan.price = Decimal(0) if price is None else Decimal(price)
    plan.currency = (currency or "USD").strip().upper()
    if not CURRENCY.match(plan.currency):
        raise field_error("currency", _("Use a three-letter currency code, e.g. USD."), "currency")
    if plan.price < 0:
        raise field_error("price", _("The price can't be negative."), "price_negative")
    plan.full_clean()
    plan.save()
    chosen = list(programs)
    if any(p.workspace_id != workspace.id for p in chosen):
        raise field_error("programs", _("Choose programs of this workspace."), "wrong_workspace")
    if not chosen:
        raise field_error("programs", _("Choose at least one program."), "no_programs")
    plan.programs.set(chosen)
    return plan
