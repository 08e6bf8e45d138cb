"""Progress figures per learner and product: lessons completed of total, %, viewed, visits.

The same figures are shown to the learner ("My courses"), to staff (learners and
progress pages) and in reports, so they are computed in one place. However many
learners and products are asked for, the answer costs two queries: one counts each
product's lessons, one counts each learner's viewed and completed lessons per product.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Q

from . import rules
from .models import LearnerAccess, Lesson, LessonProgress


@dataclass(frozen=True)
class Progress:
    """One learner's progress in one product."""

    learner_id: int
    product_id: int
    total: int  # lessons in the product
    completed: int  # of those, completed by the learner
    viewed: int  # of those, opened at least once
    first_accessed_at: datetime | None = None
    last_accessed_at: datetime | None = None

    @property
    def percent(self) -> int:
        return rules.progress_percent(self.completed, self.total)

    @property
    def is_finished(self) -> bool:
        return self.total > 0 and self.completed >= self.total


def lesson_totals(product_ids: Iterable[int]) -> dict[int, int]:
    """How many lessons each product has (products without lessons are absent): one query."""
    ids = sorted(set(product_ids))
    if not ids:
        return {}
    rows = (
        Lesson.objects.filter(module__course__product_id__in=ids)
        .order_by()
        .values(product=F("module__course__product_id"))
        .annotate(n=Count("id"))
    )
    return {row["product"]: row["n"] for row in rows}


def _counts(learner_ids: set[int], product_ids: set[int]) -> dict[tuple[int, int], tuple[int, int]]:
    """(viewed, completed) per (learner, product): one query."""
    if not learner_ids or not product_ids:
        return {}
    rows = (
        LessonProgress.objects.filter(
            learner_id__in=sorted(learner_ids),
            lesson__module__course__product_id__in=sorted(product_ids),
        )
        .order_by()
        .values("learner_id", product=F("lesson__module__course__product_id"))
        .annotate(
            viewed=Count("id"),
            completed=Count("id", filter=Q(completed_at__isnull=False)),
        )
    )
    return {(r["learner_id"], r["product"]): (r["viewed"], r["completed"]) for r in rows}


def progress_of_accesses(accesses: Iterable[LearnerAccess]) -> dict[int, Progress]:
    """Progress for each access (keyed by the access's id), in two queries for any number.

    Rule: the total is the product's lessons now; completed and viewed count the
    learner's progress rows on lessons that still belong to the product, so a lesson
    deleted or moved to another product stops counting; % is ``rules.progress_percent``.
    """
    accesses = list(accesses)
    if not accesses:
        return {}
    product_ids = {a.product_id for a in accesses}
    totals = lesson_totals(product_ids)
    counts = _counts({a.learner_id for a in accesses}, product_ids)
    result = {}
    for access in accesses:
        viewed, completed = counts.get((access.learner_id, access.product_id), (0, 0))
        result[access.pk] = Progress(
            learner_id=access.learner_id,
            product_id=access.product_id,
            total=totals.get(access.product_id, 0),
            completed=completed,
            viewed=viewed,
            first_accessed_at=access.first_accessed_at,
            last_accessed_at=access.last_accessed_at,
        )
    return result


def progress_of_pairs(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], Progress]:
    """Progress per (learner id, product id), without first/last access: two queries."""
    pairs = set(pairs)
    if not pairs:
        return {}
    product_ids = {p for _, p in pairs}
    totals = lesson_totals(product_ids)
    counts = _counts({learner for learner, _ in pairs}, product_ids)
    result = {}
    for learner_id, product_id in pairs:
        viewed, completed = counts.get((learner_id, product_id), (0, 0))
        result[(learner_id, product_id)] = Progress(
            learner_id, product_id, totals.get(product_id, 0), completed, viewed
        )
    return result
