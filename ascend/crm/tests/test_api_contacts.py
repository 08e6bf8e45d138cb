"""/api/v1/contacts and /api/v1/client-types: the CRM through the API.

Rules: owners and admins read and change every contact of the workspace, a coach
their own (``Contact.coach``) — the pages' team CRM and coach Contacts; everyone else
gets 403; another coach's contact, or another workspace's, is a 404. Search and
filters as on the pages, in pages of ``limit``; the list's queries stay flat as
contacts grow.
"""

from __future__ import annotations

import pytest

from ascend.api.tests.helpers import assert_error, bearer_client, send, token_for
from ascend.crm.models import ClientType, Contact, ContactStatus
from ascend.testing import assert_flat_queries

from .api_world import MATRIX, client_of, make_world
from .crm_world import client_type, contact

pytestmark = pytest.mark.django_db

CRM = {"admin", "coach", "other_coach", "beta"}  # beta: their own workspace's CRM


@pytest.fixture
def world(cast):
    return make_world(cast)


def emails(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return [c["email"] for c in response.json()]


# Who sees what ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", MATRIX)
def test_who_lists_which_contacts(cast, world, who):
    response = client_of(cast, who).get("/api/v1/contacts")
    expected = {
        "admin": ["client@alpha.test", "other.client@alpha.test",
                  "lee@alpha.example", "nia@alpha.example", "ola@alpha.example",
                  "tia@alpha.example", "tom@alpha.example"],
        "coach": ["client@alpha.test", "lee@alpha.example", "nia@alpha.example"],
        "other_coach": ["other.client@alpha.test", "ola@alpha.example",
                        "tom@alpha.example"],
        # Beta's admin sees beta's CRM, never alpha's.
        "beta": ["client@beta.test", "other.client@beta.test", "lee@beta.example",
                 "nia@beta.example", "ola@beta.example", "tia@beta.example",
                 "tom@beta.example"],
    }  # fmt: skip
    if who in expected:
        assert sorted(emails(response)) == sorted(expected[who])
    else:
        assert_error(response, 403, "forbidden")


@pytest.mark.parametrize("who", MATRIX)
def test_who_reads_a_contact(cast, world, who):
    own = world.alpha.own
    response = client_of(cast, who).get(f"/api/v1/contacts/{own.id}")
    if who in {"admin", "coach"}:
        assert response.status_code == 200, response.content
        data = response.json()
        assert data["email"] == "lee@alpha.example" and data["full_name"] == "Lee Lead"
        assert data["coach"]["id"] == cast.alpha.coach.membership.id
        assert data["client_type"]["name"] == "Lead" and data["status"] == "contact"
        assert data["member_id"] is None and data["open_invitation"] is None
    elif who in {"other_coach", "beta"}:
        assert_error(response, 404, "not_found")
    else:
        assert_error(response, 403, "forbidden")


@pytest.mark.parametrize("who", MATRIX)
def test_who_adds_a_contact(cast, world, who):
    ws = (cast.beta if who == "beta" else cast.alpha).workspace
    body = {"full_name": "Ann New", "email": "Ann@Example.com",
            "client_type": client_type(ws, "Prospect").id}  # fmt: skip
    before = Contact.objects.count()
    response = send(client_of(cast, who), "post", "/api/v1/contacts", body)
    if who in CRM:
        assert response.status_code == 201, response.content
        data = response.json()
        assert data["email"] == "ann@example.com" and data["client_type"]["name"] == "Prospect"
        created = Contact.objects.get(pk=data["id"])
        assert created.workspace == ws
        # A coach's contact is their own; an admin's has no coach unless they name one.
        coach = getattr(cast.alpha, who).membership if who in {"coach", "other_coach"} else None
        assert created.coach == coach
    else:
        assert_error(response, 403, "forbidden")
        assert Contact.objects.count() == before


@pytest.mark.parametrize("who", MATRIX)
def test_who_changes_a_contact(cast, world, who):
    own = world.alpha.own
    response = send(client_of(cast, who), "patch", f"/api/v1/contacts/{own.id}",
                    {"phone": "+1 555 0100", "notes": "Met at the gym"})  # fmt: skip
    own.refresh_from_db()
    if who in {"admin", "coach"}:
        assert response.status_code == 200, response.content
        assert response.json()["phone"] == "+1 555 0100"
        assert (own.phone, own.notes) == ("+1 555 0100", "Met at the gym")
        assert own.coach == cast.alpha.coach.membership  # unchanged
    else:
        assert_error(response, 404 if who in {"other_coach", "beta"} else 403,
                     "not_found" if who in {"other_coach", "beta"} else "forbidden")  # fmt: skip
        assert own.phone == ""


@pytest.mark.parametrize("who", MATRIX)
def test_who_lists_client_types(cast, world, who):
    response = client_of(cast, who).get("/api/v1/client-types")
    if who in CRM:
        assert response.status_code == 200
        assert [t["name"] for t in response.json()] == ["Lead", "Prospect", "Contact", "Client"]
    else:
        assert_error(response, 403, "forbidden")


def test_a_new_workspace_gets_the_default_client_types(cast):
    assert not ClientType.objects.filter(workspace=cast.alpha.workspace).exists()
    response = client_of(cast, "admin").get("/api/v1/client-types")
    assert [t["position"] for t in response.json()] == [0, 1, 2, 3]


# Search, filters and pages ---------------------------------------------------------------


def test_search_filters_and_pages(cast, world):
    admin = client_of(cast, "admin")
    coach_id = cast.alpha.coach.membership.id
    assert emails(admin.get("/api/v1/contacts?q=LEE")) == ["lee@alpha.example"]
    assert emails(admin.get("/api/v1/contacts?q=alpha.example&status=invited")) == [
        "nia@alpha.example",
        "ola@alpha.example",
    ]
    assert sorted(emails(admin.get(f"/api/v1/contacts?coach={coach_id}"))) == [
        "client@alpha.test",
        "lee@alpha.example",
        "nia@alpha.example",
    ]
    lead = client_type(cast.alpha.workspace, "Lead").id
    assert len(emails(admin.get(f"/api/v1/contacts?client_type={lead}"))) == 5
    assert emails(admin.get("/api/v1/contacts?status=active")) == [
        "client@alpha.test",
        "other.client@alpha.test",
    ]
    everyone = emails(admin.get("/api/v1/contacts"))
    assert emails(admin.get("/api/v1/contacts?limit=2&offset=1")) == everyone[1:3]
    assert_error(admin.get("/api/v1/contacts?limit=501"), 422, "validation_error")
    assert_error(admin.get("/api/v1/contacts?status=gone"), 422, "validation_error")


def test_a_coachs_filters_stay_within_their_own_contacts(cast, world):
    other = cast.alpha.other_coach.membership.id
    coach = client_of(cast, "coach")
    assert emails(coach.get(f"/api/v1/contacts?coach={other}")) == []
    assert emails(coach.get("/api/v1/contacts?q=tom")) == []


def test_a_contact_shows_its_open_invitation_and_its_client(cast, world):
    admin = client_of(cast, "admin")
    nia = admin.get(f"/api/v1/contacts/{world.alpha.invitation.contact_id}").json()
    assert nia["status"] == "invited" and nia["source"] == "invitation"
    assert nia["open_invitation"]["id"] == world.alpha.invitation.id
    assert nia["open_invitation"]["state"] == "pending"
    client = admin.get(f"/api/v1/contacts/{world.alpha.client_contact.id}").json()
    assert client["member_id"] == cast.alpha.client.membership.id


# Writing ----------------------------------------------------------------------------------


def test_an_admin_gives_a_contact_a_coach_and_takes_it_away(cast, world):
    admin = client_of(cast, "admin")
    coach_id = cast.alpha.other_coach.membership.id
    url = f"/api/v1/contacts/{world.alpha.team.id}"
    assert send(admin, "patch", url, {"coach": coach_id}).json()["coach"]["id"] == coach_id
    assert send(admin, "patch", url, {"coach": None}).json()["coach"] is None
    world.alpha.team.refresh_from_db()
    assert world.alpha.team.coach is None


def test_a_coach_cannot_give_their_contact_away(cast, world):
    coach = client_of(cast, "coach")
    url = f"/api/v1/contacts/{world.alpha.own.id}"
    response = send(coach, "patch", url, {"coach": cast.alpha.other_coach.membership.id})
    assert "coach" in assert_error(response, 422, "not_allowed")
    # Sending their own id back changes nothing and is fine.
    assert send(coach, "patch", url, {"coach": cast.alpha.coach.membership.id}).status_code == 200
    world.alpha.own.refresh_from_db()
    assert world.alpha.own.coach == cast.alpha.coach.membership


def test_an_invited_contacts_email_stays_until_the_invitation_is_revoked(cast, world):
    invitation = world.alpha.invitation
    url = f"/api/v1/contacts/{invitation.contact_id}"
    admin = client_of(cast, "admin")
    response = send(admin, "patch", url, {"email": "other@example.com"})
    assert "email" in assert_error(response, 422, "email_locked")
    # The same address, however written, is no change.
    assert send(admin, "patch", url, {"email": "NIA@alpha.example"}).status_code == 200
    send(admin, "post", f"/api/v1/invitations/{invitation.id}/revoke")
    response = send(admin, "patch", url, {"email": "other@example.com"})
    assert response.json()["email"] == "other@example.com"


def test_a_joined_clients_email_is_not_changed_here(cast, world):
    url = f"/api/v1/contacts/{world.alpha.client_contact.id}"
    admin = client_of(cast, "admin")
    response = send(admin, "patch", url, {"email": "new@example.com"})
    assert "email" in assert_error(response, 422, "email_locked")
    assert send(admin, "patch", url, {"full_name": "Alpha C."}).status_code == 200
    world.alpha.client_contact.refresh_from_db()
    assert world.alpha.client_contact.email == "client@alpha.test"


def test_an_admin_names_the_coach_of_a_new_contact(cast, world):
    body = {"full_name": "Bo", "email": "bo@example.com", "coach": cast.alpha.coach.membership.id,
            "client_type": client_type(cast.alpha.workspace).id}  # fmt: skip
    response = send(client_of(cast, "admin"), "post", "/api/v1/contacts", body)
    assert response.json()["coach"]["id"] == cast.alpha.coach.membership.id


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"email": "LEE@alpha.example"}, "email", "duplicate"),
        ({"email": "not-an-email"}, "email", "invalid"),
        ({"full_name": "  "}, "full_name", "blank"),
        ({"client_type": 999999}, "client_type", "not_found"),
        ({"coach": 999999}, "coach", "not_found"),
    ],
)
def test_bad_contacts_are_refused_and_nothing_is_stored(cast, world, change, field, code):
    body = {"full_name": "Ann", "email": "ann@example.com",
            "client_type": client_type(cast.alpha.workspace).id, **change}  # fmt: skip
    before = Contact.objects.count()
    response = send(client_of(cast, "admin"), "post", "/api/v1/contacts", body)
    assert field in assert_error(response, 422, code)
    assert Contact.objects.count() == before


