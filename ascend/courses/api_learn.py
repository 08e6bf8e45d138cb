"""The learner's API: my courses with progress, a product's outline, lessons (with their
rendered text, embedded video, my progress and rating, the comments I may see), marking
complete, rating, commenting, and announcements.

Rules, the same as the pages under /me/courses/:

- only learners (``Cap.COURSES_LEARN``, the workspace's clients); any other member is
  refused with 403 ``forbidden``; a product or lesson the learner does not hold (or
  another workspace's) is a 404, exactly like a missing one;
- an expired access answers 403 ``access_expired``, a lesson not yet released 403
  ``not_released`` (with the day it opens), a comment on a lesson whose comments are
  off 403 ``comments_off``; nothing is written;
- bad input is 422 with the field and a stable code: ``rating_out_of_range`` (stars
  other than 1–5), ``body_required``, ``too_long``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from ascend.api.errors import ApiError
from ascend.api.schemas import ErrorOut
from ascend.lib.markup import render_markdown
from ascend.programs.api import MAX_INT, Text
from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership

from . import actions_learn, rules
from .models import Announcement, LessonProgress, LessonRating
from .progress import Progress, progress_of_accesses
from .queries import LearnerLesson, learner_accesses, learner_lesson, learner_product_access
from .queries import learner_time_zone as _time_zone
from .queries_learn import Outline, neighbours, outlines, shown_announcements, visible_comments

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
CLOSED_CODES = ("access_expired", "not_released", "comments_off")

router = Router(tags=["Learning"])


# Schemas -----------------------------------------------------------------------------------


class LearnProductOut(Schema):
    id: int
    name: str
    description: str


class LearnAccessOut(Schema):
    starts_at: datetime
    expires_at: datetime | None
    is_open: bool = Field(description="False once the access has expired.")
    first_accessed_at: datetime | None
    last_accessed_at: datetime | None


class LearnProgressOut(Schema):
    total: int = Field(description="Lessons in the product.")
    completed: int
    viewed: int
    percent: int


class LessonRefOut(Schema):
    id: int
    title: str
    is_open: bool
    opens_on: date | None = Field(description="The learner's day it opens, while closed.")


class MyCourseOut(Schema):
    product: LearnProductOut
    access: LearnAccessOut
    progress: LearnProgressOut
    next_lesson: LessonRefOut | None = Field(description="The first lesson not completed.")


class OutlineLessonOut(Schema):
    id: int
    title: str
    is_open: bool
    opens_on: date | None
    completed: bool
    viewed: bool


class OutlineModuleOut(Schema):
    id: int
    title: str
    lessons: list[OutlineLessonOut]


class OutlineCourseOut(Schema):
    id: int
    title: str
    description: str
    modules: list[OutlineModuleOut]


class MyCourseOutlineOut(MyCourseOut):
    courses: list[OutlineCourseOut]


class TitledRef(Schema):
    id: int
    title: str


class LessonFileOut(Schema):
    id: int
    name: str
    size: int
    download_url: str


class MyLessonProgressOut(Schema):
    first_viewed_at: datetime | None
    last_viewed_at: datetime | None
    completed_at: datetime | None
    completed: bool


class CommentAuthorOut(Schema):
    id: int
    name: str
    is_staff: bool


class ReplyOut(Schema):
    id: int
    author: CommentAuthorOut
    body: str
    created_at: datetime


class LessonCommentOut(Schema):
    id: int
    author: CommentAuthorOut
    body: str
    state: str = Field(description="approved, or in_review for the learner's own comment.")
    created_at: datetime
    replies: list[ReplyOut]


class MyLessonOut(Schema):
    id: int
    title: str
    product: LearnProductOut
    course: TitledRef
    module: TitledRef
    body: str = Field(description="The text as written (markdown).")
    html: str = Field(description="The text rendered and cleaned.")
    video_url: str
    embed_url: str | None = Field(description="The player to embed (YouTube, Vimeo, Wistia).")
    files: list[LessonFileOut]
    comments_enabled: bool
    progress: MyLessonProgressOut
    my_rating: int | None
    previous: LessonRefOut | None
    next: LessonRefOut | None
    comments: list[LessonCommentOut]


class RatingIn(Schema):
    stars: int = Field(..., ge=-MAX_INT, le=MAX_INT, description="1 to 5.")


class RatingOut(Schema):
    lesson_id: int
    stars: int
    rated_at: datetime


class CommentIn(Schema):
    body: Text = Field(..., max_length=20000)


class AnnouncementOut(Schema):
    id: int
    title: str
    body: str
    html: str
    product: LearnProductOut | None
    created_at: datetime


# Helpers -----------------------------------------------------------------------------------


def _learner(request: HttpRequest) -> Membership:
    member: Membership = request.membership  # type: ignore[attr-defined]
    if not can(member, Cap.COURSES_LEARN):
        raise PermissionDenied
    member.user = request.user  # type: ignore[assignment]  # the time zone costs no query
    return member


def _closed(code: str, message: str) -> ApiError:
    return ApiError(403, code, message)


def _expired_error(access: Any) -> ApiError:
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    if access.expires_at:
        when = date_format(timezone.localtime(access.expires_at), "DATE_FORMAT")
        message = _("Your access ended on %(day)s; the lessons are closed.") % {"day": when}
    else:
        message = _("Your access has ended; the lessons are closed.")
    return _closed("access_expired", message)


def _open_state(member: Membership, lesson_id: int) -> LearnerLesson:
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    state = learner_lesson(member, lesson_id)
    if not state.access_open:
        raise _expired_error(state.access)
    if state.release_on is not None:
        raise _closed(
            "not_released",
            _("This lesson opens on %(day)s.")
            % {"day": date_format(state.release_on, "DATE_FORMAT")},
        )
    return state


def _run(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Call an action; a refusal because the lesson is closed is a 403 with its code."""
    try:
        return fn(*args, **kwargs)
    except ValidationError as error:
        entries = (
            [e for errors in error.error_dict.values() for e in errors]
            if hasattr(error, "error_dict")
            else list(error.error_list)
        )
        for entry in entries:
            if entry.code in CLOSED_CODES:
                raise _closed(entry.code, " ".join(entry.messages)) from None
        raise


