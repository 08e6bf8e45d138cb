"""Comment moderation in the team portal: /team/comments/ (``Cap.COURSES_COMMENTS``).

The list shows one state at a time (in review by default), filtered by product or
lesson, newest first; boxes and one POST approve, reject or mark many as spam, and
each row has its own buttons (htmx swaps the row). A comment's page shows its
thread and takes a staff reply. Every write goes through ``actions_comments``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from django.views.decorators.http import require_POST

from ascend.lib.forms import apply_validation_error
from ascend.lib.markup import render_markdown
from ascend.tenancy.access import capability_required
from ascend.tenancy.capabilities import Cap, can

from . import queries_comments as cq
from .actions_comments import REPLY_MAX_LENGTH, do_moderate_comments, do_reply_to_comment
from .models import Comment, CommentState, Lesson, Product

PAGE_SIZE = 25

DONE_MESSAGES = {
    CommentState.APPROVED: lambda n: ngettext(
        "%(n)s comment approved.", "%(n)s comments approved.", n
    ),
    CommentState.REJECTED: lambda n: ngettext(
        "%(n)s comment rejected.", "%(n)s comments rejected.", n
    ),
    CommentState.SPAM: lambda n: ngettext(
        "%(n)s comment marked as spam.", "%(n)s comments marked as spam.", n
    ),
}


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your reply"),
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Published at once, under the learner's comment. Markdown works."),
    )


def _int_or_none(value: str | None) -> int | None:
    if value and value.isdigit() and len(value) < 10:
        return int(value)
    return None


def _chosen(request: HttpRequest) -> cq.CommentFilter:
    state = request.GET.get("state") or CommentState.IN_REVIEW.value
    if state not in cq.STATE_FILTERS:
        state = CommentState.IN_REVIEW.value
    return cq.CommentFilter(
        state=state,
        product_id=_int_or_none(request.GET.get("product")),
        lesson_id=_int_or_none(request.GET.get("lesson")),
    )


def _query(chosen: cq.CommentFilter, **changes: Any) -> str:
    values = {
        "state": chosen.state,
        "product": chosen.product_id,
        "lesson": chosen.lesson_id,
        **changes,
    }
    return "&".join(f"{k}={v}" for k, v in values.items() if v not in (None, ""))


def _with_html(comments: Any) -> None:
    """Each comment's text as safe HTML (markdown rendered, then cleaned by nh3)."""
    for comment in comments:
        comment.body_html = render_markdown(comment.body)
        for reply in comment.replies.all():
            reply.body_html = render_markdown(reply.body)


def _state_tabs(chosen: cq.CommentFilter, counts: dict[str, int]) -> list[dict[str, Any]]:
    labels = {
        **{s.value: s.label for s in CommentState},
        cq.ALL: pgettext("comments in every state", "All"),
    }
    return [
        {
            "state": state,
            "label": labels[state],
            "count": counts[state],
            "query": _query(chosen, state=state),
            "current": state == chosen.state,
        }
        for state in cq.STATE_FILTERS
    ]


