"""The email templates Ascend sends, with the placeholders each one offers.

Template files live in ``templates/emails/<language>/<name>.subject.txt`` and
``.body.txt``; a workspace may override them per language. Contexts hold plain
strings only, so an admin's template can show nothing but what is listed here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class EmailTemplateSpec:
    name: str
    label: str
    placeholders: dict[str, str] = field(default_factory=dict)
    sample: dict[str, str] = field(default_factory=dict)


_COMMON = {
    "workspace_name": _("Your workspace's name"),
    "recipient_name": _("The recipient's name"),
}
_COMMON_SAMPLE = {"workspace_name": "Summit Coaching", "recipient_name": "Alex Rivera"}

EMAIL_TEMPLATES: dict[str, EmailTemplateSpec] = {
    spec.name: spec
    for spec in [
        EmailTemplateSpec(
            "staff_invitation",
            _("Invitation to join the team"),
            {
                **_COMMON,
                "inviter_name": _("Who sent the invitation"),
                "roles": _("The roles offered"),
                "accept_url": _("The link that accepts the invitation"),
                "expires_on": _("The date the link stops working"),
            },
            {
                **_COMMON_SAMPLE,
                "inviter_name": "Jordan Lee",
                "roles": "Coach",
                "accept_url": "https://summit.example.com/invitations/sample/",
                "expires_on": "4 December 2026",
            },
        ),
        EmailTemplateSpec(
            "password_reset",
            _("Password reset"),
            {**_COMMON, "reset_url": _("The link that sets a new password")},
            {**_COMMON_SAMPLE, "reset_url": "https://summit.example.com/reset/sample/"},
        ),
        EmailTemplateSpec(
            "password_changed",
            _("Password changed"),
            dict(_COMMON),
            dict(_COMMON_SAMPLE),
        ),
    ]
}


def get_spec(name: str) -> EmailTemplateSpec:
    return EMAIL_TEMPLATES[name]
