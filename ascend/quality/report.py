"""The communication quality report: quality and response-time figures per coach and month,
joined into rows for the page, the chart and the CSV."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ascend.messaging.figures import ResponseFigure, response_figures
from ascend.tenancy.models import Membership, Workspace

from .figures import QualityFigure, quality_figures
from .presenting import duration_text, month_bounds, month_span

# Lines of the chart, one per coach; the palette repeats after ten coaches.
PALETTE = [
    "#2454d6", "#157347", "#b42318", "#8a5a00", "#6941c6",
    "#0e7490", "#c11574", "#4d7c0f", "#5a6576", "#ea580c",
]  # fmt: skip


@dataclass
class Row:
    coach: Membership
    month: date
    quality: QualityFigure | None
    response: ResponseFigure | None

    @property
    def quality_percent(self) -> float | None:
        if self.quality is None or self.quality.quality is None:
            return None
        return round(100 * self.quality.quality, 1)

    @property
    def month_label(self) -> str:
        return date_format(self.month, "YEAR_MONTH_FORMAT")

    @property
    def median_text(self) -> str:
        return duration_text(self.response.median_seconds) if self.response else ""

    @property
    def mean_text(self) -> str:
        return duration_text(self.response.mean_seconds) if self.response else ""


@dataclass
class Report:
    first: date
    last: date
    coaches: list[Membership]  # the coaches shown, in name order
    rows: list[Row]  # newest month first, then by coach name

    @property
    def months(self) -> list[date]:
        return month_span(self.first, self.last)

    def chart(self) -> dict[str, Any]:
        """Quality per coach over the months, in Chart.js's own shape."""
        by_coach: dict[int, dict[date, float | None]] = {}
        for row in self.rows:
            by_coach.setdefault(row.coach.pk, {})[row.month] = row.quality_percent
        datasets = []
        for i, coach in enumerate(c for c in self.coaches if c.pk in by_coach):
            colour = PALETTE[i % len(PALETTE)]
            values = by_coach[coach.pk]
            datasets.append(
                {
                    "label": str(coach.user),
                    "data": [values.get(month) for month in self.months],
                    "borderColor": colour,
                    "backgroundColor": colour,
                    "spanGaps": True,
                    "tension": 0,
                }
            )
        return {
            "type": "line",
            "data": {
                "labels": [date_format(m, "YEAR_MONTH_FORMAT") for m in self.months],
                "datasets": datasets,
            },
            "options": {
                "scales": {
                    "y": {
                        "min": 0,
                        "max": 100,
                        "title": {"display": True, "text": _("Quality (%)")},
                    }
                },
                "plugins": {"legend": {"display": len(datasets) > 1}},
            },
        }

    def csv_rows(self) -> Iterator[list[Any]]:
        yield [
            _("Coach"),
            _("Email"),
            _("Month"),
            _("Replies sent"),
            _("Needs improvement"),
            _("Quality (%)"),
            _("Percentile"),
            _("Replies timed"),
            _("Median response (min)"),
            _("Mean response (min)"),
            _("Within goal (%)"),
            _("Within target (%)"),
        ]
        for row in self.rows:
            q, r = row.quality, row.response
            yield [
                row.coach.user.full_name or row.coach.user.email,
                row.coach.user.email,
                row.month.strftime("%Y-%m"),
                q.replies if q else 0,
                q.needs_improvement if q else 0,
                "" if row.quality_percent is None else row.quality_percent,
                q.percentile if q else "",
                r.replies if r else 0,
                round(r.median_seconds / 60, 1) if r else "",
                round(r.mean_seconds / 60, 1) if r else "",
                round(100 * r.within_goal, 1) if r else "",
                round(100 * r.within_target, 1) if r else "",
            ]


def build_report(
    workspace: Workspace, coaches: list[Membership], first: date, last: date
) -> Report:
    """The figures of ``coaches`` from month ``first`` to ``last`` (in the workspace's time
    zone). Percentiles compare each coach with all the workspace's coaches that month.

    Three queries, however many replies: quality (one), response times (two).
    """
    start, end = month_bounds(first, last, workspace.time_zone)
    by_id = {c.pk: c for c in coaches}
    quality = {
        (f.coach_id, f.month): f
        for f in quality_figures(workspace, start=start, end=end)
        if f.coach_id in by_id
    }
    response = {
        (f.coach_id, f.month): f
        for f in response_figures(workspace, start=start, end=end, coach_ids=list(by_id))
    }
    order = {c.pk: i for i, c in enumerate(coaches)}
    keys = sorted(set(quality) | set(response), key=lambda k: (-k[1].toordinal(), order[k[0]]))
    rows = [Row(by_id[k[0]], k[1], quality.get(k), response.get(k)) for k in keys]
    return Report(first=first, last=last, coaches=coaches, rows=rows)
