"""API authentication: the browser session (with CSRF) or a personal bearer token."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from ascend.lib.tokens import hash_token
from ascend.tenancy.queries import active_membership

from .models import ApiToken


class MemberSessionAuth(SessionAuth):
    """A signed-in member of the request's workspace."""

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
                workspace=request.workspace, key_hash=hash_token(token), revoked_at__isnull=True
            )
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        membership = active_membership(request.workspace, found.user)
        if membership is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > timedelta(minutes=5):
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.membership = membership
        return found.user
