"""GET /api/v1/me: who is signed in, where, with which roles and capabilities."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from ascend.tenancy.capabilities import CAPABILITIES, can
from ascend.testing import MODEL_BACKEND, host_of

from .helpers import ROLES, assert_error, bearer_client, token_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_every_member_sees_themselves_their_roles_and_capabilities(cast, role):
    person = getattr(cast.alpha, role)
    response = cast.client_for(person).get("/api/v1/me")
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["email"] == person.email
    assert body["workspace"]["slug"] == "alpha"
    assert body["roles"] == sorted(r.value for r in person.membership.roles)
    assert body["capabilities"] == sorted(
        c.value for c in CAPABILITIES if can(person.membership, c)
    )


def test_a_coach_is_told_they_may_not_manage_members(cast):
    capabilities = cast.client_for(cast.alpha.coach).get("/api/v1/me").json()["capabilities"]
    assert "api.tokens" in capabilities
    assert "members.view" not in capabilities


def test_anonymous_visitor_gets_401_in_the_error_format(cast):
    response = Client(HTTP_HOST=host_of(cast.alpha.workspace)).get("/api/v1/me")
    assert_error(response, 401, "not_authenticated")


def test_member_of_another_workspace_signed_in_on_this_host_gets_401(cast):
    client = Client(HTTP_HOST=host_of(cast.alpha.workspace))
    client.force_login(cast.beta.owner.user, backend=MODEL_BACKEND)
    assert_error(client.get("/api/v1/me"), 401, "not_authenticated")


def test_removed_member_gets_401(cast):
    client = cast.client_for(cast.alpha.coach)
    cast.alpha.coach.membership.removed_at = timezone.now()
    cast.alpha.coach.membership.save()
    assert_error(client.get("/api/v1/me"), 401, "not_authenticated")


def test_default_host_serves_the_default_workspace(cast):
    client = Client(HTTP_HOST="localhost")
    client.force_login(cast.alpha.auditor.user, backend=MODEL_BACKEND)
    assert client.get("/api/v1/me").json()["workspace"]["slug"] == "alpha"


def test_a_token_answers_as_its_person(cast):
    response = bearer_client(token_for(cast.alpha.supervisor), cast.alpha.workspace).get(
        "/api/v1/me"
    )
    assert response.status_code == 200
    assert response.json()["user"]["email"] == cast.alpha.supervisor.email
