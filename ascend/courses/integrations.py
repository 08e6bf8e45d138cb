"""The course portal's integrations on learner pages, and the content security policy they need.

Seed 003: a help desk (domain + shared secret, giving learners a signed single sign-on
link), an analytics measurement id (Google Analytics 4) and an ad pixel id (Meta pixel).
Each is rendered into learner pages only when set (``courses/_integrations.html``), and
``IntegrationsPolicyMiddleware`` then widens the policy of that response by exactly the
hosts it needs; staff pages and workspaces without integrations keep the strict policy.
Lesson pages (/me/courses/) may frame the video players of ``rules.VIDEO_FRAME_HOSTS``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership, Workspace

from .models import PortalSettings
from .rules import VIDEO_FRAME_HOSTS

# The course portal's learner pages. The rest of the client portal (messages, programs…)
# carries no third-party tag: an ad pixel must not see private conversations' addresses.
LEARNER_PAGE_PREFIXES = ("/me/courses/", "/me/support/")
# Learner lesson pages embed video players.
LESSON_PAGE_PREFIX = "/me/courses/"

# What each tag loads and talks to (Google's and Meta's own CSP guidance).
ANALYTICS_POLICY: dict[str, tuple[str, ...]] = {
    "script-src": ("https://*.googletagmanager.com",),
    "img-src": ("https://*.google-analytics.com", "https://*.googletagmanager.com"),
    "connect-src": (
        "https://*.google-analytics.com",
        "https://*.analytics.google.com",
        "https://*.googletagmanager.com",
    ),
}
PIXEL_POLICY: dict[str, tuple[str, ...]] = {
    "script-src": ("https://connect.facebook.net",),
    "img-src": ("https://www.facebook.com",),
    "connect-src": ("https://www.facebook.com", "https://connect.facebook.net"),
}
VIDEO_POLICY: dict[str, tuple[str, ...]] = {"frame-src": VIDEO_FRAME_HOSTS}

# The single sign-on token lives five minutes: long enough for the redirect, no more.
SSO_TOKEN_SECONDS = 5 * 60


# The help desk's single sign-on ----------------------------------------------------------


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def hs256_jwt(claims: dict[str, Any], secret: str) -> str:
    """A JSON Web Token signed with HMAC-SHA256 (RFC 7519, RFC 7515 compact form).

    Written here rather than with PyJWT, which the project does not depend on: signing
    HS256 is three lines of the standard library, and only signing is needed.
    """
    header = {"alg": "HS256", "typ": "JWT"}
    signing_input = ".".join(
        _b64url(json.dumps(part, separators=(",", ":"), sort_keys=True).encode())
        for part in (header, claims)
    )
    signature = hmac.new(secret.encode(), signing_input.encode("ascii"), hashlib.sha256).digest()
    return f"{signing_input}.{_b64url(signature)}"


def helpdesk_claims(learner: Membership, now: float | None = None) -> dict[str, Any]:
    """Who the learner is, for the help desk: name, email and the membership as external id."""
    issued = int(now if now is not None else time.time())
    user = learner.user
    return {
        "iat": issued,
        "exp": issued + SSO_TOKEN_SECONDS,
        "jti": uuid.uuid4().hex,
        "name": user.full_name or user.email,
        "email": user.email,
        "external_id": str(learner.pk),
    }


def helpdesk_sso_url(found: PortalSettings, learner: Membership, now: float | None = None) -> str:
    """https://<domain>/access/jwt?jwt=<token>: the help desk signs the learner in."""
    token = hs256_jwt(helpdesk_claims(learner, now), found.helpdesk_secret)
    return f"https://{found.helpdesk_domain}/access/jwt?{urlencode({'jwt': token})}"


# What a learner page shows ----------------------------------------------------------------


@dataclass(frozen=True)
class Integrations:
    helpdesk_url: str = ""
    analytics_id: str = ""
    pixel_id: str = ""

    @property
    def active(self) -> bool:
        return bool(self.helpdesk_url or self.analytics_id or self.pixel_id)

    def policy(self) -> dict[str, tuple[str, ...]]:
        """The hosts the rendered tags need, by directive."""
        wanted: dict[str, tuple[str, ...]] = {}
        for on, extra in ((self.analytics_id, ANALYTICS_POLICY), (self.pixel_id, PIXEL_POLICY)):
            if on:
                for directive, hosts in extra.items():
                    wanted[directive] = wanted.get(directive, ()) + hosts
        return wanted


NONE = Integrations()


def settings_of(workspace: Workspace) -> PortalSettings | None:
    """The workspace's portal settings, or None before any were saved.

    Read through the reverse one-to-one so the answer is kept on the workspace object:
    the page's snippet and a navigation check share one query per request.
    """
    try:
        return workspace.portal_settings  # type: ignore[attr-defined, no-any-return]
    except PortalSettings.DoesNotExist:
        return None


def helpdesk_configured(workspace: Workspace) -> bool:
    found = settings_of(workspace)
    return bool(found and found.helpdesk_enabled)


def is_learner_page(request: HttpRequest) -> bool:
    return request.path.startswith(LEARNER_PAGE_PREFIXES) and can(
        getattr(request, "membership", None), Cap.COURSES_LEARN
    )


def for_request(request: HttpRequest) -> Integrations:
    """The integrations to render into this page: none outside learner pages or when unset.

    Remembered on the request, so the policy middleware allows exactly what was rendered.
    """
    if not is_learner_page(request):
        return NONE
    found = settings_of(request.workspace)  # type: ignore[attr-defined]
    if found is None:
        return NONE
    shown = Integrations(
        helpdesk_url=reverse("helpdesk:sso") if found.helpdesk_enabled else "",
        analytics_id=found.analytics_measurement_id,
        pixel_id=found.ad_pixel_id,
    )
    request._course_integrations = shown  # type: ignore[attr-defined]
    return shown


# The content security policy ------------------------------------------------------------


def _base_directives() -> dict[str, Any]:
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    return policy.get("DIRECTIVES", {})


def widen(update: dict[str, Any] | None, extra: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    """``update`` (django-csp's per-response additions) with ``extra`` hosts added.

    A directive the base policy leaves out falls back to default-src; adding it would
    silently drop what default-src allowed (e.g. fetches to 'self'), so it starts from
    default-src's sources.
    """
    base = _base_directives()
    merged: dict[str, list[str]] = {k: list(v) for k, v in (update or {}).items()}
    for directive, hosts in extra.items():
        sources = merged.setdefault(directive, [])
        if directive not in base and not sources:
            sources.extend(base.get("default-src", ()))
        sources.extend(h for h in hosts if h not in sources)
    return merged


class IntegrationsPolicyMiddleware:
    """Allow, per response, the hosts of the integrations rendered into it and, on lesson
    pages, the video players. Every other response keeps the settings' strict policy.

    Listed after django-csp's middleware, so its changes are seen when the header is built.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        extra: dict[str, tuple[str, ...]] = {}
        shown: Integrations | None = getattr(request, "_course_integrations", None)
        if shown is not None:
            extra.update(shown.policy())
        if request.path.startswith(LESSON_PAGE_PREFIX):
            extra.update(VIDEO_POLICY)
        if extra:
            response._csp_update = widen(getattr(response, "_csp_update", None), extra)  # type: ignore[attr-defined]
        return response
