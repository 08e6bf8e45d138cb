"""The coach portal's audit pages: the feedback on my replies, acknowledging it, and (for a
head coach) the audits of the coaches they lead."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascend.messaging.links import conversation_url
from ascend.tenancy.access import capability_required
from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership

from . import queries
from .actions import do_acknowledge_audit
from .models import Audit
from .views_team import safe_next

AUDITS_PAGE_SIZE = 25


def access_own_audit(coach: Membership, audit_id: int) -> Audit:
    """An audit of one of the coach's own replies, with what its partial shows, or 404."""
    audit = (
        Audit.objects.filter(workspace=coach.workspace, coach=coach, pk=audit_id)
        .select_related("message", "auditor__user")
        .first()
    )
    if audit is None:
        raise Http404
    return audit


@capability_required(Cap.PORTAL_COACH)
def my_audits(request: HttpRequest) -> HttpResponse:
    """Mine, the ones still to acknowledge first; a head coach's second tab shows the
    audits of the coaches they lead, read-only."""
    me = request.membership  # type: ignore[attr-defined]
    leads = can(me, Cap.INBOXES_OF_LED_COACHES)
    team = leads and request.GET.get("tab") == "team"
    audits = queries.audits_of_led_coaches(me) if team else queries.audits_received(me)
    page = Paginator(queries.unacknowledged_first(audits), AUDITS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for audit in page:
        audit.link = (  # type: ignore[attr-defined]
            conversation_url(me, audit.conversation_id) + f"#message-{audit.message_id}"
        )
    return render(
        request,
        "quality/my_audits.html",
        {
            "page_obj": page,
            "audits": list(page),
            "team": team,
            "leads": leads,
            "querystring_without_page": "tab=team&" if team else "",
        },
    )


@require_POST
@capability_required(Cap.PORTAL_COACH)
def acknowledge(request: HttpRequest, audit_id: int) -> HttpResponse:
    """The audited coach confirms they have read the feedback; htmx gets the partial back."""
    me = request.membership  # type: ignore[attr-defined]
    audit = access_own_audit(me, audit_id)
    do_acknowledge_audit(audit, coach=me)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "quality/_message_audit.html", {"message": audit.message})
    messages.success(request, _("Feedback acknowledged."))
    return redirect(safe_next(request, reverse("quality:coach_audits")))
