"""The course content API: products, courses, modules, lessons (with their files) and
announcements, for the team (DESIGN.md "Course portal"; issue #7, items 1, 6 and 13).

The same rules and people as the team portal's Courses pages:

- owners and admins (``Cap.COURSES_MANAGE``) read and change everything here;
- supervisors and attendants (``Cap.COURSES_PROGRESS`` / ``Cap.COURSES_COMMENTS``) read the
  content they follow and moderate, and are refused every change with 403;
- anyone else (coaches, clients, auditors, operators) gets 403; an object of another
  workspace is a 404, like a missing one.

Every write goes through ``actions_content``: its refusals come back as 422 with the field
and a stable code (``title_required``, ``unsafe_video_url``, ``price_negative``,
``product_has_learners``…) and nothing is half-written. Learners read their courses
through ``/me/…`` (``api_learn``), never here.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from ascend.api.helpers import get_or_404 as _get
from ascend.api.helpers import referenced as _referenced
from ascend.api.helpers import require
from ascend.api.schemas import ErrorOut
from ascend.lib.errors import field_error
from ascend.lib.markup import render_markdown
from ascend.programs.api import MAX_INT, Id, Text
from ascend.tenancy.capabilities import Cap
from ascend.tenancy.models import Membership

from . import actions_content as actions
from . import queries, rules
from .models import (
    Announcement,
    AnnouncementDismissal,
    Course,
    Lesson,
    LessonFile,
    Module,
    Product,
)
from .views_content import CONTENT_READERS, count_of, product_rows

router = Router(tags=["Course content"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
MANAGE = Cap.COURSES_MANAGE

# What a person may type for drip days: the action says what is out of range.
Days = Annotated[int, Field(ge=-MAX_INT, le=MAX_INT)]
AnyId = Annotated[int, Field(ge=-MAX_INT, le=MAX_INT)]


# Schemas -----------------------------------------------------------------------------------


class ContentProductOut(Schema):
    id: int
    name: str
    description: str
    price: str = Field(description='A decimal number as text, such as "49.90".')
    currency: str
    access_days: int | None = Field(description="How long new access lasts; null: no end.")
    is_active: bool = Field(description="On sale.")
    courses_count: int
    lessons_count: int
    learners_count: int = Field(description="Learners whose access is open now.")
    created_at: datetime


class ContentProductIn(Schema):
    name: Text = Field(..., max_length=300)
    description: Text = Field("", max_length=20000)
    price: Decimal = Field(Decimal("0"), description="Zero or more, two decimals at most.")
    currency: Text = Field("USD", max_length=10, description="Three letters (ISO 4217).")
    access_days: Days | None = Field(None, description="1–3650; null: access with no end.")
    is_active: bool = True


class ContentProductPatch(Schema):
    name: Text | None = Field(None, max_length=300)
    description: Text | None = Field(None, max_length=20000)
    price: Decimal | None = None
    currency: Text | None = Field(None, max_length=10)
    access_days: Days | None = Field(None, description="null: access with no end.")
    is_active: bool | None = None


class ContentCourseOut(Schema):
    id: int
    product_id: int
    title: str
    description: str
    position: int


class ContentCourseIn(Schema):
    product: Id = Field(..., description="The product's id.")
    title: Text = Field(..., max_length=300)
    description: Text = Field("", max_length=20000)


class ContentCoursePatch(Schema):
    title: Text | None = Field(None, max_length=300)
    description: Text | None = Field(None, max_length=20000)


class ContentModuleOut(Schema):
    id: int
    course_id: int
    title: str
    position: int
    release_after_days: int | None = Field(
        description="Released this many days after the learner's access starts; null: at once."
    )


class ContentModuleIn(Schema):
    course: Id = Field(..., description="The course's id.")
    title: Text = Field(..., max_length=300)
    release_after_days: Days | None = Field(None, description="0–3650; null: at once.")


class ContentModulePatch(Schema):
    title: Text | None = Field(None, max_length=300)
    release_after_days: Days | None = Field(None, description="0–3650; null: at once.")


class ContentLessonFileOut(Schema):
    id: int
    name: str
    size: int
    created_at: datetime


class ContentLessonOut(Schema):
    id: int
    module_id: int
    title: str
    video_url: str
    embed_url: str | None = Field(description="The player address learners see embedded.")
    body: str = Field(description="As written (Markdown).")
    body_html: str = Field(description="Rendered and sanitised.")
    position: int
    release_after_days: int | None = Field(
        description="Released this many days after access starts; null: with its module."
    )
    comments_enabled: bool
    files: list[ContentLessonFileOut]
    created_at: datetime


class ContentLessonIn(Schema):
    module: Id = Field(..., description="The module's id.")
    title: Text = Field(..., max_length=300)
    video_url: Text = Field("", max_length=500, description="https YouTube, Vimeo or Wistia.")
    body: Text = Field("", max_length=200000, description="Markdown.")
    release_after_days: Days | None = Field(None, description="0–3650; null: with its module.")
    comments_enabled: bool = True


class ContentLessonPatch(Schema):
    title: Text | None = Field(None, max_length=300)
    video_url: Text | None = Field(None, max_length=500)
    body: Text | None = Field(None, max_length=200000)
    release_after_days: Days | None = Field(None, description="null: with its module.")
    comments_enabled: bool | None = None


class ContentMoveIn(Schema):
    direction: str = Field(..., pattern="^(up|down)$", description="up or down.")


class ContentMovedOut(Schema):
    moved: bool = Field(description="false: it was already first (up) or last (down).")
    position: int


class ContentAnnouncementOut(Schema):
    id: int
    title: str
    body: str = Field(description="As written (Markdown).")
    body_html: str = Field(description="Rendered and sanitised.")
    product_id: int | None = Field(description="Only its learners see it; null: every learner.")
    is_enabled: bool = Field(description="Shown to learners (until each dismisses it).")
    dismissed_count: int
    created_at: datetime


class ContentAnnouncementIn(Schema):
    title: Text = Field(..., max_length=300)
    body: Text = Field("", max_length=40000, description="Markdown.")
    product: Id | None = Field(None, description="A product's id; null: every learner.")
    is_enabled: bool = Field(False, description="Written hidden unless true.")


class ContentAnnouncementPatch(Schema):
    title: Text | None = Field(None, max_length=300)
    body: Text | None = Field(None, max_length=40000)
    product: Id | None = Field(None, description="null: every learner.")
    is_enabled: bool | None = Field(None, description="Enable or disable.")


class Page(Schema):
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_INT)


class CourseFilter(Page):
    product: AnyId | None = Field(None, description="A product's id.")


class ModuleFilter(Page):
    course: AnyId | None = Field(None, description="A course's id.")


class LessonFilter(Page):
    module: AnyId | None = Field(None, description="A module's id.")


class AnnouncementFilter(Page):
    enabled: bool | None = Field(None, description="true: shown ones; false: hidden ones.")


# Shapes and lookups ------------------------------------------------------------------------


def _reader(request: HttpRequest) -> Membership:
    return require(request, *CONTENT_READERS)


def _manager(request: HttpRequest) -> Membership:
    return require(request, MANAGE)


def _not_null(values: dict[str, Any], *names: str) -> None:
    for name in names:
        if name in values and values[name] is None:
            raise field_error(name, _("This field can't be empty."), "required")


def _product_out(p: Product) -> dict:
    return {
        "id": p.id,
        "name": p.name,
        "description": p.description,
        "price": f"{p.price:.2f}",
        "currency": p.currency,
        "access_days": p.access_days,
        "is_active": p.is_active,
        "courses_count": p.courses_count,  # type: ignore[attr-defined]
        "lessons_count": p.lessons_count,  # type: ignore[attr-defined]
        "learners_count": p.learners_count,  # type: ignore[attr-defined]
        "created_at": p.created_at,
    }


def _one_product(member: Membership, product_id: int) -> dict:
    return _product_out(_get(product_rows(member.workspace), product_id))


def _course_out(c: Course) -> dict:
    return {
        "id": c.id,
        "product_id": c.product_id,
        "title": c.title,
        "description": c.description,
        "position": c.position,
    }


def _module_out(m: Module) -> dict:
    return {
        "id": m.id,
        "course_id": m.course_id,
        "title": m.title,
        "position": m.position,
        "release_after_days": m.release_after_days,
    }


def _lessons(member: Membership) -> QuerySet[Lesson]:
    return (
        Lesson.objects.filter(workspace=member.workspace)
        .prefetch_related(Prefetch("files", queryset=LessonFile.objects.order_by("name", "id")))
        .order_by("module__course__product", "module__course__position",
                  "module__position", "position", "id")
    )  # fmt: skip


def _lesson_out(lesson: Lesson) -> dict:
    return {
        "id": lesson.id,
        "module_id": lesson.module_id,
        "title": lesson.title,
        "video_url": lesson.video_url,
        "embed_url": rules.embed_url(lesson.video_url),
        "body": lesson.body,
        "body_html": render_markdown(lesson.body),
        "position": lesson.position,
        "release_after_days": lesson.release_after_days,
        "comments_enabled": lesson.comments_enabled,
        "files": [
            {"id": f.id, "name": f.name, "size": f.size, "created_at": f.created_at}
            for f in lesson.files.all()
        ],
        "created_at": lesson.created_at,
    }


def _one_lesson(member: Membership, lesson_id: int) -> dict:
    return _lesson_out(_get(_lessons(member), lesson_id))


def _announcements(member: Membership) -> QuerySet[Announcement]:
    return (
        Announcement.objects.filter(workspace=member.workspace)
        .annotate(dismissed=count_of(AnnouncementDismissal.objects.all(), "announcement"))
        .order_by("-created_at", "-id")
    )


def _announcement_out(a: Announcement) -> dict:
    return {
        "id": a.id,
        "title": a.title,
        "body": a.body,
        "body_html": render_markdown(a.body),
        "product_id": a.product_id,
        "is_enabled": a.is_enabled,
        "dismissed_count": a.dismissed,  # type: ignore[attr-defined]
        "created_at": a.created_at,
    }


def _product_ref(member: Membership, product_id: int) -> Product:
    return _referenced(  # type: ignore[no-any-return]
        Product.objects.filter(workspace=member.workspace), product_id, "product"
    )


def _moved(moved: bool, position: int) -> dict:
    return {"moved": moved, "position": position}


# Products ----------------------------------------------------------------------------------


@router.get(
    "/course-products",
    response={200: list[ContentProductOut], **ERRORS},
    summary="List course products",
)
def list_products(request: HttpRequest, filters: Query[Page]):  # type: ignore[no-untyped-def]
    """Products by name, with their courses, lessons and current learners counted.

    Owners, admins, supervisors and attendants; 403 for anyone else.
    """
    member = _reader(request)
    rows = product_rows(member.workspace).order_by("name", "id")
    return [_product_out(p) for p in rows[filters.offset : filters.offset + filters.limit]]


@router.post(
    "/course-products",
    response={201: ContentProductOut, **ERRORS},
    summary="Create a course product",
)
def create_product(request: HttpRequest, payload: ContentProductIn):  # type: ignore[no-untyped-def]
    """Owners and admins. Refused with 422: no name (``name_required``), a name already used
    (``duplicate``), a price below zero (``price_negative``) or not a price
    (``invalid_price``), a currency that isn't three letters (``invalid_currency``),
    access days outside 1–3650 (``access_days_out_of_range``)."""
    member = _manager(request)
    made = actions.do_save_product(member.workspace, actor=request.user, **payload.dict())
    return Status(201, _one_product(member, made.pk))


@router.get(
    "/course-products/{product_id}",
    response={200: ContentProductOut, **ERRORS},
    summary="A course product",
)
def get_product(request: HttpRequest, product_id: int):  # type: ignore[no-untyped-def]
    """One product, as in the list."""
    return _one_product(_reader(request), product_id)


@router.patch(
    "/course-products/{product_id}",
    response={200: ContentProductOut, **ERRORS},
    summary="Change a course product",
)
def update_product(request: HttpRequest, product_id: int, payload: ContentProductPatch):  # type: ignore[no-untyped-def]
    """Change the fields sent (``access_days: null``: no end). Owners and admins; the same
    refusals as creating, and ``required`` for a null name, price, currency or state."""
    member = _manager(request)
    product = queries.access_product(member, product_id)
    values = payload.dict(exclude_unset=True)
    _not_null(values, "name", "description", "price", "currency", "is_active")
    actions.do_save_product(
        member.workspace,
        actor=request.user,
        product=product,
        name=values.get("name", product.name),
        description=values.get("description", product.description),
        price=values.get("price", product.price),
        currency=values.get("currency", product.currency),
        access_days=values.get("access_days", product.access_days),
        is_active=values.get("is_active", product.is_active),
    )
    return _one_product(member, product.pk)


@router.delete(
    "/course-products/{product_id}",
    response={204: None, **ERRORS},
    summary="Delete a course product",
)
def delete_product(request: HttpRequest, product_id: int):  # type: ignore[no-untyped-def]
    """Delete a product with its courses, modules, lessons and files. Owners and admins.

    Refused with 422 ``product_has_learners`` while any learner has or had access to it,
    and ``product_has_orders`` while orders name it: take it off sale instead.
    """
    member = _manager(request)
    actions.do_delete_product(queries.access_product(member, product_id), actor=request.user)
    return Status(204, None)


# Courses -----------------------------------------------------------------------------------


@router.get("/courses", response={200: list[ContentCourseOut], **ERRORS}, summary="List courses")
def list_courses(request: HttpRequest, filters: Query[CourseFilter]):  # type: ignore[no-untyped-def]
    """Courses by product and position; ``product`` keeps one product's."""
    member = _reader(request)
    rows = Course.objects.filter(workspace=member.workspace).order_by("product", "position", "id")
    if filters.product is not None:
        rows = rows.filter(product_id=filters.product)
    return [_course_out(c) for c in rows[filters.offset : filters.offset + filters.limit]]


