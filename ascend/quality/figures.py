"""Communication quality per coach and month, counted by the database."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from ascend.messaging.models import Message

from .models import Grade
from .rules import communication_quality, percentile_rank


@dataclass(frozen=True)
class QualityFigure:
    coach_id: int
    month: date
    replies: int
    needs_improvement: int
    audited: int
    quality: float
    percentile: int


def quality_figures(
    workspace,  # type: ignore[no-untyped-def]
    *,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[QualityFigure]:
    """Replies sent and needs-improvement grades per coach and month (the month the reply was
    sent, in the workspace's time zone), the quality and each coach's percentile that month.

    One query; the percentile compares the handful of coach rows of each month.
    """
    tz = zoneinfo.ZoneInfo(workspace.time_zone)
    replies = Message.objects.filter(workspace=workspace, is_coach_reply=True)
    if start is not None:
        replies = replies.filter(created_at__gte=start)
    if end is not None:
        replies = replies.filter(created_at__lt=end)
    rows = (
        replies.annotate(month=TruncMonth("created_at", tzinfo=tz))
        .order_by()
        .values("author_id", "month")
        .annotate(
            replies=Count("id"),
            audited=Count("audit"),
            needs_improvement=Count("audit", filter=Q(audit__grade=Grade.NEEDS_IMPROVEMENT)),
        )
    )
    by_month: dict[date, list[dict]] = {}
    for row in rows:
        month = date(row["month"].year, row["month"].month, 1)
        row["quality"] = communication_quality(row["replies"], row["needs_improvement"])
        by_month.setdefault(month, []).append(row)
    figures = []
    for month, coach_rows in by_month.items():
        values = [r["quality"] for r in coach_rows]
        for row in coach_rows:
            figures.append(
                QualityFigure(
                    coach_id=row["author_id"],
                    month=month,
                    replies=row["replies"],
                    needs_improvement=row["needs_improvement"],
                    audited=row["audited"],
                    quality=row["quality"],
                    percentile=percentile_rank(row["quality"], values),
                )
            )
    return sorted(figures, key=lambda f: (f.month, f.coach_id))
