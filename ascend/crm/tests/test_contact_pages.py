"""The CRM list (team portal) and a coach's Contacts, and adding or editing a contact."""

from __future__ import annotations

import pytest

from ascend.crm.models import Contact, ContactSource
from ascend.notifications.models import OutboundEmail
from ascend.testing import assert_flat_queries

from .crm_world import client_type, contact, invite

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(cast):
    ws = cast.alpha.workspace
    contact(ws, "ana@example.com", full_name="Ana Lead", coach=cast.alpha.coach.membership)
    contact(ws, "bo@example.com", full_name="Bo Prospect", client_type=client_type(ws, "Prospect"),
            coach=cast.alpha.other_coach.membership)  # fmt: skip
    invite(cast.alpha, "cy@example.com", full_name="Cy Invited")
    contact(cast.beta.workspace, "beta@example.com", full_name="Beta Person")


def _names(response) -> list[str]:
    page = response.content.decode()
    return [n for n in ("Ana Lead", "Bo Prospect", "Cy Invited", "Beta Person") if n in page]


def test_the_crm_lists_every_contact_of_the_workspace_with_its_buttons(cast, people):
    response = cast.client_for(cast.alpha.admin).get("/team/crm/")
    page = response.content.decode()
    assert _names(response) == ["Ana Lead", "Bo Prospect", "Cy Invited"]
    for button in ("Invite a client", "Add a contact", "Import contacts"):
        assert button in page
    assert "Invited · expires in" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=ana", ["Ana Lead"]),
        ("q=BO%40EXAMPLE", ["Bo Prospect"]),
        ("status=invited", ["Cy Invited"]),
        ("status=contact", ["Ana Lead", "Bo Prospect"]),
        ("coach={other}", ["Bo Prospect"]),
        ("client_type={prospect}", ["Bo Prospect"]),
        ("q=nobody", []),
    ],
)
def test_the_crm_searches_and_filters(cast, people, query, expected):
    query = query.format(other=cast.alpha.other_coach.membership.pk,
                         prospect=client_type(cast.alpha.workspace, "Prospect").pk)  # fmt: skip
    response = cast.client_for(cast.alpha.admin).get(f"/team/crm/?{query}")
    assert _names(response) == expected
    if not expected:
        assert "No contact matches" in response.content.decode()


def test_a_coach_sees_only_their_own_contacts_and_no_coach_filter(cast, people):
    response = cast.client_for(cast.alpha.coach).get("/coach/contacts/")
    assert _names(response) == ["Ana Lead", "Cy Invited"]
    assert 'name="coach"' not in response.content.decode()
    assert _names(cast.client_for(cast.alpha.head_coach).get("/coach/contacts/")) == []


def test_an_empty_list_says_what_to_do(cast):
    page = cast.client_for(cast.alpha.coach).get("/coach/contacts/").content.decode()
    assert "No contacts yet" in page and "Invite a client" in page


def test_the_crm_query_count_stays_flat_as_contacts_grow(cast):
    admin = cast.client_for(cast.alpha.admin)
    ws = cast.alpha.workspace
    contact(ws, "first@example.com", coach=cast.alpha.coach.membership)

    def grow(prefix: str) -> None:
        for n in range(30):
            coach = [cast.alpha.coach, cast.alpha.other_coach][n % 2].membership
            contact(ws, f"{prefix}{n}@example.com", coach=coach,
                    client_type=client_type(ws, ["Lead", "Client"][n % 2]))  # fmt: skip
        for n in range(5):
            invite(cast.alpha, f"{prefix}-invited{n}@example.com")

    # The shell's 5; coaches and types for the filters; the count and the page of rows.
    assert assert_flat_queries(lambda: admin.get("/team/crm/"), lambda: grow("a")) == 9
    coach = cast.client_for(cast.alpha.coach)
    assert assert_flat_queries(lambda: coach.get("/coach/contacts/"), lambda: grow("b")) == 8


