"""Buying: a package's payment link, the buyer's order page, a client buying a membership,
and the payment providers' webhook.

Rules: the payment link and the order page are public; knowing the unguessable
token is the access (another workspace's token is a 404 here). A package no
longer on offer answers 410 with a clear page. Memberships are bought signed in,
from the client portal, and refused while a program has no open cohort. The
webhook takes POST only, without CSRF (providers sign their body instead), and
answers JSON: 200 with what happened, 400 ``bad_signature``, 404 for a provider
this installation doesn't use; never a 500 for a bad body.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from ascend.api.errors import error_body
from ascend.lib.forms import apply_validation_error
from ascend.lib.urls import workspace_url
from ascend.programs.models import Program
from ascend.tenancy.access import capability_required
from ascend.tenancy.capabilities import Cap

from . import actions
from .forms import CheckoutForm, PayWithForm
from .models import MembershipPlan, Order, Package, Subscription
from .payments import (
    WebhookRefused,
    do_open_checkout,
    do_start_membership_order,
    do_start_package_order,
    process_webhook,
)
from .providers import CheckoutFailed, available_providers, get_provider
from .views import purchase_blockers

log = logging.getLogger("ascend.payments")


def _checkout_failed_message() -> str:
    return _(
        "We couldn't reach the payment provider, and nothing was charged. "
        "Try again in a moment, or choose another way to pay."
    )


def _send_to_checkout(request: HttpRequest, order: Order, cancel_path: str) -> HttpResponse:
    """Open the provider's checkout for a committed order and send the buyer there.

    Online providers send the buyer to their page and back to the order page;
    the manual provider goes straight to the order page, which says how to pay.
    """
    order_path = reverse("checkout:order", args=[order.token])
    checkout = do_open_checkout(
        order,
        success_url=workspace_url(order.workspace, order_path, request),
        cancel_url=workspace_url(order.workspace, cancel_path, request),
    )
    return redirect(checkout.redirect_url)


def access_payment_link(request: HttpRequest, token: Any) -> Package:
    """The package whose payment link this is, in this workspace, or 404."""
    package = (
        Package.objects.filter(workspace=request.workspace, payment_token=token)  # type: ignore[attr-defined]
        .select_related("coach__user")
        .first()
    )
    if package is None:
        raise Http404
    return package


def pay_package(request: HttpRequest, token: Any) -> HttpResponse:
    """The payment link: the package, who buys it, and how they pay."""
    package = access_payment_link(request, token)
    if not package.is_active:
        return render(request, "billing/pay_gone.html", {"package": package}, status=410)
    initial: dict[str, Any] = {}
    if request.user.is_authenticated:
        initial = {"buyer_name": str(request.user), "buyer_email": request.user.email}
    form = CheckoutForm(request.POST or None, initial=initial, providers=available_providers())
    if request.method == "POST" and form.is_valid():
        try:
            order = do_start_package_order(package, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            try:
                return _send_to_checkout(request, order, request.path)
            except CheckoutFailed as error:
                log.warning("Checkout of order %s failed: %s", order.pk, error)
                form.add_error(None, _checkout_failed_message())
    return render(
        request,
        "billing/pay_package.html",
        {"package": package, "form": form},
        status=422 if form.errors else 200,
    )


def access_order_by_token(request: HttpRequest, token: Any) -> Order:
    """The order whose page this is, in this workspace, or 404 (the token is the access)."""
    order = (
        Order.objects.filter(workspace=request.workspace, token=token)  # type: ignore[attr-defined]
        .select_related("package", "plan", "product")
        .first()
    )
    if order is None:
        raise Http404
    return order


def _pay_again_url(order: Order) -> str:
    """The payment link to start again from, while what was ordered is still on offer."""
    if order.package is not None and order.package.is_active:
        return reverse("checkout:package", args=[order.package.payment_token])
    if order.product is not None and order.product.is_active:
        return reverse("course_access:buy", args=[order.product.payment_token])
    return ""


def order_page(request: HttpRequest, token: Any) -> HttpResponse:
    """The buyer's order: where it stands and what happens next.

    While an online payment is waiting, the status block asks again every few
    seconds (htmx), since the provider's webhook may land after the buyer is back.
    """
    order = access_order_by_token(request, token)
    provider = get_provider(order.provider)
    context = {
        "order": order,
        "online": bool(provider and provider.online),
        "provider_label": provider.label if provider else order.provider,
        "pay_again_url": _pay_again_url(order),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "billing/_order_status.html", context)
    return render(request, "billing/order_page.html", context)


@csrf_exempt
def payments_webhook(request: HttpRequest, provider: str) -> HttpResponse:
    """A provider's event: checked on the raw body, recorded once, applied (``process_webhook``)."""
    if request.method != "POST":
        response = JsonResponse(
            error_body("method_not_allowed", _("This address only takes POST.")), status=405
        )
        response["Allow"] = "POST"
        return response
    found = get_provider(provider)
    if found is None or not found.online:
        return JsonResponse(
            error_body("not_found", _("There is no such payment provider here.")), status=404
        )
    try:
        outcome = process_webhook(provider, request.body, request.headers)
    except WebhookRefused:
        return JsonResponse(
            error_body("bad_signature", _("The signature doesn't match the body; nothing done.")),
            status=400,
        )
    return JsonResponse({"outcome": outcome})


