"""GET and POST /api/v1/members/invitations: inviting team members by email.

Rules (the Team page's): owners and admins only; a valid email; at least one
known role; never coach and client together; never the owner role; not someone
already on the team or already invited.
"""

from __future__ import annotations

import pytest
from django.test import Client

from ascend.accounts.actions import do_invite_staff
from ascend.accounts.models import StaffInvitation
from ascend.notifications.models import OutboundEmail
from ascend.testing import MODEL_BACKEND, host_of

from .helpers import MEMBER_MANAGERS, ROLES, assert_error, bearer_client, send, token_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/members/invitations"


def invite(client: Client, **body: object):
    return send(client, "post", URL, {"email": "nia@example.com", "roles": ["coach"], **body})


@pytest.mark.parametrize("role", ROLES)
def test_only_owners_and_admins_invite(cast, role):
    response = invite(cast.client_for(getattr(cast.alpha, role)))
    if role in MEMBER_MANAGERS:
        assert response.status_code == 201
        assert StaffInvitation.objects.filter(workspace=cast.alpha.workspace).count() == 1
    else:
        assert_error(response, 403, "forbidden")
        assert not StaffInvitation.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_only_owners_and_admins_list_invitations(cast, role):
    response = cast.client_for(getattr(cast.alpha, role)).get(URL)
    if role in MEMBER_MANAGERS:
        assert response.status_code == 200
    else:
        assert_error(response, 403, "forbidden")


def test_an_invitation_is_answered_and_emailed(cast):
    response = invite(cast.client_for(cast.alpha.admin), full_name="Nia", roles=["head_coach"])
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "nia@example.com" and body["full_name"] == "Nia"
    assert body["roles"] == ["coach", "head_coach"]
    assert body["sent_count"] == 1
    assert OutboundEmail.objects.filter(to="nia@example.com", template="staff_invitation").exists()


def test_the_list_shows_open_invitations_of_this_workspace_only(cast):
    do_invite_staff(
        cast.alpha.workspace, email="a@x.test", roles=["coach"], actor=cast.alpha.owner.user
    )
    do_invite_staff(
        cast.beta.workspace, email="b@x.test", roles=["coach"], actor=cast.beta.owner.user
    )
    accepted = do_invite_staff(
        cast.alpha.workspace, email="c@x.test", roles=["coach"], actor=cast.alpha.owner.user
    )
    accepted.accepted_at = accepted.created_at
    accepted.save()
    listing = cast.client_for(cast.alpha.owner).get(URL).json()
    assert [i["email"] for i in listing] == ["a@x.test"]


def test_missing_roles_is_a_field_error(cast):
    response = send(cast.client_for(cast.alpha.owner), "post", URL, {"email": "nia@example.com"})
    assert "roles" in assert_error(response, 422, "validation_error")


def test_empty_roles_is_a_field_error(cast):
    fields = assert_error(
        invite(cast.client_for(cast.alpha.owner), roles=[]), 422, "validation_error"
    )
    assert "roles" in fields


def test_bad_email_is_a_field_error(cast):
    response = invite(cast.client_for(cast.alpha.owner), email="not-an-email")
    assert "email" in assert_error(response, 422, "invalid")
    assert not StaffInvitation.objects.exists()


def test_unknown_role_is_a_field_error(cast):
    response = invite(cast.client_for(cast.alpha.owner), roles=["wizard"])
    assert "roles" in assert_error(response, 422, "unknown_role")


def test_coach_and_client_together_are_refused(cast):
    response = invite(cast.client_for(cast.alpha.owner), roles=["coach", "client"])
    assert "roles" in assert_error(response, 422, "coach_client_exclusive")
    assert not StaffInvitation.objects.exists()


def test_the_owner_role_is_never_invited(cast):
    response = invite(cast.client_for(cast.alpha.owner), roles=["owner"])
    assert "roles" in assert_error(response, 422, "role_not_invitable")


def test_someone_already_on_the_team_is_refused(cast):
    response = invite(cast.client_for(cast.alpha.owner), email=cast.alpha.coach.email.upper())
    assert "email" in assert_error(response, 422, "already_member")


def test_a_member_of_another_workspace_can_be_invited(cast):
    response = invite(cast.client_for(cast.alpha.owner), email=cast.beta.coach.email)
    assert response.status_code == 201


def test_someone_already_invited_is_refused(cast):
    client = cast.client_for(cast.alpha.owner)
    assert invite(client).status_code == 201
    assert "email" in assert_error(invite(client), 422, "already_invited")
    assert StaffInvitation.objects.count() == 1


def test_member_of_another_workspace_on_this_host_gets_401(cast):
    client = Client(HTTP_HOST=host_of(cast.alpha.workspace))
    client.force_login(cast.beta.owner.user, backend=MODEL_BACKEND)
    assert_error(invite(client), 401, "not_authenticated")
    assert_error(client.get(URL), 401, "not_authenticated")
    assert not StaffInvitation.objects.exists()


def test_anonymous_visitor_gets_401(cast):
    assert_error(invite(Client(HTTP_HOST=host_of(cast.alpha.workspace))), 401, "not_authenticated")


def test_owner_token_invites(cast):
    client = bearer_client(token_for(cast.alpha.owner), cast.alpha.workspace)
    assert invite(client).status_code == 201
