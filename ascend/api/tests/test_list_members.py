"""GET /api/v1/members: the workspace's active members, for owners and admins only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from ascend.tenancy.roles import Role
from ascend.testing import (
    MODEL_BACKEND,
    assert_flat_queries,
    assert_num_queries,
    host_of,
    make_person,
)

from .helpers import MEMBER_MANAGERS, ROLES, assert_error, bearer_client, token_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_only_owners_and_admins_list_members(cast, role):
    response = cast.client_for(getattr(cast.alpha, role)).get("/api/v1/members")
    if role in MEMBER_MANAGERS:
        assert response.status_code == 200
    else:
        assert_error(response, 403, "forbidden")


def test_coach_cannot_list_members(cast):
    assert_error(cast.client_for(cast.alpha.coach).get("/api/v1/members"), 403, "forbidden")


def test_the_list_holds_this_workspace_only(cast):
    emails = {
        m["user"]["email"] for m in cast.client_for(cast.alpha.admin).get("/api/v1/members").json()
    }
    assert emails == {p.email for p in cast.alpha.people.values()}
    assert not emails & {p.email for p in cast.beta.people.values()}


def test_removed_members_are_not_listed(cast):
    cast.alpha.other_coach.membership.removed_at = timezone.now()
    cast.alpha.other_coach.membership.save()
    emails = {
        m["user"]["email"] for m in cast.client_for(cast.alpha.owner).get("/api/v1/members").json()
    }
    assert cast.alpha.other_coach.email not in emails


def test_each_member_shows_roles_and_head_coach(cast):
    listing = cast.client_for(cast.alpha.owner).get("/api/v1/members").json()
    coach = next(m for m in listing if m["id"] == cast.alpha.coach.membership.id)
    assert coach["roles"] == ["coach"]
    assert coach["team_leader_id"] == cast.alpha.head_coach.membership.id
    assert coach["user"]["email"] == cast.alpha.coach.email
    head = next(m for m in listing if m["id"] == cast.alpha.head_coach.membership.id)
    assert head["roles"] == ["coach", "head_coach"]


def test_member_of_another_workspace_on_this_host_gets_401(cast):
    client = Client(HTTP_HOST=host_of(cast.alpha.workspace))
    client.force_login(cast.beta.owner.user, backend=MODEL_BACKEND)
    assert_error(client.get("/api/v1/members"), 401, "not_authenticated")


def test_anonymous_visitor_gets_401(cast):
    response = Client(HTTP_HOST=host_of(cast.alpha.workspace)).get("/api/v1/members")
    assert_error(response, 401, "not_authenticated")


def test_admin_token_lists_members(cast):
    client = bearer_client(token_for(cast.alpha.admin), cast.alpha.workspace)
    assert len(client.get("/api/v1/members").json()) == len(cast.alpha.people)


def test_listing_members_takes_as_many_queries_for_many_members_as_for_few(cast):
    client = cast.client_for(cast.alpha.owner)

    def grow() -> None:
        for i in range(6):
            person = make_person(cast.alpha.workspace, {Role.COACH}, f"extra{i}@alpha.test")
            person.membership.team_leader = cast.alpha.head_coach.membership
            person.membership.save()

    assert_flat_queries(lambda: client.get("/api/v1/members"), grow)


def test_listing_members_takes_five_queries(cast):
    client = cast.client_for(cast.alpha.owner)
    # Workspace, session, user, membership; then members with users and head coaches in one.
    with assert_num_queries(5):
        client.get("/api/v1/members")
