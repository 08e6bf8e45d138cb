"""API authentication: the browser session (with CSRF) or a personal bearer token.

Rules: a request is authenticated only as an active member of the workspace its
host serves; anyone else — anonymous, a member of another workspace, a removed
member, a revoked or foreign token — gets 401 ``not_authenticated``. A signed-in
browser session must also pass Django's CSRF check on unsafe methods (403
``csrf_failed``); bearer tokens need no CSRF token.
"""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from ascend.lib.tokens import hash_token
from ascend.tenancy.queries import active_membership

from .errors import ApiError
from .models import ApiToken

# Writing last_used_at on every request would turn each read into a write;
# to the minute is all the tokens page shows.
LAST_USED_PRECISION = timedelta(minutes=5)


class MemberSessionAuth(SessionAuth):
    """A signed-in member of the request's workspace, CSRF-checked on unsafe methods."""

    def _get_key(self, request: HttpRequest) -> str | None:
        # Ninja checks CSRF before knowing whether anyone is signed in, so a
        # script with a bad token would hear "CSRF failed" instead of 401; only
        # a session that would authenticate needs the check.
        if not request.user.is_authenticated or getattr(request, "membership", None) is None:
            return None
        csrf_exempt = getattr(request, "_ninja_csrf_exempt", False)
        if not csrf_exempt and check_csrf(request) is not None:
            raise ApiError(
                403,
                "csrf_failed",
                _("The request lacks a valid CSRF token; reload the page and try again."),
            )
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key):  # type: ignore[no-untyped-def,override]
        user = super().authenticate(request, key)
        if user and getattr(request, "membership", None) is not None:
            return user
        return None


class TokenAuth(HttpBearer):
    """``Authorization: Bearer asc_…``: a live token of an active member of this workspace."""

    def authenticate(self, request: HttpRequest, token: str):  # type: ignore[no-untyped-def,override]
        found = (
            ApiToken.objects.select_related("user")
            .filter(
                workspace=request.workspace,  # type: ignore[attr-defined]
                key_hash=hash_token(token),
                revoked_at__isnull=True,
            )
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        membership = active_membership(request.workspace, found.user)  # type: ignore[attr-defined]
        if membership is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.membership = membership  # type: ignore[attr-defined]
        return found.user