def _product(p: Any) -> dict:
    return {"id": p.id, "name": p.name, "description": p.description}


def _access(a: Any, now: datetime) -> dict:
    return {
        "starts_at": a.starts_at,
        "expires_at": a.expires_at,
        "is_open": a.is_open(now),
        "first_accessed_at": a.first_accessed_at,
        "last_accessed_at": a.last_accessed_at,
    }


def _progress(p: Progress) -> dict:
    return {"total": p.total, "completed": p.completed, "viewed": p.viewed, "percent": p.percent}


def _ref(lesson: Any, is_open: bool, opens_on: date | None) -> dict:
    return {"id": lesson.id, "title": lesson.title, "is_open": is_open, "opens_on": opens_on}


def _course_card(access: Any, figures: Progress, outline: Outline | None, now: datetime) -> dict:
    following = outline.next_lesson if outline else None
    return {
        "product": _product(access.product),
        "access": _access(access, now),
        "progress": _progress(figures),
        "next_lesson": _ref(following.lesson, following.is_open, following.release_on)
        if following
        else None,
    }


def _author(m: Membership) -> dict:
    return {"id": m.id, "name": str(m.user), "is_staff": not m.is_client}


def _comment(c: Any) -> dict:
    return {
        "id": c.id,
        "author": _author(c.author),
        "body": c.body,
        "state": c.state,
        "created_at": c.created_at,
        "replies": [
            {"id": r.id, "author": _author(r.author), "body": r.body, "created_at": r.created_at}
            for r in getattr(c, "shown_replies", [])
        ],
    }


