"""In-app notices: the person sees them under "Notices" in any portal, with an unread count."""

from __future__ import annotations

from typing import Any

from django.utils import timezone, translation
from django.utils.functional import Promise

from .models import Notice


def notify(
    workspace: Any,
    user: Any,
    text: str | Promise,
    *,
    url: str = "",
    params: dict[str, Any] | None = None,
) -> Notice:
    """Leave a notice for one person, worded in their language (else the workspace's).

    ``text`` is a translatable string (gettext_lazy) with %(name)s placeholders
    filled from ``params`` once the person's language is active.
    """
    language = getattr(user, "language", "") or workspace.default_language
    with translation.override(language):
        rendered = str(text) % (params or {}) if params else str(text)
    return Notice.objects.create(workspace=workspace, user=user, text=rendered[:300], url=url)


def unread_count(workspace: Any, user: Any) -> int:
    return Notice.objects.filter(workspace=workspace, user=user, read_at__isnull=True).count()


def mark_all_read(workspace: Any, user: Any) -> int:
    return Notice.objects.filter(workspace=workspace, user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
