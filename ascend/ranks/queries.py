"""Reads of ranks, already scoped, with what each page or job needs loaded."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .models import Rank, RankCategory, RankHolding, Visit


def categories(workspace) -> QuerySet[RankCategory]:  # type: ignore[no-untyped-def]
    return RankCategory.objects.filter(
        workspace=workspace, archived_at__isnull=True
    ).prefetch_related(Prefetch("ranks", queryset=Rank.objects.order_by("position")))


def visits_since_start() -> Coalesce:
    """Visits of the holding's client since they entered the rank, counted in SQL."""
    counted = (
        Visit.objects.filter(
            client=OuterRef("client"),
            cancelled_at__isnull=True,
            occurred_at__gte=OuterRef("started_at"),
        )
        .order_by()
        .values("client")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def current_holdings(workspace=None) -> QuerySet[RankHolding]:  # type: ignore[no-untyped-def]
    """Open holdings with their visit count, rank, category ladder and client loaded."""
    qs = RankHolding.objects.filter(ended_at__isnull=True, category__archived_at__isnull=True)
    if workspace is not None:
        qs = qs.filter(workspace=workspace)
    return (
        qs.annotate(visits=visits_since_start())
        .select_related("rank", "category", "client__user", "workspace")
        .prefetch_related(Prefetch("category__ranks", queryset=Rank.objects.order_by("position")))
    )


def holdings_of(client) -> QuerySet[RankHolding]:  # type: ignore[no-untyped-def]
    """Every rank a client held, newest first, for their history."""
    return RankHolding.objects.filter(client=client).select_related("rank", "category", "by")


def eligible_holdings(category: RankCategory) -> QuerySet[RankHolding]:
    return current_holdings(category.workspace).filter(category=category, eligibility__isnull=False)


def active_visit_filter() -> Q:
    return Q(cancelled_at__isnull=True)
