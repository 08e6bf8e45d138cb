"""The browser session needs a CSRF token on writes; bearer tokens don't.

Rules: a signed-in member's POST, PATCH or DELETE without a valid CSRF token is
refused with 403 ``csrf_failed`` (in the error format) and changes nothing;
reads need no token; a request that authenticates with a bearer token is never
CSRF-checked; a request that authenticates with nothing hears 401, not a CSRF
complaint.
"""

from __future__ import annotations

import pytest
from django.test import Client

from ascend.api.actions import do_revoke_api_token
from ascend.api.models import ApiToken
from ascend.testing import MODEL_BACKEND, Person, host_of

from .helpers import assert_error, bearer_client, send, token_for

pytestmark = pytest.mark.django_db


def strict_client(person: Person) -> Client:
    """A browser-like client: signed in, and CSRF is enforced as for real browsers."""
    client = Client(HTTP_HOST=host_of(person.workspace), enforce_csrf_checks=True)
    client.force_login(person.user, backend=MODEL_BACKEND)
    return client


def csrf_token(client: Client) -> str:
    """The token a page would give the browser (the docs page sets the cookie)."""
    client.get("/api/v1/docs")
    return client.cookies["csrftoken"].value


def test_session_post_without_csrf_token_is_refused_in_the_error_format(cast):
    response = send(strict_client(cast.alpha.coach), "post", "/api/v1/tokens", {"name": "x"})
    assert_error(response, 403, "csrf_failed")
    assert not ApiToken.objects.exists()


def test_session_post_with_the_csrf_token_goes_through(cast):
    client = strict_client(cast.alpha.coach)
    token = csrf_token(client)
    response = send(client, "post", "/api/v1/tokens", {"name": "x"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201


def test_session_patch_and_delete_need_the_csrf_token_too(cast):
    client = strict_client(cast.alpha.owner)
    target = cast.alpha.coach.membership
    response = send(client, "patch", f"/api/v1/members/{target.id}", {"roles": ["auditor"]})
    assert_error(response, 403, "csrf_failed")
    assert_error(send(client, "delete", f"/api/v1/members/{target.id}"), 403, "csrf_failed")
    target.refresh_from_db()
    assert target.is_coach and target.removed_at is None


def test_session_reads_need_no_csrf_token(cast):
    assert strict_client(cast.alpha.owner).get("/api/v1/members").status_code == 200


def test_token_requests_need_no_csrf_token(cast):
    client = bearer_client(
        token_for(cast.alpha.coach), cast.alpha.workspace, enforce_csrf_checks=True
    )
    assert send(client, "post", "/api/v1/tokens", {"name": "x"}).status_code == 201


def test_anonymous_post_hears_401_not_a_csrf_complaint(cast):
    client = Client(HTTP_HOST=host_of(cast.alpha.workspace), enforce_csrf_checks=True)
    assert_error(send(client, "post", "/api/v1/tokens", {"name": "x"}), 401, "not_authenticated")


def test_revoked_token_post_hears_401_not_a_csrf_complaint(cast):
    secret = token_for(cast.alpha.coach)
    do_revoke_api_token(ApiToken.objects.get(), actor=cast.alpha.coach.user)
    client = bearer_client(secret, cast.alpha.workspace, enforce_csrf_checks=True)
    assert_error(send(client, "post", "/api/v1/tokens", {"name": "x"}), 401, "not_authenticated")


def test_signed_in_non_member_post_hears_401(cast):
    client = Client(HTTP_HOST=host_of(cast.alpha.workspace), enforce_csrf_checks=True)
    client.force_login(cast.beta.owner.user, backend=MODEL_BACKEND)
    assert_error(send(client, "post", "/api/v1/tokens", {"name": "x"}), 401, "not_authenticated")
