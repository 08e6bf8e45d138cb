"""The client portal's ranks page: my current rank in each category, progress and history.

Headings use the workspace's own word for ranks (``workspace.rank_word``). The
page answers 404 while ranks are switched off, like every ranks page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext

from ascend.tenancy.access import capability_required
from ascend.tenancy.capabilities import Cap
from ascend.tenancy.models import Membership

from . import rules
from .actions import workspace_today
from .models import Rank, RankHolding
from .queries import current_holdings, holdings_of


def ranks_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Ranks pages exist only while the workspace has ranks switched on (else 404)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.workspace.ranks_enabled:  # type: ignore[attr-defined]
            raise Http404("Ranks are switched off")
        return view(request, *args, **kwargs)

    return wrapper


@dataclass
class Meter:
    """One criterion towards the next rank: visits x of y, or days x of y."""

    kind: str
    done: int
    needed: int
    label: str

    @property
    def complete(self) -> bool:
        return self.done >= self.needed


@dataclass
class RankCard:
    """A client's current rank in one category, and how far they are towards the next."""

    holding: RankHolding
    next_rank: Rank | None
    meters: list[Meter]
    days: int

    @property
    def category(self) -> Any:
        return self.holding.category

    @property
    def rank(self) -> Rank:
        return self.holding.rank

    @property
    def eligible(self) -> bool:
        # Reverse one-to-one loaded with the holding; no query either way.
        try:
            return self.holding.eligibility is not None
        except RankHolding.eligibility.RelatedObjectDoesNotExist:  # type: ignore[attr-defined]
            return False

    @property
    def manual_only(self) -> bool:
        return self.next_rank is not None and not self.meters


def meters_for(rank: Rank, *, visits: int, days: int) -> list[Meter]:
    shown = rules.progress_towards(
        rules.Criteria(rank.min_visits, rank.min_days), visits=visits, days=days
    )
    meters = []
    if "visits" in shown:
        done, needed = shown["visits"]
        label = ngettext(
            "%(done)d of %(needed)d visit", "%(done)d of %(needed)d visits", needed
        ) % {"done": done, "needed": needed}
        meters.append(Meter("visits", done, needed, label))
    if "days" in shown:
        done, needed = shown["days"]
        label = ngettext("%(done)d of %(needed)d day", "%(done)d of %(needed)d days", needed) % {
            "done": done,
            "needed": needed,
        }
        meters.append(Meter("days", done, needed, label))
    return meters


def rank_cards(membership: Membership) -> list[RankCard]:
    """The client's current rank in each category, with progress, in two queries."""
    today = workspace_today(membership.workspace)
    holdings = (
        current_holdings(membership.workspace)
        .filter(client=membership)
        .select_related("eligibility")
        .order_by("category__name", "category_id")
    )
    cards = []
    for holding in holdings:
        ladder = list(holding.category.ranks.all())
        following = rules.next_in_ladder(ladder, holding.rank)
        days = rules.days_in_rank(holding.started_on, today)
        meters = meters_for(holding.rank, visits=holding.visits, days=days) if following else []
        cards.append(RankCard(holding=holding, next_rank=following, meters=meters, days=days))
    return cards


def history_of(membership: Membership) -> list[RankHolding]:
    return list(
        holdings_of(membership)
        .filter(workspace=membership.workspace, category__archived_at__isnull=True)
        .order_by("category__name", "category_id", "-started_at", "-id")
    )


@capability_required(Cap.PORTAL_CLIENT)
@ranks_required
def client_ranks(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    return render(
        request,
        "ranks/client/ranks.html",
        {
            "cards": rank_cards(membership),
            "history": history_of(membership),
            "rank_word": request.workspace.rank_word,  # type: ignore[attr-defined]
        },
    )
