from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascend.accounts import actions as account_actions
from ascend.accounts.models import StaffInvitation
from ascend.lib.forms import apply_validation_error

from . import actions
from .access import access_membership, capability_required
from .capabilities import Cap, can
from .forms import InviteStaffForm, RolesForm, WorkspaceSettingsForm
from .queries import members, members_with_role
from .roles import Role


def _pending_invitations(workspace):  # type: ignore[no-untyped-def]
    return StaffInvitation.objects.filter(
        workspace=workspace, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("invited_by")


@capability_required(Cap.MEMBERS_VIEW)
def member_list(request: HttpRequest) -> HttpResponse:
    form = InviteStaffForm()
    return render(
        request,
        "tenancy/members.html",
        {
            "members": members(request.workspace),
            "invitations": _pending_invitations(request.workspace),
            "form": form,
            "can_invite": can(request.membership, Cap.MEMBERS_INVITE),
        },
    )


@capability_required(Cap.MEMBERS_INVITE)
def invite(request: HttpRequest) -> HttpResponse:
    # ?role=coach (from the Coaches page) ticks that role; anything unknown is ignored.
    offered = {value for value, _label in InviteStaffForm.base_fields["roles"].choices}
    preset = [r for r in request.GET.getlist("role") if r in offered]
    form = InviteStaffForm(request.POST or None, initial={"roles": preset})
    if request.method == "POST" and form.is_valid():
        try:
            invitation = account_actions.do_invite_staff(
                request.workspace,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                roles=form.cleaned_data["roles"],
                actor=request.user,
                request=request,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("tenancy:members")
    return render(
        request,
        "tenancy/invite.html",
        {"form": form, "invitation_days": settings.ASCEND_INVITATION_DAYS},
        status=422 if form.errors else 200,
    )


def _access_invitation(request: HttpRequest, invitation_id: int) -> StaffInvitation:
    invitation = StaffInvitation.objects.filter(
        workspace=request.workspace, id=invitation_id
    ).first()
    if invitation is None:
        raise Http404
    return invitation


@require_POST
@capability_required(Cap.MEMBERS_INVITE)
def resend_invitation(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = _access_invitation(request, invitation_id)
    try:
        account_actions.do_resend_staff_invitation(invitation, actor=request.user, request=request)
        messages.success(
            request, _("A new link was sent to %(email)s.") % {"email": invitation.email}
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("tenancy:members")


@require_POST
@capability_required(Cap.MEMBERS_INVITE)
def revoke_invitation(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = _access_invitation(request, invitation_id)
    try:
        account_actions.do_revoke_staff_invitation(invitation, actor=request.user)
        messages.success(
            request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email}
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("tenancy:members")


@capability_required(Cap.MEMBERS_CHANGE_ROLES)
def member_detail(request: HttpRequest, membership_id: int) -> HttpResponse:
    target = access_membership(request.membership, membership_id, Cap.MEMBERS_CHANGE_ROLES)
    leaders = members_with_role(request.workspace, Role.HEAD_COACH).exclude(pk=target.pk)
    initial = {"roles": [r.value for r in target.roles], "team_leader": target.team_leader}
    form = RolesForm(request.POST or None, initial=initial, leaders=leaders)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_change_roles(
                target, form.cleaned_data["roles"], actor_membership=request.membership
            )
            leader = form.cleaned_data["team_leader"] if target.is_coach else None
            actions.do_set_team_leader(target, leader, actor_membership=request.membership)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("%(name)s's roles were saved.") % {"name": target.user})
            return redirect("tenancy:members")
    return render(
        request,
        "tenancy/member_detail.html",
        {
            "target": target,
            "form": form,
            "can_remove": can(request.membership, Cap.MEMBERS_REMOVE)
            and target.pk != request.membership.pk,
        },
        status=422 if form.errors else 200,
    )


@require_POST
@capability_required(Cap.MEMBERS_REMOVE)
def remove_member(request: HttpRequest, membership_id: int) -> HttpResponse:
    target = access_membership(request.membership, membership_id, Cap.MEMBERS_REMOVE)
    try:
        actions.do_remove_member(target, actor_membership=request.membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("tenancy:member", membership_id=target.pk)
    messages.success(
        request, _("%(name)s was removed. Their history stays on record.") % {"name": target.user}
    )
    return redirect("tenancy:members")


@capability_required(Cap.WORKSPACE_SETTINGS)
def workspace_settings(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    form = WorkspaceSettingsForm(request.POST or None, instance=workspace)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_workspace(
                workspace,
                actor=request.user,
                **{f: form.cleaned_data[f] for f in actions.WORKSPACE_SETTING_FIELDS},
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Workspace settings saved."))
            return redirect("tenancy:settings")
    if form.errors:
        workspace.refresh_from_db()
    return render(
        request, "tenancy/settings.html", {"form": form}, status=422 if form.errors else 200
    )
