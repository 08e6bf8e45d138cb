"""The polling fragment: only messages newer than the page's last one, the conversation read
by the viewer, and the same number of queries however many messages arrive."""

from __future__ import annotations

import pytest

from ascend.messaging.models import Participant
from ascend.messaging.testing import say
from ascend.testing import assert_flat_queries

pytestmark = pytest.mark.django_db


def _seat(conversation, person) -> Participant:
    return Participant.objects.get(conversation=conversation, member=person.membership)


def test_the_fragment_returns_only_newer_messages(cast, talk):
    alpha = cast.alpha
    old = say(talk, alpha.client, "Old question")
    new = say(talk, alpha.client, "New question")
    response = cast.client_for(alpha.coach).get(f"/coach/messages/{talk.pk}/new/?after={old.pk}")
    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="message-{new.pk}"' in page and "New question" in page
    assert "Old question" not in page
    assert f'id="after" name="after" value="{new.pk}" hx-swap-oob="true"' in page
    assert "<html" not in page  # a fragment, nothing else refreshed


def test_the_fragment_marks_the_conversation_read(cast, talk):
    alpha = cast.alpha
    say(talk, alpha.client, "One")
    say(talk, alpha.client, "Two")
    assert _seat(talk, alpha.coach).unread_count == 2
    cast.client_for(alpha.coach).get(f"/coach/messages/{talk.pk}/new/?after=0")
    seat = _seat(talk, alpha.coach)
    assert seat.unread_count == 0 and seat.unread_since is None and seat.last_read_at


def test_nothing_new_answers_an_empty_fragment(cast, talk):
    alpha = cast.alpha
    last = say(talk, alpha.coach, "Hi")
    response = cast.client_for(alpha.client).get(f"/me/messages/{talk.pk}/new/?after={last.pk}")
    assert response.status_code == 200 and response.content == b""


@pytest.mark.parametrize("after", ["", "abc", "-1"])
def test_an_unreadable_after_answers_nothing(cast, talk, after):
    say(talk, cast.alpha.client, "Hi")
    response = cast.client_for(cast.alpha.coach).get(
        f"/coach/messages/{talk.pk}/new/?after={after}"
    )
    assert response.status_code == 200 and response.content == b""


def test_the_page_polls_every_five_seconds_from_its_last_message(cast, talk):
    alpha = cast.alpha
    last = say(talk, alpha.client, "Hi")
    page = cast.client_for(alpha.client).get(f"/me/messages/{talk.pk}/").content.decode()
    assert f'hx-get="/me/messages/{talk.pk}/new/" hx-trigger="every 5s"' in page
    assert 'hx-target="#messages" hx-swap="beforeend"' in page
    assert f'<input type="hidden" id="after" name="after" value="{last.pk}">' in page


def test_the_fragments_query_count_stays_flat_as_messages_arrive(cast, talk):
    alpha = cast.alpha
    first = say(talk, alpha.client, "First")
    http = cast.client_for(alpha.coach)

    def poll():
        return http.get(f"/coach/messages/{talk.pk}/new/?after={first.pk}")

    def grow():
        for n in range(20):
            say(talk, alpha.client, f"More {n}")

    say(talk, alpha.client, "Second")  # something new and unread in both polls
    queries = assert_flat_queries(poll, grow)
    # Workspace, session, user, membership; the conversation, may-see-notes, the messages
    # (with authors and audits), their attachments, the seat and marking it read.
    assert queries == 10


def test_the_conversation_page_marks_it_read(cast, talk):
    alpha = cast.alpha
    say(talk, alpha.coach, "Hello")
    assert _seat(talk, alpha.client).unread_count == 1
    cast.client_for(alpha.client).get(f"/me/messages/{talk.pk}/")
    assert _seat(talk, alpha.client).unread_count == 0
