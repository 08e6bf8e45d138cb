"""Ranks for the API, evaluation and notices tests: a ladder, holdings and visits in one call.

Written directly (test set-up: no events, no emails), with the holdings' start
placed in the past where a test needs seniority.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from django.utils import timezone

from ascend.ranks.models import PromotionKind, Rank, RankCategory, RankHolding, Visit

BELTS = ["White", "Yellow", "Orange", "Green", "Black"]


def switch_on(workspace) -> None:  # type: ignore[no-untyped-def]
    workspace.ranks_enabled = True
    workspace.save(update_fields=["ranks_enabled"])


def make_category(
    workspace,  # type: ignore[no-untyped-def]
    name: str = "Karate",
    *,
    criteria: Sequence[tuple[int | None, int | None]] = ((3, None), (5, 30), (None, None)),
    auto_promote: bool = False,
    notify_roles: Sequence[str] = ("admin",),
    notify_client: bool = True,
) -> tuple[RankCategory, list[Rank]]:
    """A category with one rank per (visits, days) pair, named after the belts, in order."""
    switch_on(workspace)
    category = RankCategory.objects.create(
        workspace=workspace,
        name=name,
        auto_promote=auto_promote,
        notify_roles=list(notify_roles),
        notify_client=notify_client,
    )
    ranks = [
        Rank.objects.create(
            workspace=workspace,
            category=category,
            name=BELTS[position % len(BELTS)] + ("" if position < len(BELTS) else f" {position}"),
            colour="#1f6feb",
            position=position,
            min_visits=visits,
            min_days=days,
        )
        for position, (visits, days) in enumerate(criteria)
    ]
    return category, ranks


def hold(client, rank: Rank, *, days_ago: int = 0) -> RankHolding:  # type: ignore[no-untyped-def]
    """The client holds the rank since ``days_ago`` days (their current rank)."""
    started = timezone.now() - timedelta(days=days_ago)
    return RankHolding.objects.create(
        workspace=rank.workspace,
        client=client,
        category=rank.category,
        rank=rank,
        started_on=timezone.localdate(started),
        started_at=started,
        kind=PromotionKind.MANUAL,
    )


def add_visits(client, count: int, *, days_ago: int = 0) -> list[Visit]:  # type: ignore[no-untyped-def]
    when = timezone.now() - timedelta(days=days_ago)
    return Visit.objects.bulk_create(
        Visit(workspace=client.workspace, client=client, occurred_at=when) for _ in range(count)
    )