@router.post("/courses", response={201: ContentCourseOut, **ERRORS}, summary="Add a course")
def create_course(request: HttpRequest, payload: ContentCourseIn):  # type: ignore[no-untyped-def]
    """Add a course at the end of a product. Refused with 422: no title
    (``title_required``), a product not of this workspace (``not_found``)."""
    member = _manager(request)
    product = _product_ref(member, payload.product)
    course = actions.do_save_course(
        product, actor=request.user, title=payload.title, description=payload.description
    )
    return Status(201, _course_out(course))


@router.get("/courses/{course_id}", response={200: ContentCourseOut, **ERRORS}, summary="A course")
def get_course(request: HttpRequest, course_id: int):  # type: ignore[no-untyped-def]
    return _course_out(queries.access_course(_reader(request), course_id))


@router.patch(
    "/courses/{course_id}", response={200: ContentCourseOut, **ERRORS}, summary="Change a course"
)
def update_course(request: HttpRequest, course_id: int, payload: ContentCoursePatch):  # type: ignore[no-untyped-def]
    """Change the title or description. Refused with 422 ``title_required``."""
    member = _manager(request)
    course = queries.access_course(member, course_id)
    values = payload.dict(exclude_unset=True)
    _not_null(values, "title", "description")
    actions.do_save_course(
        course.product,
        actor=request.user,
        course=course,
        title=values.get("title", course.title),
        description=values.get("description", course.description),
    )
    return _course_out(course)


