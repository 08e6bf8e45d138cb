"""Writing the activity log. Every action records its event through ``record_event``."""

from __future__ import annotations

from typing import Any

from django.db import models

from .models import Event
from .verbs import Verb


def record_event(
    workspace: Any,
    verb: Verb,
    *,
    actor: Any | None,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> Event:
    """Append one event; the target is remembered by type, id and label so it survives deletion."""
    verb = Verb(verb)  # only known event types are recorded
    event = Event(
        workspace=workspace,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        data=data or {},
    )
    if target is not None:
        event.target_type = target._meta.label_lower
        event.target_id = str(target.pk)
        event.target_label = str(target)[:200]
    event.save()
    return event
