"""The comment moderation API: list, moderate many at once, reply as staff.

Staff who moderate (``Cap.COURSES_COMMENTS``: owners, admins, supervisors,
attendants) only; anyone else gets 403, and a comment of another workspace is a 404.
A learner's own comments are written through the learner API (``api_learn``).
Writes go through ``actions_comments``; refusals are 422 with a stable code.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from ascend.api.helpers import person_out, require
from ascend.api.schemas import ErrorOut
from ascend.lib.markup import render_markdown
from ascend.programs.api import MAX_INT, Id, Int, PersonRef, Text
from ascend.tenancy.capabilities import Cap

from . import queries_comments as cq
from .actions_comments import REPLY_MAX_LENGTH, do_moderate_comments, do_reply_to_comment
from .models import Comment

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}

router = Router(tags=["Lesson comments"])


class LessonRef(Schema):
    id: int
    title: str
    product_id: int
    product_name: str


class StaffReplyOut(Schema):
    id: int
    author: PersonRef
    body: str
    body_html: str
    state: str
    created_at: datetime


class CommentOut(Schema):
    id: int
    lesson: LessonRef
    author: PersonRef
    parent_id: int | None = Field(description="The comment this one answers, if any.")
    body: str = Field(description="As written (markdown).")
    body_html: str = Field(description="Rendered and sanitised.")
    state: str = Field(description="in_review, approved, rejected or spam.")
    created_at: datetime
    moderated_by: str | None
    moderated_at: datetime | None
    replies: list[StaffReplyOut]


class CommentFilterIn(Schema):
    state: Literal["in_review", "approved", "rejected", "spam", "all"] = Field(
        "in_review", description="One state, or all of them."
    )
    product: Int | None = Field(None, description="A product's id.")
    lesson: Int | None = Field(None, description="A lesson's id.")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=MAX_INT)


class ModerateIn(Schema):
    ids: list[Int] = Field(..., max_length=1000, description="Comment ids; others are ignored.")
    state: str = Field(..., max_length=32, description="approved, rejected or spam.")


class ModeratedOut(Schema):
    moderated: int = Field(description="How many comments of this workspace were moderated.")
    state: str


class ReplyIn(Schema):
    body: Text = Field(..., max_length=REPLY_MAX_LENGTH, description="Markdown.")


def _reply_out(r: Comment) -> dict:
    return {
        "id": r.id,
        "author": person_out(r.author),
        "body": r.body,
        "body_html": render_markdown(r.body),
        "state": r.state,
        "created_at": r.created_at,
    }


def _out(c: Comment) -> dict:
    product = c.lesson.module.course.product
    return {
        "id": c.id,
        "lesson": {
            "id": c.lesson_id,
            "title": c.lesson.title,
            "product_id": product.id,
            "product_name": product.name,
        },
        "author": person_out(c.author),
        "parent_id": c.parent_id,
        "body": c.body,
        "body_html": render_markdown(c.body),
        "state": c.state,
        "created_at": c.created_at,
        "moderated_by": str(c.moderated_by) if c.moderated_by else None,
        "moderated_at": c.moderated_at,
        "replies": [_reply_out(r) for r in c.replies.all()],
    }


@router.get("/comments", response={200: list[CommentOut], **ERRORS}, summary="List comments")
def list_comments(request: HttpRequest, filters: Query[CommentFilterIn]):  # type: ignore[no-untyped-def]
    """Lesson comments, newest first, in one state (in review by default) or all; ``product``
    and ``lesson`` narrow them. Each comes with its replies. Moderators only (403)."""
    member = require(request, Cap.COURSES_COMMENTS)
    chosen = cq.CommentFilter(
        state=filters.state, product_id=filters.product, lesson_id=filters.lesson
    )
    rows = cq.moderation_rows(member.workspace, chosen)
    return [_out(c) for c in rows[filters.offset : filters.offset + filters.limit]]


@router.post(
    "/comments/moderate", response={200: ModeratedOut, **ERRORS}, summary="Moderate comments"
)
def moderate_comments(request: HttpRequest, payload: ModerateIn):  # type: ignore[no-untyped-def]
    """Approve, reject or mark as spam many comments in one go. Ids of other workspaces (or
    of nothing) are ignored and not counted. An unknown state is 422 ``bad_state``."""
    member = require(request, Cap.COURSES_COMMENTS)
    count = do_moderate_comments(member.workspace, payload.ids, payload.state, actor=request.user)
    return {"moderated": count, "state": payload.state}


@router.post(
    "/comments/{comment_id}/replies",
    response={201: CommentOut, **ERRORS},
    summary="Reply to a comment",
)
def reply_to_comment(request: HttpRequest, comment_id: Id, payload: ReplyIn):  # type: ignore[no-untyped-def]
    """A staff reply, published at once under the comment's thread; a comment in review is
    approved by the reply. Refused with 422: an empty reply (``required``), a rejected or
    spam comment (``comment_hidden``). Answers with the thread's first comment."""
    member = require(request, Cap.COURSES_COMMENTS)
    comment = cq.access_comment(member, comment_id)
    reply = do_reply_to_comment(comment, author=member, body=payload.body, actor=request.user)
    thread = cq.moderation_rows(member.workspace, cq.CommentFilter(state=cq.ALL)).get(
        pk=reply.parent_id
    )
    return Status(201, _out(thread))
