"""Lesson comments for the moderation tests: rows made directly, as learners leave them."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ascend.courses.models import Comment, CommentState, Lesson
from ascend.courses.tests.course_world import course_tree, give
from ascend.tenancy.models import Membership
from ascend.testing import Crew


def comment(
    lesson: Lesson,
    author: Membership,
    body: str = "Great lesson!",
    *,
    state: str = CommentState.IN_REVIEW,
    minutes_ago: int = 0,
    parent: Comment | None = None,
) -> Comment:
    return Comment.objects.create(
        workspace=lesson.workspace,
        lesson=lesson,
        author=author,
        parent=parent,
        body=body,
        state=state,
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


def lessons_with_learners(crew: Crew, name: str = "Strength Academy") -> list[Lesson]:
    """A product of 2 × 3 lessons held by the crew's client and other client."""
    product, lessons = course_tree(crew.workspace, name=name)
    give(crew.client.membership, product)
    give(crew.other_client.membership, product)
    return lessons
