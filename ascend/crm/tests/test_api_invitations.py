"""/api/v1/invitations: inviting clients, resending and revoking, through the API.

Rules: the pages' — owners and admins invite on behalf of a coach they pick (who is
told by email), a coach invites for themselves; one optional package per invitation,
from the coach's list; a refusal (two packages, a package off the list, someone
already a member or already invited) creates nothing and sends nothing. Invitations
are read by those who see the contact; the link's token never leaves the server.
"""

from __future__ import annotations

import pytest

from ascend.api.tests.helpers import assert_error, send
from ascend.crm.models import ClientInvitation, Contact
from ascend.notifications.models import OutboundEmail
from ascend.testing import assert_flat_queries

from .api_world import MATRIX, client_of, make_world
from .crm_world import accept_link, client_type, invite

pytestmark = pytest.mark.django_db

COACHES = {"coach", "other_coach"}


@pytest.fixture
def world(cast):
    return make_world(cast)


def body(cast, **fields):  # type: ignore[no-untyped-def]
    return {"full_name": "Rae Ready", "email": "rae@example.com",
            "client_type": client_type(cast.alpha.workspace, "Client").id,
            "coach": cast.alpha.coach.membership.id, **fields}  # fmt: skip


def stored() -> tuple[int, int, int]:
    return Contact.objects.count(), ClientInvitation.objects.count(), OutboundEmail.objects.count()


# Who sees what ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", MATRIX)
def test_who_lists_which_invitations(cast, world, who):
    response = client_of(cast, who).get("/api/v1/invitations")
    expected = {
        "admin": ["nia@alpha.example", "ola@alpha.example"],
        "coach": ["nia@alpha.example"],
        "other_coach": ["ola@alpha.example"],
        "beta": ["nia@beta.example", "ola@beta.example"],
    }
    if who in expected:
        assert response.status_code == 200, response.content
        assert sorted(i["contact"]["email"] for i in response.json()) == expected[who]
    else:
        assert_error(response, 403, "forbidden")


@pytest.mark.parametrize("who", MATRIX)
@pytest.mark.parametrize("verb", ["resend", "revoke"])
def test_who_resends_or_revokes_an_invitation(cast, world, who, verb):
    invitation = world.alpha.invitation
    emails = OutboundEmail.objects.count()
    response = send(client_of(cast, who), "post", f"/api/v1/invitations/{invitation.id}/{verb}")
    invitation.refresh_from_db()
    if who in {"admin", "coach"}:
        assert response.status_code == 200, response.content
        if verb == "resend":
            assert response.json()["sent_count"] == 2 and invitation.sent_count == 2
            assert OutboundEmail.objects.count() == emails + 1
        else:
            assert response.json()["state"] == "revoked" and invitation.revoked_at is not None
            assert invitation.contact.status == "contact"
    else:
        status, code = (404, "not_found") if who in {"other_coach", "beta"} else (403, "forbidden")
        assert_error(response, status, code)
        assert (invitation.sent_count, invitation.revoked_at) == (1, None)
        assert OutboundEmail.objects.count() == emails


@pytest.mark.parametrize("who", MATRIX)
def test_who_invites_a_client(cast, world, who):
    before = stored()
    told_before = OutboundEmail.objects.filter(template="client_assigned").count()
    response = send(client_of(cast, who), "post", "/api/v1/invitations", body(cast))
    if who in {"admin", *COACHES}:
        assert response.status_code == 201, response.content
        data = response.json()
        assert data["contact"]["email"] == "rae@example.com" and data["state"] == "pending"
        # An admin picks the coach; a coach always invites for themselves.
        coach = cast.alpha.coach if who == "admin" else getattr(cast.alpha, who)
        assert data["coach"]["id"] == coach.membership.id
        assert OutboundEmail.objects.filter(to="rae@example.com").count() == 1
        # The coach is told when someone else invited for them.
        told = OutboundEmail.objects.filter(template="client_assigned")
        assert told.count() - told_before == (1 if who == "admin" else 0)
        assert who != "admin" or told.latest("id").to == coach.email
    elif who == "beta":
        # Alpha's client type and coach are no ids of beta.
        assert_error(response, 422, "not_found")
        assert stored() == before
    else:
        assert_error(response, 403, "forbidden")
        assert stored() == before


# Inviting ---------------------------------------------------------------------------------


def test_an_admin_invites_with_a_package_from_the_coachs_list(cast, world):
    package = world.alpha.package
    response = send(client_of(cast, "admin"), "post", "/api/v1/invitations",
                    body(cast, package=package.id, message="See you Monday"))  # fmt: skip
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["package"] == {"id": package.id, "name": "Ten sessions"}
    assert data["message"] == "See you Monday" and data["invited_by"] == "Alpha Admin"
    invitation = ClientInvitation.objects.get(pk=data["id"])
    assert invitation.package == package and invitation.contact.coach == cast.alpha.coach.membership