@router.post(
    "/courses/{course_id}/move",
    response={200: ContentMovedOut, **ERRORS},
    summary="Move a course up or down",
)
def move_course(request: HttpRequest, course_id: int, payload: ContentMoveIn):  # type: ignore[no-untyped-def]
    """One place up or down its product (positions stay 0..n-1)."""
    course = queries.access_course(_manager(request), course_id)
    moved = actions.do_move_course(course, actor=request.user, up=payload.direction == "up")
    return _moved(moved, course.position)


@router.delete("/courses/{course_id}", response={204: None, **ERRORS}, summary="Delete a course")
def delete_course(request: HttpRequest, course_id: int):  # type: ignore[no-untyped-def]
    """Delete a course with its modules, lessons, files, and the learners' progress,
    comments and ratings on them."""
    course = queries.access_course(_manager(request), course_id)
    actions.do_delete_course(course, actor=request.user)
    return Status(204, None)


# Modules -----------------------------------------------------------------------------------


@router.get(
    "/course-modules", response={200: list[ContentModuleOut], **ERRORS}, summary="List modules"
)
def list_modules(request: HttpRequest, filters: Query[ModuleFilter]):  # type: ignore[no-untyped-def]
    """Modules by course and position; ``course`` keeps one course's."""
    member = _reader(request)
    rows = Module.objects.filter(workspace=member.workspace).order_by(
        "course__product", "course__position", "course", "position", "id"
    )
    if filters.course is not None:
        rows = rows.filter(course_id=filters.course)
    return [_module_out(m) for m in rows[filters.offset : filters.offset + filters.limit]]


