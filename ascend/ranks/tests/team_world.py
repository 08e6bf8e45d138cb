"""Builders for the team portal's ranks tests: a category with a ladder, clients on it."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ascend.ranks import actions
from ascend.ranks.models import Eligibility, Rank, RankCategory, RankHolding, Visit
from ascend.tenancy.roles import Role
from ascend.testing import make_person

ALLOWED = {"owner", "admin"}
EVERYONE = ["owner", "admin", "coach", "other_coach", "head_coach", "supervisor", "attendant",
            "auditor", "operator", "client", "other_client"]  # fmt: skip
BELTS = [("White", "#ffffff", 3, None), ("Yellow", "#f2c94c", 10, 30),
         ("Orange", "#f2994a", None, 60), ("Green", "#27ae60", None, None)]  # fmt: skip


def switch_on(workspace, term: str = "belts") -> None:  # type: ignore[no-untyped-def]
    workspace.ranks_enabled, workspace.rank_term = True, term
    workspace.save(update_fields=["ranks_enabled", "rank_term"])


def make_category(crew, name: str = "Karate", *, auto: bool = False, belts=BELTS):  # type: ignore[no-untyped-def]
    switch_on(crew.workspace)
    category = actions.do_save_category(
        crew.workspace, actor=crew.owner.user, name=name, auto_promote=auto,
        notify_roles=["owner", "admin"], notify_client=True,
    )  # fmt: skip
    ranks = [
        actions.do_save_rank(category, actor=None, name=n, colour=c, min_visits=v, min_days=d)
        for n, c, v, d in belts
    ]
    return category, ranks


def place(client, rank: Rank, *, days_ago: int = 0) -> RankHolding:  # type: ignore[no-untyped-def]
    holding = actions.do_assign_rank(client, rank, actor=None)
    if days_ago:
        started = timezone.now() - timedelta(days=days_ago)
        RankHolding.objects.filter(pk=holding.pk).update(
            started_at=started, started_on=started.date()
        )
        holding.refresh_from_db()
    return holding


def make_eligible(holding: RankHolding, next_rank: Rank) -> Eligibility:
    return Eligibility.objects.create(
        workspace=holding.workspace, holding=holding, next_rank=next_rank
    )


def add_visits(client, count: int) -> None:  # type: ignore[no-untyped-def]
    Visit.objects.bulk_create(
        Visit(workspace=client.workspace, client=client, occurred_at=timezone.now())
        for _ in range(count)
    )


def more_clients(crew, n: int, prefix: str = "extra"):  # type: ignore[no-untyped-def]
    return [
        make_person(
            crew.workspace, {Role.CLIENT}, f"{prefix}{i}@{crew.workspace.slug}.test"
        ).membership
        for i in range(n)
    ]


__all__ = ["RankCategory"]
