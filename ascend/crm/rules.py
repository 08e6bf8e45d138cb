"""CRM rules, as pure functions."""

from __future__ import annotations

from collections.abc import Iterable


def coach_by_load(loads: Iterable[tuple[int, int]]) -> int | None:
    """The coach a new client goes to when nobody chose one: the fewest current clients
    and open invitations; on a tie, the coach who joined first (lowest id)."""
    ranked = sorted(loads, key=lambda pair: (pair[1], pair[0]))
    return ranked[0][0] if ranked else None
