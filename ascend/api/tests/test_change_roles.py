"""PATCH /api/v1/members/{id}: giving a member a new set of roles.

Rules: owners and admins only; the role rules of invitations; only an owner
touches an owner or grants ownership (``owner_protected``); the workspace keeps
an owner (``last_owner``); a member of another workspace is a 404.
"""

from __future__ import annotations

import pytest
from django.test import Client

from ascend.testing import MODEL_BACKEND, Person, host_of

from .helpers import MEMBER_MANAGERS, ROLES, assert_error, bearer_client, send, token_for

pytestmark = pytest.mark.django_db


def change(client: Client, target: Person, roles: list[str]):
    return send(client, "patch", f"/api/v1/members/{target.membership.id}", {"roles": roles})


@pytest.mark.parametrize("role", ROLES)
def test_only_owners_and_admins_change_roles(cast, role):
    response = change(
        cast.client_for(getattr(cast.alpha, role)), cast.alpha.other_coach, ["auditor"]
    )
    cast.alpha.other_coach.membership.refresh_from_db()
    if role in MEMBER_MANAGERS:
        assert response.status_code == 200
        assert response.json()["roles"] == ["auditor"]
        assert cast.alpha.other_coach.membership.is_auditor
    else:
        assert_error(response, 403, "forbidden")
        assert cast.alpha.other_coach.membership.is_coach


def test_head_coach_brings_the_coach_role_along(cast):
    response = change(cast.client_for(cast.alpha.admin), cast.alpha.other_coach, ["head_coach"])
    assert response.json()["roles"] == ["coach", "head_coach"]


def test_admin_cannot_change_an_owner(cast):
    response = change(cast.client_for(cast.alpha.admin), cast.alpha.owner, ["admin"])
    assert_error(response, 422, "owner_protected")
    cast.alpha.owner.membership.refresh_from_db()
    assert cast.alpha.owner.membership.is_owner


def test_admin_cannot_grant_ownership(cast):
    response = change(cast.client_for(cast.alpha.admin), cast.alpha.coach, ["owner"])
    assert "roles" in assert_error(response, 422, "owner_protected")


def test_owner_can_grant_ownership(cast):
    response = change(cast.client_for(cast.alpha.owner), cast.alpha.admin, ["owner"])
    assert response.json()["roles"] == ["owner"]


def test_the_last_owner_cannot_give_up_ownership(cast):
    response = change(cast.client_for(cast.alpha.owner), cast.alpha.owner, ["admin"])
    assert_error(response, 422, "last_owner")
    cast.alpha.owner.membership.refresh_from_db()
    assert cast.alpha.owner.membership.is_owner


def test_an_owner_can_step_down_once_there_is_another(cast):
    owner = cast.client_for(cast.alpha.owner)
    change(owner, cast.alpha.admin, ["owner"])
    assert change(owner, cast.alpha.owner, ["admin"]).json()["roles"] == ["admin"]


def test_unknown_role_is_a_field_error(cast):
    response = change(cast.client_for(cast.alpha.owner), cast.alpha.coach, ["coach", "wizard"])
    assert "roles" in assert_error(response, 422, "unknown_role")


def test_coach_and_client_together_are_refused(cast):
    response = change(cast.client_for(cast.alpha.owner), cast.alpha.client, ["coach", "client"])
    assert "roles" in assert_error(response, 422, "coach_client_exclusive")
    cast.alpha.client.membership.refresh_from_db()
    assert not cast.alpha.client.membership.is_coach


def test_no_roles_is_a_field_error(cast):
    response = change(cast.client_for(cast.alpha.owner), cast.alpha.coach, [])
    assert "roles" in assert_error(response, 422, "validation_error")


def test_missing_roles_is_a_field_error(cast):
    response = send(
        cast.client_for(cast.alpha.owner),
        "patch",
        f"/api/v1/members/{cast.alpha.coach.membership.id}",
        {},
    )
    assert "roles" in assert_error(response, 422, "validation_error")


def test_a_member_id_of_another_workspace_is_a_404(cast):
    response = change(cast.client_for(cast.alpha.owner), cast.beta.coach, ["auditor"])
    assert_error(response, 404, "not_found")
    cast.beta.coach.membership.refresh_from_db()
    assert cast.beta.coach.membership.is_coach


def test_a_member_id_that_does_not_exist_is_the_same_404(cast):
    response = send(
        cast.client_for(cast.alpha.owner), "patch", "/api/v1/members/999999", {"roles": ["coach"]}
    )
    assert_error(response, 404, "not_found")


def test_member_of_another_workspace_on_this_host_gets_401(cast):
    client = Client(HTTP_HOST=host_of(cast.alpha.workspace))
    client.force_login(cast.beta.owner.user, backend=MODEL_BACKEND)
    assert_error(change(client, cast.alpha.coach, ["auditor"]), 401, "not_authenticated")


def test_anonymous_visitor_gets_401(cast):
    client = Client(HTTP_HOST=host_of(cast.alpha.workspace))
    assert_error(change(client, cast.alpha.coach, ["auditor"]), 401, "not_authenticated")


def test_admin_token_changes_roles(cast):
    client = bearer_client(token_for(cast.alpha.admin), cast.alpha.workspace)
    assert change(client, cast.alpha.coach, ["supervisor"]).json()["roles"] == ["supervisor"]