@router.post("/course-modules", response={201: ContentModuleOut, **ERRORS}, summary="Add a module")
def create_module(request: HttpRequest, payload: ContentModuleIn):  # type: ignore[no-untyped-def]
    """Add a module at the end of a course. Refused with 422: no title (``title_required``),
    drip days outside 0–3650 (``release_days_out_of_range``), a course not of this
    workspace (``not_found``)."""
    member = _manager(request)
    course = _referenced(
        Course.objects.filter(workspace=member.workspace), payload.course, "course"
    )
    module = actions.do_save_module(
        course,
        actor=request.user,
        title=payload.title,
        release_after_days=payload.release_after_days,
    )
    return Status(201, _module_out(module))


@router.get(
    "/course-modules/{module_id}", response={200: ContentModuleOut, **ERRORS}, summary="A module"
)
def get_module(request: HttpRequest, module_id: int):  # type: ignore[no-untyped-def]
    return _module_out(queries.access_module(_reader(request), module_id))


@router.patch(
    "/course-modules/{module_id}",
    response={200: ContentModuleOut, **ERRORS},
    summary="Change a module",
)
def update_module(request: HttpRequest, module_id: int, payload: ContentModulePatch):  # type: ignore[no-untyped-def]
    """Change the title or drip days (``release_after_days: null``: at once)."""
    member = _manager(request)
    module = queries.access_module(member, module_id)
    values = payload.dict(exclude_unset=True)
    _not_null(values, "title")
    actions.do_save_module(
        module.course,
        actor=request.user,
        module=module,
        title=values.get("title", module.title),
        release_after_days=values.get("release_after_days", module.release_after_days),
    )
    return _module_out(module)


