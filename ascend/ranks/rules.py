"""The ranks' rules, each a pure function stating what it decides."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Criteria:
    min_visits: int | None
    min_days: int | None

    @property
    def manual_only(self) -> bool:
        return self.min_visits is None and self.min_days is None


def criteria_met(criteria: Criteria, *, visits: int, days: int) -> bool:
    """Whether a client has earned the next rank.

    Rules: visits since entering the rank reach ``min_visits`` and days in the rank
    reach ``min_days``; a criterion left empty is not required; a rank with neither
    is promoted by hand only, so it is never met.
    """
    if criteria.manual_only:
        return False
    if criteria.min_visits is not None and visits < criteria.min_visits:
        return False
    return not (criteria.min_days is not None and days < criteria.min_days)


def days_in_rank(started_on: date, today: date) -> int:
    """Whole days since the client entered the rank (0 on the day itself, never negative)."""
    return max(0, (today - started_on).days)


def next_in_ladder(ladder: Sequence[T], current: T) -> T | None:
    """The rank after ``current`` in an ordered ladder, or None at the top."""
    index = list(ladder).index(current)
    return ladder[index + 1] if index + 1 < len(ladder) else None


def previous_in_ladder(ladder: Sequence[T], current: T) -> T | None:
    """The rank before ``current``, or None at the bottom."""
    index = list(ladder).index(current)
    return ladder[index - 1] if index > 0 else None


def progress_towards(criteria: Criteria, *, visits: int, days: int) -> dict[str, tuple[int, int]]:
    """What a client sees: visits x of y and days x of y, for the criteria that apply."""
    shown: dict[str, tuple[int, int]] = {}
    if criteria.min_visits is not None:
        shown["visits"] = (min(visits, criteria.min_visits), criteria.min_visits)
    if criteria.min_days is not None:
        shown["days"] = (min(days, criteria.min_days), criteria.min_days)
    return shown
