"""``Authorization: Bearer <secret>``: a live token of an active member of this workspace.

Rules: the token must exist in the workspace the host serves, be unrevoked,
and belong to an active person who is still a member there; anything else is
401 ``not_authenticated``. A good token records when it was last used (to the
few minutes, so that reads don't all become writes).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ascend.api.actions import do_revoke_api_token
from ascend.api.models import ApiToken
from ascend.tenancy.roles import Role
from ascend.testing import assert_num_queries, host_of, make_person

from .helpers import assert_error, bearer_client, send, token_for

pytestmark = pytest.mark.django_db


def test_a_token_authenticates_every_endpoint_as_its_person(cast):
    client = bearer_client(token_for(cast.alpha.owner), cast.alpha.workspace)
    assert client.get("/api/v1/me").json()["user"]["email"] == cast.alpha.owner.email
    assert client.get("/api/v1/members").status_code == 200
    assert client.get("/api/v1/members/invitations").status_code == 200
    assert client.get("/api/v1/tokens").status_code == 200
    assert send(client, "post", "/api/v1/tokens", {"name": "second"}).status_code == 201


def test_a_token_carries_only_its_persons_roles(cast):
    client = bearer_client(token_for(cast.alpha.coach), cast.alpha.workspace)
    assert_error(client.get("/api/v1/members"), 403, "forbidden")


def test_a_revoked_token_is_refused(cast):
    secret = token_for(cast.alpha.owner)
    client = bearer_client(secret, cast.alpha.workspace)
    assert client.get("/api/v1/me").status_code == 200
    do_revoke_api_token(ApiToken.objects.get(), actor=cast.alpha.owner.user)
    assert_error(client.get("/api/v1/me"), 401, "not_authenticated")


def test_a_token_revoked_through_the_api_stops_working_at_once(cast):
    client = bearer_client(token_for(cast.alpha.owner), cast.alpha.workspace)
    token_id = ApiToken.objects.get().id
    assert send(client, "delete", f"/api/v1/tokens/{token_id}").status_code == 204
    assert_error(client.get("/api/v1/me"), 401, "not_authenticated")


def test_a_token_of_another_workspace_is_refused(cast):
    client = bearer_client(token_for(cast.beta.owner), cast.alpha.workspace)
    assert_error(client.get("/api/v1/me"), 401, "not_authenticated")
    assert_error(client.get("/api/v1/members"), 401, "not_authenticated")


def test_a_persons_token_works_only_in_the_workspace_it_was_made_in(cast):
    make_person(cast.beta.workspace, {Role.ADMIN}, cast.alpha.coach.email)
    secret = token_for(cast.alpha.coach)
    assert bearer_client(secret, cast.alpha.workspace).get("/api/v1/me").status_code == 200
    response = bearer_client(secret, cast.beta.workspace).get("/api/v1/me")
    assert_error(response, 401, "not_authenticated")


def test_a_made_up_token_is_refused(cast):
    client = bearer_client("asc_not-a-real-token", cast.alpha.workspace)
    assert_error(client.get("/api/v1/me"), 401, "not_authenticated")


def test_a_token_sent_another_way_than_bearer_is_refused(cast):
    secret = token_for(cast.alpha.owner)
    client = Client(HTTP_HOST=host_of(cast.alpha.workspace), HTTP_AUTHORIZATION=f"Token {secret}")
    assert_error(client.get("/api/v1/me"), 401, "not_authenticated")


def test_the_token_of_a_removed_member_is_refused(cast):
    client = bearer_client(token_for(cast.alpha.coach), cast.alpha.workspace)
    cast.alpha.coach.membership.removed_at = timezone.now()
    cast.alpha.coach.membership.save()
    assert_error(client.get("/api/v1/me"), 401, "not_authenticated")


def test_the_token_of_a_deactivated_person_is_refused(cast):
    client = bearer_client(token_for(cast.alpha.coach), cast.alpha.workspace)
    cast.alpha.coach.user.is_active = False
    cast.alpha.coach.user.save()
    assert_error(client.get("/api/v1/me"), 401, "not_authenticated")


def test_using_a_token_records_when(cast):
    client = bearer_client(token_for(cast.alpha.coach), cast.alpha.workspace)
    before = timezone.now()
    client.get("/api/v1/me")
    token = ApiToken.objects.get()
    assert token.last_used_at is not None and token.last_used_at >= before
    assert client.get("/api/v1/tokens").json()[0]["last_used_at"] is not None


def test_last_used_is_written_at_most_every_few_minutes(cast):
    client = bearer_client(token_for(cast.alpha.coach), cast.alpha.workspace)
    client.get("/api/v1/me")
    first = ApiToken.objects.get().last_used_at
    # Workspace, token with its person, membership: no UPDATE this time.
    with assert_num_queries(3):
        client.get("/api/v1/me")
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=first - timedelta(minutes=10))
    client.get("/api/v1/me")
    assert ApiToken.objects.get().last_used_at > first


def test_a_bad_token_does_not_hide_a_good_session(cast):
    # The browser's session still works if a stale token header rides along.
    client = cast.client_for(cast.alpha.coach)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer asc_stale")
    assert response.json()["user"]["email"] == cast.alpha.coach.email