def test_a_client_or_auditor_named_as_coach_is_refused(cast, world):
    body = {"full_name": "Ann", "email": "ann@example.com",
            "client_type": client_type(cast.alpha.workspace).id,
            "coach": cast.alpha.client.membership.id}  # fmt: skip
    response = send(client_of(cast, "admin"), "post", "/api/v1/contacts", body)
    assert "coach" in assert_error(response, 422, "not_a_coach")


def test_another_workspaces_client_type_or_coach_is_not_found(cast, world):
    body = {"full_name": "Ann", "email": "ann@example.com",
            "client_type": client_type(cast.beta.workspace).id}  # fmt: skip
    admin = client_of(cast, "admin")
    assert "client_type" in assert_error(send(admin, "post", "/api/v1/contacts", body), 422,
                                         "not_found")  # fmt: skip
    body = {**body, "client_type": client_type(cast.alpha.workspace).id,
            "coach": cast.beta.coach.membership.id}  # fmt: skip
    assert "coach" in assert_error(send(admin, "post", "/api/v1/contacts", body), 422,
                                   "not_found")  # fmt: skip
    assert not Contact.objects.filter(email="ann@example.com").exists()


def test_a_patch_cannot_empty_a_required_field(cast, world):
    url = f"/api/v1/contacts/{world.alpha.own.id}"
    response = send(client_of(cast, "admin"), "patch", url, {"full_name": None})
    assert "full_name" in assert_error(response, 422, "required")


