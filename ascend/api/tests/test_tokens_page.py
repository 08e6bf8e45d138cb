"""The API tokens page at /api/tokens/: make a token (shown once), see them, revoke one.

Rules: the same as the /tokens endpoints — every member manages their own
tokens only; another person's token is a 404; a member of another workspace
gets the 404 page and a visitor is sent to sign in.
"""

from __future__ import annotations

import pytest
from django.test import Client

from ascend.api.actions import do_create_api_token
from ascend.api.models import ApiToken
from ascend.testing import MODEL_BACKEND, assert_flat_queries, host_of

from .helpers import ROLES, token_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_every_member_makes_a_token_and_sees_its_secret_once(cast, role):
    client = cast.client_for(getattr(cast.alpha, role))
    response = client.post("/api/tokens/", {"name": "Zapier"})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret and secret in response.content.decode()
    assert secret not in client.get("/api/tokens/").content.decode()


def test_the_page_lists_only_the_persons_own_tokens(cast):
    token_for(cast.alpha.coach, name="Mine")
    token_for(cast.alpha.other_coach, name="Colleague's")
    page = cast.client_for(cast.alpha.coach).get("/api/tokens/").content.decode()
    assert "Mine" in page and "Colleague" not in page


def test_a_token_without_a_name_keeps_the_form_with_the_error(cast):
    response = cast.client_for(cast.alpha.coach).post("/api/tokens/", {"name": "   "})
    assert response.status_code == 422
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_revoking_from_the_page_stops_the_token(cast):
    secret = token_for(cast.alpha.coach)
    token = ApiToken.objects.get()
    response = cast.client_for(cast.alpha.coach).post(f"/api/tokens/{token.id}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    api = Client(HTTP_HOST=host_of(cast.alpha.workspace), HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/me").status_code == 401


def test_revoking_someone_elses_token_from_the_page_is_a_404(cast):
    theirs, _secret = do_create_api_token(
        cast.alpha.workspace, cast.alpha.other_coach.user, name="x"
    )
    response = cast.client_for(cast.alpha.owner).post(f"/api/tokens/{theirs.id}/revoke/")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_revoking_needs_a_post(cast):
    token_for(cast.alpha.coach)
    token = ApiToken.objects.get()
    response = cast.client_for(cast.alpha.coach).get(f"/api/tokens/{token.id}/revoke/")
    assert response.status_code == 405


def test_member_of_another_workspace_gets_404(cast):
    client = Client(HTTP_HOST=host_of(cast.alpha.workspace))
    client.force_login(cast.beta.coach.user, backend=MODEL_BACKEND)
    assert client.get("/api/tokens/").status_code == 404


def test_a_visitor_is_sent_to_sign_in(cast):
    response = Client(HTTP_HOST=host_of(cast.alpha.workspace)).get("/api/tokens/")
    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_the_page_takes_as_many_queries_for_many_tokens_as_for_few(cast):
    client = cast.client_for(cast.alpha.coach)

    def grow() -> None:
        for i in range(6):
            token_for(cast.alpha.coach, name=f"t{i}")

    assert_flat_queries(lambda: client.get("/api/tokens/"), grow)
