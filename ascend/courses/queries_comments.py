"""Reads for comment moderation, shared by the pages and the API.

Every read is scoped to the member's workspace and to staff who moderate
(``Cap.COURSES_COMMENTS``); a comment anyone else names is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership, Workspace

from .models import Comment, CommentState

ALL = "all"
STATE_FILTERS = [s.value for s in CommentState] + [ALL]


@dataclass(frozen=True)
class CommentFilter:
    """What the moderation list shows: a state (or all), and maybe one product or lesson."""

    state: str = CommentState.IN_REVIEW.value
    product_id: int | None = None
    lesson_id: int | None = None


def may_moderate(member: Membership | None) -> bool:
    return can(member, Cap.COURSES_COMMENTS)


def access_comment(member: Membership, comment_id: int) -> Comment:
    """A comment of the member's workspace, for moderators; else 404 (missing or not yours)."""
    if not may_moderate(member):
        raise Http404
    found = (
        Comment.objects.filter(workspace=member.workspace, pk=comment_id)
        .select_related("author__user", "lesson__module__course__product", "parent__author__user")
        .first()
    )
    if found is None:
        raise Http404
    return found


def _scoped(workspace: Workspace, chosen: CommentFilter) -> QuerySet[Comment]:
    comments = Comment.objects.filter(workspace=workspace)
    if chosen.product_id is not None:
        comments = comments.filter(lesson__module__course__product_id=chosen.product_id)
    if chosen.lesson_id is not None:
        comments = comments.filter(lesson_id=chosen.lesson_id)
    return comments


def moderation_rows(workspace: Workspace, chosen: CommentFilter) -> QuerySet[Comment]:
    """The comments to moderate, newest first, with what a row shows (replies in one more query)."""
    comments = _scoped(workspace, chosen)
    if chosen.state != ALL:
        comments = comments.filter(state=chosen.state)
    replies = Comment.objects.filter(workspace=workspace).select_related("author__user")
    return (
        comments.select_related(
            "author__user",
            "lesson__module__course__product",
            "parent__author__user",
            "moderated_by",
        )
        .prefetch_related(Prefetch("replies", queryset=replies.order_by("created_at", "id")))
        .order_by("-created_at", "-id")
    )


def state_counts(workspace: Workspace, chosen: CommentFilter) -> dict[str, int]:
    """How many comments each state holds under the product and lesson filters (one query)."""
    counts = {s.value: 0 for s in CommentState}
    grouped = _scoped(workspace, chosen).order_by().values_list("state").annotate(n=Count("id"))
    for state, n in grouped:
        counts[state] = n
    counts[ALL] = sum(counts.values())
    return counts
