"""Every change to contacts and client invitations (seed 002).

Invitations go out under the workspace's name. When an admin invites on behalf
of a coach, the coach is told by email. Accepting makes the person a client
member, gives them the invitation's package and starts their onboarding.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ascend.accounts.actions import InvitationUnusable, invitation_lifetime
from ascend.accounts.models import User
from ascend.activity.actions import record_event
from ascend.activity.verbs import Verb
from ascend.billing.models import HoldingSource, Package, PackageKind
from ascend.lib.errors import field_error
from ascend.lib.tokens import hash_token, new_token
from ascend.lib.urls import workspace_url
from ascend.notifications.outbox import recipient_language, send_email
from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership, Workspace
from ascend.tenancy.roles import Role

from .models import (
    DEFAULT_CLIENT_TYPES,
    ClientInvitation,
    ClientProfile,
    ClientType,
    Contact,
    ContactSource,
    ContactStatus,
)


def client_types(workspace: Workspace) -> list[ClientType]:
    """The workspace's client types; a workspace starts with Lead, Prospect, Contact, Client."""
    types = list(ClientType.objects.filter(workspace=workspace))
    if not types:
        ClientType.objects.bulk_create(
            [
                ClientType(workspace=workspace, name=name, position=n)
                for n, name in enumerate(DEFAULT_CLIENT_TYPES)
            ],
            ignore_conflicts=True,
        )
        types = list(ClientType.objects.filter(workspace=workspace))
    return types


def normalize_email(email: str) -> str:
    return User.objects.normalize_email((email or "").strip()).lower()


def _check_coach(workspace: Workspace, coach: Membership | None) -> None:
    if coach is not None and (
        coach.workspace_id != workspace.pk or not coach.is_active or not coach.is_coach
    ):
        raise field_error("coach", _("Choose a coach of this workspace."), "not_a_coach")


def _check_client_type(workspace: Workspace, client_type: ClientType | None) -> None:
    if client_type is None or client_type.workspace_id != workspace.pk:
        raise field_error("client_type", _("Choose a client type."), "client_type_required")


@transaction.atomic
def do_save_contact(
    workspace: Workspace,
    *,
    actor: Any,
    contact: Contact | None = None,
    full_name: str,
    email: str,
    client_type: ClientType | None,
    coach: Membership | None = None,
    phone: str = "",
    notes: str = "",
    source: str = ContactSource.MANUAL,
) -> Contact:
    """Create or change a contact; no email is sent.

    Rules: a name and a valid email, one contact per email in the workspace; a
    client type from the workspace's list; the coach, if any, a coach here.
    """
    creating = contact is None
    email = normalize_email(email)
    _check_client_type(workspace, client_type)
    _check_coach(workspace, coach)
    others = Contact.objects.filter(workspace=workspace, email=email)
    if contact is not None:
        others = others.exclude(pk=contact.pk)
    if others.exists():
        raise field_error(
            "email", _("%(email)s is already in your contacts.") % {"email": email}, "duplicate"
        )
    contact = contact or Contact(workspace=workspace, source=source, created_by=_user(actor))
    contact.full_name = (full_name or "").strip()
    contact.email = email
    contact.client_type = client_type  # type: ignore[assignment]
    contact.coach = coach
    contact.phone = (phone or "").strip()
    contact.notes = notes or ""
    contact.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            contact.save()
    except IntegrityError:
        raise field_error(
            "email", _("%(email)s is already in your contacts.") % {"email": email}, "duplicate"
        ) from None
    record_event(
        workspace,
        Verb.CONTACT_ADDED if creating else Verb.CONTACT_UPDATED,
        actor=actor,
        target=contact,
    )
    return contact


def _user(actor: Any) -> User | None:
    return actor if getattr(actor, "is_authenticated", False) else None


# Invitations -------------------------------------------------------------------------


