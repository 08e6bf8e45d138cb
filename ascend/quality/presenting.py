"""How audits and quality figures read on a page: durations, follow-up states, months."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Audit

# The coach is expected to follow up within a day of the audit (DESIGN.md).
FOLLOW_UP_WINDOW = timedelta(hours=24)


def duration_text(seconds: float | None) -> str:
    """A duration as people say it: "45 min", "3 h 20 min", "2 d 5 h"."""
    if seconds is None:
        return ""
    minutes = int(round(seconds / 60))
    if minutes < 1:
        return _("under 1 min")
    if minutes < 60:
        return _("%(m)d min") % {"m": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        if minutes == 0:
            return _("%(h)d h") % {"h": hours}
        return _("%(h)d h %(m)d min") % {"h": hours, "m": minutes}
    days, hours = divmod(hours, 24)
    if hours == 0:
        return _("%(d)d d") % {"d": days}
    return _("%(d)d d %(h)d h") % {"d": days, "h": hours}


@dataclass(frozen=True)
class FollowUp:
    """Whether the coach wrote again in the conversation within 24 h of the audit."""

    state: str  # "done", "missed" or "pending"
    text: str

    @property
    def css(self) -> str:
        return {"done": "badge--ok", "missed": "badge--warn"}.get(self.state, "")


def follow_up(audit: Audit, now: datetime | None = None) -> FollowUp:
    if audit.followed_up_at is not None:
        waited = (audit.followed_up_at - audit.created_at).total_seconds()
        return FollowUp("done", _("followed up in %(time)s") % {"time": duration_text(waited)})
    if (now or timezone.now()) >= audit.created_at + FOLLOW_UP_WINDOW:
        return FollowUp("missed", _("no follow-up within 24 h"))
    return FollowUp("pending", _("24 h not yet passed"))


# Months -------------------------------------------------------------------------------------


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def month_span(first: date, last: date) -> list[date]:
    """Every month from ``first`` to ``last`` included (both first days of months)."""
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def month_bounds(first: date, last: date, time_zone: str) -> tuple[datetime, datetime]:
    """The moment ``first`` begins and the moment after ``last`` ends, in the workspace's zone."""
    tz = zoneinfo.ZoneInfo(time_zone)
    after = add_months(last, 1)
    return (
        datetime(first.year, first.month, 1, tzinfo=tz),
        datetime(after.year, after.month, 1, tzinfo=tz),
    )
