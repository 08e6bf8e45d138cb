"""Absolute links to a workspace's pages, for emails and redirects between workspaces."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def workspace_url(workspace, path: str, request: HttpRequest | None = None) -> str:
    """An absolute URL of ``path`` on the workspace's own host.

    When the request is already on this workspace, its host (and port) are kept,
    so links work the same behind 127.0.0.1:8000 locally and on a real domain.
    """
    if request is not None and getattr(request, "workspace", None) == workspace:
        return request.build_absolute_uri(path)
    host = workspace.host
    if request is not None:
        port = request.get_port()
        if port not in ("80", "443") and ":" not in host:
            host = f"{host}:{port}"
    return f"{settings.ASCEND_URL_SCHEME}://{host}{path}"
