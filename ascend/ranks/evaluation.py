"""Checking who has earned their next rank: after each visit and in a daily job.

The job reads every open holding with its visit count in one query and writes
only where something changes, so a run where nothing changes costs the same few
queries at 1k or 10k ranked clients. It is safe to run twice, and twice at once:
promotions re-check the holding under a row lock, eligibilities are unique per
holding, and notices are claimed before they are sent.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from ascend.programs.rules import client_today

from . import rules
from .models import Eligibility, PromotionKind, RankHolding
from .queries import current_holdings


def _criteria(rank) -> rules.Criteria:  # type: ignore[no-untyped-def]
    return rules.Criteria(rank.min_visits, rank.min_days)


def evaluate_holdings(holdings, now: datetime) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Promote (automatic categories) or mark eligible every holding whose criteria are met."""
    from .actions import do_promote

    counts = {"promoted": 0, "eligible": 0}
    for holding in holdings:
        ranks = list(holding.category.ranks.all())
        if rules.next_in_ladder(ranks, holding.rank) is None:
            continue
        today = client_today(holding.workspace.time_zone, now)
        met = rules.criteria_met(
            _criteria(holding.rank),
            visits=holding.visits,
            days=rules.days_in_rank(holding.started_on, today),
        )
        if not met:
            continue
        with scope(workspace=holding.workspace):
            if holding.category.auto_promote:
                try:
                    with transaction.atomic():
                        do_promote(
                            holding.client,
                            holding.category,
                            actor=None,
                            kind=PromotionKind.AUTOMATIC,
                            from_holding=holding.pk,
                        )
                    counts["promoted"] += 1
                except ValidationError:
                    continue  # another run promoted this client first
            elif _mark_eligible(holding, ranks):
                counts["eligible"] += 1
    return counts


def _mark_eligible(holding: RankHolding, ranks) -> bool:  # type: ignore[no-untyped-def]
    if Eligibility.objects.filter(holding=holding).exists():
        return False
    following = rules.next_in_ladder(ranks, holding.rank)
    try:
        with transaction.atomic():
            Eligibility.objects.create(
                workspace=holding.workspace, holding=holding, next_rank=following
            )
    except IntegrityError:
        return False  # marked by another run at the same moment
    from ascend.activity.actions import record_event
    from ascend.activity.verbs import Verb

    record_event(
        holding.workspace,
        Verb.RANK_ELIGIBLE,
        actor=None,
        target=holding,
        data={
            "client": str(holding.client.user),
            "rank": following.name,
            "category": holding.category.name,
        },
    )
    return True


def evaluate_client(client_id: int, now: datetime | None = None) -> dict[str, int]:
    """After a visit: check the client's holdings in every category."""
    with scopes_disabled():
        holdings = list(current_holdings().filter(client_id=client_id))
        counts = evaluate_holdings(holdings, now or timezone.now())
        from .notices import send_eligibility_notices

        send_eligibility_notices(now or timezone.now())
        return counts


def run_daily(now: datetime | None = None) -> dict[str, int]:
    """The daily job: seniority and visits for every ranked client, then the notices."""
    now = now or timezone.now()
    with scopes_disabled():
        holdings = current_holdings().filter(eligibility__isnull=True)
        counts = evaluate_holdings(holdings.iterator(chunk_size=2000), now)
        from .notices import send_eligibility_notices

        counts["notices"] = send_eligibility_notices(now)
        return counts
