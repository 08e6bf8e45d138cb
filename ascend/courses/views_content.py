"""Team portal: course content (products → courses → modules → lessons, lesson files) and
announcements, for owners and admins (``Cap.COURSES_MANAGE``).

Thin views: capability → ``queries.access_*`` → form → ``actions_content`` → render. Every
delete first shows a page saying what goes with it, then deletes on POST.
"""

from __future__ import annotations

import mimetypes
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from ascend.lib.forms import apply_validation_error
from ascend.lib.markup import render_markdown
from ascend.lib.urls import workspace_url
from ascend.tenancy.access import capability_required, member_required
from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership, Workspace

from . import actions_content as actions
from . import queries, rules
from .forms_content import (
    AnnouncementForm,
    CourseForm,
    LessonFilesForm,
    LessonForm,
    ModuleForm,
    ProductForm,
)
from .models import (
    Announcement,
    AnnouncementDismissal,
    Comment,
    Course,
    LearnerAccess,
    Lesson,
    LessonFile,
    LessonProgress,
    LessonRating,
    Module,
    Product,
)

MANAGE = Cap.COURSES_MANAGE
# Staff who may read content (as in the API): who manages it, moderates comments, follows progress.
CONTENT_READERS = (Cap.COURSES_MANAGE, Cap.COURSES_COMMENTS, Cap.COURSES_PROGRESS)


def _member(request: HttpRequest) -> Membership:
    return request.membership  # type: ignore[attr-defined,no-any-return]


def _workspace(request: HttpRequest) -> Workspace:
    return request.workspace  # type: ignore[attr-defined,no-any-return]


def count_of(qs: QuerySet, link: str) -> Coalesce:
    """How many rows of ``qs`` point at the outer row through ``link``, as one subquery."""
    counted = (
        qs.filter(**{link: OuterRef("pk")}).order_by().values(link).annotate(n=Count("pk"))
    ).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def open_accesses(now: Any = None) -> Q:
    """Access a learner holds now: not removed and not expired."""
    now = now or timezone.now()
    return Q(removed_at__isnull=True) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def product_rows(workspace: Workspace) -> QuerySet[Product]:
    """Every product with its courses, lessons and current learners counted, in one query."""
    return Product.objects.filter(workspace=workspace).annotate(
        courses_count=count_of(Course.objects.all(), "product"),
        lessons_count=count_of(Lesson.objects.all(), "module__course__product"),
        learners_count=count_of(LearnerAccess.objects.filter(open_accesses()), "product"),
    )


def _outline(product: Product) -> list[Course]:
    """The product's courses → modules → lessons (files counted), in three queries."""
    lessons = (
        Lesson.objects.defer("body").annotate(files_count=Count("files")).order_by("position", "id")
    )
    modules = Module.objects.order_by("position", "id").prefetch_related(
        Prefetch("lessons", queryset=lessons)
    )
    return list(
        Course.objects.filter(product=product)
        .order_by("position", "id")
        .prefetch_related(Prefetch("modules", queryset=modules))
    )


def _deleting(
    request: HttpRequest,
    *,
    what: str,
    consequences: list[str],
    cancel: str,
    refusal: str = "",
) -> HttpResponse:
    return render(
        request,
        "courses/content/confirm_delete.html",
        {"what": what, "consequences": consequences, "cancel": cancel, "refusal": refusal},
        status=422 if refusal and request.method == "POST" else 200,
    )


def _outline_url(product_id: int, anchor: str = "") -> str:
    url = reverse("courses:product", args=[product_id])
    return f"{url}#{anchor}" if anchor else url


