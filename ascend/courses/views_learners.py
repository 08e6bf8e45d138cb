"""The Learners page (/team/learners/): every learner, giving access by hand or from a CSV file,
and a learner's page with their products, progress, emails and what staff can do for them.

Only ``Cap.COURSES_LEARNERS`` (owners, admins, supervisors) opens these pages;
other members get 403 and another workspace's learners are 404. Every write goes
through ``actions_access`` (or the import), and a refusal is shown at its field.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ascend.lib.forms import apply_validation_error
from ascend.notifications.models import DeliveryState
from ascend.tenancy.access import capability_required
from ascend.tenancy.capabilities import Cap

from . import actions_access as actions
from . import imports_learners, queries_learners
from .forms_access import (
    AddProductForm,
    ConfirmImportForm,
    CorrectEmailForm,
    ExpiryForm,
    GiveAccessForm,
    ImportLearnersForm,
    LearnerFilterForm,
)
from .models import AccessSource
from .progress import progress_of_accesses

PAGE_SIZE = 50
PREVIEW_ROWS = 300

learners_view = capability_required(Cap.COURSES_LEARNERS)


def _expiry(form: Any, workspace: Any) -> Any:
    day = form.cleaned_data.get("expires_on")
    return actions.expiry_from_date(day, workspace.time_zone) if day else None


def _apply(form: Any, error: ValidationError) -> None:
    """The actions name the expiry ``expires_at``; the forms ask for ``expires_on``."""
    if hasattr(error, "error_dict") and "expires_at" in error.error_dict:
        error = ValidationError(
            {("expires_on" if k == "expires_at" else k): v for k, v in error.error_dict.items()}
        )
    apply_validation_error(form, error)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode() + "&" if query else ""


def _decorate(rows: list[Any]) -> None:
    """Progress for every access shown, in two queries for the whole page."""
    now = timezone.now()
    progress = progress_of_accesses(a for row in rows for a in row.accesses)
    for row in rows:
        row.email_failed = row.email_state == DeliveryState.BOUNCED
        for access in row.accesses:
            access.progress = progress.get(access.pk)
            access.open = access.is_open(now)


# The list ------------------------------------------------------------------------------------


def _list_page(
    request: HttpRequest, give_form: GiveAccessForm | None = None, status: int = 200
) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    products = queries_learners.products(workspace)
    filters = LearnerFilterForm(request.GET or None, products=products)
    data: dict[str, Any] = {}
    if filters.is_valid():
        data = filters.cleaned_data
    rows = queries_learners.learners(
        workspace,
        q=(data.get("q") or "").strip(),
        product=data.get("product"),
        failed_email=bool(data.get("failed")),
        sort=data.get("sort") or "newest",
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    _decorate(list(page.object_list))
    return render(
        request,
        "courses/learners/list.html",
        {
            "page_obj": page,
            "filters": filters,
            "filtering": any(data.values()) if data else False,
            "give_form": give_form or GiveAccessForm(products=products),
            "has_products": products.exists(),
            "querystring_without_page": _query_without_page(request),
        },
        status=status,
    )


@learners_view
def learner_list(request: HttpRequest) -> HttpResponse:
    """Every learner: search, sort, filter by product or failed email, give access by hand."""
    return _list_page(request)


@require_POST
@learners_view
def give(request: HttpRequest) -> HttpResponse:
    """Give a person access to a product by hand (the form on the list)."""
    workspace = request.workspace  # type: ignore[attr-defined]
    form = GiveAccessForm(request.POST, products=queries_learners.products(workspace))
    if form.is_valid():
        data = form.cleaned_data
        try:
            outcome = actions.give_access(
                workspace,
                actor=request.user,
                email=data["email"],
                full_name=data["full_name"],
                product=data["product"],
                expires_at=_expiry(form, workspace),
                source=AccessSource.MANUAL,
                send=data["send"],
                request=request,
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            learner = outcome.access.learner
            if outcome.changed:
                messages.success(
                    request,
                    _("%(name)s now has access to %(product)s.")
                    % {"name": learner.user, "product": data["product"].name},
                )
            else:
                messages.info(
                    request,
                    _("%(name)s already had access to %(product)s: nothing changed.")
                    % {"name": learner.user, "product": data["product"].name},
                )
            return redirect("learners:detail", learner.pk)
    return _list_page(request, form, status=422)


# Importing -----------------------------------------------------------------------------------


@learners_view
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a CSV file and see every row checked; nothing is written until confirmed."""
    workspace = request.workspace  # type: ignore[attr-defined]
    form = ImportLearnersForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            text = imports_learners.decode_file(form.cleaned_data["file"].read())
            checked = imports_learners.check_learners_csv(text, workspace)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            rows = checked.bad + checked.good  # problems first
            return render(
                request,
                "courses/learners/import_preview.html",
                {
                    "checked": checked,
                    "rows": rows[:PREVIEW_ROWS],
                    "file_name": form.cleaned_data["file"].name,
                    "confirm_form": ConfirmImportForm(
                        initial={"data": text, "send": form.cleaned_data["send"]}
                    ),
                    "send": form.cleaned_data["send"],
                },
            )
    return render(
        request,
        "courses/learners/import_upload.html",
        {"form": form, "products": queries_learners.products(workspace)[:5]},
        status=422 if form.errors else 200,
    )


