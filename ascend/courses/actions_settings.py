"""Saving the course portal's settings: comment moderation and the integrations (seed 003).

The help desk's shared secret is write-only: it is never shown again, an empty value
keeps the one saved, and removing it is an explicit choice.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ascend.activity.actions import record_event
from ascend.activity.verbs import Verb
from ascend.tenancy.models import Workspace

from .models import CommentModeration, PortalSettings

# HS256 with a short key is guessable; help desks issue secrets of 32 characters or more.
MIN_SECRET_LENGTH = 16
SECRET_FIELD = "helpdesk_secret"
# Fields whose values may be written to the activity log (never the secret).
PUBLIC_FIELDS = (
    "comment_moderation",
    "helpdesk_domain",
    "analytics_measurement_id",
    "ad_pixel_id",
)


def clean_domain(value: str) -> str:
    """A domain as people paste it ("https://Help.Example.com/support") reduced to its host."""
    value = (value or "").strip().lower()
    value = re.sub(r"^[a-z][a-z0-9+.-]*://", "", value)
    return value.split("/", 1)[0].split("?", 1)[0].rstrip(".")


@transaction.atomic
def do_save_portal_settings(
    workspace: Workspace,
    *,
    actor: Any,
    comment_moderation: str,
    helpdesk_domain: str = "",
    helpdesk_secret: str = "",
    remove_helpdesk_secret: bool = False,
    analytics_measurement_id: str = "",
    ad_pixel_id: str = "",
) -> PortalSettings:
    """Save the portal's settings; one ``PORTAL_SETTINGS_SAVED`` event names what changed.

    Rules: moderation is automatic or manual; the ids and the domain must have their
    shapes (the model's validators); an empty secret keeps the saved one, and
    ``remove_helpdesk_secret`` clears it; a new secret has at least 16 characters; a
    help-desk domain needs a secret and a secret needs a domain (single sign-on uses
    both). Nothing is saved when anything is refused.
    """
    found, _created = PortalSettings.objects.select_for_update().get_or_create(workspace=workspace)
    before = {name: getattr(found, name) for name in (*PUBLIC_FIELDS, SECRET_FIELD)}
    secret = (helpdesk_secret or "").strip()
    if secret and len(secret) < MIN_SECRET_LENGTH:
        raise ValidationError(
            {
                SECRET_FIELD: ValidationError(
                    _("The shared secret must be at least %(n)d characters long.")
                    % {"n": MIN_SECRET_LENGTH},
                    code="secret_too_short",
                )
            }
        )
    if comment_moderation not in CommentModeration.values:
        raise ValidationError(
            {
                "comment_moderation": ValidationError(
                    _("Choose automatic or manual moderation."), code="bad_moderation"
                )
            }
        )
    found.comment_moderation = comment_moderation
    found.helpdesk_domain = clean_domain(helpdesk_domain)
    found.analytics_measurement_id = (analytics_measurement_id or "").strip().upper()
    found.ad_pixel_id = (ad_pixel_id or "").strip()
    if remove_helpdesk_secret:
        found.helpdesk_secret = ""
    elif secret:
        found.helpdesk_secret = secret
    errors: dict[str, list[ValidationError]] = {}
    try:
        found.full_clean(exclude=["workspace"])
    except ValidationError as error:
        errors = {k: list(v) for k, v in error.error_dict.items()}
    if found.helpdesk_domain and not found.helpdesk_secret and SECRET_FIELD not in errors:
        errors[SECRET_FIELD] = [
            ValidationError(
                _("Add the help desk's shared secret: it signs learners in."),
                code="secret_required",
            )
        ]
    if found.helpdesk_secret and not found.helpdesk_domain and "helpdesk_domain" not in errors:
        errors["helpdesk_domain"] = [
            ValidationError(
                _("Add the help desk's domain, or remove the shared secret."),
                code="domain_required",
            )
        ]
    if errors:
        raise ValidationError(errors)
    found.save()
    changed = [name for name in PUBLIC_FIELDS if getattr(found, name) != before[name]]
    data: dict[str, Any] = {"changed": changed}
    for name in changed:
        data[name] = getattr(found, name)
    if found.helpdesk_secret != before[SECRET_FIELD]:
        changed.append(SECRET_FIELD)
        data["helpdesk_secret"] = "removed" if not found.helpdesk_secret else "changed"
    record_event(workspace, Verb.PORTAL_SETTINGS_SAVED, actor=actor, target=found, data=data)
    return found
