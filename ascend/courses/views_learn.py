"""The learner's pages under /me/courses/: my courses, a product's outline, a lesson
(video, text, files, completion, rating, comments), file downloads and announcements.

Only members who may learn (``Cap.COURSES_LEARN``) reach these pages; anyone else,
and anything not theirs, is a 404. An expired access or an unreleased lesson is found
but closed: the page says why and until when.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ascend.lib.forms import apply_validation_error
from ascend.lib.markup import render_markdown
from ascend.tenancy.access import member_required
from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership

from . import actions_learn, rules
from .forms_learn import CommentForm, RatingForm
from .models import Announcement, LessonFile, LessonProgress, LessonRating
from .progress import progress_of_accesses
from .queries import LearnerLesson, learner_accesses, learner_lesson, learner_product_access
from .queries import learner_time_zone as _time_zone
from .queries_learn import neighbours, outlines, shown_announcements, visible_comments

STARS = (1, 2, 3, 4, 5)


def learner_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in learners of this workspace only; any other member gets 404."""

    @member_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        member: Membership = request.membership  # type: ignore[attr-defined]
        if not can(member, Cap.COURSES_LEARN):
            raise Http404
        # The request already has the person; their time zone then costs no query.
        member.user = request.user  # type: ignore[assignment]
        return view(request, member, *args, **kwargs)

    return wrapper


def support_url(lesson_id: int | None = None) -> str:
    """Where a learner asks for help (the support pages), about a lesson if given."""
    base = reverse("support:learner_new")
    return f"{base}?lesson={lesson_id}" if lesson_id else base


def _expired(request: HttpRequest, access: Any) -> HttpResponse:
    return render(
        request,
        "courses/learn/expired.html",
        {"access": access, "product": access.product, "help_url": support_url()},
        status=403,
    )


def _not_released(request: HttpRequest, state: LearnerLesson) -> HttpResponse:
    return render(
        request,
        "courses/learn/not_released.html",
        {
            "state": state,
            "lesson": state.lesson,
            "product": state.lesson.module.course.product,
        },
        status=403,
    )


# My courses ------------------------------------------------------------------------------


@require_GET
@learner_page
def home(request: HttpRequest, member: Membership) -> HttpResponse:
    """Each product the learner holds with its progress, the lesson to continue with, and
    the announcements not yet dismissed. A fixed number of queries, however many."""
    now = timezone.now()
    accesses = learner_accesses(member)
    figures = progress_of_accesses(accesses)
    trees = outlines(accesses, _time_zone(member), now)
    cards = []
    for access in accesses:
        outline = trees.get(access.product_id)
        cards.append(
            {
                "access": access,
                "product": access.product,
                "progress": figures[access.pk],
                "is_open": access.is_open(now),
                "next": outline.next_lesson if outline else None,
            }
        )
    # Open products first, then the ones that ended; newest access first within each.
    cards.sort(key=lambda c: not c["is_open"])
    return render(
        request,
        "courses/learn/home.html",
        {"cards": cards, "announcements": _announcements(member)},
    )


def _announcements(member: Membership) -> list[Announcement]:
    shown = list(shown_announcements(member))
    for item in shown:
        item.body_html = render_markdown(item.body)  # type: ignore[attr-defined]
    return shown


@require_POST
@learner_page
def announcement_dismiss(
    request: HttpRequest, member: Membership, announcement_id: int
) -> HttpResponse:
    """Hide an announcement for this learner: the card goes away (htmx) or the page reloads."""
    announcement = Announcement.objects.filter(
        workspace_id=member.workspace_id, pk=announcement_id
    ).first()
    if announcement is None:
        raise Http404
    try:
        actions_learn.do_dismiss_announcement(announcement, actor=member)
    except ValidationError:
        raise Http404 from None
    if getattr(request, "htmx", False):
        return HttpResponse("")
    return redirect("learn:home")


# A product's outline ---------------------------------------------------------------------


@require_GET
@learner_page
def product(request: HttpRequest, member: Membership, product_id: int) -> HttpResponse:
    """The product's courses → modules → lessons, with ticks and opening days."""
    now = timezone.now()
    access = learner_product_access(member, product_id)
    if not access.is_open(now):
        return _expired(request, access)
    actions_learn.do_record_visit(access, now=now)
    outline = outlines([access], _time_zone(member), now).get(access.product_id)
    figures = progress_of_accesses([access])[access.pk]
    return render(
        request,
        "courses/learn/product.html",
        {
            "access": access,
            "product": access.product,
            "outline": outline,
            "progress": figures,
            "next": outline.next_lesson if outline else None,
            "help_url": support_url(),
        },
    )


# A lesson --------------------------------------------------------------------------------


def _open_lesson(request: HttpRequest, member: Membership, lesson_id: int) -> Any:
    """The lesson's state when open, else the page explaining why it is closed."""
    state = learner_lesson(member, lesson_id)
    if not state.access_open:
        return _expired(request, state.access)
    if state.release_on is not None:
        return _not_released(request, state)
    return state


def _lesson_context(
    request: HttpRequest,
    member: Membership,
    state: LearnerLesson,
    row: LessonProgress | None,
    *,
    now: datetime,
    comment_form: CommentForm | None = None,
    rating_error: str = "",
) -> dict[str, Any]:
    lesson = state.lesson
    before, after = neighbours(state, _time_zone(member), now)
    rating = LessonRating.objects.filter(lesson=lesson, learner=member).first()
    if lesson.comments_enabled and comment_form is None:
        comment_form = CommentForm()
    return {
        "state": state,
        "lesson": lesson,
        "module": lesson.module,
        "course": lesson.module.course,
        "product": lesson.module.course.product,
        "embed_url": rules.embed_url(lesson.video_url),
        "body_html": render_markdown(lesson.body),
        "files": list(lesson.files.all()),
        "row": row,
        "completed": bool(row and row.completed_at),
        "rating": rating,
        "stars": STARS,
        "rating_error": rating_error,
        "comments": visible_comments(lesson, member),
        "comment_form": comment_form if lesson.comments_enabled else None,
        "previous": before,
        "next": after,
        "help_url": support_url(lesson.pk),
    }