@capability_required(Cap.COURSES_COMMENTS)
def comment_list(request: HttpRequest) -> HttpResponse:
    """Comments to moderate, one state at a time, with counts per state in the tabs."""
    workspace = request.workspace  # type: ignore[attr-defined]
    chosen = _chosen(request)
    page = Paginator(cq.moderation_rows(workspace, chosen), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    _with_html(page.object_list)
    products = list(Product.objects.filter(workspace=workspace).only("id", "name"))
    lessons: list[Lesson] = []
    if chosen.product_id is not None:
        lessons = list(
            Lesson.objects.filter(workspace=workspace, module__course__product_id=chosen.product_id)
            .select_related("module__course")
            .order_by("module__course__position", "module__position", "position", "id")
        )
    chosen_lesson = None
    if chosen.lesson_id is not None:
        chosen_lesson = next((x for x in lessons if x.pk == chosen.lesson_id), None)
        if chosen_lesson is None:
            chosen_lesson = (
                Lesson.objects.filter(workspace=workspace, pk=chosen.lesson_id)
                .only("id", "title")
                .first()
            )
    counts = cq.state_counts(workspace, chosen)
    return render(
        request,
        "courses/comments/list.html",
        {
            "page_obj": page,
            "chosen": chosen,
            "tabs": _state_tabs(chosen, counts),
            "products": products,
            "lessons": lessons,
            "chosen_lesson": chosen_lesson,
            "filter_query": _query(chosen),
            "querystring_without_page": _query(chosen) + "&",
            "decisions": _decisions(),
            "filtering": chosen.product_id is not None or chosen.lesson_id is not None,
            "may_manage": can(request.membership, Cap.COURSES_MANAGE),  # type: ignore[attr-defined]
        },
    )


def _decisions() -> list[dict[str, str]]:
    return [
        {"state": CommentState.APPROVED.value, "label": _("Approve"), "style": "btn--primary"},
        {"state": CommentState.REJECTED.value, "label": _("Reject"), "style": ""},
        {"state": CommentState.SPAM.value, "label": _("Mark as spam"), "style": "btn--danger"},
    ]


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the list as it was filtered (only a path of this site is followed)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("comments:list")


@require_POST
@capability_required(Cap.COURSES_COMMENTS)
def comment_moderate(request: HttpRequest) -> HttpResponse:
    """The bulk action: the ticked comments approved, rejected or marked as spam at once."""
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit() and len(i) < 10]
    state = request.POST.get("state", "")
    if not ids:
        messages.warning(request, _("Tick the comments first."))
        return _back(request)
    try:
        count = do_moderate_comments(
            request.workspace,  # type: ignore[attr-defined]
            ids,
            state,
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, DONE_MESSAGES[CommentState(state)](count) % {"n": count})
    return _back(request)


@require_POST
@capability_required(Cap.COURSES_COMMENTS)
def comment_moderate_one(request: HttpRequest, comment_id: int) -> HttpResponse:
    """One row's button; htmx gets the row back in its new state, a plain POST the list."""
    member = request.membership  # type: ignore[attr-defined]
    comment = cq.access_comment(member, comment_id)
    state = request.POST.get("state", "")
    try:
        do_moderate_comments(comment.workspace, [comment.pk], state, actor=request.user)
    except ValidationError as error:
        if request.htmx:  # type: ignore[attr-defined]
            return HttpResponse(" ".join(error.messages), status=422)
        messages.error(request, " ".join(error.messages))
        return _back(request)
    if request.htmx:  # type: ignore[attr-defined]
        row = cq.moderation_rows(
            comment.workspace, cq.CommentFilter(state=cq.ALL, lesson_id=comment.lesson_id)
        ).get(pk=comment.pk)
        _with_html([row])
        return render(
            request,
            "courses/comments/_row.html",
            {
                "c": row,
                "decisions": _decisions(),
                "filter_query": request.POST.get("next", "").partition("?")[2],
                "may_manage": can(member, Cap.COURSES_MANAGE),
            },
        )
    messages.success(request, DONE_MESSAGES[CommentState(state)](1) % {"n": 1})
    return _back(request)


@capability_required(Cap.COURSES_COMMENTS)
def comment_detail(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A comment with its thread, its moderation buttons and the staff reply form."""
    member = request.membership  # type: ignore[attr-defined]
    comment = cq.access_comment(member, comment_id)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_reply_to_comment(
                comment, author=member, body=form.cleaned_data["body"], actor=request.user
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your reply is published."))
            return redirect("comments:detail", comment.pk)
    thread = comment.parent or comment
    replies = list(
        Comment.objects.filter(workspace=comment.workspace, parent=thread)
        .select_related("author__user")
        .order_by("created_at", "id")
    )
    for item in [thread, *replies]:
        item.body_html = render_markdown(item.body)  # type: ignore[attr-defined]
    return render(
        request,
        "courses/comments/detail.html",
        {
            "comment": comment,
            "thread": thread,
            "replies": replies,
            "form": form,
            "decisions": _decisions(),
            "back_query": _query(cq.CommentFilter(state=comment.state)),
            "here": reverse("comments:detail", args=[comment.pk]),
            "may_manage": can(member, Cap.COURSES_MANAGE),
        },
        status=422 if form.errors else 200,
    )
