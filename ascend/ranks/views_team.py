"""Team portal pages for ranks (owners and admins): categories and their ladders, a client's
ranks, and the report. Every heading uses the workspace's own word for ranks."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from datetime import timedelta
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_scopes import scope

from ascend.lib.forms import apply_validation_error
from ascend.tenancy.access import capability_required, member_required
from ascend.tenancy.capabilities import Cap
from ascend.tenancy.models import Membership, Workspace
from ascend.tenancy.queries import members

from . import actions, queries, rules
from .forms import (
    AssignRankForm,
    CategoryForm,
    HoldingDateForm,
    NoteForm,
    RankForm,
    ReorderForm,
    ReportFilterForm,
)
from .models import HoldingDateChange, PromotionKind, Rank, RankCategory, RankHolding

PAGE_SIZE = 50
PROMOTIONS_SHOWN = 50
REPORT_DAYS = 30


def rank_words(workspace: Workspace) -> dict[str, str]:
    """The workspace's word for ranks ("Belts") and for one of them ("belt")."""
    return {"word": workspace.rank_word, "one": workspace.rank_word_one}


def criteria_text(rank: Rank) -> str:
    """A rank's criteria as people say them: "10 visits and 30 days", or "manual only"."""
    parts = []
    if rank.min_visits is not None:
        parts.append(
            ngettext("%(n)d visit", "%(n)d visits", rank.min_visits) % {"n": rank.min_visits}
        )
    if rank.min_days is not None:
        parts.append(ngettext("%(n)d day", "%(n)d days", rank.min_days) % {"n": rank.min_days})
    if not parts:
        return _("manual only")
    if len(parts) == 2:
        return _("%(visits)s and %(days)s") % {"visits": parts[0], "days": parts[1]}
    return parts[0]


def _status(form: Any) -> int:
    return 422 if form.errors else 200


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context = {**rank_words(request.workspace), **context}
    return render(request, template, context, status=status)


