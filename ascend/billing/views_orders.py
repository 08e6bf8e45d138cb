"""Team portal pages for orders: the list with filters, and one order with "Mark as paid" and
"Cancel".

Rules: owners and admins (``Cap.PROGRAMS_MANAGE``, as for packages and
memberships); an order of another workspace is a 404. "Mark as paid" confirms an
offline payment (``payments.do_mark_order_paid``) and fulfils it once;
"Cancel" applies to an order still waiting (``payments.do_cancel_order``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ascend.tenancy.access import capability_required
from ascend.tenancy.capabilities import Cap
from ascend.tenancy.models import Membership

from .models import Order, OrderKind, OrderStatus
from .payments import do_cancel_order, do_mark_order_paid
from .providers import available_providers

PAGE_SIZE = 50

# What fulfilling an order did (``Order.outcome``), in words for the team.
OUTCOMES = {
    "invitation_sent": gettext_lazy("Invitation sent to the buyer"),
    "package_added": gettext_lazy("Package added to the client"),
    "subscribed": gettext_lazy("Client subscribed and enrolled"),
    "course_access_given": gettext_lazy("Course access given to the buyer"),
    "needs_attention": gettext_lazy(
        "Needs attention: no invitation could be sent; invite the buyer by hand"
    ),
}


def outcome_words(order: Order) -> str:
    """What happened (or will happen) with the order, for the team's pages."""
    if order.status == OrderStatus.PAID:
        return str(OUTCOMES.get(order.outcome, order.outcome or _("Paid")))
    if order.status == OrderStatus.CANCELLED:
        return _("Nothing: cancelled")
    provider = available_providers().get(order.provider)
    if provider is not None and not provider.online:
        return _("Waiting for the team to confirm the payment")
    return _("Waiting for the payment provider")


def orders_of(workspace: Any) -> QuerySet[Order]:
    return Order.objects.filter(workspace=workspace).select_related(
        "package", "plan", "product", "client__user", "marked_paid_by"
    )


def access_order(member: Membership, order_id: int) -> Order:
    """An order of the member's workspace, or 404."""
    order = orders_of(member.workspace).filter(pk=order_id).first()
    if order is None:
        raise Http404
    return order


def _filters(request: HttpRequest) -> dict[str, Any]:
    known_providers = {"manual", "stripe"} | set(available_providers())
    chosen = {
        "status": request.GET.get("status", ""),
        "provider": request.GET.get("provider", ""),
        "kind": request.GET.get("kind", ""),
    }
    valid = {
        "status": set(OrderStatus.values),
        "provider": known_providers,
        "kind": set(OrderKind.values),
    }
    return {key: value for key, value in chosen.items() if value in valid[key]}


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode() + "&" if query else ""


@capability_required(Cap.PROGRAMS_MANAGE)
def order_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    page = Paginator(orders_of(request.workspace).filter(**filters), PAGE_SIZE).get_page(  # type: ignore[attr-defined]
        request.GET.get("page")
    )
    for order in page.object_list:
        order.outcome_words = outcome_words(order)  # type: ignore[attr-defined]
    return render(
        request,
        "billing/order_list.html",
        {
            "page_obj": page,
            "filters": filters,
            "statuses": OrderStatus.choices,
            "kinds": OrderKind.choices,
            "providers": sorted({"manual", "stripe"} | set(available_providers())),
            "querystring_without_page": _query_without_page(request),
        },
    )


@capability_required(Cap.PROGRAMS_MANAGE)
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    order = access_order(request.membership, order_id)  # type: ignore[attr-defined]
    return render(
        request,
        "billing/order_detail.html",
        {"order": order, "outcome_words": outcome_words(order)},
    )


def _order_action(request: HttpRequest, order_id: int, action: Any, done: str) -> HttpResponse:
    order = access_order(request.membership, order_id)  # type: ignore[attr-defined]
    if request.method != "POST":
        return redirect("orders:order", order.pk)
    try:
        action(order, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("orders:order", order.pk)


@capability_required(Cap.PROGRAMS_MANAGE)
def order_mark_paid(request: HttpRequest, order_id: int) -> HttpResponse:
    """Confirm an offline payment: the order is fulfilled once (invitation, package, membership)."""
    return _order_action(request, order_id, do_mark_order_paid, _("The order is marked as paid."))


@capability_required(Cap.PROGRAMS_MANAGE)
def order_cancel(request: HttpRequest, order_id: int) -> HttpResponse:
    return _order_action(request, order_id, do_cancel_order, _("The order was cancelled."))
