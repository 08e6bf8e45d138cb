"""Course reports in the team portal (/team/course-reports/): support per month, ratings per
attendant, lesson ratings and the general report, each with filters, a chart and a CSV.

Everyone with ``Cap.COURSES_REPORTS`` (owner, admin, supervisor, attendant) sees every
figure of the workspace.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ascend.lib.csv_export import csv_response
from ascend.quality.forms import MonthField
from ascend.quality.presenting import add_months, duration_text
from ascend.tenancy.access import capability_required
from ascend.tenancy.capabilities import Cap
from ascend.tenancy.models import Workspace

from . import reports
from .models import Product

# A report covers at most this many months at once (the chart stays readable).
MAX_MONTHS = 36
DEFAULT_MONTHS = 12
PAGE_SIZE = 50


def _products(workspace: Workspace) -> list[tuple[str, str]]:
    return [
        (str(pk), name)
        for pk, name in Product.objects.filter(workspace=workspace).values_list("pk", "name")
    ]


def _this_month(workspace: Workspace) -> date:
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(workspace.time_zone)).date()
    return date(today.year, today.month, 1)


class ProductField(forms.TypedChoiceField):
    def __init__(self, products: list[tuple[str, str]]) -> None:
        super().__init__(
            label=_("Product"),
            required=False,
            coerce=int,
            empty_value=None,
            choices=[("", _("All products")), *products],
        )


class MonthsFilterForm(forms.Form):
    """A product and a range of months; without months, the last twelve."""

    product = forms.TypedChoiceField(required=False)
    since = MonthField(label=_("From month"), required=False)
    until = MonthField(label=_("To month"), required=False)

    def __init__(
        self, *args: Any, products: list[tuple[str, str]], this_month: date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"] = ProductField(products)
        self.order_fields(["product", "since", "until"])
        self.this_month = this_month

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The last month is before the first."))
        elif since and until and add_months(since, MAX_MONTHS) <= until:
            self.add_error("until", _("Choose at most %(n)d months at once.") % {"n": MAX_MONTHS})
        return data

    def months(self) -> tuple[date, date]:
        if not self.is_valid():
            return add_months(self.this_month, 1 - DEFAULT_MONTHS), self.this_month
        since, until = self.cleaned_data.get("since"), self.cleaned_data.get("until")
        until = until or max(self.this_month, since or self.this_month)
        since = since or add_months(until, 1 - DEFAULT_MONTHS)
        return since, min(until, add_months(since, MAX_MONTHS - 1))

    def product_id(self) -> int | None:
        return self.cleaned_data.get("product") if self.is_valid() else None


class GeneralFilterForm(forms.Form):
    product = forms.TypedChoiceField(required=False)
    q = forms.CharField(
        label=_("Name or email"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    accessed_since = forms.DateField(
        label=_("Accessed since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, products: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"] = ProductField(products)
        self.order_fields(["product", "q", "accessed_since"])


def _csv_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("format", None)
    query.pop("page", None)
    return query.urlencode() + "&" if query else ""


def _wants_csv(request: HttpRequest) -> bool:
    return request.GET.get("format") == "csv"


def _months_filter(request: HttpRequest) -> tuple[MonthsFilterForm, reports.Period, int | None]:
    workspace = request.workspace  # type: ignore[attr-defined]
    options = {"products": _products(workspace), "this_month": _this_month(workspace)}
    form = MonthsFilterForm(request.GET, **options)
    first, last = form.months()
    product_id = form.product_id()
    if form.is_valid():  # show the months the page covers, defaults included
        shown = {"since": f"{first:%Y-%m}", "until": f"{last:%Y-%m}"}
        form = MonthsFilterForm({**request.GET.dict(), **shown}, **options)
    return form, reports.Period(first, last, workspace.time_zone), product_id


def _page(request: HttpRequest, template: str, **context: Any) -> HttpResponse:
    return render(
        request, f"courses/reports/{template}", {"csv_query": _csv_query(request), **context}
    )


@capability_required(Cap.COURSES_REPORTS)
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "courses/reports/index.html")


@capability_required(Cap.COURSES_REPORTS)
def support(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    form, period, product_id = _months_filter(request)
    report = reports.support_per_month(workspace, period, product_id)
    if _wants_csv(request):
        lines = list(report.csv_rows())
        return csv_response(workspace, lambda: lines, "support-per-month")
    rows = [
        {
            "month": m,
            "median": duration_text(m.median_seconds),
            "mean": duration_text(m.mean_seconds),
        }
        for m in report.newest_first
    ]
    return _page(request, "support.html", form=form, report=report, rows=rows, chart=report.chart())


@capability_required(Cap.COURSES_REPORTS)
def attendants(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    form, period, product_id = _months_filter(request)
    report = reports.ratings_per_attendant(workspace, period, product_id)
    if _wants_csv(request):
        lines = list(report.csv_rows())
        return csv_response(workspace, lambda: lines, "ratings-per-attendant")
    return _page(
        request,
        "attendants.html",
        form=form,
        report=report,
        chart=report.chart(),
        stars=reports.STARS,
    )


@capability_required(Cap.COURSES_REPORTS)
def lessons(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    form, period, product_id = _months_filter(request)
    if _wants_csv(request):
        rows = reports.lesson_rating_rows(workspace, period, product_id)
        return csv_response(workspace, lambda: reports.lesson_csv_rows(rows), "lesson-ratings")
    report = reports.lesson_ratings(workspace, period, product_id)
    return _page(
        request,
        "lessons.html",
        form=form,
        report=report,
        chart=report.chart(),
        stars=reports.STARS,
    )


@capability_required(Cap.COURSES_REPORTS)
def general(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    form = GeneralFilterForm(request.GET, products=_products(workspace))
    filters: dict[str, Any] = {}
    filtering = False
    if form.is_valid():
        data = form.cleaned_data
        since = data.get("accessed_since")
        filters = {
            "product_id": data.get("product"),
            "search": data.get("q", "").strip(),
            "accessed_since": (
                datetime(
                    since.year,
                    since.month,
                    since.day,
                    tzinfo=zoneinfo.ZoneInfo(workspace.time_zone),
                )
                if since
                else None
            ),
        }
        filtering = any(filters.values())
    rows = reports.general_rows(workspace, **filters)
    if _wants_csv(request):
        return csv_response(
            workspace,
            lambda: reports.general_csv_rows(rows, workspace.time_zone),
            "general-report",
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for access in page:
        access.progress = reports.progress_of(access)  # type: ignore[attr-defined]
    period = reports.Period.last_months(workspace, DEFAULT_MONTHS, timezone.now())
    chart = reports.joined_per_month(workspace, period, filters.get("product_id"))
    query = request.GET.copy()
    query.pop("page", None)
    return _page(
        request,
        "general.html",
        form=form,
        page_obj=page,
        filtering=filtering,
        chart=chart,
        period=period,
        querystring_without_page=query.urlencode() + "&" if query else "",
    )