@router.post(
    "/course-modules/{module_id}/move",
    response={200: ContentMovedOut, **ERRORS},
    summary="Move a module up or down",
)
def move_module(request: HttpRequest, module_id: int, payload: ContentMoveIn):  # type: ignore[no-untyped-def]
    """One place up or down its course (positions stay 0..n-1)."""
    module = queries.access_module(_manager(request), module_id)
    moved = actions.do_move_module(module, actor=request.user, up=payload.direction == "up")
    return _moved(moved, module.position)


@router.delete(
    "/course-modules/{module_id}", response={204: None, **ERRORS}, summary="Delete a module"
)
def delete_module(request: HttpRequest, module_id: int):  # type: ignore[no-untyped-def]
    """Delete a module with its lessons, files, and the learners' records on them."""
    module = queries.access_module(_manager(request), module_id)
    actions.do_delete_module(module, actor=request.user)
    return Status(204, None)


# Lessons -----------------------------------------------------------------------------------


@router.get("/lessons", response={200: list[ContentLessonOut], **ERRORS}, summary="List lessons")
def list_lessons(request: HttpRequest, filters: Query[LessonFilter]):  # type: ignore[no-untyped-def]
    """Lessons in outline order with their files; ``module`` keeps one module's."""
    member = _reader(request)
    rows = _lessons(member)
    if filters.module is not None:
        rows = rows.filter(module_id=filters.module)
    return [_lesson_out(x) for x in rows[filters.offset : filters.offset + filters.limit]]


