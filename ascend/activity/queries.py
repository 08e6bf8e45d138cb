from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Event


def events(workspace: Any, *, verb: str = "", actor_id: int | None = None) -> QuerySet[Event]:
    """The workspace's events, newest first, optionally of one type and by one person."""
    qs = Event.objects.filter(workspace=workspace).select_related("actor")
    if verb:
        qs = qs.filter(verb=verb)
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    return qs
