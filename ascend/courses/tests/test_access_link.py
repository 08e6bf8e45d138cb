"""/access/<uid>/<token>/: the access email's link.

Rules: the first visit (no password yet) asks for a password, then signs the learner
in and sends them to "My courses"; after that the link is refused; someone who
already has a password is sent to sign in; a tampered, unknown or other portal's
link is a clear page, never a 500.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from ascend.accounts.models import User
from ascend.courses.actions_access import do_give_access
from ascend.courses.models import AccessSource
from ascend.courses.tests.course_world import product
from ascend.notifications.models import OutboundEmail
from ascend.testing import host_of

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-password-77"


def link_path(email: str) -> str:
    body = OutboundEmail.objects.filter(template="course_access", to=email).latest("id").body
    found = re.search(r"http://[^/]+(/access/[^\s]+)", body)
    assert found
    return found.group(1)


@pytest.fixture
def new_learner(cast) -> str:
    ws = cast.alpha.workspace
    do_give_access(ws, actor=None, email="lena@example.com", full_name="Lena Learner",
                   product=product(ws), source=AccessSource.MANUAL)  # fmt: skip
    return link_path("lena@example.com")


def visitor(cast) -> Client:
    return Client(HTTP_HOST=host_of(cast.alpha.workspace))


def choose(client: Client, path: str, password: str = NEW_PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(path, {"new_password1": password, "new_password2": password})


def test_the_first_visit_asks_for_a_password(cast, new_learner):
    response = visitor(cast).get(new_learner)

    assert response.status_code == 200
    assert b'data-testid="set-password"' in response.content
    assert b"lena@example.com" in response.content


def test_choosing_a_password_signs_the_learner_in_and_opens_their_courses(cast, new_learner):
    client = visitor(cast)

    response = choose(client, new_learner)

    assert response.status_code == 302 and response.url == "/me/courses/"
    user = User.objects.get(email="lena@example.com")
    assert user.check_password(NEW_PASSWORD)
    assert int(client.session["_auth_user_id"]) == user.pk


def test_the_link_is_refused_once_the_password_is_set(cast, new_learner):
    choose(visitor(cast), new_learner)

    response = visitor(cast).get(new_learner)
    second = choose(visitor(cast), new_learner, "another-long-password-99")

    assert response.status_code == 410
    assert b'data-testid="link-unusable"' in response.content
    assert second.status_code == 410
    assert User.objects.get(email="lena@example.com").check_password(NEW_PASSWORD)


def test_a_weak_or_mismatched_password_is_shown_at_the_field_and_nothing_changes(cast, new_learner):
    response = visitor(cast).post(new_learner, {"new_password1": "abc", "new_password2": "abd"})

    assert response.status_code == 422
    assert b"errorlist" in response.content
    assert not User.objects.get(email="lena@example.com").has_usable_password()


def test_a_tampered_token_is_a_clear_page(cast, new_learner):
    tampered = new_learner[:-3] + ("aaa" if not new_learner.endswith("aaa/") else "bbb") + "/"

    response = visitor(cast).get(tampered)

    assert response.status_code in (404, 410)
    assert b'data-testid="link-unusable"' in response.content


@pytest.mark.parametrize("path", ["/access/zz/abc-def/", "/access/%%%/x/", "/access/OTk5OTk5/1-2/"])
def test_unknown_links_are_a_clear_page_not_an_error(cast, path):
    response = visitor(cast).get(path)

    assert response.status_code == 404
    assert b'data-testid="link-unusable"' in response.content


def test_a_learner_who_already_has_a_password_is_sent_to_sign_in(cast):
    ws = cast.alpha.workspace
    do_give_access(ws, actor=None, email=cast.alpha.client.email, full_name="",
                   product=product(ws), source=AccessSource.MANUAL)  # fmt: skip

    response = visitor(cast).get(link_path(cast.alpha.client.email))

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/") or "login" in response.url
    assert "next=%2Fme%2Fcourses%2F" in response.url


def test_the_link_works_only_on_its_own_portal(cast, new_learner):
    response = Client(HTTP_HOST=host_of(cast.beta.workspace)).get(new_learner)

    assert response.status_code == 404
    assert b'data-testid="link-unusable"' in response.content
