"""Creating and revoking personal API tokens."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ascend.activity.actions import record_event
from ascend.activity.verbs import Verb
from ascend.lib.errors import field_error
from ascend.lib.tokens import new_token

from .models import ApiToken

MAX_ACTIVE_TOKENS = 20


@transaction.atomic
def do_create_api_token(workspace, user, *, name: str) -> tuple[ApiToken, str]:  # type: ignore[no-untyped-def]
    """Make a token for the person in this workspace; the secret is returned once, never stored."""
    name = name.strip()
    if not name:
        raise field_error(
            "name", _("Give the token a name, e.g. the tool that uses it."), "name_required"
        )
    active = ApiToken.objects.filter(workspace=workspace, user=user, revoked_at__isnull=True)
    if active.count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("You have %(n)d active tokens. Revoke one first.") % {"n": MAX_ACTIVE_TOKENS},
            code="too_many_tokens",
        )
    secret, digest = new_token(settings.ASCEND_API_TOKEN_PREFIX)
    token = ApiToken.objects.create(
        workspace=workspace, user=user, name=name[:80], prefix=secret[:10], key_hash=digest
    )
    record_event(workspace, Verb.API_TOKEN_CREATED, actor=user, target=token)
    return token, secret


@transaction.atomic
def do_revoke_api_token(token: ApiToken, *, actor) -> ApiToken:  # type: ignore[no-untyped-def]
    """Switch a token off for good; requests with it are refused from now on."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(token.workspace, Verb.API_TOKEN_REVOKED, actor=actor, target=token)
    return token
