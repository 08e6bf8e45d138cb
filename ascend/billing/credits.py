"""Which package pays for a session, as a pure rule (issue #5, beyond the seed)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Credit:
    """What the rule needs to know of a package a client holds."""

    id: int
    kind: str
    starts_on: date
    expires_on: date
    sessions: int | None  # None: unlimited until expiry
    used: int

    def covers(self, day: date, kind: str) -> bool:
        has_left = self.sessions is None or self.used < self.sessions
        return self.kind == kind and self.starts_on <= day <= self.expires_on and has_left


def expiry(starts_on: date, validity_days: int) -> date:
    """The last day a package given on ``starts_on`` can be used: valid N days, both ends in."""
    return starts_on + timedelta(days=validity_days - 1)


def credit_to_use(credits: Iterable[Credit], day: date, kind: str) -> Credit | None:
    """The package a session on ``day`` is taken from, or None when nothing covers it.

    Rule: among the client's packages of the session's kind that are valid that day
    and have a session left (or are unlimited), the one expiring first; on a tie the
    one given first (lowest id), so credits that would be lost are used before others.
    """
    covering = [c for c in credits if c.covers(day, kind)]
    if not covering:
        return None
    return min(covering, key=lambda c: (c.expires_on, c.id))
