"""The operator's check-in pages: check a client in, tick a class roster, correct today's visits.

Owners, admins and operators (Cap.VISITS_RECORD); 404 while ranks are off.
Every write goes through ``actions``; evaluation runs when the visit commits,
so the confirmation can say when a client has just become eligible or been
promoted. The class name is remembered in the session for the next check-in.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from ascend.lib.forms import apply_validation_error
from ascend.tenancy.access import capability_required
from ascend.tenancy.capabilities import Cap
from ascend.tenancy.models import Membership
from ascend.tenancy.queries import members

from . import actions
from .models import PromotionKind, RankHolding, Visit
from .queries import categories
from .views_client import ranks_required

SEARCH_LIMIT = 20
SESSION_CLASS = "ranks.checkin_class"
LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


# Reads -------------------------------------------------------------------------------------


def clients_of(workspace: Any) -> QuerySet[Membership]:
    return members(workspace).filter(is_client=True)


def today_bounds() -> tuple[datetime, datetime]:
    """Start of today and of tomorrow in the viewer's time zone (the one times are shown in)."""
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def with_ranks_and_today(qs: QuerySet[Membership], workspace: Any) -> QuerySet[Membership]:
    """Clients with their current ranks and today's visits, in one query each for any number."""
    start, end = today_bounds()
    return qs.prefetch_related(
        Prefetch(
            "rank_holdings",
            queryset=RankHolding.objects.filter(
                ended_at__isnull=True, category__archived_at__isnull=True
            )
            .select_related("rank", "category")
            .order_by("category__name"),
            to_attr="current_ranks",
        ),
        Prefetch(
            "visits",
            queryset=Visit.objects.filter(
                occurred_at__gte=start, occurred_at__lt=end, cancelled_at__isnull=True
            ),
            to_attr="visits_today",
        ),
    )


def search_clients(workspace: Any, q: str) -> list[Membership]:
    q = q.strip()
    if not q:
        return []
    qs = clients_of(workspace).filter(Q(user__full_name__icontains=q) | Q(user__email__icontains=q))
    return list(with_ranks_and_today(qs, workspace)[: SEARCH_LIMIT + 1])


def todays_visits(workspace: Any) -> list[Visit]:
    start, end = today_bounds()
    return list(
        Visit.objects.filter(workspace=workspace, occurred_at__gte=start, occurred_at__lt=end)
        .select_related("client__user", "recorded_by", "corrected_by")
        .order_by("-occurred_at", "-id")
    )


def access_visit(member: Membership, visit_id: int) -> Visit:
    """A visit of the member's workspace, or 404 (missing and not-yours alike)."""
    visit = (
        Visit.objects.filter(workspace=member.workspace, pk=visit_id)
        .select_related("client__user", "recorded_by", "corrected_by")
        .first()
    )
    if visit is None:
        raise Http404
    return visit


def evaluation_news(client: Membership, since: datetime) -> list[str]:
    """What the evaluation after a visit just did for this client, as sentences."""
    news = []
    holdings = (
        RankHolding.objects.filter(client=client, ended_at__isnull=True)
        .filter(
            Q(kind=PromotionKind.AUTOMATIC, started_at__gte=since)
            | Q(eligibility__detected_at__gte=since)
        )
        .select_related("rank", "category", "eligibility__next_rank")
    )
    name = client.user.get_short_name()
    for holding in holdings:
        if holding.kind == PromotionKind.AUTOMATIC and holding.started_at >= since:
            news.append(
                _("%(name)s was promoted to %(rank)s (%(category)s).")
                % {"name": name, "rank": holding.rank, "category": holding.category}
            )
        else:
            news.append(
                _("%(name)s is now eligible for %(rank)s (%(category)s).")
                % {
                    "name": name,
                    "rank": holding.eligibility.next_rank,
                    "category": holding.category,
                }
            )
    return news


# Forms -------------------------------------------------------------------------------------


def not_in_future(value: datetime | None) -> None:
    if value is not None and value > timezone.now():
        raise ValidationError(_("A visit can't be in the future."), code="future_visit")


class WhenInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=LOCAL_MINUTE)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        # The browser refuses a future time too; the server checks again.
        attrs = {**(attrs or {}), "max": timezone.localtime().strftime(LOCAL_MINUTE)}
        return super().get_context(name, value, attrs)