def test_a_list_of_one_package_is_the_package(cast, world):
    package = world.alpha.package
    response = send(client_of(cast, "coach"), "post", "/api/v1/invitations",
                    body(cast, packages=[package.id]))  # fmt: skip
    assert response.json()["package"]["id"] == package.id
    # The same package sent both ways is still one package.
    response = send(client_of(cast, "coach"), "post", "/api/v1/invitations",
                    body(cast, email="sam@example.com", package=package.id,
                         packages=[package.id]))  # fmt: skip
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"packages": "two"}, "packages", "one_package_per_invitation"),
        ({"package": "one", "packages": "other"}, "packages", "one_package_per_invitation"),
        ({"package": "group"}, "package", "package_not_on_coach_list"),
        ({"package": 999999}, "package", "not_found"),
        ({"email": "nia@alpha.example"}, "email", "already_invited"),
        ({"email": "NIA@alpha.example"}, "email", "already_invited"),
        ({"email": "client@alpha.test"}, "email", "already_member"),
        ({"email": "other.coach@alpha.test"}, "email", "already_member"),
        ({"email": "not an email"}, "email", "invalid"),
        ({"coach": None}, "coach", "coach_required"),
        ({"coach": "client"}, "coach", "not_a_coach"),
        ({"client_type": 999999}, "client_type", "not_found"),
    ],
)
def test_bad_invitations_are_refused_and_nothing_is_half_created(cast, world, fields, field, code):
    alpha = world.alpha
    ids = {"one": alpha.package.id, "other": alpha.group.id, "group": alpha.group.id,
           "client": cast.alpha.client.membership.id}  # fmt: skip
    values = {
        key: ([alpha.package.id, alpha.group.id] if value == "two" else
              [ids[value]] if key == "packages" else ids.get(value, value))
        if isinstance(value, str) and key != "email" else value
        for key, value in fields.items()
    }  # fmt: skip
    before = stored()
    response = send(client_of(cast, "admin"), "post", "/api/v1/invitations", body(cast, **values))
    assert field in assert_error(response, 422, code)
    assert stored() == before


def test_two_packages_are_refused_for_a_coach_too(cast, world):
    before = stored()
    two = [world.alpha.package.id, world.alpha.group.id]
    response = send(
        client_of(cast, "coach"), "post", "/api/v1/invitations", body(cast, packages=two)
    )
    assert "packages" in assert_error(response, 422, "one_package_per_invitation")
    assert stored() == before


def test_the_other_coachs_own_group_package_is_on_their_list(cast, world):
    response = send(client_of(cast, "other_coach"), "post", "/api/v1/invitations",
                    body(cast, package=world.alpha.group.id))  # fmt: skip
    assert response.status_code == 201, response.content


def test_an_existing_contact_is_invited_without_a_second_contact(cast, world):
    before = Contact.objects.count()
    response = send(client_of(cast, "coach"), "post", "/api/v1/invitations",
                    body(cast, email="lee@alpha.example"))  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["contact"]["id"] == world.alpha.own.id
    assert Contact.objects.count() == before


def test_a_closed_invitation_cannot_be_resent_or_revoked(cast, world):
    admin = client_of(cast, "admin")
    url = f"/api/v1/invitations/{world.alpha.invitation.id}"
    assert send(admin, "post", f"{url}/revoke").status_code == 200
    emails = OutboundEmail.objects.count()
    assert_error(send(admin, "post", f"{url}/resend"), 422, "invitation_closed")
    assert_error(send(admin, "post", f"{url}/revoke"), 422, "invitation_closed")
    assert OutboundEmail.objects.count() == emails


def test_the_link_never_leaves_the_server(cast, world):
    admin = client_of(cast, "admin")
    created = send(admin, "post", "/api/v1/invitations", body(cast))
    token = accept_link("rae@example.com").strip("/").split("/")[-1]
    resent = send(admin, "post", f"/api/v1/invitations/{created.json()['id']}/resend")
    new_token = accept_link("rae@example.com").strip("/").split("/")[-1]
    answers = [created, resent, admin.get("/api/v1/invitations"),
               admin.get(f"/api/v1/contacts/{created.json()['contact']['id']}")]  # fmt: skip
    for response in answers:
        text = response.content.decode()
        assert token not in text and new_token not in text and "token" not in text


def test_filters_and_pages(cast, world):
    admin = client_of(cast, "admin")
    contact = world.alpha.invitation.contact_id
    assert [i["id"] for i in admin.get(f"/api/v1/invitations?contact={contact}").json()] == [
        world.alpha.invitation.id
    ]
    send(admin, "post", f"/api/v1/invitations/{world.alpha.invitation.id}/revoke")
    assert [i["contact"]["email"] for i in admin.get("/api/v1/invitations?open=true").json()] == [
        "ola@alpha.example"
    ]
    closed = admin.get("/api/v1/invitations?open=false").json()
    assert [(i["contact"]["email"], i["state"]) for i in closed] == [
        ("nia@alpha.example", "revoked")
    ]
    newest_first = [i["id"] for i in admin.get("/api/v1/invitations").json()]
    assert newest_first == [world.alpha.other_invitation.id, world.alpha.invitation.id]
    assert [i["id"] for i in admin.get("/api/v1/invitations?limit=1&offset=1").json()] == [
        world.alpha.invitation.id
    ]


# Queries ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "expected"), [("admin", 5), ("coach", 5)])
def test_the_invitation_list_runs_the_same_queries_however_many(cast, world, who, expected):
    client = client_of(cast, who)
    counter = iter(range(1000))

    def grow() -> None:
        n = next(counter)
        for i in range(4):
            invite(cast.alpha, f"grow{n}-{i}@example.com",
                   package=world.alpha.package if i % 2 else None)  # fmt: skip

    count = assert_flat_queries(lambda: client.get("/api/v1/invitations"), grow)
    assert count == expected, count
