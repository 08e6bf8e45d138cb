"""Every page: who may open it, who gets 403, and that the other workspace gets 404."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

# page → the roles (cast keys) that may open it; every other member gets 403.
PAGES = {
    "/team/": {"owner", "admin", "supervisor", "attendant", "auditor", "operator"},
    "/team/members/": {"owner", "admin"},
    "/team/members/invite/": {"owner", "admin"},
    "/team/settings/": {"owner", "admin"},
    "/team/activity/": {"owner", "admin", "supervisor"},
    "/team/email/outbox/": {"owner", "admin"},
    "/team/email/templates/": {"owner", "admin"},
    "/team/email/templates/staff_invitation/es/": {"owner", "admin"},
    "/coach/": {"coach", "other_coach", "head_coach"},
    "/me/": {"client", "other_client"},
}
EVERYONE = {"owner", "admin", "coach", "other_coach", "head_coach", "supervisor", "attendant",
            "auditor", "operator", "client", "other_client"}  # fmt: skip
OPEN_TO_ALL_MEMBERS = ["/accounts/preferences/", "/accounts/password/change/", "/api/tokens/"]


@pytest.mark.parametrize("path", list(PAGES))
def test_each_role_gets_the_page_or_a_403(cast, path):
    for role in sorted(EVERYONE):
        response = cast.client_for(getattr(cast.alpha, role)).get(path)
        expected = 200 if role in PAGES[path] else 403
        assert response.status_code == expected, f"{role} on {path}: {response.status_code}"


@pytest.mark.parametrize("path", list(PAGES) + OPEN_TO_ALL_MEMBERS)
def test_a_member_of_the_other_workspace_gets_404(cast, path):
    response = cast.client_for(cast.beta.owner, cast.alpha.workspace).get(path)
    if path in OPEN_TO_ALL_MEMBERS[:2]:
        # Profile pages belong to the person, not the workspace: they stay theirs everywhere.
        assert response.status_code == 200
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("path", list(PAGES) + OPEN_TO_ALL_MEMBERS)
def test_anonymous_visitors_are_sent_to_sign_in(cast, path):
    response = Client(HTTP_HOST=cast.alpha.host).get(path)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("path", OPEN_TO_ALL_MEMBERS)
def test_pages_every_member_may_open(cast, path):
    for role in sorted(EVERYONE):
        assert cast.client_for(getattr(cast.alpha, role)).get(path).status_code == 200


def test_the_403_page_explains_itself_in_the_product_style(cast):
    response = cast.client_for(cast.alpha.coach).get("/team/members/")
    assert response.status_code == 403
    assert (
        b"isn&#x27;t open to your role" in response.content
        or b"open to your role" in response.content
    )
    assert b'class="topbar"' in response.content


def test_the_404_page_is_in_the_product_style(cast):
    response = cast.client_for(cast.alpha.owner).get("/no-such-page/")
    assert response.status_code == 404
    assert b"couldn" in response.content and b'class="topbar"' in response.content


@pytest.mark.parametrize(
    ("role", "portal"),
    [("owner", "/team/"), ("admin", "/team/"), ("operator", "/team/"), ("coach", "/coach/"),
     ("head_coach", "/coach/"), ("client", "/me/"), ("auditor", "/team/")],
)  # fmt: skip
def test_home_sends_each_role_to_its_portal(cast, role, portal):
    response = cast.client_for(getattr(cast.alpha, role)).get("/")
    assert response.status_code == 302 and response.url == portal


def test_home_for_a_signed_in_stranger_explains_there_is_no_role_here(cast):
    response = cast.client_for(cast.beta.owner, cast.alpha.workspace).get("/")
    assert response.status_code == 403
    assert b"not a member of Alpha" in response.content
