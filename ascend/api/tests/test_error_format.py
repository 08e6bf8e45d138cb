"""Every answer under /api/v1/ that is not a success uses {"error": {"code", "message", "fields"}}.

Including what ninja and Django would otherwise answer in plain text or HTML:
unknown paths, wrong methods, unreadable bodies and crashes.
"""

from __future__ import annotations

import pytest
from django.test import Client

from ascend.api import routers
from ascend.testing import host_of

from .helpers import assert_error, send

pytestmark = pytest.mark.django_db


def test_unknown_path_under_the_api_is_a_json_404(cast):
    client = cast.client_for(cast.alpha.owner)
    assert_error(client.get("/api/v1/nothing-here"), 404, "not_found")
    assert_error(client.get("/api/v1/members/1/extra"), 404, "not_found")
    assert_error(client.get("/api/v1/"), 404, "not_found")


def test_unknown_path_is_a_404_even_for_anonymous_posts(cast):
    client = Client(HTTP_HOST=host_of(cast.alpha.workspace), enforce_csrf_checks=True)
    assert_error(client.post("/api/v1/nothing-here"), 404, "not_found")


def test_a_trailing_slash_is_a_json_404_not_a_redirect(cast):
    assert_error(cast.client_for(cast.alpha.owner).get("/api/v1/me/"), 404, "not_found")


def test_wrong_method_is_a_json_405_that_names_the_allowed_ones(cast):
    response = send(cast.client_for(cast.alpha.owner), "put", "/api/v1/tokens", {"name": "x"})
    assert_error(response, 405, "method_not_allowed")
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}


def test_wrong_method_is_refused_before_authentication(cast):
    response = Client(HTTP_HOST=host_of(cast.alpha.workspace)).delete("/api/v1/me")
    assert_error(response, 405, "method_not_allowed")


def test_unreadable_json_body_is_a_400(cast):
    response = cast.client_for(cast.alpha.owner).post(
        "/api/v1/tokens", "{not json", content_type="application/json"
    )
    assert_error(response, 400, "bad_request")


def test_a_path_id_that_is_not_a_number_is_a_422_naming_it(cast):
    response = send(cast.client_for(cast.alpha.owner), "delete", "/api/v1/tokens/abc")
    assert "token_id" in assert_error(response, 422, "validation_error")


def test_missing_body_is_a_422_naming_each_field(cast):
    response = send(cast.client_for(cast.alpha.owner), "post", "/api/v1/members/invitations", {})
    fields = assert_error(response, 422, "validation_error")
    assert set(fields) == {"email", "roles"}


def test_a_crash_is_a_json_500_and_is_still_reported(cast, monkeypatch, caplog):
    def broken(user):
        raise RuntimeError("the database fell over")

    monkeypatch.setattr(routers, "workspaces_of", broken)
    client = cast.client_for(cast.alpha.owner)
    client.raise_request_exception = False
    response = client.get("/api/v1/workspaces")
    assert_error(response, 500, "server_error")
    assert "the database fell over" not in response.content.decode()
    assert any(r.exc_info and r.exc_info[0] is RuntimeError for r in caplog.records)


def test_a_crash_reaches_the_test_client_like_any_django_crash(cast, monkeypatch):
    # Tests (and error trackers) hear about crashes through got_request_exception.
    monkeypatch.setattr(routers, "workspaces_of", lambda user: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        cast.client_for(cast.alpha.owner).get("/api/v1/workspaces")
