"""Who may open each messaging page: the allowed roles get it, other members a 403, members
of another workspace a 404, and visitors the sign-in page; and the permission matrix for
reading and writing in one conversation."""

from __future__ import annotations

import pytest
from django.test import Client

from ascend.messaging.links import conversation_url
from ascend.messaging.models import Message

from .pages_world import page_of

pytestmark = pytest.mark.django_db

EVERYONE = {"owner", "admin", "coach", "other_coach", "head_coach", "supervisor", "attendant",
            "auditor", "operator", "client", "other_client"}  # fmt: skip
PAGES = {
    "/me/messages/": {"client", "other_client"},
    "/me/messages/new/": {"client", "other_client"},
    "/coach/inbox/": {"coach", "other_coach", "head_coach"},
    "/coach/messages/new/": {"coach", "other_coach", "head_coach"},
    "/team/inbox/": {"owner", "admin", "auditor"},
    "/team/messages/new/": {"owner", "admin"},
}


@pytest.mark.parametrize("path", list(PAGES))
def test_each_role_gets_the_page_or_a_403(cast, talk, path):
    for role in sorted(EVERYONE):
        response = cast.client_for(getattr(cast.alpha, role)).get(path)
        expected = 200 if role in PAGES[path] else 403
        assert response.status_code == expected, f"{role} on {path}: {response.status_code}"


@pytest.mark.parametrize("path", list(PAGES))
def test_a_member_of_the_other_workspace_gets_404(cast, path):
    for role in ("owner", "coach", "client", "auditor"):
        person = getattr(cast.beta, role)
        assert cast.client_for(person, cast.alpha.workspace).get(path).status_code == 404


@pytest.mark.parametrize("path", list(PAGES) + ["/messages/attachments/1/"])
def test_visitors_are_sent_to_sign_in(cast, path):
    response = Client(HTTP_HOST=cast.alpha.host).get(path)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


# Reading and writing in the client ↔ coach conversation.
MATRIX = {
    # person: (may read, may write)
    "client": (True, True),
    "other_client": (False, False),
    "coach": (True, True),
    "other_coach": (False, False),
    "head_coach": (True, True),
    "auditor": (True, False),
    "admin": (True, True),
    "beta": (False, False),
}


def _person(cast, key):
    return cast.beta.admin if key == "beta" else getattr(cast.alpha, key)


def _http(cast, person):
    return cast.client_for(person, cast.alpha.workspace)


@pytest.mark.parametrize("key", list(MATRIX))
def test_reading_the_conversation_follows_the_matrix(cast, talk, key):
    person = _person(cast, key)
    may_read, _may_write = MATRIX[key]
    response = _http(cast, person).get(page_of(person, talk))
    assert response.status_code == (200 if may_read else 404)
    poll = _http(cast, person).get(page_of(person, talk) + "new/?after=0")
    assert poll.status_code == (200 if may_read else 404)


@pytest.mark.parametrize("key", list(MATRIX))
def test_writing_in_the_conversation_follows_the_matrix(cast, talk, key):
    person = _person(cast, key)
    may_read, may_write = MATRIX[key]
    response = _http(cast, person).post(page_of(person, talk), {"body": f"From {key}"})
    if may_write:
        assert response.status_code == 302
        assert Message.objects.filter(conversation=talk, body=f"From {key}").exists()
    else:
        assert response.status_code == (403 if may_read else 404)
        assert not Message.objects.filter(conversation=talk).exists()


@pytest.mark.parametrize("key", ["coach", "head_coach", "auditor", "admin"])
def test_only_staff_who_may_write_see_a_reply_form(cast, talk, key):
    person = getattr(cast.alpha, key)
    page = cast.client_for(person).get(page_of(person, talk)).content.decode()
    assert ('id="reply-form"' in page) is MATRIX[key][1]
    if key == "auditor":
        assert 'data-testid="read-only"' in page


def test_a_conversation_is_not_opened_through_another_portal(cast, talk):
    # The coach's conversation is not a client page of the other client, nor a team page
    # of a supervisor (team portal, but no inbox).
    other = cast.client_for(cast.alpha.other_client).get(f"/me/messages/{talk.pk}/")
    assert other.status_code == 404
    supervisor = cast.client_for(cast.alpha.supervisor).get(f"/team/messages/{talk.pk}/")
    assert supervisor.status_code == 403


@pytest.mark.parametrize(
    ("key", "prefix"),
    [("client", "/me/"), ("coach", "/coach/"), ("head_coach", "/coach/"), ("admin", "/team/"),
     ("owner", "/team/"), ("auditor", "/team/")],
)  # fmt: skip
def test_conversation_url_picks_the_portal_of_the_member(cast, talk, key, prefix):
    url = conversation_url(getattr(cast.alpha, key).membership, talk)
    assert url == f"{prefix}messages/{talk.pk}/"