class CheckInForm(forms.Form):
    client = forms.ModelChoiceField(
        queryset=Membership.objects.none(),
        error_messages={
            "required": gettext_lazy("Choose the client to check in."),
            "invalid_choice": gettext_lazy("Choose a client of this workspace."),
        },
    )
    class_name = forms.CharField(label=gettext_lazy("Class"), max_length=120, required=False)
    occurred_at = forms.DateTimeField(
        label=gettext_lazy("When"),
        required=False,
        widget=WhenInput(),
        validators=[not_in_future],
        help_text=gettext_lazy("Leave empty for now."),
    )

    def __init__(self, *args: Any, workspace: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients_of(workspace)  # type: ignore[attr-defined]


class RosterForm(forms.Form):
    clients = forms.ModelMultipleChoiceField(
        queryset=Membership.objects.none(),
        error_messages={
            "required": gettext_lazy("Tick at least one client."),
            "invalid_choice": gettext_lazy("Tick clients of this workspace only."),
            "invalid_pk_value": gettext_lazy("Tick clients of this workspace only."),
        },
    )
    class_name = forms.CharField(label=gettext_lazy("Class"), max_length=120, required=False)
    occurred_at = forms.DateTimeField(
        label=gettext_lazy("When"),
        widget=WhenInput(),
        validators=[not_in_future],
        error_messages={"required": gettext_lazy("Say when the class took place.")},
    )

    def __init__(self, *args: Any, workspace: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clients"].queryset = clients_of(workspace)  # type: ignore[attr-defined]


class CorrectVisitForm(forms.Form):
    occurred_at = forms.DateTimeField(
        label=gettext_lazy("New time"),
        required=False,
        widget=WhenInput(),
        validators=[not_in_future],
    )
    cancel = forms.BooleanField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=200,
        error_messages={"required": gettext_lazy("Say why the visit is corrected.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            not data.get("cancel")
            and not data.get("occurred_at")
            and "occurred_at" not in self.errors
        ):
            self.add_error("occurred_at", _("Choose the time the client really came."))
        return data


# Pages -------------------------------------------------------------------------------------


def checked_in_message(client: Membership, class_name: str) -> str:
    name = client.user.get_short_name()
    if class_name:
        return _("%(name)s checked in to %(class)s.") % {"name": name, "class": class_name}
    return _("%(name)s checked in.") % {"name": name}


def checkin_context(request: HttpRequest, form: CheckInForm, q: str) -> dict[str, Any]:
    results = search_clients(request.workspace, q)  # type: ignore[attr-defined]
    return {
        "form": form,
        "q": q,
        "results": results[:SEARCH_LIMIT],
        "more": len(results) > SEARCH_LIMIT,
        "visits": todays_visits(request.workspace),  # type: ignore[attr-defined]
        "rank_word": request.workspace.rank_word,  # type: ignore[attr-defined]
    }


@capability_required(Cap.VISITS_RECORD)
@ranks_required
def checkin(request: HttpRequest) -> HttpResponse:
    """Find a client and check them in; today's visits below, each one correctable."""
    workspace = request.workspace  # type: ignore[attr-defined]
    q = request.GET.get("q", "")
    initial = {
        "class_name": request.GET.get("class_name", request.session.get(SESSION_CLASS, "")),
        "occurred_at": request.GET.get("occurred_at") or None,
    }
    form = CheckInForm(initial=initial, workspace=workspace)
    return render(request, "ranks/checkin/checkin.html", checkin_context(request, form, q))


@capability_required(Cap.VISITS_RECORD)
@ranks_required
def checkin_search(request: HttpRequest) -> HttpResponse:
    """Live results for the search box (htmx): clients by name or email, with their ranks."""
    q = request.GET.get("q", "")
    results = search_clients(request.workspace, q)  # type: ignore[attr-defined]
    return render(
        request,
        "ranks/checkin/_results.html",
        {"q": q, "results": results[:SEARCH_LIMIT], "more": len(results) > SEARCH_LIMIT},
    )


@require_POST
@capability_required(Cap.VISITS_RECORD)
@ranks_required
def checkin_record(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    q = request.POST.get("q", "")
    if request.POST.get("find"):
        # Enter pressed in a field: search without recording, keeping what was typed.
        typed = {k: request.POST.get(k, "") for k in ("class_name", "occurred_at")}
        form = CheckInForm(initial=typed, workspace=workspace)
        return render(request, "ranks/checkin/checkin.html", checkin_context(request, form, q))
    form = CheckInForm(request.POST, workspace=workspace)
    if form.is_valid():
        client = form.cleaned_data["client"]
        class_name = form.cleaned_data["class_name"].strip()
        started = timezone.now()
        try:
            actions.do_record_visit(
                client,
                actor=request.user,
                occurred_at=form.cleaned_data["occurred_at"],
                class_name=class_name,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            request.session[SESSION_CLASS] = class_name
            messages.success(request, checked_in_message(client, class_name))
            for line in evaluation_news(client, started):
                messages.info(request, line)
            return redirect("ranks:checkin")
    return render(
        request, "ranks/checkin/checkin.html", checkin_context(request, form, q), status=422
    )


@capability_required(Cap.VISITS_RECORD)
@ranks_required
def roster(request: HttpRequest) -> HttpResponse:
    """Tick a class roster at once: every ticked client gets a visit, or none does."""
    workspace = request.workspace  # type: ignore[attr-defined]
    all_categories = list(categories(workspace))
    q = request.GET.get("q", "").strip()
    category_id = request.GET.get("category", "")
    listed = clients_of(workspace)
    if q:
        listed = listed.filter(Q(user__full_name__icontains=q) | Q(user__email__icontains=q))
    chosen = next((c for c in all_categories if str(c.pk) == category_id), None)
    if chosen is not None:
        listed = listed.filter(rank_holdings__category=chosen, rank_holdings__ended_at__isnull=True)
    if request.method == "POST":
        form = RosterForm(request.POST, workspace=workspace)
        if form.is_valid():
            class_name = form.cleaned_data["class_name"].strip()
            started = timezone.now()
            try:
                recorded = actions.do_record_roster(
                    list(form.cleaned_data["clients"]),
                    actor=request.user,
                    class_name=class_name,
                    occurred_at=form.cleaned_data["occurred_at"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                request.session[SESSION_CLASS] = class_name
                n = len(recorded)
                if class_name:
                    text = ngettext(
                        "%(n)d client checked in to %(class)s.",
                        "%(n)d clients checked in to %(class)s.",
                        n,
                    ) % {"n": n, "class": class_name}
                else:
                    text = ngettext("%(n)d client checked in.", "%(n)d clients checked in.", n) % {
                        "n": n
                    }
                messages.success(request, text)
                for client in form.cleaned_data["clients"]:
                    for line in evaluation_news(client, started):
                        messages.info(request, line)
                return redirect("ranks:checkin")
        ticked = {str(v) for v in request.POST.getlist("clients")}
    else:
        form = RosterForm(
            initial={
                "class_name": request.session.get(SESSION_CLASS, ""),
                "occurred_at": timezone.localtime().replace(second=0, microsecond=0),
            },
            workspace=workspace,
        )
        ticked = set()
    return render(
        request,
        "ranks/checkin/roster.html",
        {
            "form": form,
            "clients": with_ranks_and_today(listed.distinct(), workspace),
            "ticked": ticked,
            "q": q,
            "categories": all_categories,
            "chosen": chosen,
            "rank_word": workspace.rank_word,
        },
        status=422 if form.errors else 200,
    )


@capability_required(Cap.VISITS_RECORD)
@ranks_required
def correct_visit(request: HttpRequest, visit_id: int) -> HttpResponse:
    """Move a visit's time or cancel it, with a reason; who corrected it and when are kept."""
    visit = access_visit(request.membership, visit_id)  # type: ignore[attr-defined]
    cancelling = request.method == "POST" and request.POST.get("cancel-cancel") == "True"
    initial = {"occurred_at": timezone.localtime(visit.occurred_at).replace(second=0)}
    data = request.POST if request.method == "POST" else None
    move_form = CorrectVisitForm(None if cancelling else data, initial=initial, prefix="move")
    cancel_form = CorrectVisitForm(
        data if cancelling else None, initial={"cancel": True}, prefix="cancel"
    )
    form = cancel_form if cancelling else move_form
    if request.method == "POST" and form.is_valid():
        if visit.cancelled_at is not None:
            form.add_error(None, _("This visit is already cancelled."))
        else:
            try:
                actions.do_correct_visit(
                    visit,
                    actor=request.user,
                    occurred_at=None if cancelling else form.cleaned_data["occurred_at"],
                    cancel=cancelling,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                name = visit.client.user.get_short_name()
                if cancelling:
                    text = _("%(name)s's visit was cancelled.") % {"name": name}
                else:
                    text = _("%(name)s's visit was moved to %(when)s.") % {
                        "name": name,
                        "when": date_format(
                            timezone.localtime(visit.occurred_at), "SHORT_DATETIME_FORMAT"
                        ),
                    }
                messages.success(request, text)
                return redirect("ranks:checkin")
    return render(
        request,
        "ranks/checkin/correct.html",
        {"visit": visit, "move_form": move_form, "cancel_form": cancel_form},
        status=422 if form.errors else 200,
    )
