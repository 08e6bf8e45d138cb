"""The typed events of the activity log. Apps add their verbs here, one label each."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    MEMBER_INVITED = "member.invited", _("Team member invited")
    MEMBER_INVITATION_RESENT = "member.invitation_resent", _("Team invitation resent")
    MEMBER_INVITATION_REVOKED = "member.invitation_revoked", _("Team invitation revoked")
    MEMBER_JOINED = "member.joined", _("Team member joined")
    MEMBER_ROLES_CHANGED = "member.roles_changed", _("Roles changed")
    MEMBER_REMOVED = "member.removed", _("Member removed")
    WORKSPACE_UPDATED = "workspace.updated", _("Workspace settings changed")
    EMAIL_TEMPLATE_CHANGED = "email_template.changed", _("Email template changed")
    API_TOKEN_CREATED = "api_token.created", _("API token created")
    API_TOKEN_REVOKED = "api_token.revoked", _("API token revoked")