def test_the_crm_is_paged_and_the_filters_survive_paging(cast):
    for n in range(30):
        contact(cast.alpha.workspace, f"p{n:02}@example.com", full_name=f"Person {n:02}")
    page = cast.client_for(cast.alpha.admin).get("/team/crm/?q=person").content.decode()
    assert "Page 1 of 2" in page and "?q=person&amp;page=2" in page


def test_an_admin_adds_a_contact_without_any_email(cast):
    ws = cast.alpha.workspace
    response = cast.client_for(cast.alpha.admin).post("/team/crm/new/", {
        "full_name": "Dee New", "email": "Dee@Example.com", "phone": "", "notes": "Met at a talk",
        "client_type": client_type(ws, "Prospect").pk, "coach": cast.alpha.coach.membership.pk,
    })  # fmt: skip
    dee = Contact.objects.get()
    assert response.status_code == 302 and response.url == f"/team/crm/{dee.pk}/"
    assert dee.email == "dee@example.com" and dee.source == ContactSource.MANUAL
    assert dee.coach == cast.alpha.coach.membership
    assert not OutboundEmail.objects.exists()


def test_a_duplicate_email_is_refused_at_the_field_keeping_what_was_typed(cast):
    ws = cast.alpha.workspace
    contact(ws, "dee@example.com")
    response = cast.client_for(cast.alpha.coach).post("/coach/contacts/new/", {
        "full_name": "Dee Again", "email": "dee@example.com", "client_type": client_type(ws).pk,
    })  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_email_errors"' in page and "already in your contacts" in page
    assert 'value="Dee Again"' in page and Contact.objects.count() == 1


def test_a_coachs_new_contact_is_theirs_and_they_edit_it(cast):
    ws = cast.alpha.workspace
    coach = cast.client_for(cast.alpha.coach)
    coach.post("/coach/contacts/new/", {"full_name": "Eve", "email": "eve@example.com",
                                        "client_type": client_type(ws).pk})  # fmt: skip
    eve = Contact.objects.get()
    assert eve.coach == cast.alpha.coach.membership
    response = coach.post(f"/coach/contacts/{eve.pk}/edit/", {
        "full_name": "Eve Stone", "email": "eve@example.com",
        "client_type": client_type(ws, "Client").pk, "phone": "555",
    })  # fmt: skip
    assert response.status_code == 302
    eve.refresh_from_db()
    assert eve.full_name == "Eve Stone" and eve.client_type.name == "Client"
    assert eve.coach == cast.alpha.coach.membership


def test_the_contact_page_of_a_client_shows_their_packages(cast):
    from ascend.billing.packages import do_give_package

    from .crm_world import package

    row = contact(cast.alpha.workspace, cast.alpha.client.email)
    Contact.objects.filter(pk=row.pk).update(member=cast.alpha.client.membership)
    do_give_package(package(cast.alpha.workspace, "Spring pack"), cast.alpha.client.membership,
                    actor=None)  # fmt: skip
    page = cast.client_for(cast.alpha.admin).get(f"/team/crm/{row.pk}/").content.decode()
    assert 'data-testid="holdings"' in page and "Spring pack" in page


def test_the_email_of_an_invited_contact_stays_as_the_invitation_was_sent(cast):
    invitation = invite(cast.alpha, "nia@example.com")
    ws = cast.alpha.workspace
    admin = cast.client_for(cast.alpha.admin)
    page = admin.get(f"/team/crm/{invitation.contact_id}/edit/").content.decode()
    assert "Revoke the open invitation to change the email." in page
    admin.post(f"/team/crm/{invitation.contact_id}/edit/", {
        "full_name": "Nia C.", "email": "other@example.com",
        "client_type": client_type(ws, "Client").pk, "coach": cast.alpha.coach.membership.pk,
    })  # fmt: skip
    invitation.contact.refresh_from_db()
    assert invitation.contact.email == "nia@example.com"
    assert invitation.contact.full_name == "Nia C."