# A client buying a membership ---------------------------------------------------------------


def _plans_on_sale(workspace: Any):  # type: ignore[no-untyped-def]
    return MembershipPlan.objects.filter(workspace=workspace, is_active=True).prefetch_related(
        Prefetch(
            "programs",
            queryset=Program.objects.filter(archived_at__isnull=True).order_by("title"),
            to_attr="live_programs",
        )
    )


@capability_required(Cap.PORTAL_CLIENT)
def client_memberships(request: HttpRequest) -> HttpResponse:
    """Memberships on sale, each with "Buy" or the reason it can't be bought now."""
    member = request.membership  # type: ignore[attr-defined]
    taking = actions.programs_taking_clients(request.workspace)  # type: ignore[attr-defined]
    mine = set(
        Subscription.objects.filter(client=member, ended_at__isnull=True).values_list(
            "plan_id", flat=True
        )
    )
    rows = []
    for plan in _plans_on_sale(request.workspace):  # type: ignore[attr-defined]
        blockers = [] if plan.pk in mine else purchase_blockers(plan, taking)
        rows.append({"plan": plan, "blockers": blockers, "subscribed": plan.pk in mine})
    orders = (
        Order.objects.filter(client=member)
        .select_related("package", "plan")
        .order_by("-created_at", "-id")[:10]
    )
    return render(
        request, "billing/client_memberships.html", {"rows": rows, "orders": list(orders)}
    )


@capability_required(Cap.PORTAL_CLIENT)
def client_buy_membership(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Checkout for a membership: how to pay; refused when a program has no open cohort."""
    plan = _plans_on_sale(request.workspace).filter(pk=plan_id).first()  # type: ignore[attr-defined]
    if plan is None:
        raise Http404
    form = PayWithForm(request.POST or None, providers=available_providers())
    if request.method == "POST" and form.is_valid():
        try:
            order = do_start_membership_order(
                plan,
                client=request.membership,  # type: ignore[attr-defined]
                provider=form.cleaned_data["provider"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            try:
                return _send_to_checkout(request, order, reverse("checkout:memberships"))
            except CheckoutFailed as error:
                log.warning("Checkout of order %s failed: %s", order.pk, error)
                form.add_error(None, _checkout_failed_message())
    blockers = purchase_blockers(plan, actions.programs_taking_clients(request.workspace))  # type: ignore[attr-defined]
    subscribed = Subscription.objects.filter(
        client=request.membership,  # type: ignore[attr-defined]
        plan=plan,
        ended_at__isnull=True,
    ).exists()
    return render(
        request,
        "billing/client_buy_membership.html",
        {"plan": plan, "form": form, "blockers": blockers, "subscribed": subscribed},
        status=422 if form.errors else 200,
    )
