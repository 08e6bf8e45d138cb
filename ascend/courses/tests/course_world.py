"""Course content and learner access for tests: rows made directly, no emails sent."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from ascend.courses.models import (
    AccessSource,
    Course,
    LearnerAccess,
    Lesson,
    LessonProgress,
    Module,
    Product,
)
from ascend.tenancy.models import Membership, Workspace


def product(ws: Workspace, name: str = "Strength Academy", **fields: Any) -> Product:
    return Product.objects.create(workspace=ws, name=name, **fields)


def course_tree(
    ws: Workspace, *, modules: int = 2, lessons: int = 3, name: str = "Strength Academy"
) -> tuple[Product, list[Lesson]]:
    """A product with one course of ``modules`` modules × ``lessons`` lessons, in order."""
    made = product(ws, name)
    course = Course.objects.create(workspace=ws, product=made, title=f"{name} course")
    all_lessons = []
    for m in range(modules):
        module = Module.objects.create(
            workspace=ws, course=course, title=f"Module {m + 1}", position=m
        )
        for n in range(lessons):
            all_lessons.append(
                Lesson.objects.create(
                    workspace=ws,
                    module=module,
                    title=f"Lesson {m + 1}.{n + 1}",
                    body=f"Text of lesson {m + 1}.{n + 1}",
                    position=n,
                )
            )
    return made, all_lessons


def give(
    learner: Membership,
    of: Product,
    *,
    starts: datetime | None = None,
    expires: datetime | None = None,
    source: str = AccessSource.MANUAL,
) -> LearnerAccess:
    return LearnerAccess.objects.create(
        workspace=learner.workspace,
        learner=learner,
        product=of,
        source=source,
        starts_at=starts or timezone.now() - timedelta(days=1),
        expires_at=expires,
    )


def complete(learner: Membership, lesson: Lesson, when: datetime | None = None) -> LessonProgress:
    when = when or timezone.now()
    return LessonProgress.objects.create(
        workspace=learner.workspace,
        learner=learner,
        lesson=lesson,
        first_viewed_at=when,
        last_viewed_at=when,
        completed_at=when,
    )
