"""The workspace's client types: add, rename, reorder; a type in use can't be deleted."""

from __future__ import annotations

import pytest

from ascend.crm.actions import client_types
from ascend.crm.models import ClientType

from .crm_world import client_type, contact

pytestmark = pytest.mark.django_db


def _names(workspace) -> list[str]:
    return list(ClientType.objects.filter(workspace=workspace).values_list("name", flat=True))


def test_a_workspace_starts_with_lead_prospect_contact_client(cast):
    page = cast.client_for(cast.alpha.admin).get("/team/crm/types/").content.decode()
    assert _names(cast.alpha.workspace) == ["Lead", "Prospect", "Contact", "Client"]
    assert 'value="Prospect"' in page


def test_an_admin_adds_a_type_at_the_end(cast):
    admin = cast.client_for(cast.alpha.admin)
    admin.get("/team/crm/types/")
    assert admin.post("/team/crm/types/", {"name": "  Alumni  "}).status_code == 302
    assert _names(cast.alpha.workspace)[-1] == "Alumni"


def test_a_name_already_on_the_list_is_refused(cast):
    admin = cast.client_for(cast.alpha.admin)
    response = admin.post("/team/crm/types/", {"name": "lead"})
    assert response.status_code == 422 and "already on the list" in response.content.decode()
    lead = client_type(cast.alpha.workspace, "Lead")
    response = admin.post(f"/team/crm/types/{lead.pk}/", {f"type-{lead.pk}-name": "Client"})
    assert response.status_code == 422 and "already on the list" in response.content.decode()


def test_renaming_keeps_the_contacts(cast):
    ws = cast.alpha.workspace
    lead = client_type(ws, "Lead")
    contact(ws, client_type=lead)
    admin = cast.client_for(cast.alpha.admin)
    admin.post(f"/team/crm/types/{lead.pk}/", {f"type-{lead.pk}-name": "New lead"})
    lead.refresh_from_db()
    assert lead.name == "New lead" and lead.contacts.count() == 1


def test_types_move_up_and_down(cast):
    ws = cast.alpha.workspace
    admin = cast.client_for(cast.alpha.admin)
    client_types(ws)
    admin.post(f"/team/crm/types/{client_type(ws, 'Client').pk}/move/", {"direction": "up"})
    assert _names(ws) == ["Lead", "Prospect", "Client", "Contact"]
    admin.post(f"/team/crm/types/{client_type(ws, 'Lead').pk}/move/", {"direction": "down"})
    assert _names(ws) == ["Prospect", "Lead", "Client", "Contact"]
    admin.post(f"/team/crm/types/{client_type(ws, 'Prospect').pk}/move/", {"direction": "up"})
    assert _names(ws) == ["Prospect", "Lead", "Client", "Contact"]


def test_a_type_in_use_is_not_deleted_and_the_page_says_why(cast):
    ws = cast.alpha.workspace
    lead = client_type(ws, "Lead")
    contact(ws, "a@example.com", client_type=lead)
    contact(ws, "b@example.com", client_type=lead)
    admin = cast.client_for(cast.alpha.admin)
    response = admin.post(f"/team/crm/types/{lead.pk}/delete/", follow=True)
    assert "“Lead” is the type of 2 contacts: give them another type first." in (
        response.content.decode()
    )
    assert ClientType.objects.filter(pk=lead.pk).exists()
    unused = client_type(ws, "Contact")
    admin.post(f"/team/crm/types/{unused.pk}/delete/")
    assert "Contact" not in _names(ws)


def test_the_last_type_stays(cast):
    ws = cast.alpha.workspace
    client_types(ws)
    ClientType.objects.filter(workspace=ws).exclude(name="Lead").delete()
    lead = client_type(ws, "Lead")
    response = cast.client_for(cast.alpha.admin).post(
        f"/team/crm/types/{lead.pk}/delete/", follow=True
    )
    assert "Keep at least one client type." in response.content.decode()
    assert _names(ws) == ["Lead"]


def test_another_workspaces_type_is_not_found(cast):
    theirs = client_type(cast.beta.workspace, "Lead")
    admin = cast.client_for(cast.alpha.admin)
    assert admin.post(f"/team/crm/types/{theirs.pk}/delete/").status_code == 404
    assert admin.post(f"/team/crm/types/{theirs.pk}/", {}).status_code == 404
