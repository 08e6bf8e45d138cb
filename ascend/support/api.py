"""The support requests API.

- Learners (``Cap.COURSES_LEARN``) under ``/me/support``: their own requests only; ask
  (optionally about a lesson of a product they hold), follow up, rate the answer 1–5.
  Another learner's request is a 404.
- The support team (``Cap.COURSES_SUPPORT``: owners, admins, supervisors, attendants)
  under ``/support``: every request of the workspace, answer (the learner is emailed),
  close or reopen.

Anyone else gets 403. Writes go through ``ascend.support.actions``; refusals are 422
with the field and a stable code (``rating_out_of_range``, ``not_answered_yet``,
``lesson_not_yours``, ``required``…), and nothing is half-written.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from ascend.api.helpers import person_out, referenced, require
from ascend.api.schemas import ErrorOut
from ascend.courses.models import Lesson
from ascend.lib.markup import render_markdown
from ascend.programs.api import MAX_INT, Id, Int, PersonRef, Text
from ascend.tenancy.capabilities import Cap

from . import actions, queries
from .models import SupportRequest

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}

router = Router(tags=["Support requests"])


class SupportLessonOut(Schema):
    id: int
    title: str
    product_id: int
    product_name: str


class SupportMessageOut(Schema):
    id: int
    author: PersonRef
    from_staff: bool = Field(description="Written by the team; false: by the learner.")
    body: str = Field(description="As written (markdown).")
    body_html: str = Field(description="Rendered and sanitised.")
    created_at: datetime


class SupportRequestOut(Schema):
    id: int
    subject: str
    status: str = Field(description="open (waiting for the team), answered or closed.")
    learner: PersonRef
    lesson: SupportLessonOut | None
    answered_by: PersonRef | None = Field(description="Who answered last; the rating is theirs.")
    created_at: datetime
    first_answered_at: datetime | None
    last_message_at: datetime
    rating: int | None
    rated_at: datetime | None


class SupportThreadOut(SupportRequestOut):
    messages: list[SupportMessageOut]


class PageIn(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=MAX_INT)


class QueueFilterIn(PageIn):
    status: Literal["open", "answered", "closed", "all"] = "all"
    answered_by: str | None = Field(
        None, max_length=12, description="A membership id, or none (never answered)."
    )
    q: Text | None = Field(None, max_length=200, description="Subject, learner's name or email.")


class AskIn(Schema):
    subject: Text = Field(..., max_length=actions.SUBJECT_MAX_LENGTH)
    body: Text = Field(..., max_length=actions.MESSAGE_MAX_LENGTH, description="Markdown.")
    lesson: Id | None = Field(None, description="A lesson of a product the learner holds.")


class MessageIn(Schema):
    body: Text = Field(..., max_length=actions.MESSAGE_MAX_LENGTH, description="Markdown.")


class SupportRatingIn(Schema):
    rating: Int = Field(..., description="1 to 5 stars; others: 422 rating_out_of_range.")


class CloseIn(Schema):
    reopen: bool = Field(False, description="true: reopen a closed request.")


def _lesson(r: SupportRequest) -> dict | None:
    if r.lesson is None:
        return None
    product = r.lesson.module.course.product
    return {
        "id": r.lesson.id,
        "title": r.lesson.title,
        "product_id": product.id,
        "product_name": product.name,
    }


def _out(r: SupportRequest) -> dict:
    return {
        "id": r.id,
        "subject": r.subject,
        "status": r.status,
        "learner": person_out(r.learner),
        "lesson": _lesson(r),
        "answered_by": person_out(r.answered_by) if r.answered_by else None,
        "created_at": r.created_at,
        "first_answered_at": r.first_answered_at,
        "last_message_at": r.last_message_at,
        "rating": r.rating,
        "rated_at": r.rated_at,
    }


def _thread_out(r: SupportRequest) -> dict:
    return {
        **_out(r),
        "messages": [
            {
                "id": m.id,
                "author": person_out(m.author),
                "from_staff": m.from_staff,
                "body": m.body,
                "body_html": render_markdown(m.body),
                "created_at": m.created_at,
            }
            for m in queries.thread(r)
        ],
    }


# Learners ---------------------------------------------------------------------------


@router.get(
    "/me/support",
    response={200: list[SupportRequestOut], **ERRORS},
    summary="My support requests",
)
def my_requests(request: HttpRequest, page: Query[PageIn]):  # type: ignore[no-untyped-def]
    """The learner's own requests, latest activity first. Learners only (403)."""
    learner = require(request, Cap.COURSES_LEARN)
    rows = queries.learner_requests(learner)[page.offset : page.offset + page.limit]
    return [_out(r) for r in rows]


