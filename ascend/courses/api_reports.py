"""Course figures for staff through the API: lesson ratings, averaged per lesson.

Who may read them is who may read the course reports (``Cap.COURSES_REPORTS``:
owners, admins, supervisors, attendants); anyone else gets 403.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from ascend.api.helpers import require
from ascend.api.schemas import ErrorOut
from ascend.programs.api import Int
from ascend.tenancy.capabilities import Cap

from . import reports

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}

router = Router(tags=["Course reports"])


class LessonRatingsFilterIn(Schema):
    months: int = Field(12, ge=1, le=36, description="This month and the ones before it.")
    product: Int | None = Field(None, description="A product's id.")


class LessonRatingOut(Schema):
    lesson_id: int
    lesson: str
    module: str
    course: str
    product: str
    count: int = Field(description="Learners who rated it in the period.")
    average: float = Field(description="Average stars, 1–5.")
    stars: dict[str, int] = Field(description="How many ratings gave each number of stars.")


@router.get(
    "/course-reports/lesson-ratings",
    response={200: list[LessonRatingOut], **ERRORS},
    summary="Lesson ratings",
)
def lesson_ratings(request: HttpRequest, filters: Query[LessonRatingsFilterIn]):  # type: ignore[no-untyped-def]
    """Every lesson rated in the period (by the month rated), worst average first, with its
    count and the number of ratings of each star. One query."""
    member = require(request, Cap.COURSES_REPORTS)
    period = reports.Period.last_months(member.workspace, filters.months, timezone.now())
    rows = reports.lesson_rating_rows(member.workspace, period, filters.product)
    return [
        {**vars(row), "stars": {str(n): count for n, count in row.star_list}}
        for row in map(reports.lesson_row, rows)
    ]