@router.post("/lessons", response={201: ContentLessonOut, **ERRORS}, summary="Add a lesson")
def create_lesson(request: HttpRequest, payload: ContentLessonIn):  # type: ignore[no-untyped-def]
    """Add a lesson at the end of a module. Refused with 422: no title
    (``title_required``), a video address that isn't an https YouTube, Vimeo or Wistia link
    (``unsafe_video_url``), drip days outside 0–3650 (``release_days_out_of_range``), a
    module not of this workspace (``not_found``). The text is Markdown, kept as written
    and sanitised when shown (``body_html``)."""
    member = _manager(request)
    module = _referenced(
        Module.objects.filter(workspace=member.workspace), payload.module, "module"
    )
    values = payload.dict()
    values.pop("module")
    lesson = actions.do_save_lesson(module, actor=request.user, **values)
    return Status(201, _one_lesson(member, lesson.pk))


@router.get("/lessons/{lesson_id}", response={200: ContentLessonOut, **ERRORS}, summary="A lesson")
def get_lesson(request: HttpRequest, lesson_id: int):  # type: ignore[no-untyped-def]
    return _one_lesson(_reader(request), lesson_id)


@router.patch(
    "/lessons/{lesson_id}", response={200: ContentLessonOut, **ERRORS}, summary="Change a lesson"
)
def update_lesson(request: HttpRequest, lesson_id: int, payload: ContentLessonPatch):  # type: ignore[no-untyped-def]
    """Change the fields sent (``release_after_days: null``: with its module); the same
    refusals as adding."""
    member = _manager(request)
    lesson = queries.access_lesson(member, lesson_id)
    values = payload.dict(exclude_unset=True)
    _not_null(values, "title", "video_url", "body", "comments_enabled")
    actions.do_save_lesson(
        lesson.module,
        actor=request.user,
        lesson=lesson,
        title=values.get("title", lesson.title),
        video_url=values.get("video_url", lesson.video_url),
        body=values.get("body", lesson.body),
        release_after_days=values.get("release_after_days", lesson.release_after_days),
        comments_enabled=values.get("comments_enabled", lesson.comments_enabled),
    )
    return _one_lesson(member, lesson.pk)


@router.post(
    "/lessons/{lesson_id}/move",
    response={200: ContentMovedOut, **ERRORS},
    summary="Move a lesson up or down",
)
def move_lesson(request: HttpRequest, lesson_id: int, payload: ContentMoveIn):  # type: ignore[no-untyped-def]
    """One place up or down its module (positions stay 0..n-1)."""
    lesson = queries.access_lesson(_manager(request), lesson_id)
    moved = actions.do_move_lesson(lesson, actor=request.user, up=payload.direction == "up")
    return _moved(moved, lesson.position)


@router.delete("/lessons/{lesson_id}", response={204: None, **ERRORS}, summary="Delete a lesson")
def delete_lesson(request: HttpRequest, lesson_id: int):  # type: ignore[no-untyped-def]
    """Delete a lesson with its files and the learners' progress, comments and ratings."""
    lesson = queries.access_lesson(_manager(request), lesson_id)
    actions.do_delete_lesson(lesson, actor=request.user)
    return Status(204, None)


@router.post(
    "/lessons/{lesson_id}/files",
    response={201: ContentLessonOut, **ERRORS},
    summary="Add files to a lesson",
)
def add_lesson_files(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    lesson_id: int,
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
):
    """Upload files (``multipart/form-data``, field ``files``, up to ten). Refused with 422,
    storing none: no file (``no_files``), a type the workspace doesn't allow
    (``file_type_not_allowed``), one empty or larger than its limit (``file_too_large``),
    more than ten (``too_many_files``)."""
    member = _manager(request)
    lesson = queries.access_lesson(member, lesson_id)
    actions.do_add_lesson_files(lesson, actor=request.user, files=files or [])
    return Status(201, _one_lesson(member, lesson.pk))


def _lesson_file(member: Membership, file_id: int) -> LessonFile:
    return _get(LessonFile.objects.filter(workspace=member.workspace), file_id)  # type: ignore[no-any-return]