@require_GET
@learner_page
def lesson(request: HttpRequest, member: Membership, lesson_id: int) -> HttpResponse:
    """The lesson: video, text, files, completion, rating, comments, neighbours."""
    now = timezone.now()
    found = _open_lesson(request, member, lesson_id)
    if isinstance(found, HttpResponse):
        return found
    row = actions_learn.do_view_lesson(found, actor=member, now=now)
    return render(
        request, "courses/learn/lesson.html", _lesson_context(request, member, found, row, now=now)
    )


def _refused(request: HttpRequest, member: Membership, error: ValidationError, state: Any) -> Any:
    """A refusal because the lesson closed meanwhile shows the page that says why."""
    codes = {e.code for errors in getattr(error, "error_dict", {}).values() for e in errors}
    if "access_expired" in codes:
        return _expired(request, state.access)
    if "not_released" in codes:
        return _not_released(request, state)
    return None


@require_POST
@learner_page
def lesson_complete(request: HttpRequest, member: Membership, lesson_id: int) -> HttpResponse:
    """Mark the lesson complete (``done=1``) or not complete (``done=0``)."""
    found = _open_lesson(request, member, lesson_id)
    if isinstance(found, HttpResponse):
        return found
    done = request.POST.get("done", "1") not in ("0", "", "false", "off")
    try:
        if done:
            row = actions_learn.do_complete_lesson(found, actor=member)
        else:
            row = actions_learn.do_uncomplete_lesson(found, actor=member)
    except ValidationError as error:
        refused = _refused(request, member, error, found)
        if refused is not None:
            return refused
        raise
    if getattr(request, "htmx", False):
        return render(
            request,
            "courses/learn/_complete.html",
            {"lesson": found.lesson, "completed": bool(row and row.completed_at)},
        )
    messages.success(
        request,
        _("Lesson marked as complete.") if done else _("Lesson marked as not complete."),
    )
    return redirect("learn:lesson", lesson_id=found.lesson.pk)


@require_POST
@learner_page
def lesson_rate(request: HttpRequest, member: Membership, lesson_id: int) -> HttpResponse:
    """Rate the lesson 1–5 stars (again to change it); a 0 or a 6 is refused, nothing changed."""
    found = _open_lesson(request, member, lesson_id)
    if isinstance(found, HttpResponse):
        return found
    form = RatingForm(request.POST)
    error = ""
    rating = None
    if form.is_valid():
        try:
            rating = actions_learn.do_rate_lesson(
                found, actor=member, stars=form.cleaned_data["stars"]
            )
        except ValidationError as exc:
            refused = _refused(request, member, exc, found)
            if refused is not None:
                return refused
            error = " ".join(exc.messages)
    else:
        error = _("Give the lesson from 1 to 5 stars.")
    if getattr(request, "htmx", False):
        if rating is None:
            rating = LessonRating.objects.filter(lesson=found.lesson, learner=member).first()
        return render(
            request,
            "courses/learn/_rating.html",
            {"lesson": found.lesson, "rating": rating, "stars": STARS, "rating_error": error},
            status=422 if error else 200,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Thank you for rating this lesson."))
    return redirect("learn:lesson", lesson_id=found.lesson.pk)


@require_POST
@learner_page
def lesson_comment(request: HttpRequest, member: Membership, lesson_id: int) -> HttpResponse:
    """Post a comment: published at once or held for review, by the workspace's setting."""
    now = timezone.now()
    found = _open_lesson(request, member, lesson_id)
    if isinstance(found, HttpResponse):
        return found
    if not found.lesson.comments_enabled:
        return render(
            request,
            "courses/learn/comments_off.html",
            {"lesson": found.lesson},
            status=403,
        )
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = actions_learn.do_comment_on_lesson(
                found, actor=member, body=form.cleaned_data["body"], now=now
            )
        except ValidationError as error:
            refused = _refused(request, member, error, found)
            if refused is not None:
                return refused
            apply_validation_error(form, error)
        else:
            if comment.state == "approved":
                messages.success(request, _("Your comment is published."))
            else:
                messages.success(
                    request,
                    _("Thank you! Your comment will be shown to others once it is reviewed."),
                )
            return redirect(reverse("learn:lesson", args=[found.lesson.pk]) + "#comments")
    row = LessonProgress.objects.filter(learner=member, lesson=found.lesson).first()
    return render(
        request,
        "courses/learn/lesson.html",
        _lesson_context(request, member, found, row, now=now, comment_form=form),
        status=422,
    )


@require_GET
@learner_page
def lesson_file(request: HttpRequest, member: Membership, file_id: int) -> HttpResponse:
    """Download a lesson's file: only for the learner's open access to a released lesson."""
    found_file = (
        LessonFile.objects.filter(workspace_id=member.workspace_id, pk=file_id)
        .only("id", "lesson_id", "file", "name")
        .first()
    )
    if found_file is None:
        raise Http404
    found = _open_lesson(request, member, found_file.lesson_id)
    if isinstance(found, HttpResponse):
        return found
    try:
        handle = found_file.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=found_file.name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