def check_package_for_coach(package: Package | None, coach: Membership) -> None:
    """A package offered with an invitation: on offer, and on the coach's list.

    The coach's list holds the workspace's one-to-one packages and the coach's own
    packages; a group package must be the coach's own (seed 002).
    """
    if package is None:
        return
    if package.workspace_id != coach.workspace_id or not package.is_active:
        raise field_error("package", _("This package is not on offer."), "package_inactive")
    own = package.coach_id == coach.pk
    workspace_wide = package.coach_id is None
    if not (own or (workspace_wide and package.kind == PackageKind.ONE_TO_ONE)):
        raise field_error(
            "package",
            _("This package is not on %(coach)s's list.") % {"coach": coach.user},
            "package_not_on_coach_list",
        )


def _invitation_email(invitation: ClientInvitation, token: str, request: Any = None) -> None:
    workspace = invitation.workspace
    contact = invitation.contact
    existing = User.objects.filter(email__iexact=contact.email).first()
    language = recipient_language(workspace, existing)
    with translation.override(language):
        expires_on = formats.date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT")
    send_email(
        workspace=workspace,
        to=contact.email,
        user=existing,
        language=language,
        template="client_invitation",
        context={
            "recipient_name": contact.full_name or contact.email,
            "coach_name": str(invitation.coach.user),
            "message": invitation.message,
            "package_name": invitation.package.name if invitation.package else "",
            "accept_url": workspace_url(
                workspace, reverse("crm:accept_invitation", args=[token]), request
            ),
            "expires_on": expires_on,
        },
    )
    invitation.last_sent_at = timezone.now()
    invitation.sent_count += 1
    invitation.save(update_fields=["last_sent_at", "sent_count"])


def _coach_told(invitation: ClientInvitation, request: Any = None) -> None:
    coach = invitation.coach.user
    send_email(
        workspace=invitation.workspace,
        to=coach.email,
        user=coach,
        template="client_assigned",
        context={
            "recipient_name": coach.get_short_name(),
            "client_name": invitation.contact.full_name,
            "client_email": invitation.contact.email,
            "inviter_name": str(invitation.invited_by or invitation.workspace.name),
            "contacts_url": workspace_url(
                invitation.workspace, reverse("crm:coach_contacts"), request
            ),
        },
    )


def _already_invited(email: str) -> ValidationError:
    return field_error(
        "email",
        _("%(email)s already has an open invitation: resend it instead.") % {"email": email},
        "already_invited",
    )


@transaction.atomic
def do_invite_client(
    workspace: Workspace,
    *,
    actor: Membership,
    full_name: str,
    email: str,
    client_type: ClientType | None,
    coach: Membership | None = None,
    package: Package | None = None,
    message: str = "",
    send: bool = True,
    request: Any = None,
) -> ClientInvitation:
    """Invite someone to a client portal, with one optional package.

    Rules: a coach invites for themselves; an admin picks the coach and the coach
    is told by email. The person must not already be a member here, nor hold an
    open invitation; a coach can't invite another coach's contact (an admin can,
    and the contact moves to the coach chosen). The package is on the coach's list
    (``check_package_for_coach``); giving it charges nothing. ``send=False`` keeps
    the invitation until a payment completes (``send_pending_invitation``). Nothing
    is half-created on a refusal.
    """
    if can(actor, Cap.CLIENTS_VIEW_ALL):
        if coach is None:
            raise field_error("coach", _("Choose the coach for this client."), "coach_required")
    elif actor.is_coach:
        coach = actor
    else:
        raise field_error("coach", _("Only coaches and admins invite clients."), "not_allowed")
    _check_coach(workspace, coach)
    assert coach is not None
    check_package_for_coach(package, coach)
    email = normalize_email(email)
    if Membership.objects.filter(
        workspace=workspace, user__email__iexact=email, removed_at__isnull=True
    ).exists():
        raise field_error(
            "email",
            _("%(email)s is already a member of this workspace.") % {"email": email},
            "already_member",
        )
    contact = Contact.objects.filter(workspace=workspace, email=email).first()
    if contact is None:
        contact = do_save_contact(
            workspace,
            actor=actor.user,
            full_name=full_name,
            email=email,
            client_type=client_type,
            coach=coach,
            source=ContactSource.INVITATION,
        )
    else:
        if contact.coach_id not in (None, coach.pk) and not can(actor, Cap.CLIENTS_VIEW_ALL):
            # A coach can't take over a colleague's contact; an admin may reassign it.
            raise field_error(
                "email",
                _("%(email)s is another coach's contact: ask an admin to invite them.")
                % {"email": email},
                "another_coachs_contact",
            )
        if ClientInvitation.objects.filter(
            contact=contact, accepted_at__isnull=True, revoked_at__isnull=True
        ).exists():
            raise _already_invited(email)
        contact = do_save_contact(
            workspace,
            actor=actor.user,
            contact=contact,
            full_name=full_name or contact.full_name,
            email=email,
            client_type=client_type,
            coach=coach,
            phone=contact.phone,
            notes=contact.notes,
        )
    token, digest = new_token()
    invitation = ClientInvitation(
        workspace=workspace,
        contact=contact,
        coach=coach,
        package=package,
        message=(message or "").strip(),
        invited_by=actor.user,
        token_hash=digest,
        expires_at=timezone.now() + invitation_lifetime(),
    )
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        raise _already_invited(email) from None
    Contact.objects.filter(pk=contact.pk).update(status=ContactStatus.INVITED)
    record_event(
        workspace,
        Verb.CLIENT_INVITED,
        actor=actor.user,
        target=contact,
        data={"coach": coach.pk, "package": package.pk if package else None},
    )
    if send:
        _invitation_email(invitation, token, request)
        if actor.pk != coach.pk:
            _coach_told(invitation, request)
    return invitation