def _lesson_consequences(lessons: QuerySet[Lesson]) -> list[str]:
    """What leaves with these lessons, said in numbers (only what there is)."""
    ids = lessons.values("pk")
    files = LessonFile.objects.filter(lesson__in=ids).count()
    comments = Comment.objects.filter(lesson__in=ids).count()
    ratings = LessonRating.objects.filter(lesson__in=ids).count()
    progress = LessonProgress.objects.filter(lesson__in=ids).values("learner").distinct().count()
    said = []
    if files:
        said.append(ngettext("%(n)d file", "%(n)d files", files) % {"n": files})
    if comments:
        said.append(ngettext("%(n)d comment", "%(n)d comments", comments) % {"n": comments})
    if ratings:
        said.append(ngettext("%(n)d rating", "%(n)d ratings", ratings) % {"n": ratings})
    if progress:
        said.append(
            ngettext(
                "the progress of %(n)d learner on these lessons",
                "the progress of %(n)d learners on these lessons",
                progress,
            )
            % {"n": progress}
        )
    return said


# Products ---------------------------------------------------------------------------------


@capability_required(MANAGE)
@require_GET
def products(request: HttpRequest) -> HttpResponse:
    """Every product with its counts, price and whether it is on sale."""
    return render(
        request,
        "courses/content/product_list.html",
        {"products": list(product_rows(_workspace(request)))},
    )


def _product_values(form: ProductForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "description": data["description"],
        "price": data["price"],
        "currency": data["currency"],
        "access_days": data["access_days"],
        "is_active": data["is_active"],
    }


@capability_required(MANAGE)
def product_new(request: HttpRequest) -> HttpResponse:
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = actions.do_save_product(
                _workspace(request), actor=request.user, **_product_values(form)
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("“%(name)s” was created.") % {"name": made.name})
            return redirect("courses:product", made.pk)
    return render(
        request,
        "courses/content/product_form.html",
        {"form": form, "product": None},
        status=422 if form.errors else 200,
    )


@capability_required(MANAGE)
def product_edit(request: HttpRequest, product_id: int) -> HttpResponse:
    product = queries.access_product(_member(request), product_id)
    initial = {
        "name": product.name,
        "description": product.description,
        "price": product.price,
        "currency": product.currency,
        "access_days": product.access_days,
        "is_active": product.is_active,
    }
    form = ProductForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_product(
                _workspace(request), actor=request.user, product=product, **_product_values(form)
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("“%(name)s” was saved.") % {"name": product.name})
            return redirect("courses:product", product.pk)
    return render(
        request,
        "courses/content/product_form.html",
        {"form": form, "product": product},
        status=422 if form.errors else 200,
    )


@capability_required(MANAGE)
@require_GET
def product(request: HttpRequest, product_id: int) -> HttpResponse:
    """The product's outline: courses → modules → lessons, each with its actions."""
    found = queries.access_product(_member(request), product_id)
    learners = LearnerAccess.objects.filter(open_accesses(), product=found).count()
    buy_path = reverse("course_access:buy", args=[found.payment_token])
    return render(
        request,
        "courses/content/product_detail.html",
        {
            "product": found,
            "courses": _outline(found),
            "learners": learners,
            "payment_url": workspace_url(request.workspace, buy_path, request),  # type: ignore[attr-defined]
        },
    )


@capability_required(MANAGE)
def product_delete(request: HttpRequest, product_id: int) -> HttpResponse:
    product = queries.access_product(_member(request), product_id)
    refused = actions.product_deletion_refusal(product)
    refusal = " ".join(refused.messages) if refused is not None else ""
    if request.method == "POST" and not refusal:
        try:
            actions.do_delete_product(product, actor=request.user)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            messages.success(request, _("“%(name)s” was deleted.") % {"name": product.name})
            return redirect("courses:products")
    lessons = Lesson.objects.filter(module__course__product=product)
    courses = Course.objects.filter(product=product).count()
    consequences = []
    if courses:
        consequences.append(
            ngettext("%(n)d course", "%(n)d courses", courses) % {"n": courses}
            + ", "
            + ngettext("%(n)d lesson", "%(n)d lessons", lessons.count()) % {"n": lessons.count()}
        )
    consequences += _lesson_consequences(lessons)
    return _deleting(
        request,
        what=_("the product “%(name)s”") % {"name": product.name},
        consequences=consequences,
        cancel=_outline_url(product.pk),
        refusal=refusal,
    )


