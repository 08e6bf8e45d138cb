"""Team portal only: the workspace's client types, and the package list of a chosen coach."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascend.lib.forms import apply_validation_error
from ascend.tenancy.access import capability_required
from ascend.tenancy.capabilities import Cap
from ascend.tenancy.models import Membership

from . import queries
from .actions import client_types
from .actions_types import do_delete_client_type, do_move_client_type, do_save_client_type
from .forms import ClientTypeForm
from .models import ClientType


def access_client_type(member: Membership, type_id: int) -> ClientType:
    client_type = ClientType.objects.filter(workspace=member.workspace, pk=type_id).first()
    if client_type is None:
        raise Http404
    return client_type


def _types_page(
    request: HttpRequest, form: ClientTypeForm | None = None, *, status: int = 200, **extra: Any
) -> HttpResponse:
    client_types(request.workspace)  # type: ignore[attr-defined]
    types = ClientType.objects.filter(workspace=request.workspace).annotate(  # type: ignore[attr-defined]
        used=Count("contacts")
    )
    return render(
        request,
        "crm/client_types.html",
        {"types": types, "form": form or ClientTypeForm(), **extra},
        status=status,
    )


@capability_required(Cap.CLIENTS_VIEW_ALL)
def types_list(request: HttpRequest) -> HttpResponse:
    """The workspace's client types: add one, rename, reorder, delete one nobody has."""
    form = ClientTypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = do_save_client_type(
                request.workspace,  # type: ignore[attr-defined]
                actor=request.user,
                name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("“%(name)s” was added.") % {"name": saved.name})
            return redirect("crm:team_types")
    return _types_page(request, form, status=422 if form.errors else 200)


@require_POST
@capability_required(Cap.CLIENTS_VIEW_ALL)
def type_rename(request: HttpRequest, type_id: int) -> HttpResponse:
    client_type = access_client_type(request.membership, type_id)  # type: ignore[attr-defined]
    form = ClientTypeForm(request.POST, prefix=f"type-{client_type.pk}")
    if form.is_valid():
        try:
            do_save_client_type(
                request.workspace,  # type: ignore[attr-defined]
                actor=request.user,
                client_type=client_type,
                name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Renamed to “%(name)s”.") % {"name": client_type.name})
            return redirect("crm:team_types")
    errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
    return _types_page(request, status=422, rename_id=client_type.pk, rename_errors=errors)


@require_POST
@capability_required(Cap.CLIENTS_VIEW_ALL)
def type_move(request: HttpRequest, type_id: int) -> HttpResponse:
    client_type = access_client_type(request.membership, type_id)  # type: ignore[attr-defined]
    do_move_client_type(client_type, actor=request.user, up=request.POST.get("direction") == "up")
    return redirect("crm:team_types")


@require_POST
@capability_required(Cap.CLIENTS_VIEW_ALL)
def type_delete(request: HttpRequest, type_id: int) -> HttpResponse:
    client_type = access_client_type(request.membership, type_id)  # type: ignore[attr-defined]
    try:
        do_delete_client_type(client_type, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(name)s” was deleted.") % {"name": client_type.name})
    return redirect("crm:team_types")


@capability_required(Cap.CLIENTS_VIEW_ALL)
def invite_packages(request: HttpRequest) -> HttpResponse:
    """The package options of the coach chosen on the invitation form (an htmx fragment)."""
    coach_id = request.GET.get("coach", "")
    coach = (
        queries.coaches(request.workspace).filter(pk=coach_id).first()  # type: ignore[attr-defined]
        if coach_id.isdigit()
        else None
    )
    return render(
        request,
        "crm/_package_options.html",
        {"packages": queries.packages_for_coach(coach), "coach": coach},
    )
