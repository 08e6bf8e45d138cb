"""One door to every object: lookups from a URL go through ``access_*``.

Each helper filters by the request's workspace and by what the role may see,
and answers "missing" and "not yours" with the same 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from .capabilities import Cap, can
from .models import Membership


def member_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in members of the request's workspace only; others are sent to log in or get 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.membership is None:  # type: ignore[attr-defined]
            raise Http404("Not a member of this workspace")
        return view(request, *args, **kwargs)

    return wrapper


def capability_required(
    cap: Cap,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Members whose roles grant ``cap``; other members get the 403 page."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @member_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not can(request.membership, cap):  # type: ignore[attr-defined]
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def access_membership(member: Membership, membership_id: int, cap: Cap) -> Membership:
    """A membership of the member's workspace that ``cap`` lets them act on, or 404."""
    if not can(member, cap):
        raise Http404
    try:
        return Membership.objects.select_related("user").get(
            workspace=member.workspace, id=membership_id, removed_at__isnull=True
        )
    except Membership.DoesNotExist:
        raise Http404 from None