# Courses ----------------------------------------------------------------------------------


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    heading: str,
    cancel: str,
    submit: str,
    extra: dict[str, Any] | None = None,
    template: str = "courses/content/item_form.html",
) -> HttpResponse:
    return render(
        request,
        template,
        {"form": form, "heading": heading, "cancel": cancel, "submit": submit, **(extra or {})},
        status=422 if form.errors else 200,
    )


@capability_required(MANAGE)
def course_new(request: HttpRequest, product_id: int) -> HttpResponse:
    product = queries.access_product(_member(request), product_id)
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = actions.do_save_course(product, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("“%(title)s” was added.") % {"title": course.title})
            return redirect(_outline_url(product.pk, f"course-{course.pk}"))
    return _form_page(
        request,
        form,
        heading=_("Add a course to %(product)s") % {"product": product.name},
        cancel=_outline_url(product.pk),
        submit=_("Add the course"),
    )


@capability_required(MANAGE)
def course_edit(request: HttpRequest, course_id: int) -> HttpResponse:
    course = queries.access_course(_member(request), course_id)
    form = CourseForm(
        request.POST or None, initial={"title": course.title, "description": course.description}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_course(
                course.product, actor=request.user, course=course, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("“%(title)s” was saved.") % {"title": course.title})
            return redirect(_outline_url(course.product_id, f"course-{course.pk}"))
    return _form_page(
        request,
        form,
        heading=_("Edit the course %(title)s") % {"title": course.title},
        cancel=_outline_url(course.product_id),
        submit=_("Save the course"),
    )


def _up(request: HttpRequest) -> bool:
    return request.POST.get("direction") == "up"


@require_POST
@capability_required(MANAGE)
def course_move(request: HttpRequest, course_id: int) -> HttpResponse:
    course = queries.access_course(_member(request), course_id)
    actions.do_move_course(course, actor=request.user, up=_up(request))
    return redirect(_outline_url(course.product_id, f"course-{course.pk}"))


@capability_required(MANAGE)
def course_delete(request: HttpRequest, course_id: int) -> HttpResponse:
    course = queries.access_course(_member(request), course_id)
    if request.method == "POST":
        actions.do_delete_course(course, actor=request.user)
        messages.success(request, _("“%(title)s” was deleted.") % {"title": course.title})
        return redirect("courses:product", course.product_id)
    lessons = Lesson.objects.filter(module__course=course)
    modules = Module.objects.filter(course=course).count()
    consequences = []
    if modules:
        consequences.append(
            ngettext("%(n)d module", "%(n)d modules", modules) % {"n": modules}
            + ", "
            + ngettext("%(n)d lesson", "%(n)d lessons", lessons.count()) % {"n": lessons.count()}
        )
    return _deleting(
        request,
        what=_("the course “%(title)s”") % {"title": course.title},
        consequences=consequences + _lesson_consequences(lessons),
        cancel=_outline_url(course.product_id, f"course-{course.pk}"),
    )


# Modules ----------------------------------------------------------------------------------


@capability_required(MANAGE)
def module_new(request: HttpRequest, course_id: int) -> HttpResponse:
    course = queries.access_course(_member(request), course_id)
    form = ModuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            module = actions.do_save_module(course, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("“%(title)s” was added.") % {"title": module.title})
            return redirect(_outline_url(course.product_id, f"module-{module.pk}"))
    return _form_page(
        request,
        form,
        heading=_("Add a module to %(course)s") % {"course": course.title},
        cancel=_outline_url(course.product_id, f"course-{course.pk}"),
        submit=_("Add the module"),
    )


@capability_required(MANAGE)
def module_edit(request: HttpRequest, module_id: int) -> HttpResponse:
    module = queries.access_module(_member(request), module_id)
    form = ModuleForm(
        request.POST or None,
        initial={"title": module.title, "release_after_days": module.release_after_days},
    )
    product_id = module.course.product_id
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_module(
                module.course, actor=request.user, module=module, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("“%(title)s” was saved.") % {"title": module.title})
            return redirect(_outline_url(product_id, f"module-{module.pk}"))
    return _form_page(
        request,
        form,
        heading=_("Edit the module %(title)s") % {"title": module.title},
        cancel=_outline_url(product_id, f"module-{module.pk}"),
        submit=_("Save the module"),
    )


@require_POST
@capability_required(MANAGE)
def module_move(request: HttpRequest, module_id: int) -> HttpResponse:
    module = queries.access_module(_member(request), module_id)
    actions.do_move_module(module, actor=request.user, up=_up(request))
    return redirect(_outline_url(module.course.product_id, f"module-{module.pk}"))


@capability_required(MANAGE)
def module_delete(request: HttpRequest, module_id: int) -> HttpResponse:
    module = queries.access_module(_member(request), module_id)
    product_id = module.course.product_id
    if request.method == "POST":
        actions.do_delete_module(module, actor=request.user)
        messages.success(request, _("“%(title)s” was deleted.") % {"title": module.title})
        return redirect("courses:product", product_id)
    lessons = Lesson.objects.filter(module=module)
    count = lessons.count()
    consequences = (
        [ngettext("%(n)d lesson", "%(n)d lessons", count) % {"n": count}] if count else []
    )
    return _deleting(
        request,
        what=_("the module “%(title)s”") % {"title": module.title},
        consequences=consequences + _lesson_consequences(lessons),
        cancel=_outline_url(product_id, f"module-{module.pk}"),
    )


# Lessons ----------------------------------------------------------------------------------


def _lesson_values(form: LessonForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "video_url": data["video_url"],
        "body": data["body"],
        "release_after_days": data["release_after_days"],
        "comments_enabled": data["comments_enabled"],
    }


def _files_form(workspace: Workspace, *args: Any) -> LessonFilesForm:
    return LessonFilesForm(
        *args, max_mb=workspace.attachment_max_mb, types=workspace.attachment_types
    )


def _lesson_page(
    request: HttpRequest,
    form: LessonForm,
    *,
    module: Module,
    lesson: Lesson | None,
    preview: str | None = None,
    files_form: LessonFilesForm | None = None,
    status: int | None = None,
) -> HttpResponse:
    product_id = module.course.product_id
    if lesson is None:
        heading = _("Add a lesson to %(module)s") % {"module": module.title}
        cancel = _outline_url(product_id, f"module-{module.pk}")
    else:
        heading = _("Edit the lesson %(title)s") % {"title": lesson.title}
        cancel = _outline_url(product_id, f"lesson-{lesson.pk}")
    if preview is None and lesson is not None:
        preview = render_markdown(lesson.body)
    files = list(LessonFile.objects.filter(lesson=lesson)) if lesson is not None else []
    embed = rules.embed_url(lesson.video_url) if lesson is not None else None
    context = {
        "form": form,
        "module": module,
        "lesson": lesson,
        "heading": heading,
        "cancel": cancel,
        "preview": preview,
        "embed": embed,
        "files": files,
        "files_form": files_form or _files_form(_workspace(request)),
    }
    if status is None:
        status = 422 if form.errors or (files_form is not None and files_form.errors) else 200
    return render(request, "courses/content/lesson_form.html", context, status=status)


def _save_lesson(request: HttpRequest, module: Module, lesson: Lesson | None) -> HttpResponse:
    initial = {}
    if lesson is not None:
        initial = {
            "title": lesson.title,
            "video_url": lesson.video_url,
            "body": lesson.body,
            "release_after_days": lesson.release_after_days,
            "comments_enabled": lesson.comments_enabled,
        }
    form = LessonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            # Shown as it will be, nothing saved (the page works without JavaScript too).
            return _lesson_page(
                request,
                form,
                module=module,
                lesson=lesson,
                preview=render_markdown(form.cleaned_data["body"]),
            )
        try:
            saved = actions.do_save_lesson(
                module, actor=request.user, lesson=lesson, **_lesson_values(form)
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("“%(title)s” was saved.") % {"title": saved.title})
            if lesson is None:
                return redirect("courses:lesson_edit", saved.pk)
            return redirect(_outline_url(module.course.product_id, f"lesson-{saved.pk}"))
    return _lesson_page(request, form, module=module, lesson=lesson)


@capability_required(MANAGE)
def lesson_new(request: HttpRequest, module_id: int) -> HttpResponse:
    module = queries.access_module(_member(request), module_id)
    return _save_lesson(request, module, None)


@capability_required(MANAGE)
def lesson_edit(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = queries.access_lesson(_member(request), lesson_id)
    return _save_lesson(request, lesson.module, lesson)


@require_POST
@capability_required(MANAGE)
def markdown_preview(request: HttpRequest) -> HttpResponse:
    """The text as learners will see it, rendered and sanitised (an htmx fragment)."""
    return render(
        request,
        "courses/content/_preview.html",
        {"preview": render_markdown(request.POST.get("body", "")[: actions.MAX_LESSON_TEXT])},
    )


@require_POST
@capability_required(MANAGE)
def lesson_move(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = queries.access_lesson(_member(request), lesson_id)
    actions.do_move_lesson(lesson, actor=request.user, up=_up(request))
    return redirect(_outline_url(lesson.module.course.product_id, f"lesson-{lesson.pk}"))


@capability_required(MANAGE)
def lesson_delete(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = queries.access_lesson(_member(request), lesson_id)
    product_id = lesson.module.course.product_id
    if request.method == "POST":
        actions.do_delete_lesson(lesson, actor=request.user)
        messages.success(request, _("“%(title)s” was deleted.") % {"title": lesson.title})
        return redirect(_outline_url(product_id, f"module-{lesson.module_id}"))
    return _deleting(
        request,
        what=_("the lesson “%(title)s”") % {"title": lesson.title},
        consequences=_lesson_consequences(Lesson.objects.filter(pk=lesson.pk)),
        cancel=_outline_url(product_id, f"lesson-{lesson.pk}"),
    )


@require_POST
@capability_required(MANAGE)
def lesson_files(request: HttpRequest, lesson_id: int) -> HttpResponse:
    """Add files to a lesson; one refused file refuses them all, with the reason."""
    lesson = queries.access_lesson(_member(request), lesson_id)
    workspace = _workspace(request)
    files_form = _files_form(workspace, request.POST, request.FILES)
    if files_form.is_valid():
        try:
            added = actions.do_add_lesson_files(
                lesson, actor=request.user, files=files_form.cleaned_data["files"]
            )
        except ValidationError as error:
            apply_validation_error(files_form, error)
        else:
            messages.success(
                request,
                ngettext("%(n)d file was added.", "%(n)d files were added.", len(added))
                % {"n": len(added)},
            )
            return redirect(reverse("courses:lesson_edit", args=[lesson.pk]) + "#files")
    form = LessonForm(
        initial={
            "title": lesson.title,
            "video_url": lesson.video_url,
            "body": lesson.body,
            "release_after_days": lesson.release_after_days,
            "comments_enabled": lesson.comments_enabled,
        }
    )
    return _lesson_page(
        request, form, module=lesson.module, lesson=lesson, files_form=files_form, status=422
    )


def access_lesson_file(member: Membership, file_id: int) -> LessonFile:
    """A lesson file of the member's workspace, for staff who may read course content."""
    if not any(can(member, cap) for cap in CONTENT_READERS):
        raise Http404
    found = (
        LessonFile.objects.filter(workspace=member.workspace, pk=file_id)
        .select_related("lesson__module__course")
        .first()
    )
    if found is None:
        raise Http404
    return found


@require_POST
@capability_required(MANAGE)
def lesson_file_delete(request: HttpRequest, file_id: int) -> HttpResponse:
    found = access_lesson_file(_member(request), file_id)
    actions.do_delete_lesson_file(found, actor=request.user)
    messages.success(request, _("“%(name)s” was removed.") % {"name": found.name})
    return redirect(reverse("courses:lesson_edit", args=[found.lesson_id]) + "#files")


@member_required
@require_GET
def lesson_file(request: HttpRequest, file_id: int) -> HttpResponse:
    """A lesson's file as a download (never shown inline), for staff who may read content."""
    found = access_lesson_file(_member(request), file_id)
    content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=found.name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response  # type: ignore[return-value]  # a streaming response


# Announcements ----------------------------------------------------------------------------


@capability_required(MANAGE)
@require_GET
def announcements(request: HttpRequest) -> HttpResponse:
    """Announcements, newest first: state, who sees them, how many learners dismissed each."""
    rows = (
        Announcement.objects.filter(workspace=_workspace(request))
        .select_related("product")
        .annotate(dismissed=count_of(AnnouncementDismissal.objects.all(), "announcement"))
        .order_by("-created_at", "-id")
    )
    return render(request, "courses/content/announcement_list.html", {"announcements": list(rows)})


def access_announcement(member: Membership, announcement_id: int) -> Announcement:
    if not can(member, MANAGE):
        raise Http404
    found = (
        Announcement.objects.filter(workspace=member.workspace, pk=announcement_id)
        .select_related("product")
        .first()
    )
    if found is None:
        raise Http404
    return found


def _announcement_form(request: HttpRequest, announcement: Announcement | None) -> HttpResponse:
    workspace = _workspace(request)
    initial = {}
    if announcement is not None:
        initial = {
            "title": announcement.title,
            "body": announcement.body,
            "product": announcement.product_id,
        }
    form = AnnouncementForm(request.POST or None, initial=initial, workspace=workspace)
    preview = render_markdown(announcement.body) if announcement is not None else None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = render_markdown(form.cleaned_data["body"])
        else:
            try:
                saved = actions.do_save_announcement(
                    workspace,
                    actor=request.user,
                    announcement=announcement,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    product=form.cleaned_data["product"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                if announcement is None:
                    messages.success(
                        request,
                        _("“%(title)s” was saved. Learners see it once you enable it.")
                        % {"title": saved.title},
                    )
                else:
                    messages.success(request, _("“%(title)s” was saved.") % {"title": saved.title})
                return redirect("courses:announcements")
    return render(
        request,
        "courses/content/announcement_form.html",
        {"form": form, "announcement": announcement, "preview": preview},
        status=422 if form.errors else 200,
    )


@capability_required(MANAGE)
def announcement_new(request: HttpRequest) -> HttpResponse:
    return _announcement_form(request, None)


@capability_required(MANAGE)
def announcement_edit(request: HttpRequest, announcement_id: int) -> HttpResponse:
    return _announcement_form(request, access_announcement(_member(request), announcement_id))


@require_POST
@capability_required(MANAGE)
def announcement_toggle(request: HttpRequest, announcement_id: int) -> HttpResponse:
    found = access_announcement(_member(request), announcement_id)
    actions.do_toggle_announcement(found, actor=request.user)
    if found.is_enabled:
        messages.success(request, _("“%(title)s” is shown to learners.") % {"title": found.title})
    else:
        messages.success(
            request, _("“%(title)s” is no longer shown to learners.") % {"title": found.title}
        )
    return redirect(reverse("courses:announcements") + f"#announcement-{found.pk}")


@capability_required(MANAGE)
def announcement_delete(request: HttpRequest, announcement_id: int) -> HttpResponse:
    found = access_announcement(_member(request), announcement_id)
    if request.method == "POST":
        actions.do_delete_announcement(found, actor=request.user)
        messages.success(request, _("“%(title)s” was deleted.") % {"title": found.title})
        return redirect("courses:announcements")
    dismissed = found.dismissals.count()
    consequences = []
    if found.is_enabled:
        consequences.append(_("learners stop seeing it at once"))
    if dismissed:
        consequences.append(
            ngettext(
                "the record of %(n)d learner who dismissed it",
                "the record of %(n)d learners who dismissed it",
                dismissed,
            )
            % {"n": dismissed}
        )
    return _deleting(
        request,
        what=_("the announcement “%(title)s”") % {"title": found.title},
        consequences=consequences,
        cancel=reverse("courses:announcements"),
    )
