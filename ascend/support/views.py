"""Support request pages and the course team page.

- Learners (``Cap.COURSES_LEARN``): /me/support/ — their requests, a new one (from a
  lesson with ``?lesson=<id>``), a thread to follow up and rate the answer.
- Support staff (``Cap.COURSES_SUPPORT``): /team/support/ — the queue (open first),
  a thread to answer, close or reopen.
- Course team (``Cap.COURSES_TEAM``): /team/support/team/ — each member's service
  figures, their history, and a button that re-sends their access.

Every write goes through ``ascend.support.actions``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascend.courses.models import Lesson
from ascend.lib.forms import apply_validation_error
from ascend.lib.markup import render_markdown
from ascend.tenancy.access import capability_required
from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership

from . import actions, queries
from .forms import AnswerForm, AskForm, MessageForm, QueueFilterForm, RatingForm
from .models import SupportRequest

PAGE_SIZE = 25
HISTORY_PAGE_SIZE = 25


def _member(request: HttpRequest) -> Membership:
    return request.membership  # type: ignore[attr-defined,no-any-return]


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode() + "&" if query else ""


def _reverse_or_none(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # the page is not there (yet): show the title without a link
        return None


def staff_lesson_url(member: Membership, lesson: Lesson | None) -> str | None:
    """Where staff open a lesson: its content page for those who manage courses, else the
    lesson's comments for moderators; None for anyone else."""
    if lesson is None:
        return None
    if can(member, Cap.COURSES_MANAGE):
        return _reverse_or_none("courses:lesson_edit", lesson.pk)
    if can(member, Cap.COURSES_COMMENTS):
        return f"{reverse('comments:list')}?state=all&lesson={lesson.pk}"
    return None


def _with_html(thread: list[Any]) -> list[Any]:
    for message in thread:
        message.body_html = render_markdown(message.body)
    return thread


# Learners ---------------------------------------------------------------------------