@transaction.atomic
def send_pending_invitation(invitation: ClientInvitation, request: Any = None) -> ClientInvitation:
    """Send an invitation kept back for a payment, with a fresh link (once)."""
    invitation = ClientInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.sent_count or not invitation.is_pending:
        return invitation
    token, digest = new_token()
    invitation.token_hash = digest
    invitation.expires_at = timezone.now() + invitation_lifetime()
    invitation.save(update_fields=["token_hash", "expires_at"])
    _invitation_email(invitation, token, request)
    _coach_told(invitation, request)
    return invitation


@transaction.atomic
def do_resend_client_invitation(
    invitation: ClientInvitation, *, actor: Any, request: Any = None
) -> ClientInvitation:
    """Send a fresh link: the old one stops working and the expiry starts again."""
    if not invitation.is_pending:
        raise ValidationError(
            _("This invitation was already accepted or revoked."), code="invitation_closed"
        )
    token, digest = new_token()
    invitation.token_hash = digest
    invitation.expires_at = timezone.now() + invitation_lifetime()
    invitation.save(update_fields=["token_hash", "expires_at"])
    record_event(
        invitation.workspace, Verb.CLIENT_INVITATION_RESENT, actor=actor, target=invitation.contact
    )
    _invitation_email(invitation, token, request)
    return invitation


@transaction.atomic
def do_revoke_client_invitation(invitation: ClientInvitation, *, actor: Any) -> ClientInvitation:
    """Close an open invitation; its link then says it was withdrawn."""
    if not invitation.is_pending:
        raise ValidationError(
            _("This invitation was already accepted or revoked."), code="invitation_closed"
        )
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    Contact.objects.filter(pk=invitation.contact_id, member__isnull=True).update(
        status=ContactStatus.CONTACT
    )
    record_event(
        invitation.workspace, Verb.CLIENT_INVITATION_REVOKED, actor=actor, target=invitation.contact
    )
    return invitation


def find_client_invitation(workspace: Workspace, token: str) -> ClientInvitation:
    """The open invitation of a link, or ``InvitationUnusable`` saying why not
    (unknown — also for a tampered link —, used, revoked, expired)."""
    invitation = (
        ClientInvitation.objects.filter(workspace=workspace, token_hash=hash_token(token))
        .select_related("workspace", "contact", "coach__user", "package")
        .first()
    )
    if invitation is None or not invitation.sent_count:
        raise InvitationUnusable("unknown")
    if invitation.accepted_at is not None:
        raise InvitationUnusable("used")
    if invitation.revoked_at is not None:
        raise InvitationUnusable("revoked")
    if invitation.is_expired:
        raise InvitationUnusable("expired")
    return invitation


