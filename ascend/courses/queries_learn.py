"""Reads of the learner's side: outlines with each lesson's state, neighbours, comments,
announcements. Every read is scoped to the learner and costs a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from ascend.tenancy.models import Membership

from .models import (
    Announcement,
    AnnouncementDismissal,
    Comment,
    CommentState,
    Course,
    LearnerAccess,
    Lesson,
    LessonProgress,
    Module,
)
from .queries import LearnerLesson, lesson_state

LESSON_ORDER = (
    "module__course__position",
    "module__course_id",
    "module__position",
    "module_id",
    "position",
    "id",
)


@dataclass
class OutlineLesson:
    state: LearnerLesson
    completed: bool
    viewed: bool

    @property
    def lesson(self) -> Lesson:
        return self.state.lesson

    @property
    def release_on(self) -> date | None:
        return self.state.release_on

    @property
    def is_open(self) -> bool:
        return self.state.is_open


@dataclass
class OutlineModule:
    module: Module
    lessons: list[OutlineLesson] = field(default_factory=list)


@dataclass
class OutlineCourse:
    course: Course
    modules: list[OutlineModule] = field(default_factory=list)


@dataclass
class Outline:
    """A product as one learner sees it: courses → modules → lessons, each with its state."""

    access: LearnerAccess
    courses: list[OutlineCourse] = field(default_factory=list)

    @property
    def lessons(self) -> list[OutlineLesson]:
        return [
            lesson for c in self.courses for m in c.modules for lesson in m.lessons
        ]  # fmt: skip

    @property
    def next_lesson(self) -> OutlineLesson | None:
        """The first lesson, in order, that the learner has not completed."""
        return next((item for item in self.lessons if not item.completed), None)


def ordered_lessons(product_ids: Iterable[int]) -> QuerySet[Lesson]:
    """The products' lessons in reading order, with their module and course."""
    return (
        Lesson.objects.filter(module__course__product_id__in=sorted(set(product_ids)))
        .select_related("module__course")
        .order_by(*LESSON_ORDER)
    )


def outlines(
    accesses: Iterable[LearnerAccess], time_zone: str, now: datetime | None = None
) -> dict[int, Outline]:
    """Each access's product outline (keyed by product id): two queries for any number.

    Modules and courses without lessons are left out: there is nothing in them to open.
    """
    now = now or timezone.now()
    accesses = list(accesses)
    if not accesses:
        return {}
    by_product = {a.product_id: a for a in accesses}
    learner_ids = {a.learner_id for a in accesses}
    lessons = list(ordered_lessons(by_product))
    progress = {
        (row.learner_id, row.lesson_id): row
        for row in LessonProgress.objects.filter(
            learner_id__in=sorted(learner_ids),
            lesson__module__course__product_id__in=sorted(by_product),
        ).only("learner_id", "lesson_id", "completed_at")
    }
    result = {pid: Outline(access) for pid, access in by_product.items()}
    for lesson in lessons:
        module = lesson.module
        course = module.course
        access = by_product[course.product_id]
        outline = result[course.product_id]
        if not outline.courses or outline.courses[-1].course.pk != course.pk:
            outline.courses.append(OutlineCourse(course))
        modules = outline.courses[-1].modules
        if not modules or modules[-1].module.pk != module.pk:
            modules.append(OutlineModule(module))
        row = progress.get((access.learner_id, lesson.pk))
        modules[-1].lessons.append(
            OutlineLesson(
                state=lesson_state(lesson, access, time_zone, now),
                completed=bool(row and row.completed_at),
                viewed=row is not None,
            )
        )
    return result


@dataclass(frozen=True)
class Neighbour:
    lesson: Lesson
    release_on: date | None
    is_open: bool


def neighbours(
    state: LearnerLesson, time_zone: str, now: datetime | None = None
) -> tuple[Neighbour | None, Neighbour | None]:
    """The lessons before and after this one in the product's reading order: one query."""
    now = now or timezone.now()
    lessons = list(ordered_lessons([state.lesson.module.course.product_id]))
    ids = [lesson.pk for lesson in lessons]
    try:
        at = ids.index(state.lesson.pk)
    except ValueError:
        return None, None

    def near(index: int) -> Neighbour | None:
        if index < 0 or index >= len(lessons):
            return None
        found = lesson_state(lessons[index], state.access, time_zone, now)
        return Neighbour(lessons[index], found.release_on, found.is_open)

    return near(at - 1), near(at + 1)


def visible_comments(lesson: Lesson, learner: Membership) -> list[Comment]:
    """The lesson's comments a learner sees, oldest first, each with ``shown_replies``.

    Rule: approved comments, and the learner's own still in review (marked so on the
    page); replies (staff answers) when approved and their comment is shown. Rejected
    and spam comments are never shown, nor anyone else's waiting for review. One query.
    """
    rows = list(
        Comment.objects.filter(workspace_id=lesson.workspace_id, lesson=lesson)
        .filter(
            Q(state=CommentState.APPROVED)
            | Q(state=CommentState.IN_REVIEW, author=learner, parent__isnull=True)
        )
        .select_related("author__user")
        .order_by("created_at", "id")
    )
    top = [c for c in rows if c.parent_id is None]
    by_id = {c.pk: c for c in top}
    for comment in top:
        comment.shown_replies = []  # type: ignore[attr-defined]
    for comment in rows:
        if comment.parent_id is not None and comment.parent_id in by_id:
            by_id[comment.parent_id].shown_replies.append(comment)  # type: ignore[attr-defined]
    return top


def shown_announcements(learner: Membership) -> QuerySet[Announcement]:
    """Enabled announcements for every learner or for a product the learner holds (not
    removed), that this learner has not dismissed; newest first. One query."""
    holds = LearnerAccess.objects.filter(
        workspace_id=learner.workspace_id,
        learner=learner,
        removed_at__isnull=True,
        product_id=OuterRef("product_id"),
    )
    dismissed = AnnouncementDismissal.objects.filter(
        announcement_id=OuterRef("pk"), learner=learner
    )
    return (
        Announcement.objects.filter(workspace_id=learner.workspace_id, is_enabled=True)
        .filter(Q(product__isnull=True) | Exists(holds))
        .exclude(Exists(dismissed))
        .select_related("product")
        .order_by("-created_at", "-id")
    )
