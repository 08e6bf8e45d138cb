"""Checking who has earned their next rank: after each visit and in a daily job.

The job reads every open holding not yet eligible, with its visit count, as plain
rows in one query, and every ladder in another; it loads and writes only where
something changes. So a run where nothing changes costs the same three queries
at 1k or 10k ranked clients, and holds no database cursor open while it writes
(on SQLite an open cursor would keep a second run's writes waiting on it).

It is safe to run twice, and twice at once: an automatic promotion first claims
the holding with a conditional UPDATE (the second run waits for the first, then
finds the holding closed), eligibilities are unique per holding, and notices are
claimed before they are sent.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from . import rules
from .models import Eligibility, PromotionKind, Rank, RankCategory, RankHolding
from .queries import visits_since_start


@dataclass(frozen=True)
class Row:
    """One open holding as the job reads it: ids, start day and visits since the start."""

    holding_id: int
    client_id: int
    category_id: int
    rank_id: int
    started_on: date
    visits: int


@dataclass
class Ladder:
    category: RankCategory  # with its workspace loaded
    ranks: list[Rank]  # in order


def _ladders() -> dict[int, Ladder]:
    """Every category's ranks in order, in one query (a few rows per category)."""
    ladders: dict[int, Ladder] = {}
    ranks = (
        Rank.objects.filter(category__archived_at__isnull=True)
        .select_related("category__workspace")
        .order_by("category_id", "position")
    )
    for rank in ranks:
        ladder = ladders.setdefault(rank.category_id, Ladder(rank.category, []))
        ladder.ranks.append(rank)
    return ladders


def _rows(**filters) -> list[Row]:  # type: ignore[no-untyped-def]
    qs = (
        RankHolding.objects.filter(ended_at__isnull=True, category__archived_at__isnull=True)
        .filter(**filters)
        .annotate(visits=visits_since_start())
        .order_by()
        .values_list("id", "client_id", "category_id", "rank_id", "started_on", "visits")
    )
    return [Row(*values) for values in qs]


def evaluate_rows(rows: Iterable[Row], now: datetime) -> dict[str, int]:
    """Promote (automatic categories) or mark eligible every holding whose criteria are met."""
    counts = {"promoted": 0, "eligible": 0}
    ladders = _ladders()
    todays: dict[str, date] = {}
    for row in rows:
        ladder = ladders.get(row.category_id)
        if ladder is None:
            continue
        by_id = {r.id: r for r in ladder.ranks}
        rank = by_id.get(row.rank_id)
        if rank is None or rules.next_in_ladder(ladder.ranks, rank) is None:
            continue
        workspace = ladder.category.workspace
        if workspace.time_zone not in todays:
            todays[workspace.time_zone] = now.astimezone(
                zoneinfo.ZoneInfo(workspace.time_zone)
            ).date()
        met = rules.criteria_met(
            rules.Criteria(rank.min_visits, rank.min_days),
            visits=row.visits,
            days=rules.days_in_rank(row.started_on, todays[workspace.time_zone]),
        )
        if not met:
            continue
        with scope(workspace=workspace):
            if ladder.category.auto_promote:
                if _promote(row):
                    counts["promoted"] += 1
            elif _mark_eligible(row, ladder):
                counts["eligible"] += 1
    return counts


def _promote(row: Row) -> bool:
    from ascend.tenancy.models import Membership

    from .actions import do_promote

    try:
        with transaction.atomic():
            # Claim first: a write as the transaction's first statement takes the lock up
            # front, so a run at the same moment waits here, then finds the holding closed.
            if not RankHolding.objects.filter(pk=row.holding_id, ended_at__isnull=True).update(
                ended_at=None
            ):
                return False
            client = Membership.objects.select_related("user", "workspace").get(pk=row.client_id)
            category = RankCategory.objects.select_related("workspace").get(pk=row.category_id)
            do_promote(
                client,
                category,
                actor=None,
                kind=PromotionKind.AUTOMATIC,
                from_holding=row.holding_id,
            )
    except ValidationError:
        return False  # another run promoted this client first
    return True


def _mark_eligible(row: Row, ladder: Ladder) -> bool:
    if Eligibility.objects.filter(holding_id=row.holding_id).exists():
        return False
    holding = RankHolding.objects.select_related("client__user", "rank", "workspace").get(
        pk=row.holding_id
    )
    following = rules.next_in_ladder(ladder.ranks, holding.rank)
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
            "rank": following.name if following else "",
            "category": ladder.category.name,
        },
    )
    return True


def evaluate_client(client_id: int, now: datetime | None = None) -> dict[str, int]:
    """After a visit: check the client's holdings in every category."""
    now = now or timezone.now()
    with scopes_disabled():
        counts = evaluate_rows(_rows(client_id=client_id, eligibility__isnull=True), now)
        from .notices import send_eligibility_notices

        send_eligibility_notices(now)
        return counts


def run_daily(now: datetime | None = None) -> dict[str, int]:
    """The daily job: seniority and visits for every ranked client, then the notices."""
    now = now or timezone.now()
    with scopes_disabled():
        counts = evaluate_rows(_rows(eligibility__isnull=True), now)
        from .notices import send_eligibility_notices

        counts["notices"] = send_eligibility_notices(now)
        return counts
