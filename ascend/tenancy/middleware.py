"""Per-request workspace (from the host name) and the visitor's membership in it."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django_scopes import scope

from .queries import active_membership, workspace_for_host


def unknown_host_response(request: HttpRequest) -> HttpResponse:
    """No workspace means no session or user either: a self-contained page, or JSON for the API."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": {"code": "unknown_workspace",
                       "message": _("There is no coaching workspace at this address."),
                       "fields": {}}},
            status=404,
        )  # fmt: skip
    return HttpResponseNotFound(render_to_string("tenancy/unknown_host.html"))


class WorkspaceMiddleware:
    """Resolve ``request.workspace`` from the host and scope every query to it.

    Queries of workspace-owned models outside this scope raise, so a view that
    forgot to filter by workspace fails loudly instead of leaking rows.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        workspace = workspace_for_host(request.get_host())
        if workspace is None:
            return unknown_host_response(request)
        request.workspace = workspace  # type: ignore[attr-defined]
        with scope(workspace=workspace):
            return self.get_response(request)


class MembershipMiddleware:
    """``request.membership``: the signed-in person's active membership here, or None."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = None
        if request.user.is_authenticated:
            membership = active_membership(request.workspace, request.user)  # type: ignore[attr-defined]
        request.membership = membership  # type: ignore[attr-defined]
        return self.get_response(request)