def ranks_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Owners and admins, in a workspace with ranks switched on (else the pages don't exist)."""
    gated = capability_required(Cap.RANKS_MANAGE)(view)

    @member_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.workspace.ranks_enabled:  # type: ignore[attr-defined]
            raise Http404
        return gated(request, *args, **kwargs)

    return wrapper


# One door to every object ------------------------------------------------------------------


def access_category(member: Membership, category_id: int) -> RankCategory:
    """A category of the member's workspace that is not archived, or 404."""
    category = RankCategory.objects.filter(
        workspace=member.workspace, archived_at__isnull=True, pk=category_id
    ).first()
    if category is None:
        raise Http404
    category.workspace = member.workspace  # already loaded with the request
    return category


def access_rank(category: RankCategory, rank_id: int) -> Rank:
    rank = Rank.objects.filter(category=category, pk=rank_id).select_related("category").first()
    if rank is None:
        raise Http404
    return rank


def access_ranked_client(member: Membership, membership_id: int) -> Membership:
    """An active client of the member's workspace, or 404."""
    client = members(member.workspace).filter(is_client=True, pk=membership_id).first()
    if client is None:
        raise Http404
    return client


def access_holding(member: Membership, holding_id: int) -> RankHolding:
    holding = (
        RankHolding.objects.filter(workspace=member.workspace, pk=holding_id)
        .select_related("client__user", "rank", "category", "workspace")
        .first()
    )
    if holding is None:
        raise Http404
    return holding


# Categories --------------------------------------------------------------------------------


@ranks_page
def category_list(request: HttpRequest) -> HttpResponse:
    open_holding = Q(holdings__ended_at__isnull=True)
    categories = queries.categories(request.workspace).annotate(
        holders=Count("holdings", filter=open_holding, distinct=True),
        eligible=Count("holdings__eligibility", filter=open_holding, distinct=True),
    )
    return _render(request, "ranks/team/category_list.html", {"categories": categories})


def _category_form_page(request: HttpRequest, category: RankCategory | None) -> HttpResponse:
    initial = (
        CategoryForm.initial_for(category)
        if category
        else {"notify_roles": ["owner", "admin"], "notify_client": True}
    )
    form = CategoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.do_save_category(
                request.workspace, actor=request.user, category=category, **form.cleaned_data
            )
        except ValidationError as error:
            if category is not None:
                category.refresh_from_db()
            apply_validation_error(form, error)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": saved.name})
            return redirect("ranks:team_category", saved.pk)
    return _render(
        request,
        "ranks/team/category_form.html",
        {"form": form, "category": category},
        status=_status(form),
    )


@ranks_page
def category_create(request: HttpRequest) -> HttpResponse:
    return _category_form_page(request, None)


@ranks_page
def category_edit(request: HttpRequest, category_id: int) -> HttpResponse:
    return _category_form_page(request, access_category(request.membership, category_id))


@require_POST
@ranks_page
def category_archive(request: HttpRequest, category_id: int) -> HttpResponse:
    category = access_category(request.membership, category_id)
    actions.do_archive_category(category, actor=request.user)
    messages.success(
        request,
        _("%(name)s was archived. The ranks clients held stay in their history.")
        % {"name": category.name},
    )
    return redirect("ranks:team_categories")


# A category's ladder (htmx fragments on the category page) ---------------------------------


def _ladder(category: RankCategory) -> list[Rank]:
    return list(
        Rank.objects.filter(category=category)
        .annotate(holders=Count("holdings", filter=Q(holdings__ended_at__isnull=True)))
        .order_by("position")
    )


def _with_criteria(ranks: list[Rank]) -> list[Rank]:
    for rank in ranks:
        rank.criteria = criteria_text(rank)  # type: ignore[attr-defined]
    return ranks


def _category_context(request: HttpRequest, category: RankCategory, **extra: Any) -> dict[str, Any]:
    words = rank_words(request.workspace)
    eligible = (
        queries.eligible_holdings(category)
        .prefetch_related(None)
        .select_related("eligibility__next_rank")
        .order_by("client__user__full_name", "client__user__email", "id")
    )
    context = {
        "category": category,
        "ranks": _with_criteria(_ladder(category)),
        "eligible": eligible,
        "rank_form": RankForm(prefix="rank", one_word=words["one"]),
    }
    context.update(extra)
    return context


@ranks_page
def category_detail(request: HttpRequest, category_id: int) -> HttpResponse:
    category = access_category(request.membership, category_id)
    return _render(request, "ranks/team/category_detail.html", _category_context(request, category))


def _ladder_response(
    request: HttpRequest, category: RankCategory, status: int = 200, **extra: Any
) -> HttpResponse:
    """The category page, or only its ladder for htmx (a mistake inside a 200: htmx swaps 2xx)."""
    context = _category_context(request, category, **extra)
    if request.htmx:  # type: ignore[attr-defined]
        return _render(request, "ranks/team/_ladder.html", context)
    return _render(request, "ranks/team/category_detail.html", context, status=status)


def _rank_view(request: HttpRequest, category_id: int, rank_id: int | None) -> HttpResponse:
    category = access_category(request.membership, category_id)
    rank = access_rank(category, rank_id) if rank_id else None
    one = rank_words(request.workspace)["one"]
    if request.method != "POST":
        if rank is None:
            return redirect("ranks:team_category", category.pk)
        form = RankForm(prefix=f"rank-{rank.pk}", initial=RankForm.initial_for(rank), one_word=one)
        return _ladder_response(request, category, editing=rank, edit_form=form)
    form = RankForm(request.POST, prefix=f"rank-{rank.pk}" if rank else "rank", one_word=one)
    if form.is_valid():
        try:
            actions.do_save_rank(category, actor=request.user, rank=rank, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
    if form.errors:
        extra = {"editing": rank, "edit_form": form} if rank else {"rank_form": form}
        return _ladder_response(request, category, status=422, **extra)
    if request.htmx:  # type: ignore[attr-defined]
        return _ladder_response(request, category)
    messages.success(request, _("Saved."))
    return redirect("ranks:team_category", category.pk)


@ranks_page
def rank_add(request: HttpRequest, category_id: int) -> HttpResponse:
    return _rank_view(request, category_id, None)


@ranks_page
def rank_edit(request: HttpRequest, category_id: int, rank_id: int) -> HttpResponse:
    return _rank_view(request, category_id, rank_id)


def _ladder_error(request: HttpRequest, category: RankCategory, error: ValidationError) -> Any:
    text = " ".join(error.messages)
    if request.htmx:  # type: ignore[attr-defined]
        return _ladder_response(request, category, ladder_error=text)
    messages.error(request, text)
    return redirect("ranks:team_category", category.pk)


def _ladder_done(request: HttpRequest, category: RankCategory, message: str) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        return _ladder_response(request, category)
    messages.success(request, message)
    return redirect("ranks:team_category", category.pk)


@require_POST
@ranks_page
def rank_move(request: HttpRequest, category_id: int, rank_id: int) -> HttpResponse:
    category = access_category(request.membership, category_id)
    rank = access_rank(category, rank_id)
    # The ladder is listed first rank first: "up" the list is one place earlier.
    step = -1 if request.POST.get("direction") == "up" else 1
    actions.do_move_rank(rank, step, actor=request.user)
    return _ladder_done(request, category, _("The order was saved."))


@require_POST
@ranks_page
def rank_reorder(request: HttpRequest, category_id: int) -> HttpResponse:
    """A whole new order at once (drag and drop, or an integration)."""
    category = access_category(request.membership, category_id)
    form = ReorderForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["order"])
        actions.do_reorder_ranks(category, form.cleaned_data["order"], actor=request.user)
    except ValidationError as error:
        if request.htmx:  # type: ignore[attr-defined]
            return _ladder_response(request, category, ladder_error=" ".join(error.messages))
        context = _category_context(request, category, ladder_error=" ".join(error.messages))
        return _render(request, "ranks/team/category_detail.html", context, status=422)
    return _ladder_done(request, category, _("The order was saved."))


@require_POST
@ranks_page
def rank_delete(request: HttpRequest, category_id: int, rank_id: int) -> HttpResponse:
    category = access_category(request.membership, category_id)
    rank = access_rank(category, rank_id)
    try:
        actions.do_delete_rank(rank, actor=request.user)
    except ValidationError as error:
        return _ladder_error(request, category, error)
    return _ladder_done(request, category, _("%(name)s was removed.") % {"name": rank.name})


@require_POST
@ranks_page
def mass_promote(request: HttpRequest, category_id: int) -> HttpResponse:
    category = access_category(request.membership, category_id)
    try:
        promoted = actions.do_mass_promote(category, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("ranks:team_category", category.pk)
    if promoted:
        messages.success(
            request,
            ngettext(
                "%(n)d client was promoted and told.",
                "%(n)d clients were promoted, each told.",
                len(promoted),
            )
            % {"n": len(promoted)},
        )
    else:
        messages.info(request, _("Nobody is eligible right now: nothing changed."))
    return redirect("ranks:team_category", category.pk)


# A client's ranks --------------------------------------------------------------------------

ACTIONS = ("assign", "promote", "demote")


def _section_forms(category: RankCategory, ranks: list[Rank], one: str) -> dict[str, Any]:
    prefix = f"c{category.pk}"
    return {
        "assign": AssignRankForm(ranks=ranks, one_word=one, prefix=f"{prefix}-assign"),
        "promote": NoteForm(prefix=f"{prefix}-promote"),
        "demote": NoteForm(prefix=f"{prefix}-demote"),
    }


def _profile_context(
    request: HttpRequest,
    client: Membership,
    *,
    failed: tuple[int, str, Any] | None = None,
) -> dict[str, Any]:
    workspace = request.workspace  # type: ignore[attr-defined]
    one = rank_words(workspace)["one"]
    today = actions.workspace_today(workspace)
    current = {
        h.category_id: h
        for h in queries.current_holdings(workspace)
        .filter(client=client)
        .prefetch_related(None)
        .select_related("eligibility__next_rank", "by")
    }
    sections = []
    for category in queries.categories(workspace):
        ladder = list(category.ranks.all())
        holding = current.get(category.pk)
        following = previous = None
        progress: dict[str, tuple[int, int]] = {}
        if holding is not None and holding.rank in ladder:
            following = rules.next_in_ladder(ladder, holding.rank)
            previous = rules.previous_in_ladder(ladder, holding.rank)
            if following is not None:
                progress = rules.progress_towards(
                    rules.Criteria(holding.rank.min_visits, holding.rank.min_days),
                    visits=holding.visits,  # type: ignore[attr-defined]
                    days=rules.days_in_rank(holding.started_on, today),
                )
        forms = _section_forms(category, ladder, one)
        if failed and failed[0] == category.pk:
            forms[failed[1]] = failed[2]
        eligibility = getattr(holding, "eligibility", None) if holding else None
        sections.append(
            {
                "category": category,
                "ranks": ladder,
                "holding": holding,
                "next": following,
                "previous": previous,
                "eligibility": eligibility,
                "visits": progress.get("visits"),
                "days": progress.get("days"),
                "criteria": criteria_text(holding.rank) if holding else "",
                "forms": forms,
                "failed": failed[1] if failed and failed[0] == category.pk else "",
            }
        )
    history = (
        queries.holdings_of(client)
        .select_related("client__user")
        .prefetch_related(
            Prefetch(
                "date_changes",
                queryset=HoldingDateChange.objects.select_related("changed_by").order_by(
                    "-changed_at"
                ),
            )
        )
        .order_by("category__name", "-started_at", "-id")
    )
    return {"client": client, "sections": sections, "history": history}


@ranks_page
def client_profile(request: HttpRequest, membership_id: int) -> HttpResponse:
    client = access_ranked_client(request.membership, membership_id)
    return _render(request, "ranks/team/client_profile.html", _profile_context(request, client))


def _client_action(
    request: HttpRequest, membership_id: int, category_id: int, what: str
) -> HttpResponse:
    client = access_ranked_client(request.membership, membership_id)
    category = access_category(request.membership, category_id)
    one = rank_words(request.workspace)["one"]
    prefix = f"c{category.pk}-{what}"
    form: Any
    if what == "assign":
        form = AssignRankForm(
            request.POST, ranks=Rank.objects.filter(category=category), one_word=one, prefix=prefix
        )
    else:
        form = NoteForm(request.POST, prefix=prefix)
    if form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if what == "assign":
                holding = actions.do_assign_rank(
                    client, form.cleaned_data["rank"], actor=request.user, note=note
                )
                done = _("%(name)s now holds %(rank)s.")
            elif what == "promote":
                holding = actions.do_promote(client, category, actor=request.user, note=note)
                done = _("%(name)s was promoted to %(rank)s and told.")
            else:
                holding = actions.do_demote(client, category, actor=request.user, note=note)
                done = _("%(name)s was moved back to %(rank)s.")
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, done % {"name": client.user, "rank": holding.rank.name})
            return redirect("ranks:client_profile", client.pk)
    context = _profile_context(request, client, failed=(category.pk, what, form))
    return _render(request, "ranks/team/client_profile.html", context, status=422)


@require_POST
@ranks_page
def client_assign(request: HttpRequest, membership_id: int, category_id: int) -> HttpResponse:
    return _client_action(request, membership_id, category_id, "assign")


@require_POST
@ranks_page
def client_promote(request: HttpRequest, membership_id: int, category_id: int) -> HttpResponse:
    return _client_action(request, membership_id, category_id, "promote")


@require_POST
@ranks_page
def client_demote(request: HttpRequest, membership_id: int, category_id: int) -> HttpResponse:
    return _client_action(request, membership_id, category_id, "demote")


@ranks_page
def holding_date(request: HttpRequest, holding_id: int) -> HttpResponse:
    holding = access_holding(request.membership, holding_id)
    form = HoldingDateForm(request.POST or None, initial={"started_on": holding.started_on})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_change_holding_date(
                holding,
                form.cleaned_data["started_on"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            holding.refresh_from_db()
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The date was changed; the change is kept."))
            return redirect("ranks:client_profile", holding.client_id)
    changes = holding.date_changes.select_related("changed_by").order_by("-changed_at")
    return _render(
        request,
        "ranks/team/holding_date.html",
        {"holding": holding, "form": form, "changes": changes},
        status=_status(form),
    )


# Report ------------------------------------------------------------------------------------


def _report_filters(request: HttpRequest) -> dict[str, Any]:
    workspace = request.workspace  # type: ignore[attr-defined]
    categories = list(queries.categories(workspace))
    data = request.GET.copy()
    if "since" not in data:
        start = actions.workspace_today(workspace) - timedelta(days=REPORT_DAYS)
        data["since"] = start.isoformat()
    form = ReportFilterForm(data, categories=categories, one_word=rank_words(workspace)["one"])
    chosen: dict[str, Any] = {"category": None, "rank": None, "since": None, "until": None}
    if form.is_valid():
        chosen.update({k: form.cleaned_data.get(k) for k in chosen})
    shown = [c for c in categories if chosen["category"] in (None, c)]
    return {"form": form, "categories": categories, "shown": shown, **chosen}


def _holders(workspace: Workspace, f: dict[str, Any]) -> QuerySet[RankHolding]:
    qs = (
        queries.current_holdings(workspace)
        .prefetch_related(None)
        .select_related("eligibility__next_rank")
    )
    if f["category"]:
        qs = qs.filter(category=f["category"])
    if f["rank"]:
        qs = qs.filter(rank=f["rank"])
    return qs.order_by(
        "category__name", "rank__position", "client__user__full_name", "client__user__email", "id"
    )


def _auto_promotions(workspace: Workspace, f: dict[str, Any]) -> QuerySet[RankHolding]:
    qs = RankHolding.objects.filter(
        workspace=workspace, kind=PromotionKind.AUTOMATIC, category__archived_at__isnull=True
    ).select_related("client__user", "rank", "category")
    if f["category"]:
        qs = qs.filter(category=f["category"])
    if f["rank"]:
        qs = qs.filter(rank=f["rank"])
    if f["since"]:
        qs = qs.filter(started_on__gte=f["since"])
    if f["until"]:
        qs = qs.filter(started_on__lte=f["until"])
    return qs.order_by("-started_at", "-id")


def _distribution(f: dict[str, Any]) -> list[Rank]:
    """Each shown rank with its holders and eligible clients counted, in one query."""
    open_holding = Q(holdings__ended_at__isnull=True)
    qs = Rank.objects.filter(category__in=[c.pk for c in f["shown"]])
    if f["rank"]:
        qs = qs.filter(pk=f["rank"].pk)
    return list(
        qs.select_related("category")
        .annotate(
            holders=Count("holdings", filter=open_holding, distinct=True),
            eligible=Count("holdings__eligibility", filter=open_holding, distinct=True),
        )
        .order_by("category__name", "category_id", "position")
    )


@ranks_page
def report(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    f = _report_filters(request)
    page = Paginator(_holders(workspace, f), PAGE_SIZE).get_page(request.GET.get("page"))
    promotions = _auto_promotions(workspace, f)
    promoted = list(promotions[: PROMOTIONS_SHOWN + 1])
    query = request.GET.copy()
    query.pop("page", None)
    return _render(
        request,
        "ranks/team/report.html",
        {
            **f,
            "page_obj": page,
            "distribution": _distribution(f),
            "promoted": promoted[:PROMOTIONS_SHOWN],
            "more_promoted": len(promoted) > PROMOTIONS_SHOWN,
            "querystring_without_page": query.urlencode() + "&" if query else "",
            "csv_query": query.urlencode(),
        },
    )


@ranks_page
def report_chart(request: HttpRequest) -> JsonResponse:
    """The rank distribution in Chart.js's own shape, so the page script stays generic."""
    f = _report_filters(request)
    ranks = _distribution(f)
    several = len(f["shown"]) > 1
    return JsonResponse(
        {
            "type": "bar",
            "data": {
                "labels": [f"{r.category.name} · {r.name}" if several else r.name for r in ranks],
                "datasets": [
                    {
                        "label": _("Clients"),
                        "data": [r.holders for r in ranks],  # type: ignore[attr-defined]
                        "backgroundColor": [r.colour for r in ranks],
                        "borderColor": "#1f2933",
                        "borderWidth": 1,
                    }
                ],
            },
            "options": {
                "plugins": {"legend": {"display": False}},
                "scales": {"y": {"beginAtZero": True, "ticks": {"precision": 0}}},
            },
        }
    )


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a streamed answer."""

    def write(self, value: str) -> str:
        return value


def report_rows(workspace: Workspace, f: dict[str, Any], what: str) -> Iterator[list[Any]]:
    """The report as CSV rows, read in chunks so memory and queries stay bounded."""
    words = rank_words(workspace)
    if what == "promotions":
        yield [_("Category"), words["word"], _("Client"), _("Email"), _("Promoted on")]
        for h in _auto_promotions(workspace, f).iterator(chunk_size=1000):
            yield [h.category.name, h.rank.name, h.client.user.full_name, h.client.user.email,
                   h.started_on.isoformat()]  # fmt: skip
        return
    yield [
        _("Category"),
        words["word"],
        _("Client"),
        _("Email"),
        _("Since"),
        _("Visits since"),
        _("Eligible for"),
    ]
    for h in _holders(workspace, f).iterator(chunk_size=1000):
        eligibility = getattr(h, "eligibility", None)
        yield [
            h.category.name,
            h.rank.name,
            h.client.user.full_name,
            h.client.user.email,
            h.started_on.isoformat(),
            h.visits,  # type: ignore[attr-defined]
            eligibility.next_rank.name if eligibility else "",
        ]


@ranks_page
def report_export(request: HttpRequest) -> StreamingHttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    f = _report_filters(request)
    what = "promotions" if request.GET.get("what") == "promotions" else "holders"
    writer = csv.writer(_Echo())
    language = request.LANGUAGE_CODE  # type: ignore[attr-defined]

    def lines() -> Iterator[str]:
        # The body is read after the view returns, outside the request's scope: open it again.
        from django.utils import translation

        with scope(workspace=workspace), translation.override(language):
            for row in report_rows(workspace, f, what):
                yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv")
    stamp = timezone.localdate().isoformat()
    name = "rank-promotions" if what == "promotions" else "rank-holders"
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    return response
