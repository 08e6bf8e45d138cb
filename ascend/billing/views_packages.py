"""Team portal pages for packages: the list, the form, and giving a package to a client."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ascend.lib.forms import apply_validation_error
from ascend.lib.urls import workspace_url
from ascend.tenancy.access import capability_required
from ascend.tenancy.capabilities import Cap
from ascend.tenancy.models import Membership

from .forms import GivePackageForm, PackageForm
from .models import Order, Package, PackageHolding
from .packages import do_give_package, do_save_package

RECENT_ORDERS = 20


def access_package(member: Membership, package_id: int) -> Package:
    """A package of the member's workspace, or 404."""
    package = (
        Package.objects.filter(workspace=member.workspace, pk=package_id)
        .select_related("coach__user")
        .first()
    )
    if package is None:
        raise Http404
    return package


def _members(workspace: Any, **roles: bool):  # type: ignore[no-untyped-def]
    return (
        Membership.objects.filter(workspace=workspace, removed_at__isnull=True, **roles)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def _sales(request: HttpRequest, package: Package) -> dict[str, Any]:
    """The package's payment link (absolute, to share) and its latest orders."""
    path = reverse("checkout:package", args=[package.payment_token])
    orders = (
        Order.objects.filter(package=package)
        .select_related("client__user")
        .order_by("-created_at", "-id")[:RECENT_ORDERS]
    )
    return {"payment_url": workspace_url(package.workspace, path, request), "orders": orders}


@capability_required(Cap.PROGRAMS_MANAGE)
def package_list(request: HttpRequest) -> HttpResponse:
    packages = (
        Package.objects.filter(workspace=request.workspace)
        .select_related("coach__user")
        .annotate(holders=Count("holdings__client", distinct=True))
    )
    return render(request, "billing/package_list.html", {"packages": packages})


def _package_page(request: HttpRequest, package: Package | None) -> HttpResponse:
    initial: dict[str, Any] = {"is_active": True, "currency": "USD", "validity_days": 90}
    if package is not None:
        initial = {f: getattr(package, f) for f in PackageForm.base_fields}
    form = PackageForm(
        request.POST or None, initial=initial, coaches=_members(request.workspace, is_coach=True)
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = do_save_package(
                request.workspace, actor=request.user, package=package, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": saved.name})
            return redirect("packages:package", saved.pk)
    context: dict[str, Any] = {"form": form, "package": package}
    if package is not None:
        context["give_form"] = GivePackageForm(clients=_members(request.workspace, is_client=True))
        context["holdings"] = (
            PackageHolding.objects.filter(package=package)
            .select_related("client__user")
            .order_by("-created_at")
        )
        context.update(_sales(request, package))
    return render(request, "billing/package_form.html", context, status=422 if form.errors else 200)


@capability_required(Cap.PROGRAMS_MANAGE)
def package_create(request: HttpRequest) -> HttpResponse:
    return _package_page(request, None)


@capability_required(Cap.PROGRAMS_MANAGE)
def package_edit(request: HttpRequest, package_id: int) -> HttpResponse:
    return _package_page(request, access_package(request.membership, package_id))


@capability_required(Cap.PROGRAMS_MANAGE)
def package_give(request: HttpRequest, package_id: int) -> HttpResponse:
    """Give the package to an existing client: nothing is charged, it is recorded on them."""
    package = access_package(request.membership, package_id)
    if request.method != "POST":
        return redirect("packages:package", package.pk)
    form = GivePackageForm(request.POST, clients=_members(request.workspace, is_client=True))
    if form.is_valid():
        try:
            holding = do_give_package(
                package,
                form.cleaned_data["client"],
                actor=request.user,
                starts_on=form.cleaned_data["starts_on"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("%(client)s now holds %(package)s, until %(date)s.")
                % {
                    "client": holding.client.user,
                    "package": package.name,
                    "date": holding.expires_on.isoformat(),
                },
            )
            return redirect("packages:package", package.pk)
    holdings = PackageHolding.objects.filter(package=package).select_related("client__user")
    page_form = PackageForm(
        initial={f: getattr(package, f) for f in PackageForm.base_fields},
        coaches=_members(request.workspace, is_coach=True),
    )
    return render(
        request,
        "billing/package_form.html",
        {
            "form": page_form,
            "package": package,
            "give_form": form,
            "holdings": holdings,
            **_sales(request, package),
        },
        status=422,
    )


def client_holdings(member: Membership) -> list[PackageHolding]:
    """Every package the client holds, soonest expiry first (one query)."""
    return list(
        PackageHolding.objects.filter(client=member)
        .select_related("package")
        .order_by("expires_on", "id")
    )
