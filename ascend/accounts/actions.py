"""Every change to accounts and team invitations."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ascend.activity.actions import record_event
from ascend.activity.verbs import Verb
from ascend.lib.errors import field_error
from ascend.lib.tokens import hash_token, new_token
from ascend.lib.urls import workspace_url
from ascend.notifications.outbox import send_email
from ascend.tenancy.models import Membership, Workspace
from ascend.tenancy.roles import (
    INVITABLE_STAFF_ROLES,
    Role,
    normalize_role_field,
    normalize_roles,
    role_labels,
)

from .models import StaffInvitation, User


def invitation_lifetime() -> timedelta:
    return timedelta(days=settings.ASCEND_INVITATION_DAYS)


def _validate_staff_roles(roles: list[str]) -> frozenset[Role]:
    chosen = normalize_role_field(roles)
    not_allowed = chosen - INVITABLE_STAFF_ROLES
    if not_allowed:
        raise field_error(
            "roles",
            _("A team invitation can't grant: %(roles)s.")
            % {"roles": ", ".join(role_labels(not_allowed))},
            "role_not_invitable",
        )
    return chosen


def _send_invitation_email(invitation: StaffInvitation, token: str, request=None) -> None:  # type: ignore[no-untyped-def]
    workspace = invitation.workspace
    existing = User.objects.filter(email__iexact=invitation.email).first()
    language = (existing.language if existing else "") or workspace.default_language
    with translation.override(language):
        roles = ", ".join(role_labels(Role(r) for r in invitation.roles))
        expires_on = formats.date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT")
    send_email(
        workspace=workspace,
        to=invitation.email,
        user=existing,
        language=language,
        template="staff_invitation",
        context={
            "recipient_name": invitation.full_name or invitation.email,
            "inviter_name": str(invitation.invited_by or workspace.name),
            "roles": roles,
            "accept_url": workspace_url(
                workspace, reverse("accounts:accept_invitation", args=[token]), request
            ),
            "expires_on": expires_on,
        },
    )


def _already_invited(email: str) -> ValidationError:
    return field_error(
        "email",
        _("%(email)s already has an open invitation: resend it instead.") % {"email": email},
        "already_invited",
    )


@transaction.atomic
def do_invite_staff(
    workspace: Workspace,
    *,
    email: str,
    roles: list[str],
    full_name: str = "",
    actor: User,
    request=None,  # type: ignore[no-untyped-def]
) -> StaffInvitation:
    """Invite someone to the team by email with the chosen roles.

    Rules: owners are never invited (ownership is transferred); the roles follow
    ``normalize_roles`` (coach and client exclusive); a person already on the
    team, or with an open invitation, is refused with the reason.
    """
    email = User.objects.normalize_email(email.strip()).lower()
    chosen = _validate_staff_roles(roles)
    if Membership.objects.filter(
        workspace=workspace, user__email__iexact=email, removed_at__isnull=True
    ).exists():
        raise field_error(
            "email",
            _("%(email)s is already a member of this workspace.") % {"email": email},
            "already_member",
        )
    if StaffInvitation.objects.filter(
        workspace=workspace, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).exists():
        raise _already_invited(email)
    token, digest = new_token()
    now = timezone.now()
    invitation = StaffInvitation(
        workspace=workspace,
        email=email,
        full_name=full_name.strip(),
        roles=sorted(role.value for role in chosen),
        invited_by=actor,
        token_hash=digest,
        last_sent_at=now,
        expires_at=now + invitation_lifetime(),
    )
    invitation.full_clean()
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        raise _already_invited(email) from None
    record_event(
        workspace,
        Verb.MEMBER_INVITED,
        actor=actor,
        target=invitation,
        data={"roles": invitation.roles},
    )
    _send_invitation_email(invitation, token, request)
    return invitation


@transaction.atomic
def do_resend_staff_invitation(
    invitation: StaffInvitation, *, actor: User, request=None
) -> StaffInvitation:  # type: ignore[no-untyped-def]
    """Send a fresh link: the old one stops working and the expiry starts again."""
    if not invitation.is_pending:
        raise ValidationError(
            _("This invitation was already accepted or revoked."), code="invitation_closed"
        )
    token, digest = new_token()
    now = timezone.now()
    invitation.token_hash = digest
    invitation.last_sent_at = now
    invitation.sent_count += 1
    invitation.expires_at = now + invitation_lifetime()
    invitation.save(update_fields=["token_hash", "last_sent_at", "sent_count", "expires_at"])
    record_event(
        invitation.workspace, Verb.MEMBER_INVITATION_RESENT, actor=actor, target=invitation
    )
    _send_invitation_email(invitation, token, request)
    return invitation


@transaction.atomic
def do_revoke_staff_invitation(invitation: StaffInvitation, *, actor: User) -> StaffInvitation:
    """Close an open invitation; its link then shows that it was withdrawn."""
    if not invitation.is_pending:
        raise ValidationError(
            _("This invitation was already accepted or revoked."), code="invitation_closed"
        )
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record_event(
        invitation.workspace, Verb.MEMBER_INVITATION_REVOKED, actor=actor, target=invitation
    )
    return invitation


class InvitationUnusable(Exception):
    """The link can't be used; ``reason`` is one of: unknown, used, revoked, expired."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def find_invitation(workspace: Workspace, token: str) -> StaffInvitation:
    """The open invitation a link's token belongs to, or ``InvitationUnusable`` saying why not."""
    invitation = (
        StaffInvitation.objects.filter(workspace=workspace, token_hash=hash_token(token))
        .select_related("workspace", "invited_by")
        .first()
    )
    if invitation is None:
        raise InvitationUnusable("unknown")
    if invitation.accepted_at is not None:
        raise InvitationUnusable("used")
    if invitation.revoked_at is not None:
        raise InvitationUnusable("revoked")
    if invitation.is_expired:
        raise InvitationUnusable("expired")
    return invitation


@transaction.atomic
def do_accept_staff_invitation(
    workspace: Workspace,
    token: str,
    *,
    user: User | None = None,
    full_name: str = "",
    password: str = "",
) -> Membership:
    """Accept an invitation: create the account (or use the signed-in one) and the membership.

    The invitation row is locked so two clicks on one link make one membership;
    the second finds it used. A removed member who is invited again gets their
    old membership back with the new roles.
    """
    invitation = find_invitation(workspace, token)
    invitation = StaffInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise InvitationUnusable("used")
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise InvitationUnusable("account_exists")
        user = User.objects.create_user(
            invitation.email, password, full_name=full_name.strip() or invitation.full_name
        )
    elif user.email.lower() != invitation.email.lower():
        raise InvitationUnusable("other_account")
    roles = normalize_roles(invitation.roles)
    membership = Membership.objects.filter(workspace=workspace, user=user).first()
    if membership is None:
        membership = Membership(workspace=workspace, user=user)
    elif membership.is_active:
        roles = normalize_roles(membership.roles | roles)
    membership.set_roles(roles)
    membership.removed_at = None
    membership.full_clean(validate_unique=False)
    membership.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record_event(
        workspace,
        Verb.MEMBER_JOINED,
        actor=user,
        target=membership,
        data={"roles": sorted(r.value for r in roles)},
    )
    return membership


@transaction.atomic
def do_update_preferences(user: User, *, full_name: str, language: str, time_zone: str) -> User:
    """Save a person's name, language and time zone (empty means "use the workspace's")."""
    user.full_name = full_name.strip()
    user.language = language
    user.time_zone = time_zone
    user.full_clean(exclude=["password", "email"])
    user.save(update_fields=["full_name", "language", "time_zone"])
    return user
