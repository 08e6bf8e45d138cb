"""However someone becomes a client, the CRM lists them."""

from __future__ import annotations

import pytest

from ascend.crm.client_records import ensure_client_contact
from ascend.crm.models import Contact, ContactStatus
from ascend.programs.actions_clients import do_add_client
from ascend.tenancy.actions import do_change_roles

from .crm_world import contact

pytestmark = pytest.mark.django_db


def test_a_client_added_by_hand_appears_in_the_crm_as_an_active_client(cast):
    ws = cast.alpha.workspace
    membership = do_add_client(ws, actor=cast.alpha.admin.user, full_name="Dee Added",
                               email="dee@example.com")  # fmt: skip
    record = Contact.objects.get(member=membership)
    assert (record.email, record.status, record.client_type.name) == (
        "dee@example.com", ContactStatus.ACTIVE, "Client")  # fmt: skip
    page = cast.client_for(cast.alpha.admin).get("/team/crm/?status=active").content.decode()
    assert "Dee Added" in page


def test_a_member_made_a_client_gets_their_existing_contact_linked(cast):
    ws = cast.alpha.workspace
    known = contact(ws, cast.alpha.operator.email, full_name="Known Before")
    do_change_roles(cast.alpha.operator.membership, ["client"],
                    actor_membership=cast.alpha.owner.membership)  # fmt: skip
    known.refresh_from_db()
    assert known.member == cast.alpha.operator.membership
    assert known.status == ContactStatus.ACTIVE
    assert Contact.objects.filter(workspace=ws, email=cast.alpha.operator.email).count() == 1


def test_linking_twice_keeps_one_contact(cast):
    membership = cast.alpha.client.membership
    first = ensure_client_contact(membership)
    assert ensure_client_contact(membership) == first
    assert Contact.objects.filter(member=membership).count() == 1


def test_a_staff_role_change_makes_no_contact(cast):
    do_change_roles(cast.alpha.operator.membership, ["auditor"],
                    actor_membership=cast.alpha.owner.membership)  # fmt: skip
    assert not Contact.objects.filter(member=cast.alpha.operator.membership).exists()