@router.post(
    "/me/support",
    response={201: SupportThreadOut, **ERRORS},
    summary="Ask for support",
)
def ask_for_support(request: HttpRequest, payload: AskIn):  # type: ignore[no-untyped-def]
    """Ask the team a question, optionally about a lesson. Refused with 422: an empty
    subject or message (``required``), a lesson not in the learner's products
    (``lesson_not_yours``), no such lesson here (``not_found``)."""
    learner = require(request, Cap.COURSES_LEARN)
    lesson = (
        referenced(Lesson.objects.filter(workspace=learner.workspace), payload.lesson, "lesson")
        if payload.lesson is not None
        else None
    )
    asked = actions.do_ask_for_support(
        learner, subject=payload.subject, body=payload.body, lesson=lesson, actor=request.user
    )
    return Status(201, _thread_out(queries.access_learner_request(learner, asked.pk)))


@router.get(
    "/me/support/{request_id}",
    response={200: SupportThreadOut, **ERRORS},
    summary="One of my support requests",
)
def my_request(request: HttpRequest, request_id: Id):  # type: ignore[no-untyped-def]
    """One of the learner's requests with its messages; anyone else's is a 404."""
    learner = require(request, Cap.COURSES_LEARN)
    return _thread_out(queries.access_learner_request(learner, request_id))


@router.post(
    "/me/support/{request_id}/messages",
    response={201: SupportThreadOut, **ERRORS},
    summary="Write again in my request",
)
def my_follow_up(request: HttpRequest, request_id: Id, payload: MessageIn):  # type: ignore[no-untyped-def]
    """A follow-up from the learner; the request goes back to open for the team."""
    learner = require(request, Cap.COURSES_LEARN)
    asked = queries.access_learner_request(learner, request_id)
    actions.do_learner_reply(asked, learner=learner, body=payload.body, actor=request.user)
    return Status(201, _thread_out(queries.access_learner_request(learner, request_id)))


@router.put(
    "/me/support/{request_id}/rating",
    response={200: SupportRequestOut, **ERRORS},
    summary="Rate the answer",
)
def rate_answer(request: HttpRequest, request_id: Id, payload: SupportRatingIn):  # type: ignore[no-untyped-def]
    """Rate the team's answer 1–5 (again to change it). Refused with 422: out of range
    (``rating_out_of_range``), before any answer (``not_answered_yet``)."""
    learner = require(request, Cap.COURSES_LEARN)
    asked = queries.access_learner_request(learner, request_id)
    actions.do_rate_support(asked, learner=learner, rating=payload.rating, actor=request.user)
    return _out(queries.access_learner_request(learner, request_id))


# The support team -------------------------------------------------------------------


@router.get("/support", response={200: list[SupportRequestOut], **ERRORS}, summary="Support queue")
def support_queue(request: HttpRequest, filters: Query[QueueFilterIn]):  # type: ignore[no-untyped-def]
    """Every request of the workspace: open ones first (longest waiting on top), then
    answered and closed, latest first. ``status``, ``answered_by`` (a membership id or
    ``none``) and ``q`` filter. The support team only (403)."""
    member = require(request, Cap.COURSES_SUPPORT)
    chosen = queries.QueueFilter(
        status=filters.status, answered_by=filters.answered_by or "", q=(filters.q or "").strip()
    )
    rows = queries.queue(member.workspace, chosen)[filters.offset : filters.offset + filters.limit]
    return [_out(r) for r in rows]


@router.get(
    "/support/{request_id}",
    response={200: SupportThreadOut, **ERRORS},
    summary="A support request",
)
def support_request(request: HttpRequest, request_id: Id):  # type: ignore[no-untyped-def]
    """One request with its messages (404 when it isn't this workspace's)."""
    member = require(request, Cap.COURSES_SUPPORT)
    return _thread_out(queries.access_staff_request(member, request_id))


@router.post(
    "/support/{request_id}/answers",
    response={201: SupportThreadOut, **ERRORS},
    summary="Answer a support request",
)
def answer_request(request: HttpRequest, request_id: Id, payload: MessageIn):  # type: ignore[no-untyped-def]
    """Answer the learner: the request becomes answered (by you) and the learner is emailed
    a link to the thread. An empty answer is 422 ``required``."""
    member = require(request, Cap.COURSES_SUPPORT)
    asked = queries.access_staff_request(member, request_id)
    actions.do_answer_support(
        asked, staff=member, body=payload.body, actor=request.user, http_request=request
    )
    return Status(201, _thread_out(queries.access_staff_request(member, request_id)))


@router.post(
    "/support/{request_id}/close",
    response={200: SupportRequestOut, **ERRORS},
    summary="Close or reopen a support request",
)
def close_request(request: HttpRequest, request_id: Id, payload: CloseIn | None = None):  # type: ignore[no-untyped-def]
    """Close the request (nothing more expected); ``{"reopen": true}`` reopens a closed one
    as open or answered, after whoever wrote last."""
    member = require(request, Cap.COURSES_SUPPORT)
    asked = queries.access_staff_request(member, request_id)
    actions.do_close_support(
        asked, staff=member, actor=request.user, reopen=bool(payload and payload.reopen)
    )
    return _out(queries.access_staff_request(member, request_id))
