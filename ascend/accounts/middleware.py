"""Each person sees pages in their own language and time zone."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def preferred_language(request: HttpRequest) -> str:
    """The person's chosen language, else the picker's cookie, else the workspace's default."""
    user = request.user
    if user.is_authenticated and user.language in SUPPORTED:  # type: ignore[union-attr]
        return user.language  # type: ignore[union-attr,return-value]
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "").lower()
    if cookie in SUPPORTED:
        return cookie
    workspace = getattr(request, "workspace", None)
    if workspace is not None and workspace.default_language in SUPPORTED:
        return workspace.default_language
    return settings.LANGUAGE_CODE


def preferred_time_zone(request: HttpRequest) -> str:
    user = request.user
    if user.is_authenticated and user.time_zone:  # type: ignore[union-attr]
        return user.time_zone  # type: ignore[union-attr,return-value]
    workspace = getattr(request, "workspace", None)
    return workspace.time_zone if workspace is not None else "UTC"


class UserPreferencesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = preferred_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()  # type: ignore[attr-defined]
        try:
            timezone.activate(zoneinfo.ZoneInfo(preferred_time_zone(request)))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", language)
        return response
