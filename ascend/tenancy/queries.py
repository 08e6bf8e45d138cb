"""Reads of workspaces and memberships, already scoped."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django_scopes import scopes_disabled

from ascend.accounts.models import User

from .models import Membership, Workspace
from .roles import Role


def workspace_for_host(host: str) -> Workspace | None:
    """The workspace a host name serves.

    ``<slug>.<base domain>`` serves that slug, a workspace's custom domain serves
    it, and the default hosts (127.0.0.1, localhost) serve the default workspace.
    """
    name = host.split(":", 1)[0].lower().rstrip(".")
    if name in settings.ASCEND_DEFAULT_HOSTS:
        return Workspace.objects.filter(slug=settings.ASCEND_DEFAULT_WORKSPACE).first()
    suffix = "." + settings.ASCEND_BASE_DOMAIN
    if name.endswith(suffix):
        slug = name[: -len(suffix)]
        if "." not in slug:
            return Workspace.objects.filter(slug=slug).first()
        return None
    return Workspace.objects.filter(custom_domain=name).first()


def active_membership(workspace: Workspace, user: User) -> Membership | None:
    """The person's active membership here, with their unread in-app notices and unread
    messages counted (subqueries of the same query, so every page's frame costs one query)."""
    from ascend.messaging.models import Participant
    from ascend.notifications.models import Notice

    unread = (
        Notice.objects.filter(
            workspace=OuterRef("workspace"), user=OuterRef("user"), read_at__isnull=True
        )
        .order_by()
        .values("user")
        .annotate(n=Count("id"))
        .values("n")
    )
    unread_messages = (
        Participant.objects.filter(member=OuterRef("pk"), unread_count__gt=0)
        .order_by()
        .values("member")
        .annotate(n=Sum("unread_count"))
        .values("n")
    )
    return (
        Membership.objects.select_related("workspace")
        .filter(workspace=workspace, user=user, removed_at__isnull=True)
        .annotate(
            unread_notices=Coalesce(Subquery(unread, output_field=IntegerField()), 0),
            unread_messages=Coalesce(Subquery(unread_messages, output_field=IntegerField()), 0),
        )
        .first()
    )


def workspaces_of(user: User) -> list[Workspace]:
    """Every workspace the person is an active member of (for the switcher).

    This crosses workspaces on purpose, for the person's own memberships only.
    """
    with scopes_disabled():
        return list(
            Workspace.objects.filter(
                memberships__user=user, memberships__removed_at__isnull=True
            ).order_by("name")
        )


def members(workspace: Workspace) -> QuerySet[Membership]:
    """Active members of the workspace, with their user, for the members page and API."""
    return (
        Membership.objects.filter(workspace=workspace, removed_at__isnull=True)
        .select_related("user", "team_leader__user")
        .order_by("user__full_name", "user__email")
    )


def members_with_role(workspace: Workspace, role: Role) -> QuerySet[Membership]:
    from .models import role_filter

    return members(workspace).filter(role_filter(role))


def owners_count(workspace: Workspace) -> int:
    return members(workspace).filter(is_owner=True).count()
