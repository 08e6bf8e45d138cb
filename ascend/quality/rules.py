"""Communication quality rules, as pure functions (DESIGN.md, issue #4)."""

from __future__ import annotations

from collections.abc import Sequence


def communication_quality(replies: int, needs_improvement: int) -> float | None:
    """1 − needs-improvement grades ÷ replies sent, in a month; None with no replies.

    Never below 0, even if more grades than replies were counted (grades of
    replies sent in another month are counted in their own month).
    """
    if replies <= 0:
        return None
    return max(0.0, 1 - needs_improvement / replies)


def percentile_rank(value: float, values: Sequence[float]) -> int:
    """Where a coach stands among the workspace's coaches: the share (0–100, rounded) of
    coaches whose figure is at most this one. The best coach is at 100; with four coaches
    the worst is at 25, so "the top 75%" are those above 25."""
    if not values:
        return 0
    at_most = sum(1 for v in values if v <= value)
    return round(100 * at_most / len(values))
