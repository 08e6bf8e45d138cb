"""The auditors' pages in the team portal: the sampled queue of coaches' replies, the form
for grading any reply, and the audits already done."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from ascend.lib.forms import apply_validation_error
from ascend.messaging.access import visible_conversations
from ascend.messaging.links import conversation_url
from ascend.messaging.models import Message
from ascend.tenancy.access import capability_required
from ascend.tenancy.capabilities import Cap
from ascend.tenancy.models import Membership

from . import queries
from .actions import do_audit_message
from .forms import AuditForm, CoachFilterForm
from .models import Audit

QUEUE_PAGE_SIZE = 25
DONE_SHOWN = 20


def access_reply(member: Membership, message_id: int) -> Message:
    """A coach's reply in a conversation the auditor may read, with what its row shows, or 404."""
    message = (
        queries.coach_replies(member.workspace)
        .filter(pk=message_id, conversation__in=visible_conversations(member))
        .select_related(
            "author__user",
            "conversation__client__user",
            "conversation__cohort",
            "audit__auditor__user",
        )
        .first()
    )
    if message is None:
        raise Http404
    return message


@dataclass
class QueueRow:
    """A reply on the auditor's page: its form, or the audit just saved."""

    message: Message
    form: AuditForm
    link: str
    audit: Audit | None = None


def _link(member: Membership, message: Message) -> str:
    return conversation_url(member, message.conversation_id) + f"#message-{message.pk}"


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@capability_required(Cap.MESSAGES_AUDIT)
def audit_queue(request: HttpRequest) -> HttpResponse:
    auditor = request.membership  # type: ignore[attr-defined]
    coaches = list(queries.workspace_coaches(auditor.workspace))
    filters = CoachFilterForm(request.GET, coaches=coaches)
    chosen = filters.cleaned_data.get("coach") if filters.is_valid() else None
    coach_id = int(chosen) if chosen else None
    queue = queries.audit_queue(auditor, coach_id=coach_id)
    page = Paginator(queue, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    mine = request.GET.get("done") != "all"
    done = list(queries.recent_audits(auditor, mine=mine)[:DONE_SHOWN])
    for audit in done:
        audit.link = _link(auditor, audit.message)  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "quality/audit_queue.html",
        {
            "filters": filters,
            "page_obj": page,
            "rows": [QueueRow(m, AuditForm(message_id=m.pk), _link(auditor, m)) for m in page],
            "done": done,
            "done_mine": mine,
            "sample_rate": auditor.workspace.audit_sample_per_week,
            "querystring_without_page": query.urlencode() + "&" if query else "",
        },
    )


@capability_required(Cap.MESSAGES_AUDIT)
def audit_message(request: HttpRequest, message_id: int) -> HttpResponse:
    """Any coach's reply with the form to grade it (GET), and grading it (POST).

    htmx gets the reply's row back: "Audited: <grade>", or the form with its mistakes
    (a mistake inside a 200, since htmx swaps 2xx answers only).
    """
    auditor = request.membership  # type: ignore[attr-defined]
    message = access_reply(auditor, message_id)
    audit: Audit | None = getattr(message, "audit", None)
    form = AuditForm(request.POST or None, message_id=message.pk)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                audit = do_audit_message(message, auditor=auditor, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                if not request.htmx:  # type: ignore[attr-defined]
                    messages.success(
                        request,
                        _("Reply audited: %(grade)s. %(coach)s has been told.")
                        % {"grade": audit.get_grade_display(), "coach": message.author.user},
                    )
                    detail = reverse("quality:audit_message", args=[message.pk])
                    return redirect(safe_next(request, detail))
        status = 200 if request.htmx else 422  # type: ignore[attr-defined]
    row = QueueRow(message, form, _link(auditor, message), audit)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "quality/_queue_row.html", {"row": row})
    return render(request, "quality/audit_message.html", {"row": row}, status=status)
