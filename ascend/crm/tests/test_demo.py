"""The demo CRM loaded by ``manage.py seed_demo``: contacts of every type, a pending
invitation with a package, client1 as coach1's client, greetings, tasks and notes."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from ascend.crm.demo import PENDING_EMAIL, load_demo_crm
from ascend.crm.models import (
    ClientInvitation,
    ClientNote,
    ClientTask,
    CoachGreeting,
    Contact,
    ContactSource,
    ContactStatus,
)
from ascend.notifications.models import OutboundEmail
from ascend.tenancy.models import Workspace
from ascend.testing import MODEL_BACKEND

pytestmark = pytest.mark.django_db


@pytest.fixture
def workspace() -> Workspace:
    call_command("seed_demo", stdout=StringIO())
    return Workspace.objects.get()


def test_the_demo_has_every_type_a_pending_and_an_accepted_invitation(workspace, client):
    """Contacts of every type, imported leads never invited; the admin's pending invitation
    for coach1 with ten sessions; client1 as coach1's client with greeting, tasks, notes."""
    types = set(Contact.objects.values_list("client_type__name", flat=True))
    assert types == {"Lead", "Prospect", "Contact", "Client"}
    leads = Contact.objects.filter(source=ContactSource.IMPORT)
    assert leads.count() >= 4 and not ClientInvitation.objects.filter(contact__in=leads).exists()

    invitation = ClientInvitation.objects.get(contact__email=PENDING_EMAIL)
    assert invitation.is_pending and invitation.sent_count == 1
    assert invitation.invited_by.email == "admin@demo.ascend.test"
    assert invitation.coach.user.email == "coach1@demo.ascend.test"
    assert invitation.package.name == "Ten coaching sessions"
    assert OutboundEmail.objects.filter(to=PENDING_EMAIL, template="client_invitation").exists()
    assert OutboundEmail.objects.filter(
        to="coach1@demo.ascend.test", template="client_assigned"
    ).exists()

    camila = Contact.objects.get(email="client1@demo.ascend.test")
    assert camila.status == ContactStatus.ACTIVE and camila.coach.user.email.startswith("coach1")
    assert camila.invitations.get().accepted_at is not None
    assert CoachGreeting.objects.count() == 2
    assert ClientTask.objects.filter(client=camila.member).count() == 3
    assert ClientNote.objects.filter(client=camila.member, shared=False).exists()
    client.defaults["HTTP_HOST"] = "alpha.localhost"
    client.force_login(camila.member.user, backend=MODEL_BACKEND)
    page = client.get("/me/").content.decode()
    assert "<strong>Carlos</strong>" in page and "Log your meals" in page
    assert "pause at the bottom" in page and "sore left knee" not in page


def test_loading_twice_changes_nothing(workspace):
    before = (Contact.objects.count(), ClientInvitation.objects.count(), ClientTask.objects.count())
    assert load_demo_crm(workspace) is False
    call_command("seed_demo", stdout=StringIO())
    assert (
        Contact.objects.count(), ClientInvitation.objects.count(), ClientTask.objects.count()
    ) == before  # fmt: skip
