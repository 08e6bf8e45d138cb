from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from .navigation import current_portal, nav_entries, nav_for, portals_for


def shell(request: HttpRequest) -> dict:
    """What every page's frame needs: the portals, the navigation and the workspace switcher."""
    membership = getattr(request, "membership", None)
    allowed = portals_for(membership)
    portal = current_portal(request.path, allowed)
    workspaces = []
    # Counted in the same query that loads the membership (tenancy.queries.active_membership).
    unread_notices = getattr(membership, "unread_notices", 0)
    unread_messages = getattr(membership, "unread_messages", 0)
    if request.user.is_authenticated:
        from ascend.tenancy.queries import workspaces_of

        workspaces = [
            {
                "name": ws.name,
                "url": reverse("portals:switch", args=[ws.slug]),
                "current": ws == getattr(request, "workspace", None),
            }
            for ws in workspaces_of(request.user)  # type: ignore[arg-type]
        ]
    nav_items = nav_for(membership, portal, request.path)
    return {
        "workspace": getattr(request, "workspace", None),
        "membership": membership,
        "portals": [
            {"label": p.label, "url": reverse(p.url_name), "current": p == portal} for p in allowed
        ],
        "current_portal": portal,
        "nav_items": nav_items,
        "nav_entries": nav_entries(nav_items),
        "workspaces": workspaces,
        "unread_notices": unread_notices,
        "unread_messages": unread_messages,
        "language_choices": settings.LANGUAGES,
    }