@capability_required(Cap.COURSES_LEARN)
def learner_list(request: HttpRequest) -> HttpResponse:
    """The learner's requests with their status, latest activity first."""
    page = Paginator(queries.learner_requests(_member(request)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "support/learner_list.html",
        {"page_obj": page, "querystring_without_page": ""},
    )


@capability_required(Cap.COURSES_LEARN)
def learner_new(request: HttpRequest) -> HttpResponse:
    """Ask the team; ``?lesson=<id>`` (a lesson of a product the learner holds) prefills it."""
    learner = _member(request)
    lessons = queries.learner_lessons(learner)
    initial: dict[str, Any] = {}
    asked_lesson = request.GET.get("lesson", "")
    if asked_lesson:
        if not (asked_lesson.isdigit() and len(asked_lesson) < 10):
            raise Http404
        lesson = lessons.filter(pk=int(asked_lesson)).first()
        if lesson is None:
            raise Http404
        initial["lesson"] = lesson
    form = AskForm(request.POST or None, initial=initial, lessons=lessons)
    if request.method == "POST" and form.is_valid():
        try:
            asked = actions.do_ask_for_support(
                learner,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                lesson=form.cleaned_data["lesson"],
                actor=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your question was sent. We'll email you the answer."))
            return redirect("support:learner_thread", asked.pk)
    return render(
        request,
        "support/learner_new.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


def _learner_thread_page(
    request: HttpRequest,
    asked: SupportRequest,
    *,
    reply_form: MessageForm | None = None,
    rating_form: RatingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    lesson_url = _reverse_or_none("learn:lesson", asked.lesson_id) if asked.lesson_id else None
    return render(
        request,
        "support/learner_thread.html",
        {
            "asked": asked,
            "thread": _with_html(queries.thread(asked)),
            "lesson_url": lesson_url,
            "reply_form": reply_form or MessageForm(),
            "rating_form": rating_form or RatingForm(initial={"rating": asked.rating}),
            "may_rate": asked.first_answered_at is not None,
            "stars": range(1, 6),
        },
        status=status,
    )


@capability_required(Cap.COURSES_LEARN)
def learner_thread(request: HttpRequest, request_id: int) -> HttpResponse:
    """The learner's request: the messages, a reply form, and the rating once answered."""
    learner = _member(request)
    asked = queries.access_learner_request(learner, request_id)
    if request.method != "POST":
        return _learner_thread_page(request, asked)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            actions.do_learner_reply(
                asked, learner=learner, body=form.cleaned_data["body"], actor=request.user
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your message was sent."))
            return redirect("support:learner_thread", asked.pk)
    return _learner_thread_page(request, asked, reply_form=form, status=422)


@require_POST
@capability_required(Cap.COURSES_LEARN)
def learner_rate(request: HttpRequest, request_id: int) -> HttpResponse:
    """Rate the answer 1–5 stars (again to change it)."""
    learner = _member(request)
    asked = queries.access_learner_request(learner, request_id)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            actions.do_rate_support(
                asked, learner=learner, rating=form.cleaned_data["rating"], actor=request.user
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Thank you for rating the answer."))
            return redirect("support:learner_thread", asked.pk)
    return _learner_thread_page(request, asked, rating_form=form, status=422)


# Support staff ----------------------------------------------------------------------


@capability_required(Cap.COURSES_SUPPORT)
def queue(request: HttpRequest) -> HttpResponse:
    """Every request of the workspace: open ones first (longest waiting on top)."""
    workspace = request.workspace  # type: ignore[attr-defined]
    answerers = list(queries.answerers(workspace))
    filters = QueueFilterForm(request.GET or None, answerers=answerers)
    chosen = queries.QueueFilter()
    if filters.is_valid():
        data = filters.cleaned_data
        chosen = queries.QueueFilter(
            status=data["status"] or queries.ALL,
            answered_by=data["answered_by"] or "",
            q=data["q"].strip(),
        )
    page = Paginator(queries.queue(workspace, chosen), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "support/queue.html",
        {
            "page_obj": page,
            "filters": filters,
            "counts": queries.status_counts(workspace),
            "filtering": chosen != queries.QueueFilter(),
            "querystring_without_page": _query_without_page(request),
        },
    )


def _staff_thread_page(
    request: HttpRequest,
    asked: SupportRequest,
    form: AnswerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    member = _member(request)
    return render(
        request,
        "support/thread.html",
        {
            "asked": asked,
            "thread": _with_html(queries.thread(asked)),
            "lesson_url": staff_lesson_url(member, asked.lesson),
            "form": form or AnswerForm(),
            "may_see_team": can(member, Cap.COURSES_TEAM),
        },
        status=status,
    )


@capability_required(Cap.COURSES_SUPPORT)
def thread(request: HttpRequest, request_id: int) -> HttpResponse:
    """A request for staff: the learner, the lesson, the messages and the answer form."""
    member = _member(request)
    asked = queries.access_staff_request(member, request_id)
    if request.method != "POST":
        return _staff_thread_page(request, asked)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            actions.do_answer_support(
                asked,
                staff=member,
                body=form.cleaned_data["body"],
                actor=request.user,
                http_request=request,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your answer was sent; the learner is emailed."))
            return redirect("support:thread", asked.pk)
    return _staff_thread_page(request, asked, form, status=422)


@require_POST
@capability_required(Cap.COURSES_SUPPORT)
def close(request: HttpRequest, request_id: int) -> HttpResponse:
    member = _member(request)
    asked = queries.access_staff_request(member, request_id)
    actions.do_close_support(asked, staff=member, actor=request.user)
    messages.success(request, _("The request is closed."))
    return redirect("support:thread", asked.pk)


@require_POST
@capability_required(Cap.COURSES_SUPPORT)
def reopen(request: HttpRequest, request_id: int) -> HttpResponse:
    member = _member(request)
    asked = queries.access_staff_request(member, request_id)
    actions.do_close_support(asked, staff=member, actor=request.user, reopen=True)
    messages.success(request, _("The request is open again."))
    return redirect("support:thread", asked.pk)


# The course team --------------------------------------------------------------------


@capability_required(Cap.COURSES_TEAM)
def course_team(request: HttpRequest) -> HttpResponse:
    """The course team with each member's service figures (one query for all of them)."""
    team = list(queries.course_team_with_figures(request.workspace))  # type: ignore[attr-defined]
    return render(request, "support/course_team.html", {"team": team})


@capability_required(Cap.COURSES_TEAM)
def member_history(request: HttpRequest, membership_id: int) -> HttpResponse:
    """A team member's service history: requests they answered, comments they moderated."""
    member = queries.access_team_member(_member(request), membership_id)
    tab = "comments" if request.GET.get("tab") == "comments" else "support"
    rows = (
        queries.comments_moderated_by(member)
        if tab == "comments"
        else queries.requests_answered_by(member)
    )
    page = Paginator(rows, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    if tab == "comments":
        for c in page.object_list:
            c.body_html = render_markdown(c.body)
    figures = queries.course_team_with_figures(member.workspace).get(pk=member.pk)
    return render(
        request,
        "support/member_history.html",
        {
            "member": figures,
            "tab": tab,
            "page_obj": page,
            "querystring_without_page": f"tab={tab}&",
        },
    )


@require_POST
@capability_required(Cap.COURSES_TEAM)
def resend_access(request: HttpRequest, membership_id: int) -> HttpResponse:
    """Email the member a link that sets their password, to get back in."""
    member = queries.access_team_member(_member(request), membership_id)
    try:
        actions.do_resend_team_access(member, actor=request.user, http_request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s was emailed a link to set a password and sign in.") % {"name": member.user},
        )
    if request.POST.get("next") == "history":
        return redirect("support:member_history", member.pk)
    return redirect("support:course_team")