@transaction.atomic
def do_accept_client_invitation(
    workspace: Workspace,
    token: str,
    *,
    user: User | None = None,
    full_name: str = "",
    password: str = "",
) -> Membership:
    """Accept a client invitation: the account (new, or the signed-in one with the same
    email), the client membership, the package, and the onboarding to come.

    The row is locked so two clicks make one client; a coach of this workspace
    can't become its client (the refusal says why).
    """
    from ascend.billing.packages import do_give_package

    invitation = find_client_invitation(workspace, token)
    invitation = ClientInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise InvitationUnusable("used")
    contact = invitation.contact
    if user is None:
        if User.objects.filter(email__iexact=contact.email).exists():
            raise InvitationUnusable("account_exists")
        user = User.objects.create_user(
            contact.email, password, full_name=full_name.strip() or contact.full_name
        )
    elif user.email.lower() != contact.email.lower():
        raise InvitationUnusable("other_account")
    membership = Membership.objects.filter(workspace=workspace, user=user).first()
    if membership is not None and membership.is_active and membership.is_coach:
        raise InvitationUnusable("is_coach")
    if membership is None:
        membership = Membership(workspace=workspace, user=user)
    roles = set(membership.roles) if membership.is_active else set()
    membership.set_roles(roles | {Role.CLIENT})
    membership.removed_at = None
    membership.full_clean(validate_unique=False)
    membership.save()
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    contact.member = membership
    contact.status = ContactStatus.ACTIVE
    contact.save(update_fields=["member", "status"])
    ClientProfile.objects.get_or_create(workspace=workspace, member=membership)
    if invitation.package is not None:
        do_give_package(invitation.package, membership, actor=user, source=HoldingSource.INVITATION)
    record_event(workspace, Verb.CLIENT_JOINED, actor=user, target=membership)
    return membership


def invite_buyer(order: Any) -> ClientInvitation | None:
    """After a paid order from someone who isn't a client yet: make sure they get an invitation.

    The coach is the package's, else the coach with the lowest load
    (``rules.coach_by_load``). An invitation kept back for the payment is sent; one
    already sent stays as it is. The package comes with the order when they accept.
    """
    from ascend.billing.payments import coach_loads

    from .rules import coach_by_load

    workspace = order.workspace
    email = normalize_email(order.buyer_email)
    contact = Contact.objects.filter(workspace=workspace, email=email).first()
    if contact is not None:
        open_invitation = ClientInvitation.objects.filter(
            contact=contact, accepted_at__isnull=True, revoked_at__isnull=True
        ).first()
        if open_invitation is not None:
            return send_pending_invitation(open_invitation)
    coach_id = order.package.coach_id or coach_by_load(coach_loads(workspace))
    if coach_id is None:
        return None  # no coach yet: the admins see the paid order and invite by hand
    coach = Membership.objects.select_related("user").get(pk=coach_id)
    types = client_types(workspace)
    client_type = next((t for t in types if t.name == "Client"), types[-1])
    invitation = do_invite_client(
        workspace,
        actor=coach,
        full_name=order.buyer_name,
        email=email,
        client_type=client_type,
        coach=coach,
    )
    Contact.objects.filter(pk=invitation.contact_id).update(source=ContactSource.PURCHASE)
    _coach_told(invitation)
    return invitation


def _give_paid_packages(membership: Membership, user: User) -> None:
    """Packages the person paid for before they were a client are theirs once they accept."""
    from ascend.billing.models import Order, OrderKind, OrderStatus
    from ascend.billing.packages import do_give_package

    paid = Order.objects.select_for_update().filter(
        workspace=membership.workspace,
        kind=OrderKind.PACKAGE,
        status=OrderStatus.PAID,
        client__isnull=True,
        buyer_email__iexact=user.email,
    )
    for order in paid.select_related("package"):
        assert order.package is not None  # a package order always names its package
        do_give_package(order.package, membership, actor=user, source=HoldingSource.PURCHASE)
        Order.objects.filter(pk=order.pk).update(client=membership)
