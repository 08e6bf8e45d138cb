"""DELETE /api/v1/members/{id}: removing a member from the workspace.

Rules: owners and admins only; nobody removes themselves (``remove_self``);
only an owner removes an owner (``owner_protected``), so the last owner always
stays; a removed member loses API access at once, token and session alike.
"""

from __future__ import annotations

import pytest
from django.test import Client

from ascend.testing import MODEL_BACKEND, Person, host_of

from .helpers import MEMBER_MANAGERS, ROLES, assert_error, bearer_client, send, token_for

pytestmark = pytest.mark.django_db


def remove(client: Client, target: Person):
    return send(client, "delete", f"/api/v1/members/{target.membership.id}")


def is_member(person: Person) -> bool:
    person.membership.refresh_from_db()
    return person.membership.removed_at is None


@pytest.mark.parametrize("role", ROLES)
def test_only_owners_and_admins_remove_members(cast, role):
    response = remove(cast.client_for(getattr(cast.alpha, role)), cast.alpha.other_client)
    if role in MEMBER_MANAGERS:
        assert response.status_code == 204
        assert response.content == b""
        assert not is_member(cast.alpha.other_client)
    else:
        assert_error(response, 403, "forbidden")
        assert is_member(cast.alpha.other_client)


def test_nobody_removes_themselves(cast):
    assert_error(remove(cast.client_for(cast.alpha.admin), cast.alpha.admin), 422, "remove_self")
    assert is_member(cast.alpha.admin)


def test_admin_cannot_remove_an_owner(cast):
    response = remove(cast.client_for(cast.alpha.admin), cast.alpha.owner)
    assert_error(response, 422, "owner_protected")
    assert is_member(cast.alpha.owner)


def test_the_last_owner_cannot_be_removed_by_anyone(cast):
    # Only an owner may remove an owner, and not themselves: a sole owner always stays.
    assert_error(remove(cast.client_for(cast.alpha.owner), cast.alpha.owner), 422, "remove_self")
    assert_error(
        remove(cast.client_for(cast.alpha.admin), cast.alpha.owner), 422, "owner_protected"
    )
    assert is_member(cast.alpha.owner)


def test_an_owner_removes_another_owner(cast):
    owner = cast.client_for(cast.alpha.owner)
    send(owner, "patch", f"/api/v1/members/{cast.alpha.admin.membership.id}", {"roles": ["owner"]})
    assert remove(owner, cast.alpha.admin).status_code == 204


def test_a_member_id_of_another_workspace_is_a_404(cast):
    assert_error(remove(cast.client_for(cast.alpha.owner), cast.beta.coach), 404, "not_found")
    assert is_member(cast.beta.coach)


def test_removing_twice_is_a_404(cast):
    owner = cast.client_for(cast.alpha.owner)
    assert remove(owner, cast.alpha.coach).status_code == 204
    assert_error(remove(owner, cast.alpha.coach), 404, "not_found")


def test_a_removed_member_loses_api_access_at_once(cast):
    secret = token_for(cast.alpha.coach)
    session = cast.client_for(cast.alpha.coach)
    remove(cast.client_for(cast.alpha.owner), cast.alpha.coach)
    assert_error(session.get("/api/v1/me"), 401, "not_authenticated")
    response = bearer_client(secret, cast.alpha.workspace).get("/api/v1/me")
    assert_error(response, 401, "not_authenticated")


def test_removing_a_head_coach_frees_their_coaches(cast):
    remove(cast.client_for(cast.alpha.owner), cast.alpha.head_coach)
    cast.alpha.coach.membership.refresh_from_db()
    assert cast.alpha.coach.membership.team_leader is None


def test_member_of_another_workspace_on_this_host_gets_401(cast):
    client = Client(HTTP_HOST=host_of(cast.alpha.workspace))
    client.force_login(cast.beta.owner.user, backend=MODEL_BACKEND)
    assert_error(remove(client, cast.alpha.coach), 401, "not_authenticated")
    assert is_member(cast.alpha.coach)


def test_anonymous_visitor_gets_401(cast):
    client = Client(HTTP_HOST=host_of(cast.alpha.workspace))
    assert_error(remove(client, cast.alpha.coach), 401, "not_authenticated")