@require_POST
@learners_view
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Import the good rows of the checked file (checked again now)."""
    form = ConfirmImportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The file was lost on the way: upload it again."))
        return redirect("learners:import")
    try:
        result = imports_learners.import_learners(
            request.workspace,  # type: ignore[attr-defined]
            form.cleaned_data["data"],
            actor=request.user,
            send=form.cleaned_data["send"],
            request=request,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("learners:import")
    text = ngettext("%(n)d access given.", "%(n)d accesses given.", result.given) % {
        "n": result.given
    }
    if result.unchanged:
        text += " " + ngettext(
            "%(n)d learner already had it.", "%(n)d learners already had it.", result.unchanged
        ) % {"n": result.unchanged}
    if result.refused:
        text += " " + ngettext(
            "%(n)d row with problems was left out.",
            "%(n)d rows with problems were left out.",
            result.refused,
        ) % {"n": result.refused}
    messages.success(request, text)
    return redirect("learners:list")


# A learner -----------------------------------------------------------------------------------


def _detail_page(
    request: HttpRequest,
    learner_id: int,
    *,
    add_form: AddProductForm | None = None,
    correct_form: CorrectEmailForm | None = None,
    expiry_errors: dict[int, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    member = request.membership  # type: ignore[attr-defined]
    learner = queries_learners.access_learner(member, learner_id)
    _decorate([learner])
    now = timezone.now()
    held = {a.product_id for a in learner.accesses if a.removed_at is None and a.is_open(now)}
    products = queries_learners.products(learner.workspace).exclude(pk__in=held)
    for access in learner.accesses:
        access.expiry_form = ExpiryForm(
            prefix=f"a{access.pk}",
            initial={
                "expires_on": actions.expiry_day(access.expires_at, learner.workspace.time_zone)
            },
        )
        access.expiry_errors = (expiry_errors or {}).get(access.pk, [])
    firsts = [a.first_accessed_at for a in learner.accesses if a.first_accessed_at]
    lasts = [a.last_accessed_at for a in learner.accesses if a.last_accessed_at]
    return render(
        request,
        "courses/learners/detail.html",
        {
            "learner": learner,
            "accesses": learner.accesses,
            "has_open": any(a.open for a in learner.accesses),
            "first_access": min(firsts) if firsts else None,
            "last_access": max(lasts) if lasts else None,
            "add_form": add_form or AddProductForm(products=products),
            "can_add": products.exists(),
            "correct_form": correct_form or CorrectEmailForm(),
            "history": queries_learners.email_history(learner),
            "has_password": learner.user.has_usable_password(),
        },
        status=status,
    )


@learners_view
def learner_detail(request: HttpRequest, learner_id: int) -> HttpResponse:
    return _detail_page(request, learner_id)


@require_POST
@learners_view
def add_product(request: HttpRequest, learner_id: int) -> HttpResponse:
    member = request.membership  # type: ignore[attr-defined]
    learner = queries_learners.access_learner(member, learner_id)
    form = AddProductForm(request.POST, products=queries_learners.products(learner.workspace))
    if form.is_valid():
        try:
            outcome = actions.give_access(
                learner.workspace,
                actor=request.user,
                email=learner.user.email,
                full_name=learner.user.full_name,
                product=form.cleaned_data["product"],
                expires_at=_expiry(form, learner.workspace),
                source=AccessSource.MANUAL,
                request=request,
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            product = form.cleaned_data["product"].name
            if outcome.changed:
                messages.success(
                    request,
                    _("Access to %(product)s given; the access email is on its way.")
                    % {"product": product},
                )
            else:
                messages.info(
                    request,
                    _("They already had %(product)s: nothing changed.") % {"product": product},
                )
            return redirect("learners:detail", learner.pk)
    return _detail_page(request, learner_id, add_form=form, status=422)


@require_POST
@learners_view
def change_expiry(request: HttpRequest, access_id: int) -> HttpResponse:
    access = queries_learners.access_learner_access(request.membership, access_id)  # type: ignore[attr-defined]
    form = ExpiryForm(request.POST, prefix=f"a{access.pk}")
    if form.is_valid():
        try:
            actions.do_change_access_expiry(
                access, actor=request.user, expires_at=_expiry(form, access.workspace)
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(
                request, _("The access to %(product)s was changed.") % {"product": access.product}
            )
            return redirect("learners:detail", access.learner_id)
    errors = [str(e) for errs in form.errors.values() for e in errs]
    return _detail_page(request, access.learner_id, expiry_errors={access.pk: errors}, status=422)


@require_POST
@learners_view
def remove_access(request: HttpRequest, access_id: int) -> HttpResponse:
    access = queries_learners.access_learner_access(request.membership, access_id)  # type: ignore[attr-defined]
    try:
        actions.do_remove_access(access, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The access to %(product)s was removed; the progress is kept.")
            % {"product": access.product},
        )
    return redirect("learners:detail", access.learner_id)


@require_POST
@learners_view
def send_access(request: HttpRequest, learner_id: int) -> HttpResponse:
    learner = queries_learners.access_learner(request.membership, learner_id)  # type: ignore[attr-defined]
    try:
        actions.do_send_access_link(learner, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The access link was sent to %(email)s.") % {"email": learner.user.email}
        )
    return redirect("learners:detail", learner.pk)


@require_POST
@learners_view
def password_reset(request: HttpRequest, learner_id: int) -> HttpResponse:
    learner = queries_learners.access_learner(request.membership, learner_id)  # type: ignore[attr-defined]
    actions.do_send_learner_password_reset(learner, actor=request.user, request=request)
    messages.success(
        request,
        _("A link to choose a new password was sent to %(email)s.") % {"email": learner.user.email},
    )
    return redirect("learners:detail", learner.pk)


@require_POST
@learners_view
def correct_email(request: HttpRequest, learner_id: int) -> HttpResponse:
    learner = queries_learners.access_learner(request.membership, learner_id)  # type: ignore[attr-defined]
    form = CorrectEmailForm(request.POST)
    if form.is_valid():
        old = learner.user.email
        try:
            actions.do_correct_learner_email(
                learner, form.cleaned_data["email"], actor=request.user, request=request
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("The address is now %(new)s (was %(old)s); the access email went to the new one.")
                % {"new": learner.user.email, "old": old},
            )
            return redirect("learners:detail", learner.pk)
    return _detail_page(request, learner_id, correct_form=form, status=422)
