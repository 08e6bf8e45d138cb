"""/api/v1/conversations/{id}/staff-notes: the coach communication area, for staff only.

Rules: the conversation's coach, their head coach, auditors and admins read and write
notes; a client — even the conversation's own — gets the same 404 as for a missing
conversation, and no answer the API gives a client ever carries a note or an audit.
"""

from __future__ import annotations

import pytest

from ascend.api.tests.helpers import assert_error, bearer_client, send, token_for
from ascend.messaging.actions import do_start_conversation
from ascend.messaging.models import StaffNote
from ascend.quality.actions import do_audit_message

from .api_world import MATRIX, NOTE, client_of, make_world

pytestmark = pytest.mark.django_db

READS_NOTES = {"coach", "head_coach", "auditor", "admin"}
FEEDBACK = "Lovely tone; say why three sets next time"


@pytest.fixture
def world(cast):
    return make_world(cast)


def url(world) -> str:  # type: ignore[no-untyped-def]
    return f"/api/v1/conversations/{world.alpha.talk.id}/staff-notes"


@pytest.mark.parametrize("who", MATRIX)
def test_who_reads_the_staff_notes(cast, world, who):
    response = client_of(cast, who).get(url(world))
    if who in READS_NOTES:
        assert response.status_code == 200, response.content
        (note,) = response.json()
        assert note["body"] == NOTE
        assert note["author"]["id"] == cast.alpha.coach.membership.id
    else:
        assert_error(response, 404, "not_found")
        assert NOTE not in response.content.decode()


@pytest.mark.parametrize("who", MATRIX)
def test_who_writes_a_staff_note(cast, world, who):
    before = StaffNote.objects.count()
    response = send(client_of(cast, who), "post", url(world), {"body": "Call her _Friday_"})
    if who in READS_NOTES:
        assert response.status_code == 201, response.content
        data = response.json()
        assert data["body"] == "Call her _Friday_" and "<em>Friday</em>" in data["body_html"]
        assert StaffNote.objects.count() == before + 1
    else:
        assert_error(response, 404, "not_found")
        assert StaffNote.objects.count() == before


def test_the_clients_404_is_the_same_as_for_a_missing_conversation(cast, world):
    client = client_of(cast, "client")
    theirs = client.get(url(world))
    missing = client.get("/api/v1/conversations/999999/staff-notes")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()


@pytest.mark.parametrize("body", ["", "   "])
def test_an_empty_note_is_refused(cast, world, body):
    before = StaffNote.objects.count()
    response = send(client_of(cast, "coach"), "post", url(world), {"body": body})
    assert "body" in assert_error(response, 422, "empty")
    assert StaffNote.objects.count() == before


def test_peer_conversations_have_no_staff_notes(cast, world):
    peer = do_start_conversation(
        cast.alpha.client.membership, recipient=cast.alpha.other_client.membership
    )
    response = client_of(cast, "admin").get(f"/api/v1/conversations/{peer.id}/staff-notes")
    assert_error(response, 404, "not_found")


def test_with_a_token_too(cast, world):
    coach = bearer_client(token_for(cast.alpha.coach), cast.alpha.workspace)
    assert coach.get(url(world)).status_code == 200
    client = bearer_client(token_for(cast.alpha.client), cast.alpha.workspace)
    assert_error(client.get(url(world)), 404, "not_found")


def test_no_client_answer_ever_carries_a_note_or_an_audit(cast, world):
    """Every endpoint a client can call, with a note and an audit on their conversation."""
    do_audit_message(
        world.alpha.reply,
        auditor=cast.alpha.auditor.membership,
        grade="needs_improvement",
        feedback=FEEDBACK,
    )
    talk = world.alpha.talk
    client = client_of(cast, "client")
    coach_id = cast.alpha.coach.membership.id
    answers = [
        client.get("/api/v1/conversations"),
        client.get("/api/v1/conversations?waiting=false"),
        client.get(f"/api/v1/conversations/{talk.id}"),
        client.get(f"/api/v1/conversations/{talk.id}/messages"),
        client.get(f"/api/v1/conversations/{talk.id}/staff-notes"),
        send(client, "post", f"/api/v1/conversations/{talk.id}/staff-notes", {"body": "x"}),
        send(client, "post", f"/api/v1/conversations/{talk.id}/read"),
        send(client, "post", "/api/v1/conversations", {"recipient": coach_id}),
        client.post(f"/api/v1/conversations/{talk.id}/messages", {"body": "Thanks!"}),
        client.get("/api/v1/audits"),
        client.get("/api/v1/audits/queue"),
        client.get("/api/v1/quality/coaches"),
        client.get("/api/v1/me"),
    ]
    for response in answers:
        text = response.content.decode()
        assert NOTE not in text, response.request["PATH_INFO"]
        assert FEEDBACK not in text, response.request["PATH_INFO"]
        assert "needs_improvement" not in text, response.request["PATH_INFO"]
    messages = client.get(f"/api/v1/conversations/{talk.id}/messages").json()
    assert all(m["audit"] is None for m in messages)
    # The coach sees both where they belong.
    coach = client_of(cast, "coach")
    assert NOTE in coach.get(f"/api/v1/conversations/{talk.id}/staff-notes").content.decode()
    reply = coach.get(f"/api/v1/conversations/{talk.id}/messages").json()[1]
    assert reply["audit"]["feedback"] == FEEDBACK and reply["audit"]["colour"] == "yellow"
