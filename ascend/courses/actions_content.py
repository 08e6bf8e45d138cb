"""Every change to course content: products, courses, modules, lessons, lesson files, and
announcements (DESIGN.md "Course portal"; seed 003 "Conteúdo" and "Avisos").

The pages and the API call these and nothing else writes content. Each one runs in a
transaction, checks every rule before writing (so a refusal changes nothing), calls
``full_clean`` and records an activity event. Courses, modules and lessons keep the
positions of their siblings at 0..n-1: adding puts the new one last, moving swaps it
with its neighbour, deleting closes the gap. Files removed from a lesson (or with the
content they belong to) leave the storage once the transaction has committed.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ascend.activity.actions import record_event
from ascend.activity.verbs import Verb
from ascend.billing.models import Order
from ascend.lib.errors import field_error
from ascend.messaging.rules import attachment_refusal
from ascend.tenancy.models import Workspace

from . import rules
from .models import (
    MAX_RELEASE_DAYS,
    Announcement,
    Course,
    LearnerAccess,
    Lesson,
    LessonFile,
    Module,
    Product,
)

MAX_TITLE = 150
MAX_DESCRIPTION = 10_000
MAX_LESSON_TEXT = 100_000
MAX_ANNOUNCEMENT_TEXT = 20_000
MAX_FILES = 10  # per upload
MAX_PRICE = Decimal("99999999.99")  # what the price column holds


# Checks shared by the actions -------------------------------------------------------------


def _title(value: str, *, field: str, message: str, code: str) -> str:
    title = " ".join((value or "").split())
    if not title:
        raise field_error(field, message, code)
    if len(title) > MAX_TITLE:
        raise field_error(
            field, _("Keep it under %(n)d characters.") % {"n": MAX_TITLE}, "too_long"
        )
    return title


def _text(value: str, *, field: str, limit: int) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise field_error(
            field, _("Keep the text under %(n)d characters.") % {"n": limit}, "too_long"
        )
    return text


def _release_days(value: int | None) -> int | None:
    """Drip: released 0–3650 days after the learner's access starts; None: no delay of its own."""
    if value is None:
        return None
    if not 0 <= value <= MAX_RELEASE_DAYS:
        raise field_error(
            "release_after_days",
            _("Choose a number of days from 0 to %(n)d.") % {"n": MAX_RELEASE_DAYS},
            "release_days_out_of_range",
        )
    return value


def _forget_files(names: Sequence[str], storage: Any) -> None:
    """Remove stored files once the rows are gone for good (never on a rollback)."""
    for name in names:
        if name:
            transaction.on_commit(partial(storage.delete, name), robust=True)


def _files_of(lessons: models.QuerySet[Lesson]) -> list[str]:
    return list(
        LessonFile.objects.filter(lesson__in=lessons.values("pk")).values_list("file", flat=True)
    )


def _renumber(siblings: models.QuerySet) -> None:
    """Positions 0..n-1 in the current order."""
    for position, each in enumerate(siblings.order_by("position", "id")):
        if each.position != position:
            each.position = position
            each.save(update_fields=["position"])


