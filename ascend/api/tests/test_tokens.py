"""GET, POST and DELETE /api/v1/tokens: a person's own API tokens.

Rules: every member may make, list and revoke their own tokens in this
workspace; nobody sees or revokes anyone else's (404); the secret is shown in
the creation answer only and the database keeps only its SHA-256; a name is
required; at most ``MAX_ACTIVE_TOKENS`` live tokens per person.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from ascend.api.actions import MAX_ACTIVE_TOKENS, do_create_api_token
from ascend.api.models import ApiToken
from ascend.lib.tokens import hash_token
from ascend.testing import (
    MODEL_BACKEND,
    assert_flat_queries,
    assert_num_queries,
    host_of,
)

from .helpers import ROLES, assert_error, send, token_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_every_member_makes_lists_and_revokes_their_own_tokens(cast, role):
    client = cast.client_for(getattr(cast.alpha, role))
    created = send(client, "post", "/api/v1/tokens", {"name": "Zapier"})
    assert created.status_code == 201
    token_id = created.json()["id"]
    assert [t["id"] for t in client.get("/api/v1/tokens").json()] == [token_id]
    assert send(client, "delete", f"/api/v1/tokens/{token_id}").status_code == 204
    (listed,) = client.get("/api/v1/tokens").json()
    assert listed["revoked_at"] is not None


def test_the_secret_is_in_the_creation_answer_only(cast):
    client = cast.client_for(cast.alpha.coach)
    body = send(client, "post", "/api/v1/tokens", {"name": "Zapier"}).json()
    assert body["token"].startswith("asc_") and body["token"].startswith(body["prefix"])
    assert body["name"] == "Zapier" and body["last_used_at"] is None
    assert all("token" not in t for t in client.get("/api/v1/tokens").json())


def test_the_secret_is_stored_only_as_its_hash(cast):
    client = cast.client_for(cast.alpha.coach)
    secret = send(client, "post", "/api/v1/tokens", {"name": "Zapier"}).json()["token"]
    assert ApiToken.objects.get().key_hash == hash_token(secret)
    # Nowhere in the database: not in the token row, the activity log or anywhere else.
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                assert not any(secret in str(value) for value in row), table


def test_the_list_holds_only_the_persons_own_tokens_in_this_workspace(cast):
    mine = do_create_api_token(cast.alpha.coach.workspace, cast.alpha.coach.user, name="mine")[0]
    do_create_api_token(cast.alpha.workspace, cast.alpha.other_coach.user, name="colleague")
    # The same person in another workspace: that token belongs there.
    do_create_api_token(cast.beta.workspace, cast.alpha.coach.user, name="elsewhere")
    listing = cast.client_for(cast.alpha.coach).get("/api/v1/tokens").json()
    assert [t["id"] for t in listing] == [mine.id]


def test_revoking_someone_elses_token_is_a_404(cast):
    theirs, _secret = do_create_api_token(
        cast.alpha.workspace, cast.alpha.other_coach.user, name="x"
    )
    response = send(cast.client_for(cast.alpha.owner), "delete", f"/api/v1/tokens/{theirs.id}")
    assert_error(response, 404, "not_found")
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_revoking_a_token_of_another_workspace_is_a_404(cast):
    theirs, _secret = do_create_api_token(cast.beta.workspace, cast.beta.owner.user, name="x")
    response = send(cast.client_for(cast.alpha.owner), "delete", f"/api/v1/tokens/{theirs.id}")
    assert_error(response, 404, "not_found")


def test_revoking_twice_is_harmless(cast):
    client = cast.client_for(cast.alpha.coach)
    token_id = send(client, "post", "/api/v1/tokens", {"name": "x"}).json()["id"]
    first = ApiToken.objects.get().revoked_at
    assert send(client, "delete", f"/api/v1/tokens/{token_id}").status_code == 204
    assert send(client, "delete", f"/api/v1/tokens/{token_id}").status_code == 204
    assert first is None and ApiToken.objects.get().revoked_at is not None


def test_a_name_is_required(cast):
    client = cast.client_for(cast.alpha.coach)
    for body in ({}, {"name": ""}):
        response = send(client, "post", "/api/v1/tokens", body)
        assert "name" in assert_error(response, 422, "validation_error")
    # Only spaces passes the schema; the action's rule names it.
    response = send(client, "post", "/api/v1/tokens", {"name": "   "})
    assert "name" in assert_error(response, 422, "name_required")
    assert not ApiToken.objects.exists()


def test_a_name_longer_than_80_characters_is_refused(cast):
    response = send(cast.client_for(cast.alpha.coach), "post", "/api/v1/tokens", {"name": "x" * 81})
    assert "name" in assert_error(response, 422, "validation_error")


def test_too_many_live_tokens_are_refused(cast):
    for i in range(MAX_ACTIVE_TOKENS):
        token_for(cast.alpha.coach, name=f"t{i}")
    response = send(
        cast.client_for(cast.alpha.coach), "post", "/api/v1/tokens", {"name": "one more"}
    )
    assert_error(response, 422, "too_many_tokens")


def test_member_of_another_workspace_on_this_host_gets_401(cast):
    client = Client(HTTP_HOST=host_of(cast.alpha.workspace))
    client.force_login(cast.beta.coach.user, backend=MODEL_BACKEND)
    assert_error(client.get("/api/v1/tokens"), 401, "not_authenticated")
    assert_error(send(client, "post", "/api/v1/tokens", {"name": "x"}), 401, "not_authenticated")
    assert not ApiToken.objects.exists()


def test_anonymous_visitor_gets_401(cast):
    client = Client(HTTP_HOST=host_of(cast.alpha.workspace))
    assert_error(client.get("/api/v1/tokens"), 401, "not_authenticated")
    assert_error(send(client, "delete", "/api/v1/tokens/1"), 401, "not_authenticated")


def test_listing_tokens_takes_as_many_queries_for_many_tokens_as_for_few(cast):
    client = cast.client_for(cast.alpha.coach)

    def grow() -> None:
        for i in range(6):
            token_for(cast.alpha.coach, name=f"t{i}")

    assert_flat_queries(lambda: client.get("/api/v1/tokens"), grow)


def test_listing_tokens_takes_five_queries(cast):
    token_for(cast.alpha.coach)
    client = cast.client_for(cast.alpha.coach)
    # Workspace, session, user, membership, tokens.
    with assert_num_queries(5):
        client.get("/api/v1/tokens")
