"""Every client has a contact record, however they became a client.

Clients come from invitations, purchases, "add a client", a role change or an
imported roster. The CRM lists contacts, so each of those paths calls
``ensure_client_contact`` once the membership holds the client role.
"""

from __future__ import annotations

from typing import Any

from ascend.tenancy.models import Membership

from .models import ClientType, Contact, ContactSource, ContactStatus


def _client_type(workspace: Any) -> ClientType:
    """The type a new client gets: the workspace's "Client" type, else its last type."""
    from .actions import client_types

    types = client_types(workspace)
    by_name = {t.name.lower(): t for t in types}
    return by_name.get("client", types[-1])


def ensure_client_contact(
    membership: Membership, *, actor: Any = None, source: str = ContactSource.MANUAL
) -> Contact:
    """Link the client member to their contact, creating it if the business had none.

    Rules: a contact with the member's email is reused (and marked an active
    client); otherwise a new contact of the "Client" type is made, with no coach.
    No email is sent.
    """
    existing = Contact.objects.filter(member=membership).first()
    if existing is not None:
        return existing
    user = membership.user
    email = user.email.lower()
    contact = Contact.objects.filter(workspace=membership.workspace, email=email).first()
    if contact is None:
        contact = Contact(
            workspace=membership.workspace,
            email=email,
            full_name=user.full_name or email,
            client_type=_client_type(membership.workspace),
            source=source,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    contact.member = membership
    contact.status = ContactStatus.ACTIVE
    contact.save()
    return contact