def _move(item: Course | Module | Lesson, siblings: models.QuerySet, *, up: bool) -> bool:
    """Swap ``item`` with its neighbour above (or below); False when it is already at that end."""
    items = list(siblings.select_for_update().order_by("position", "id"))
    index = next(i for i, each in enumerate(items) if each.pk == item.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return False
    items[index], items[other] = items[other], items[index]
    for position, each in enumerate(items):
        if each.position != position:
            each.position = position
            each.save(update_fields=["position"])
    item.position = other
    return True


def _content_event(
    workspace: Any, verb: Verb, *, actor: Any, target: models.Model, **data: Any
) -> None:
    record_event(
        workspace, verb, actor=actor, target=target, data={"kind": target._meta.model_name, **data}
    )


# Products ---------------------------------------------------------------------------------


def _price(value: Any) -> Decimal:
    try:
        price = Decimal(str(value)) if value not in (None, "") else Decimal("0")
    except (InvalidOperation, ValueError):
        raise field_error(
            "price", _("Write the price as a number, such as 49.90."), "invalid_price"
        ) from None
    if not price.is_finite():
        raise field_error(
            "price", _("Write the price as a number, such as 49.90."), "invalid_price"
        )
    if price < 0:
        raise field_error("price", _("The price can't be below zero."), "price_negative")
    if price > MAX_PRICE or price != price.quantize(Decimal("0.01")):
        raise field_error(
            "price",
            _("Write a price up to 99,999,999.99 with at most two decimals."),
            "invalid_price",
        )
    return price


@transaction.atomic
def do_save_product(
    workspace: Workspace,
    *,
    actor: Any,
    name: str,
    description: str = "",
    price: Any = 0,
    currency: str = "USD",
    access_days: int | None = None,
    is_active: bool = True,
    product: Product | None = None,
) -> Product:
    """Create a product, or change one.

    Rules: a name (at most 150 characters) not used by another product of the workspace
    (ignoring case); a price of zero or more with two decimals at most; a currency of
    three letters (ISO 4217, stored in capitals); access lasting 1–3650 days, or empty
    for access with no end (the length given to new grants and purchases; existing
    accesses keep their dates).
    """
    name = _title(name, field="name", message=_("A product needs a name."), code="name_required")
    taken = Product.objects.filter(workspace=workspace, name__iexact=name)
    if product is not None:
        taken = taken.exclude(pk=product.pk)
    if taken.exists():
        raise field_error(
            "name", _("There is already a product called “%(name)s”.") % {"name": name}, "duplicate"
        )
    description = _text(description, field="description", limit=MAX_DESCRIPTION)
    checked_price = _price(price)
    currency = (currency or "").strip().upper()
    if len(currency) != 3 or not currency.isascii() or not currency.isalpha():
        raise field_error(
            "currency",
            _("Write the currency as three letters, such as USD or EUR."),
            "invalid_currency",
        )
    if access_days is not None and not 1 <= access_days <= MAX_RELEASE_DAYS:
        raise field_error(
            "access_days",
            _("Choose 1 to %(n)d days, or leave it empty for access with no end.")
            % {"n": MAX_RELEASE_DAYS},
            "access_days_out_of_range",
        )
    created = product is None
    if product is None:
        product = Product(workspace=workspace)
    product.name = name
    product.description = description
    product.price = checked_price
    product.currency = currency
    product.access_days = access_days
    product.is_active = is_active
    product.full_clean()
    product.save()
    record_event(
        workspace,
        Verb.PRODUCT_SAVED,
        actor=actor,
        target=product,
        data={"created": created, "on_sale": is_active},
    )
    return product


def product_deletion_refusal(product: Product) -> ValidationError | None:
    """Why a product can't be deleted, or None when it can.

    Rule: not while any learner has or had access to it (their access and progress are
    kept with the product), nor while orders name it (the sales record stays).
    """
    learners = LearnerAccess.objects.filter(product=product).count()
    if learners:
        return ValidationError(
            ngettext(
                "“%(name)s” can't be deleted: %(n)d learner has or had access to it, and their "
                "access and progress are kept with it. Take it off sale instead.",
                "“%(name)s” can't be deleted: %(n)d learners have or had access to it, and their "
                "access and progress are kept with it. Take it off sale instead.",
                learners,
            )
            % {"name": product.name, "n": learners},
            code="product_has_learners",
        )
    orders = Order.objects.filter(product=product).count()
    if orders:
        return ValidationError(
            ngettext(
                "“%(name)s” can't be deleted: %(n)d order names it, and sales records are kept. "
                "Take it off sale instead.",
                "“%(name)s” can't be deleted: %(n)d orders name it, and sales records are kept. "
                "Take it off sale instead.",
                orders,
            )
            % {"name": product.name, "n": orders},
            code="product_has_orders",
        )
    return None


@transaction.atomic
def do_delete_product(product: Product, *, actor: Any) -> None:
    """Delete a product with its courses, modules, lessons and files.

    Rules: ``product_deletion_refusal`` (no learner ever had it, no order names it); take
    it off sale instead.
    """
    refusal = product_deletion_refusal(product)
    if refusal is not None:
        raise refusal
    files = _files_of(Lesson.objects.filter(module__course__product=product))
    _content_event(product.workspace, Verb.COURSE_CONTENT_DELETED, actor=actor, target=product)
    product.delete()
    _forget_files(files, LessonFile._meta.get_field("file").storage)  # type: ignore[attr-defined]


# Courses, modules, lessons -----------------------------------------------------------------


@transaction.atomic
def do_save_course(
    product: Product,
    *,
    actor: Any,
    title: str,
    description: str = "",
    course: Course | None = None,
) -> Course:
    """Add a course at the end of a product, or change one.

    Rules: a title of at most 150 characters; a description of at most 10,000.
    """
    title = _title(
        title, field="title", message=_("A course needs a title."), code="title_required"
    )
    description = _text(description, field="description", limit=MAX_DESCRIPTION)
    created = course is None
    if course is None:
        course = Course(
            workspace_id=product.workspace_id,
            product=product,
            position=Course.objects.filter(product=product).count(),
        )
    course.title = title
    course.description = description
    course.full_clean()
    course.save()
    _content_event(
        product.workspace, Verb.COURSE_CONTENT_SAVED, actor=actor, target=course, created=created
    )
    return course


@transaction.atomic
def do_save_module(
    course: Course,
    *,
    actor: Any,
    title: str,
    release_after_days: int | None = None,
    module: Module | None = None,
) -> Module:
    """Add a module at the end of a course, or change one.

    Rules: a title of at most 150 characters; drip: released 0–3650 days after the
    learner's access starts, or empty for at once.
    """
    title = _title(
        title, field="title", message=_("A module needs a title."), code="title_required"
    )
    days = _release_days(release_after_days)
    created = module is None
    if module is None:
        module = Module(
            workspace_id=course.workspace_id,
            course=course,
            position=Module.objects.filter(course=course).count(),
        )
    module.title = title
    module.release_after_days = days
    module.full_clean()
    module.save()
    _content_event(
        course.workspace, Verb.COURSE_CONTENT_SAVED, actor=actor, target=module, created=created
    )
    return module


def check_video_url(video_url: str) -> str:
    """A lesson's video address: empty, or an https YouTube, Vimeo or Wistia link.

    Anything else could not be embedded under the page's frame-src, so it is refused
    rather than kept and silently not shown (``rules.embed_url``).
    """
    url = (video_url or "").strip()
    if url and rules.embed_url(url) is None:
        raise field_error(
            "video_url",
            _(
                "Use an https link to a YouTube, Vimeo or Wistia video, such as "
                "https://www.youtube.com/watch?v=… or https://vimeo.com/123456."
            ),
            "unsafe_video_url",
        )
    return url


@transaction.atomic
def do_save_lesson(
    module: Module,
    *,
    actor: Any,
    title: str,
    video_url: str = "",
    body: str = "",
    release_after_days: int | None = None,
    comments_enabled: bool = True,
    lesson: Lesson | None = None,
) -> Lesson:
    """Add a lesson at the end of a module, or change one.

    Rules: a title of at most 150 characters; a video address that is empty or an https
    YouTube, Vimeo or Wistia link (``check_video_url``); text in Markdown of at most
    100,000 characters, kept as written and sanitised when shown; drip: released 0–3650
    days after the learner's access starts, or empty for with its module.
    """
    title = _title(
        title, field="title", message=_("A lesson needs a title."), code="title_required"
    )
    url = check_video_url(video_url)
    body = _text(body, field="body", limit=MAX_LESSON_TEXT)
    days = _release_days(release_after_days)
    created = lesson is None
    if lesson is None:
        lesson = Lesson(
            workspace_id=module.workspace_id,
            module=module,
            position=Lesson.objects.filter(module=module).count(),
        )
    lesson.title = title
    lesson.video_url = url
    lesson.body = body
    lesson.release_after_days = days
    lesson.comments_enabled = comments_enabled
    lesson.full_clean()
    lesson.save()
    _content_event(
        module.workspace, Verb.COURSE_CONTENT_SAVED, actor=actor, target=lesson, created=created
    )
    return lesson


@transaction.atomic
def do_move_course(course: Course, *, actor: Any, up: bool) -> bool:
    """Move a course one place up or down its product; the first can't go up nor the last down."""
    moved = _move(course, Course.objects.filter(product_id=course.product_id), up=up)
    if moved:
        _content_event(
            course.workspace, Verb.COURSE_CONTENT_SAVED, actor=actor, target=course,
            position=course.position,
        )  # fmt: skip
    return moved


@transaction.atomic
def do_move_module(module: Module, *, actor: Any, up: bool) -> bool:
    """Move a module one place up or down its course; the first can't go up nor the last down."""
    moved = _move(module, Module.objects.filter(course_id=module.course_id), up=up)
    if moved:
        _content_event(
            module.workspace, Verb.COURSE_CONTENT_SAVED, actor=actor, target=module,
            position=module.position,
        )  # fmt: skip
    return moved


@transaction.atomic
def do_move_lesson(lesson: Lesson, *, actor: Any, up: bool) -> bool:
    """Move a lesson one place up or down its module; the first can't go up nor the last down."""
    moved = _move(lesson, Lesson.objects.filter(module_id=lesson.module_id), up=up)
    if moved:
        _content_event(
            lesson.workspace, Verb.COURSE_CONTENT_SAVED, actor=actor, target=lesson,
            position=lesson.position,
        )  # fmt: skip
    return moved


@transaction.atomic
def do_delete_course(course: Course, *, actor: Any) -> None:
    """Delete a course with its modules, lessons, files, and the learners' progress,
    comments and ratings on those lessons; the courses after it move up one place."""
    files = _files_of(Lesson.objects.filter(module__course=course))
    _content_event(course.workspace, Verb.COURSE_CONTENT_DELETED, actor=actor, target=course)
    course.delete()
    _renumber(Course.objects.filter(product_id=course.product_id))
    _forget_files(files, LessonFile._meta.get_field("file").storage)  # type: ignore[attr-defined]


@transaction.atomic
def do_delete_module(module: Module, *, actor: Any) -> None:
    """Delete a module with its lessons, files, and the learners' progress, comments and
    ratings on them; the modules after it move up one place."""
    files = _files_of(Lesson.objects.filter(module=module))
    _content_event(module.workspace, Verb.COURSE_CONTENT_DELETED, actor=actor, target=module)
    module.delete()
    _renumber(Module.objects.filter(course_id=module.course_id))
    _forget_files(files, LessonFile._meta.get_field("file").storage)  # type: ignore[attr-defined]


@transaction.atomic
def do_delete_lesson(lesson: Lesson, *, actor: Any) -> None:
    """Delete a lesson with its files and the learners' progress, comments and ratings on it;
    the lessons after it move up one place."""
    files = _files_of(Lesson.objects.filter(pk=lesson.pk))
    _content_event(lesson.workspace, Verb.COURSE_CONTENT_DELETED, actor=actor, target=lesson)
    lesson.delete()
    _renumber(Lesson.objects.filter(module_id=lesson.module_id))
    _forget_files(files, LessonFile._meta.get_field("file").storage)  # type: ignore[attr-defined]


# Lesson files -----------------------------------------------------------------------------


def check_lesson_files(workspace: Workspace, files: Sequence[UploadedFile]) -> None:
    """The workspace's attachment rules (as for messages): allowed types, at most
    ``attachment_max_mb`` each, none empty, at most ten per upload."""
    if not files:
        raise field_error("files", _("Choose at least one file."), "no_files")
    if len(files) > MAX_FILES:
        raise field_error(
            "files", _("Upload at most %(n)d files at a time.") % {"n": MAX_FILES}, "too_many_files"
        )
    for upload in files:
        refusal = attachment_refusal(
            upload.name or "",
            upload.size or 0,
            allowed=workspace.attachment_extensions,
            max_mb=workspace.attachment_max_mb,
        )
        if refusal == "type":
            raise field_error(
                "files",
                _("%(name)s: this type of file can't be added. Allowed: %(types)s.")
                % {
                    "name": upload.name,
                    "types": ", ".join(sorted(workspace.attachment_extensions)),
                },
                "file_type_not_allowed",
            )
        if refusal == "size":
            raise field_error(
                "files",
                _("%(name)s is empty or larger than %(mb)d MB.")
                % {"name": upload.name, "mb": workspace.attachment_max_mb},
                "file_too_large",
            )


@transaction.atomic
def do_add_lesson_files(
    lesson: Lesson, *, actor: Any, files: Sequence[UploadedFile]
) -> list[LessonFile]:
    """Add files to a lesson for its learners to download.

    Rules: ``check_lesson_files`` (the workspace's attachment types and size, at most ten
    at a time); one bad file refuses the whole upload and nothing is stored.
    """
    workspace = lesson.workspace
    check_lesson_files(workspace, files)
    added = []
    for upload in files:
        name = (upload.name or "file").rsplit("/", 1)[-1][-200:]
        item = LessonFile(workspace=workspace, lesson=lesson, name=name, size=upload.size or 0)
        item.file.save(name, upload, save=False)
        try:
            item.full_clean()
        except ValidationError:
            item.file.storage.delete(item.file.name or "")
            raise
        item.save()
        added.append(item)
    _content_event(
        workspace,
        Verb.COURSE_CONTENT_SAVED,
        actor=actor,
        target=lesson,
        files_added=[f.name for f in added],
    )
    return added


@transaction.atomic
def do_delete_lesson_file(lesson_file: LessonFile, *, actor: Any) -> None:
    """Remove a file from its lesson; the stored file goes once the change is committed."""
    name = lesson_file.file.name
    storage = lesson_file.file.storage
    _content_event(
        lesson_file.workspace,
        Verb.COURSE_CONTENT_DELETED,
        actor=actor,
        target=lesson_file,
        lesson=lesson_file.lesson_id,
    )
    lesson_file.delete()
    _forget_files([name or ""], storage)


# Announcements ----------------------------------------------------------------------------


@transaction.atomic
def do_save_announcement(
    workspace: Workspace,
    *,
    actor: Any,
    title: str,
    body: str = "",
    product: Product | None = None,
    announcement: Announcement | None = None,
) -> Announcement:
    """Write an announcement (hidden until enabled), or change one.

    Rules: a title of at most 150 characters; text in Markdown of at most 20,000
    characters, sanitised when shown; an optional product of the same workspace (then
    only its learners see it; else every learner). Editing keeps it enabled or not.
    """
    title = _title(
        title, field="title", message=_("An announcement needs a title."), code="title_required"
    )
    body = _text(body, field="body", limit=MAX_ANNOUNCEMENT_TEXT)
    if product is not None and product.workspace_id != workspace.pk:
        raise field_error("product", _("There is no such product here."), "not_found")
    created = announcement is None
    if announcement is None:
        announcement = Announcement(
            workspace=workspace,
            is_enabled=False,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    announcement.title = title
    announcement.body = body
    announcement.product = product
    announcement.full_clean()
    announcement.save()
    record_event(
        workspace,
        Verb.ANNOUNCEMENT_SAVED,
        actor=actor,
        target=announcement,
        data={"created": created},
    )
    return announcement


@transaction.atomic
def do_toggle_announcement(
    announcement: Announcement, *, actor: Any, enabled: bool | None = None
) -> Announcement:
    """Show an announcement to learners, or stop showing it (``enabled`` None: flip it).

    Learners who dismissed it don't see it again when it is enabled once more.
    """
    locked = Announcement.objects.select_for_update().get(pk=announcement.pk)
    new_state = (not locked.is_enabled) if enabled is None else enabled
    if new_state != locked.is_enabled:
        locked.is_enabled = new_state
        locked.save(update_fields=["is_enabled"])
        record_event(
            locked.workspace,
            Verb.ANNOUNCEMENT_SAVED,
            actor=actor,
            target=locked,
            data={"enabled": new_state},
        )
    announcement.is_enabled = locked.is_enabled
    return announcement


@transaction.atomic
def do_delete_announcement(announcement: Announcement, *, actor: Any) -> None:
    """Delete an announcement and the record of who dismissed it."""
    record_event(
        announcement.workspace,
        Verb.COURSE_CONTENT_DELETED,
        actor=actor,
        target=announcement,
        data={"kind": "announcement"},
    )
    announcement.delete()