def test_with_a_token_too(cast, world):
    coach = bearer_client(token_for(cast.alpha.coach), cast.alpha.workspace)
    assert sorted(emails(coach.get("/api/v1/contacts")))[1:] == [
        "lee@alpha.example",
        "nia@alpha.example",
    ]
    client = bearer_client(token_for(cast.alpha.client), cast.alpha.workspace)
    assert_error(client.get("/api/v1/contacts"), 403, "forbidden")
    # Another workspace's token is not a member here.
    stranger = bearer_client(token_for(cast.beta.admin), cast.alpha.workspace)
    assert_error(stranger.get("/api/v1/contacts"), 401, "not_authenticated")


# Queries ----------------------------------------------------------------------------------


def _grow(cast, n: int) -> None:  # type: ignore[no-untyped-def]
    ws = cast.alpha.workspace
    for i in range(5):
        contact(ws, f"grow{n}-{i}@example.com", coach=cast.alpha.coach.membership,
                client_type=client_type(ws, "Prospect"))  # fmt: skip
    Contact.objects.filter(email__startswith=f"grow{n}-0").update(status=ContactStatus.ARCHIVED)


@pytest.mark.parametrize(("who", "expected"), [("admin", 5), ("coach", 5)])
def test_the_contact_list_runs_the_same_queries_however_many_contacts(cast, world, who, expected):
    client = client_of(cast, who)
    counter = iter(range(1000))
    count = assert_flat_queries(
        lambda: client.get("/api/v1/contacts"), lambda: _grow(cast, next(counter))
    )
    assert count == expected, count
    count = assert_flat_queries(
        lambda: client.get("/api/v1/contacts?q=example&status=contact"),
        lambda: _grow(cast, next(counter)),
    )
    assert count == expected, count


def test_the_client_types_run_the_same_queries_however_many(cast, world):
    client = client_of(cast, "admin")
    counter = iter(range(1000))

    def grow() -> None:
        n = next(counter)
        for i in range(3):
            ClientType.objects.create(workspace=cast.alpha.workspace, name=f"T{n}-{i}")

    assert assert_flat_queries(lambda: client.get("/api/v1/client-types"), grow) == 5