@router.get(
    "/lesson-files/{file_id}",
    response={200: None, **ERRORS},
    summary="Download a lesson file",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, as a download.",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def download_lesson_file(request: HttpRequest, file_id: int):  # type: ignore[no-untyped-def]
    """Always sent as a download (``application/octet-stream``), never shown as a page."""
    found = _lesson_file(_reader(request), file_id)
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.name,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.delete(
    "/lesson-files/{file_id}", response={204: None, **ERRORS}, summary="Remove a lesson file"
)
def delete_lesson_file(request: HttpRequest, file_id: int):  # type: ignore[no-untyped-def]
    found = _lesson_file(_manager(request), file_id)
    actions.do_delete_lesson_file(found, actor=request.user)
    return Status(204, None)


# Announcements -----------------------------------------------------------------------------


@router.get(
    "/announcements",
    response={200: list[ContentAnnouncementOut], **ERRORS},
    summary="List announcements",
)
def list_announcements(request: HttpRequest, filters: Query[AnnouncementFilter]):  # type: ignore[no-untyped-def]
    """Newest first, with how many learners dismissed each; ``enabled`` filters."""
    rows = _announcements(_reader(request))
    if filters.enabled is not None:
        rows = rows.filter(is_enabled=filters.enabled)
    return [_announcement_out(a) for a in rows[filters.offset : filters.offset + filters.limit]]


@router.post(
    "/announcements",
    response={201: ContentAnnouncementOut, **ERRORS},
    summary="Write an announcement",
)
def create_announcement(request: HttpRequest, payload: ContentAnnouncementIn):  # type: ignore[no-untyped-def]
    """Written hidden unless ``is_enabled`` is true. Refused with 422: no title
    (``title_required``), text too long (``too_long``), a product not of this workspace
    (``not_found``)."""
    member = _manager(request)
    product = _product_ref(member, payload.product) if payload.product is not None else None
    with transaction.atomic():
        note = actions.do_save_announcement(
            member.workspace, actor=request.user, title=payload.title, body=payload.body,
            product=product,
        )  # fmt: skip
        if payload.is_enabled:
            actions.do_toggle_announcement(note, actor=request.user, enabled=True)
    return Status(201, _announcement_out(_get(_announcements(member), note.pk)))


@router.get(
    "/announcements/{announcement_id}",
    response={200: ContentAnnouncementOut, **ERRORS},
    summary="An announcement",
)
def get_announcement(request: HttpRequest, announcement_id: int):  # type: ignore[no-untyped-def]
    return _announcement_out(_get(_announcements(_reader(request)), announcement_id))


@router.patch(
    "/announcements/{announcement_id}",
    response={200: ContentAnnouncementOut, **ERRORS},
    summary="Change, enable or disable an announcement",
)
def update_announcement(  # type: ignore[no-untyped-def]
    request: HttpRequest, announcement_id: int, payload: ContentAnnouncementPatch
):
    """Change the fields sent; ``is_enabled`` shows it to learners or stops showing it;
    ``product: null`` shows it to every learner. The same refusals as writing."""
    member = _manager(request)
    note = _get(Announcement.objects.filter(workspace=member.workspace), announcement_id)
    values = payload.dict(exclude_unset=True)
    _not_null(values, "title", "body", "is_enabled")
    product = note.product
    if "product" in values:
        product = _product_ref(member, values["product"]) if values["product"] else None
    with transaction.atomic():
        actions.do_save_announcement(
            member.workspace,
            actor=request.user,
            announcement=note,
            title=values.get("title", note.title),
            body=values.get("body", note.body),
            product=product,
        )
        if "is_enabled" in values:
            actions.do_toggle_announcement(note, actor=request.user, enabled=values["is_enabled"])
    return _announcement_out(_get(_announcements(member), note.pk))


@router.delete(
    "/announcements/{announcement_id}",
    response={204: None, **ERRORS},
    summary="Delete an announcement",
)
def delete_announcement(request: HttpRequest, announcement_id: int):  # type: ignore[no-untyped-def]
    member = _manager(request)
    note = _get(Announcement.objects.filter(workspace=member.workspace), announcement_id)
    actions.do_delete_announcement(note, actor=request.user)
    return Status(204, None)
