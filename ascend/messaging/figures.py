"""Response-time figures per coach and month, computed by the database.

One figure per answered waiting run (``ResponseRun.seconds``), counted in the
month of the reply in the workspace's time zone.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Avg, Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber, TruncMonth

from .models import ResponseRun


@dataclass(frozen=True)
class ResponseFigure:
    coach_id: int
    month: date
    replies: int  # answered runs
    median_seconds: float
    mean_seconds: float
    within_goal: float  # share, 0..1
    within_target: float


def _month_start(value: datetime | date) -> date:
    return date(value.year, value.month, 1)


def answered_runs(
    workspace, *, start: datetime | None = None, end: datetime | None = None
) -> QuerySet[ResponseRun]:  # type: ignore[no-untyped-def]
    runs = ResponseRun.objects.filter(workspace=workspace, answered_at__isnull=False)
    if start is not None:
        runs = runs.filter(answered_at__gte=start)
    if end is not None:
        runs = runs.filter(answered_at__lt=end)
    return runs


def response_figures(
    workspace,  # type: ignore[no-untyped-def]
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    coach_ids: list[int] | None = None,
) -> list[ResponseFigure]:
    """Median, mean and the shares answered within goal and target, per coach and month.

    Two queries whatever the number of runs: the sums by group, and the one or two
    middle figures of each group found with ROW_NUMBER() (the median of an even
    count is the mean of its two middle figures).
    """
    tz = zoneinfo.ZoneInfo(workspace.time_zone)
    goal = workspace.response_goal_hours * 3600
    target = workspace.response_target_hours * 3600
    runs = answered_runs(workspace, start=start, end=end)
    if coach_ids is not None:
        runs = runs.filter(coach_id__in=coach_ids)
    runs = runs.annotate(month=TruncMonth("answered_at", tzinfo=tz)).order_by()
    totals = runs.values("coach_id", "month").annotate(
        n=Count("id"),
        mean=Avg("seconds"),
        goal=Count("id", filter=Q(seconds__lte=goal)),
        target=Count("id", filter=Q(seconds__lte=target)),
    )
    group = [F("coach_id"), F("month")]
    ranked = runs.annotate(
        position=Window(
            RowNumber(), partition_by=group, order_by=[F("seconds").asc(), F("id").asc()]
        ),
        size=Window(Count("id"), partition_by=group),
    )
    middles = ranked.filter(
        Q(position=(F("size") + 1) / 2) | Q(position=(F("size") + 2) / 2)
    ).values_list("coach_id", "month", "seconds")
    middle_values: dict[tuple[int, date], list[int]] = defaultdict(list)
    for coach_id, month, seconds in middles:
        middle_values[(coach_id, _month_start(month))].append(seconds)
    figures = []
    for row in totals:
        key = (row["coach_id"], _month_start(row["month"]))
        middle = middle_values[key]
        figures.append(
            ResponseFigure(
                coach_id=row["coach_id"],
                month=key[1],
                replies=row["n"],
                median_seconds=sum(middle) / len(middle),
                mean_seconds=float(row["mean"]),
                within_goal=row["goal"] / row["n"],
                within_target=row["target"] / row["n"],
            )
        )
    return sorted(figures, key=lambda f: (f.month, f.coach_id))
