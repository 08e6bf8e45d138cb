"""GET /api/v1/workspaces: the workspaces the person belongs to, and no others."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from ascend.tenancy.roles import Role
from ascend.testing import MODEL_BACKEND, host_of, make_person

from .helpers import ROLES, assert_error, bearer_client, token_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_every_member_lists_only_their_own_workspace(cast, role):
    response = cast.client_for(getattr(cast.alpha, role)).get("/api/v1/workspaces")
    assert response.status_code == 200
    assert [w["slug"] for w in response.json()] == ["alpha"]


def test_a_person_in_two_workspaces_sees_both_from_either_host(cast):
    make_person(cast.beta.workspace, {Role.COACH}, cast.alpha.admin.email)
    for workspace in (cast.alpha.workspace, cast.beta.workspace):
        client = Client(HTTP_HOST=host_of(workspace))
        client.force_login(cast.alpha.admin.user, backend=MODEL_BACKEND)
        assert [w["slug"] for w in client.get("/api/v1/workspaces").json()] == ["alpha", "beta"]


def test_a_workspace_the_person_was_removed_from_is_not_listed(cast):
    beta = make_person(cast.beta.workspace, {Role.COACH}, cast.alpha.admin.email)
    beta.membership.removed_at = timezone.now()
    beta.membership.save()
    response = cast.client_for(cast.alpha.admin).get("/api/v1/workspaces")
    assert [w["slug"] for w in response.json()] == ["alpha"]


def test_the_answer_describes_each_workspace(cast):
    (workspace,) = cast.client_for(cast.alpha.client).get("/api/v1/workspaces").json()
    assert workspace == {
        "id": cast.alpha.workspace.id,
        "name": "Alpha",
        "slug": "alpha",
        "host": cast.alpha.workspace.host,
        "time_zone": cast.alpha.workspace.time_zone,
        "default_language": cast.alpha.workspace.default_language,
        "rank_word": str(cast.alpha.workspace.rank_word),
    }


def test_anonymous_visitor_gets_401(cast):
    response = Client(HTTP_HOST=host_of(cast.alpha.workspace)).get("/api/v1/workspaces")
    assert_error(response, 401, "not_authenticated")


def test_member_of_another_workspace_on_this_host_gets_401(cast):
    client = Client(HTTP_HOST=host_of(cast.alpha.workspace))
    client.force_login(cast.beta.coach.user, backend=MODEL_BACKEND)
    assert_error(client.get("/api/v1/workspaces"), 401, "not_authenticated")


def test_works_with_a_token(cast):
    client = bearer_client(token_for(cast.alpha.operator), cast.alpha.workspace)
    assert [w["slug"] for w in client.get("/api/v1/workspaces").json()] == ["alpha"]
