"""Session rules, as pure functions."""

from __future__ import annotations

from datetime import datetime, timedelta


def cancellation_refunds(starts_at: datetime, cancelled_at: datetime, cutoff_hours: int) -> bool:
    """A cancelled session gives its credit back when cancelled at least ``cutoff_hours``
    before it starts; later (or after it started), the session counts as used."""
    return cancelled_at <= starts_at - timedelta(hours=cutoff_hours)