def _my_progress(row: LessonProgress | None) -> dict:
    return {
        "first_viewed_at": row.first_viewed_at if row else None,
        "last_viewed_at": row.last_viewed_at if row else None,
        "completed_at": row.completed_at if row else None,
        "completed": bool(row and row.completed_at),
    }


# My courses --------------------------------------------------------------------------------


@router.get("/me/courses", response={200: list[MyCourseOut], **READ_ERRORS})
def my_courses(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The products the learner holds (open and expired, not removed), with progress."""
    member = _learner(request)
    now = timezone.now()
    accesses = learner_accesses(member)
    figures = progress_of_accesses(accesses)
    trees = outlines(accesses, _time_zone(member), now)
    return [
        _course_card(a, figures[a.pk], trees.get(a.product_id), now) for a in accesses
    ]  # fmt: skip


@router.get("/me/courses/{product_id}", response={200: MyCourseOutlineOut, **READ_ERRORS})
def my_course(request: HttpRequest, product_id: int):  # type: ignore[no-untyped-def]
    """A product's outline: courses → modules → lessons, each with its state for me.

    Expired access: 403 ``access_expired``. Opening it counts as a visit.
    """
    member = _learner(request)
    if not 0 < product_id <= MAX_INT:
        raise Http404
    now = timezone.now()
    access = learner_product_access(member, product_id)
    if not access.is_open(now):
        raise _expired_error(access)
    actions_learn.do_record_visit(access, now=now)
    outline = outlines([access], _time_zone(member), now).get(access.product_id)
    figures = progress_of_accesses([access])[access.pk]
    card = _course_card(access, figures, outline, now)
    card["courses"] = [
        {
            "id": c.course.id,
            "title": c.course.title,
            "description": c.course.description,
            "modules": [
                {
                    "id": m.module.id,
                    "title": m.module.title,
                    "lessons": [
                        {
                            **_ref(item.lesson, item.is_open, item.release_on),
                            "completed": item.completed,
                            "viewed": item.viewed,
                        }
                        for item in m.lessons
                    ],
                }
                for m in c.modules
            ],
        }
        for c in (outline.courses if outline else [])
    ]
    return card


# Lessons -----------------------------------------------------------------------------------


def _lesson_id(lesson_id: int) -> int:
    if not 0 < lesson_id <= MAX_INT:
        raise Http404
    return lesson_id


@router.get("/me/lessons/{lesson_id}", response={200: MyLessonOut, **READ_ERRORS})
def my_lesson(request: HttpRequest, lesson_id: int):  # type: ignore[no-untyped-def]
    """A lesson with its text rendered, video player, files, my progress and rating, and
    the comments I may see. Counts as viewing it (and visiting its product)."""
    member = _learner(request)
    now = timezone.now()
    state = _open_state(member, _lesson_id(lesson_id))
    row = _run(actions_learn.do_view_lesson, state, actor=member, now=now)
    lesson = state.lesson
    before, after = neighbours(state, _time_zone(member), now)
    rating = LessonRating.objects.filter(lesson=lesson, learner=member).first()
    return {
        "id": lesson.id,
        "title": lesson.title,
        "product": _product(lesson.module.course.product),
        "course": {"id": lesson.module.course.id, "title": lesson.module.course.title},
        "module": {"id": lesson.module.id, "title": lesson.module.title},
        "body": lesson.body,
        "html": render_markdown(lesson.body),
        "video_url": lesson.video_url,
        "embed_url": rules.embed_url(lesson.video_url),
        "files": [
            {
                "id": f.id,
                "name": f.name,
                "size": f.size,
                "download_url": request.build_absolute_uri(reverse("learn:file", args=[f.id])),
            }
            for f in lesson.files.all()
        ],
        "comments_enabled": lesson.comments_enabled,
        "progress": _my_progress(row),
        "my_rating": rating.stars if rating else None,
        "previous": _ref(before.lesson, before.is_open, before.release_on) if before else None,
        "next": _ref(after.lesson, after.is_open, after.release_on) if after else None,
        "comments": [_comment(c) for c in visible_comments(lesson, member)],
    }


@router.post("/me/lessons/{lesson_id}/complete", response={200: MyLessonProgressOut, **ERRORS})
def complete_lesson(request: HttpRequest, lesson_id: int):  # type: ignore[no-untyped-def]
    """Mark the lesson complete (again: no change)."""
    member = _learner(request)
    state = _open_state(member, _lesson_id(lesson_id))
    return _my_progress(_run(actions_learn.do_complete_lesson, state, actor=member))


@router.delete("/me/lessons/{lesson_id}/complete", response={200: MyLessonProgressOut, **ERRORS})
def uncomplete_lesson(request: HttpRequest, lesson_id: int):  # type: ignore[no-untyped-def]
    """Mark the lesson not complete (a tick given by mistake)."""
    member = _learner(request)
    state = _open_state(member, _lesson_id(lesson_id))
    return _my_progress(_run(actions_learn.do_uncomplete_lesson, state, actor=member))


@router.put("/me/lessons/{lesson_id}/rating", response={200: RatingOut, **ERRORS})
def rate_lesson(request: HttpRequest, lesson_id: int, payload: RatingIn):  # type: ignore[no-untyped-def]
    """Rate the lesson 1–5 stars; again to change it. Other numbers: 422
    ``rating_out_of_range``, nothing changed."""
    member = _learner(request)
    state = _open_state(member, _lesson_id(lesson_id))
    rating = _run(actions_learn.do_rate_lesson, state, actor=member, stars=payload.stars)
    return {"lesson_id": rating.lesson_id, "stars": rating.stars, "rated_at": rating.rated_at}


@router.get(
    "/me/lessons/{lesson_id}/comments", response={200: list[LessonCommentOut], **READ_ERRORS}
)
def lesson_comments(request: HttpRequest, lesson_id: int):  # type: ignore[no-untyped-def]
    """Approved comments with staff replies, and my own comments still in review."""
    member = _learner(request)
    state = _open_state(member, _lesson_id(lesson_id))
    return [_comment(c) for c in visible_comments(state.lesson, member)]


@router.post("/me/lessons/{lesson_id}/comments", response={201: LessonCommentOut, **ERRORS})
def comment_on_lesson(request: HttpRequest, lesson_id: int, payload: CommentIn):  # type: ignore[no-untyped-def]
    """Write a comment: approved at once (automatic moderation) or in review (manual).
    Comments off: 403 ``comments_off``."""
    member = _learner(request)
    state = _open_state(member, _lesson_id(lesson_id))
    comment = _run(actions_learn.do_comment_on_lesson, state, actor=member, body=payload.body)
    comment.author = member
    comment.shown_replies = []
    return Status(201, _comment(comment))


# Announcements -----------------------------------------------------------------------------


@router.get("/me/announcements", response={200: list[AnnouncementOut], **READ_ERRORS})
def my_announcements(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Enabled announcements for me (all learners, or a product I hold), not dismissed."""
    member = _learner(request)
    return [
        {
            "id": a.id,
            "title": a.title,
            "body": a.body,
            "html": render_markdown(a.body),
            "product": _product(a.product) if a.product else None,
            "created_at": a.created_at,
        }
        for a in shown_announcements(member)
    ]


@router.post("/me/announcements/{announcement_id}/dismiss", response={204: None, **ERRORS})
def dismiss_announcement(request: HttpRequest, announcement_id: int):  # type: ignore[no-untyped-def]
    """Stop showing me the announcement. One not shown to me is a 404."""
    member = _learner(request)
    if not 0 < announcement_id <= MAX_INT:
        raise Http404
    found = Announcement.objects.filter(
        workspace_id=member.workspace_id, pk=announcement_id
    ).first()
    if found is None:
        raise Http404
    try:
        actions_learn.do_dismiss_announcement(found, actor=member)
    except ValidationError:
        raise Http404 from None
    return Status(204, None)
