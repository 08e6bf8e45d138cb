"""Adding clients to a workspace by hand, from the team portal."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ascend.accounts.models import User
from ascend.activity.actions import record_event
from ascend.activity.verbs import Verb
from ascend.crm.client_records import ensure_client_contact
from ascend.lib.errors import field_error
from ascend.tenancy.models import Membership, Workspace
from ascend.tenancy.roles import Role


@transaction.atomic
def do_add_client(workspace: Workspace, *, actor, full_name: str, email: str) -> Membership:  # type: ignore[no-untyped-def]
    """Add a client to the workspace by name and email.

    Rules: an email that already belongs to an active member of this workspace is
    refused (``already_member``), whatever their roles; a person with an account
    elsewhere keeps that one account and gains a client membership here; someone
    removed earlier comes back as a client only. A new account has no usable
    password until the person sets one (a client invitation or password reset).
    """
    email = User.objects.normalize_email(email).strip().lower()
    full_name = full_name.strip()
    user = User.objects.filter(email__iexact=email).first()
    membership = None
    if user is not None:
        membership = Membership.objects.filter(workspace=workspace, user=user).first()
        if membership is not None and membership.is_active:
            raise field_error(
                "email",
                _("%(email)s is already a member of this workspace.") % {"email": email},
                "already_member",
            )
    else:
        user = User(email=email, full_name=full_name)
        user.set_unusable_password()
        user.full_clean()
        user.save()
    if membership is None:
        membership = Membership(workspace=workspace, user=user)
    membership.set_roles({Role.CLIENT})
    membership.removed_at = None
    membership.team_leader = None
    membership.save()
    ensure_client_contact(membership, actor=actor)
    record_event(
        workspace,
        Verb.CLIENT_ADDED,
        actor=actor,
        target=user,
        data={"client": str(user), "email": email, "membership": membership.pk},
    )
    return membership
