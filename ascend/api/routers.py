"""The foundation's endpoints: me, workspaces, members and invitations, tokens.

Each endpoint applies exactly the capability its page checks (see
``ascend/tenancy/capabilities.py``): any member may read ``/me`` and
``/workspaces`` and manage their own tokens; only owners and admins see,
invite, change or remove members. Objects of another workspace, or another
person's tokens, are answered with 404 as if they did not exist.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from ascend.accounts import actions as account_actions
from ascend.accounts.models import StaffInvitation
from ascend.tenancy import actions as tenancy_actions
from ascend.tenancy.access import access_membership
from ascend.tenancy.capabilities import CAPABILITIES, Cap, can
from ascend.tenancy.models import Membership
from ascend.tenancy.queries import members, workspaces_of

from . import actions as token_actions
from .models import ApiToken
from .schemas import (
    ErrorOut,
    InvitationIn,
    InvitationOut,
    MemberOut,
    MeOut,
    RolesIn,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
    WorkspaceOut,
)

# 400 is an unreadable JSON body; the rest are the error format's usual answers.
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}

router = Router()


def _require(request: HttpRequest, cap: Cap) -> None:
    """Members whose roles lack ``cap`` get 403 ``forbidden``."""
    if not can(request.membership, cap):  # type: ignore[attr-defined]
        raise PermissionDenied


def _member_out(m: Membership) -> dict:
    return {
        "id": m.id,
        "user": m.user,
        "roles": sorted(r.value for r in m.roles),
        "team_leader_id": m.team_leader_id,
        "joined_at": m.joined_at,
    }


@router.get("/me", response={200: MeOut, **ERRORS}, tags=["me"])
def me(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The signed-in person, this workspace, their roles and what those allow."""
    membership = request.membership  # type: ignore[attr-defined]
    return {
        "user": request.user,
        "workspace": request.workspace,  # type: ignore[attr-defined]
        "roles": sorted(r.value for r in membership.roles),
        "capabilities": sorted(c.value for c in CAPABILITIES if can(membership, c)),
    }


@router.get("/workspaces", response={200: list[WorkspaceOut], **ERRORS}, tags=["workspaces"])
def list_workspaces(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The workspaces the person belongs to."""
    return workspaces_of(request.user)  # type: ignore[arg-type]


@router.get("/members", response={200: list[MemberOut], **ERRORS}, tags=["members"])
def list_members(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The workspace's active members (owners and admins only)."""
    _require(request, Cap.MEMBERS_VIEW)
    return [_member_out(m) for m in members(request.workspace)]  # type: ignore[attr-defined]


@router.post("/members/invitations", response={201: InvitationOut, **ERRORS}, tags=["members"])
def invite_member(request: HttpRequest, payload: InvitationIn):  # type: ignore[no-untyped-def]
    """Invite a team member by email; the same rules as the Team page.

    Refused with 422: a bad email, an unknown role, coach and client together
    (``coach_client_exclusive``), the owner role, someone already on the team or
    already invited.
    """
    _require(request, Cap.MEMBERS_INVITE)
    invitation = account_actions.do_invite_staff(
        request.workspace,  # type: ignore[attr-defined]
        email=payload.email,
        full_name=payload.full_name,
        roles=payload.roles,
        actor=request.user,  # type: ignore[arg-type]
        request=request,
    )
    return Status(201, invitation)


@router.get("/members/invitations", response={200: list[InvitationOut], **ERRORS}, tags=["members"])
def list_invitations(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Open invitations: neither accepted nor revoked (owners and admins only)."""
    _require(request, Cap.MEMBERS_INVITE)
    return StaffInvitation.objects.filter(
        workspace=request.workspace,  # type: ignore[attr-defined]
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    )


@router.patch("/members/{member_id}", response={200: MemberOut, **ERRORS}, tags=["members"])
def change_roles(request: HttpRequest, member_id: int, payload: RolesIn):  # type: ignore[no-untyped-def]
    """Give a member a new set of roles.

    Refused with 422: an admin touching an owner or ownership
    (``owner_protected``), the last owner giving up ownership (``last_owner``),
    and the role rules of invitations.
    """
    _require(request, Cap.MEMBERS_CHANGE_ROLES)
    target = access_membership(request.membership, member_id, Cap.MEMBERS_CHANGE_ROLES)  # type: ignore[attr-defined]
    tenancy_actions.do_change_roles(
        target,
        payload.roles,
        actor_membership=request.membership,  # type: ignore[attr-defined]
    )
    return _member_out(target)


@router.delete("/members/{member_id}", response={204: None, **ERRORS}, tags=["members"])
def remove_member(request: HttpRequest, member_id: int):  # type: ignore[no-untyped-def]
    """Remove a member from the workspace; their history stays.

    Refused with 422: removing yourself (``remove_self``), an admin removing an
    owner (``owner_protected``), removing the last owner (``last_owner``).
    """
    _require(request, Cap.MEMBERS_REMOVE)
    target = access_membership(request.membership, member_id, Cap.MEMBERS_REMOVE)  # type: ignore[attr-defined]
    tenancy_actions.do_remove_member(target, actor_membership=request.membership)  # type: ignore[attr-defined]
    return Status(204, None)


def _own_tokens(request: HttpRequest) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(workspace=request.workspace, user=request.user)  # type: ignore[attr-defined,misc]


@router.get("/tokens", response={200: list[TokenOut], **ERRORS}, tags=["tokens"])
def list_tokens(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The person's own tokens in this workspace (never anyone else's)."""
    _require(request, Cap.API_TOKENS)
    return _own_tokens(request)


@router.post("/tokens", response={201: TokenCreatedOut, **ERRORS}, tags=["tokens"])
def create_token(request: HttpRequest, payload: TokenIn):  # type: ignore[no-untyped-def]
    """A new token; its secret is in this answer only (the database keeps its hash)."""
    _require(request, Cap.API_TOKENS)
    token, secret = token_actions.do_create_api_token(
        request.workspace,  # type: ignore[attr-defined]
        request.user,
        name=payload.name,
    )
    return Status(201, {**TokenOut.model_validate(token).model_dump(), "token": secret})


@router.delete("/tokens/{token_id}", response={204: None, **ERRORS}, tags=["tokens"])
def revoke_token(request: HttpRequest, token_id: int):  # type: ignore[no-untyped-def]
    """Revoke one of the person's own tokens; another person's token is a 404."""
    _require(request, Cap.API_TOKENS)
    token = get_object_or_404(_own_tokens(request), id=token_id)
    token_actions.do_revoke_api_token(token, actor=request.user)
    return Status(204, None)
