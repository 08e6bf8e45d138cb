"""``course_integrations`` for the page frame: the learner-page integrations, read lazily."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import integrations


def course_integrations(request: HttpRequest) -> dict[str, Any]:
    """Evaluated only when a template uses it (``courses/_integrations.html``), and then
    only learner pages read the portal settings: other pages run no query for it."""
    return {"course_integrations": SimpleLazyObject(lambda: integrations.for_request(request))}
