"""Builders for ranks in tests: a category with a ladder of ranks in one call."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from .models import Rank, RankCategory, RankHolding, Visit


def make_ladder(
    workspace,
    *,
    name: str = "Karate",
    auto: bool = False,  # type: ignore[no-untyped-def]
    criteria=((3, None), (3, 10)),
    notify_roles=("admin",),
    notify_client: bool = True,
) -> tuple[RankCategory, list[Rank]]:
    """A category and its ranks; ``criteria`` holds (visits, days) per rank but the last one."""
    workspace.ranks_enabled = True
    workspace.save(update_fields=["ranks_enabled"])
    category = RankCategory.objects.create(
        workspace=workspace,
        name=name,
        auto_promote=auto,
        notify_roles=list(notify_roles),
        notify_client=notify_client,
    )
    names = ["White", "Yellow", "Orange", "Green", "Black"]
    ranks = []
    for position, (visits, days) in enumerate([*criteria, (None, None)][: len(criteria) + 1]):
        ranks.append(
            Rank.objects.create(
                workspace=workspace,
                category=category,
                name=f"{names[position]} belt",
                position=position,
                min_visits=visits,
                min_days=days,
            )
        )
    return category, ranks


def backdate(holding: RankHolding, days: int) -> RankHolding:
    """Pretend the client entered the rank ``days`` ago."""
    started = timezone.now() - timedelta(days=days)
    RankHolding.objects.filter(pk=holding.pk).update(started_at=started, started_on=started.date())
    holding.refresh_from_db()
    return holding


def add_visits(client, count: int, *, days_ago: int = 0) -> None:  # type: ignore[no-untyped-def]
    when = timezone.now() - timedelta(days=days_ago)
    Visit.objects.bulk_create(
        Visit(workspace=client.workspace, client=client, occurred_at=when) for _ in range(count)
    )
