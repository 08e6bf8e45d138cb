"""The roles a person can hold in a workspace (DESIGN.md, "People and roles")."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    COACH = "coach", _("Coach")
    HEAD_COACH = "head_coach", _("Head coach")
    SUPERVISOR = "supervisor", _("Supervisor")
    ATTENDANT = "attendant", _("Attendant")
    AUDITOR = "auditor", _("Auditor")
    OPERATOR = "operator", _("Operator")
    CLIENT = "client", _("Client")


STAFF_ROLES = frozenset(Role) - {Role.CLIENT}
# Roles an invitation to the team may grant; ownership is transferred, never invited.
INVITABLE_STAFF_ROLES = STAFF_ROLES - {Role.OWNER}


def normalize_roles(roles: Iterable[str]) -> frozenset[Role]:
    """Validate a set of roles and return it in canonical form.

    Rules: every name must be a known role; a head coach is always a coach too;
    a coach of a workspace cannot be its client at the same time (and the
    reverse); a person must hold at least one role.
    """
    result: set[Role] = set()
    for name in roles:
        try:
            result.add(Role(name))
        except ValueError:
            raise ValidationError(
                _("“%(role)s” is not a role."), code="unknown_role", params={"role": name}
            ) from None
    if Role.HEAD_COACH in result:
        result.add(Role.COACH)
    if Role.COACH in result and Role.CLIENT in result:
        raise ValidationError(
            _(
                "A coach of this workspace cannot also be its client. "
                "To take part as a client, the person needs a separate account."
            ),
            code="coach_client_exclusive",
        )
    if not result:
        raise ValidationError(_("Choose at least one role."), code="no_role")
    return frozenset(result)


def normalize_role_field(roles: Iterable[str]) -> frozenset[Role]:
    """``normalize_roles`` with its errors attached to the form's ``roles`` field."""
    try:
        return normalize_roles(roles)
    except ValidationError as error:
        raise ValidationError({"roles": error.error_list}) from None


def role_labels(roles: Iterable[Role]) -> list[str]:
    """Role names for display, in the order of the Role enumeration."""
    chosen = set(roles)
    return [str(role.label) for role in Role if role in chosen]
