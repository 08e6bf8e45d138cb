from __future__ import annotations

import pytest

from ascend.tenancy.queries import workspace_for_host

pytestmark = pytest.mark.django_db


def test_subdomain_serves_its_workspace(cast):
    assert workspace_for_host("beta.localhost") == cast.beta.workspace
    assert workspace_for_host("BETA.localhost:8000") == cast.beta.workspace


def test_default_hosts_serve_the_default_workspace(cast):
    assert workspace_for_host("127.0.0.1:8000") == cast.alpha.workspace
    assert workspace_for_host("localhost") == cast.alpha.workspace


def test_custom_domain_serves_its_workspace(cast):
    ws = cast.beta.workspace
    ws.custom_domain = "coaching.example.org"
    ws.save()
    assert workspace_for_host("coaching.example.org") == ws


def test_unknown_hosts_serve_nothing(cast):
    assert workspace_for_host("gamma.localhost") is None
    assert workspace_for_host("a.beta.localhost") is None
    assert workspace_for_host("example.com") is None


def test_unknown_host_gets_a_clear_404_page(cast):
    response = cast.client_for(None, cast.alpha.workspace).get("/", HTTP_HOST="gamma.localhost")
    assert response.status_code == 404
    assert b"There is no coaching workspace at this address" in response.content


def test_unknown_host_answers_the_api_in_its_error_format(cast):
    response = cast.client_for(None, cast.alpha.workspace).get(
        "/api/v1/me", HTTP_HOST="gamma.localhost"
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_workspace"
