"""Every change to workspaces and memberships."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ascend.activity.actions import record_event
from ascend.activity.verbs import Verb
from ascend.lib.errors import field_error

from .models import Membership, Workspace
from .roles import Role, normalize_role_field


def check_may_manage(actor_membership: Membership, target: Membership) -> None:
    """Admins manage everyone except owners; only an owner changes an owner's membership."""
    if target.is_owner and not actor_membership.is_owner:
        raise ValidationError(
            _("Only an owner can change another owner's membership."), code="owner_protected"
        )


def check_keeps_an_owner(target: Membership, new_roles: frozenset[Role] | None) -> None:
    """A workspace always keeps at least one owner."""
    losing_owner = target.is_owner and (new_roles is None or Role.OWNER not in new_roles)
    if not losing_owner:
        return
    others = Membership.objects.filter(
        workspace=target.workspace, is_owner=True, removed_at__isnull=True
    ).exclude(pk=target.pk)
    if not others.exists():
        raise ValidationError(
            _("The workspace needs at least one owner. Make someone else owner first."),
            code="last_owner",
        )


@transaction.atomic
def do_change_roles(
    target: Membership, roles: Iterable[str], *, actor_membership: Membership
) -> Membership:
    """Give a member a new set of roles.

    Rules: ``normalize_roles`` (coach and client exclusive, head coach is a coach);
    only an owner grants or removes the owner role or touches an owner; the
    workspace keeps at least one owner.
    """
    chosen = normalize_role_field(roles)
    check_may_manage(actor_membership, target)
    if (Role.OWNER in chosen) != target.is_owner and not actor_membership.is_owner:
        raise field_error(
            "roles", _("Only an owner can grant or remove ownership."), "owner_protected"
        )
    check_keeps_an_owner(target, chosen)
    before = sorted(r.value for r in target.roles)
    target.set_roles(chosen)
    if not target.is_coach:
        target.led_coaches.update(team_leader=None)
    target.full_clean(validate_unique=False)
    target.save()
    if target.is_client:
        # The CRM lists contacts: a member made a client gets their record there.
        from ascend.crm.client_records import ensure_client_contact

        ensure_client_contact(target, actor=actor_membership.user)
    record_event(
        target.workspace,
        Verb.MEMBER_ROLES_CHANGED,
        actor=actor_membership.user,
        target=target,
        data={"before": before, "after": sorted(r.value for r in chosen)},
    )
    return target


@transaction.atomic
def do_set_team_leader(
    target: Membership, leader: Membership | None, *, actor_membership: Membership
) -> Membership:
    """Put a coach under a head coach of the same workspace (or under nobody)."""
    if leader is not None:
        if not target.is_coach:
            raise ValidationError({"team_leader": _("Only coaches have a head coach.")})
        if leader.workspace_id != target.workspace_id or not leader.is_head_coach:
            raise ValidationError({"team_leader": _("Choose a head coach of this workspace.")})
        if leader.pk == target.pk:
            raise ValidationError({"team_leader": _("A coach can't lead themselves.")})
    target.team_leader = leader
    target.save(update_fields=["team_leader"])
    return target


@transaction.atomic
def do_remove_member(target: Membership, *, actor_membership: Membership) -> Membership:
    """Remove a member: they lose access, and everything they did stays on record."""
    if target.pk == actor_membership.pk:
        raise ValidationError(
            _("You can't remove yourself. Ask another admin or owner."), code="remove_self"
        )
    check_may_manage(actor_membership, target)
    check_keeps_an_owner(target, None)
    target.removed_at = timezone.now()
    target.save(update_fields=["removed_at"])
    target.led_coaches.update(team_leader=None)
    record_event(target.workspace, Verb.MEMBER_REMOVED, actor=actor_membership.user, target=target)
    return target


WORKSPACE_SETTING_FIELDS = [
    "name",
    "time_zone",
    "default_language",
    "custom_domain",
    "ranks_enabled",
    "rank_term",
    "rank_term_custom",
    "rank_term_custom_one",
]


@transaction.atomic
def do_update_workspace(workspace: Workspace, *, actor, **values) -> Workspace:  # type: ignore[no-untyped-def]
    """Change the workspace's name, language, time zone, words and custom domain."""
    changed = {}
    for field, value in values.items():
        if field not in WORKSPACE_SETTING_FIELDS:
            raise ValueError(field)
        if getattr(workspace, field) != value:
            changed[field] = [str(getattr(workspace, field)), str(value)]
            setattr(workspace, field, value)
    if workspace.custom_domain == "":
        workspace.custom_domain = None
    workspace.full_clean()
    workspace.save()
    if changed:
        record_event(workspace, Verb.WORKSPACE_UPDATED, actor=actor, target=workspace, data=changed)
    return workspace


@transaction.atomic
def do_create_workspace(
    *,
    name: str,
    slug: str,
    owner,
    time_zone: str = "UTC",  # type: ignore[no-untyped-def]
    default_language: str = "en",
) -> Workspace:
    """A new workspace with its first owner."""
    workspace = Workspace(
        name=name, slug=slug, time_zone=time_zone, default_language=default_language
    )
    workspace.full_clean()
    workspace.save()
    from django_scopes import scope

    with scope(workspace=workspace):
        membership = Membership(workspace=workspace, user=owner)
        membership.set_roles({Role.OWNER})
        membership.save()
    return workspace
