"""/api/v1/conversations/{id}/messages: reading (``after``, pages) and writing with attachments;
/api/v1/attachments/{id}: downloading them.

Rules: the people who read a conversation read its messages; those who may post in it
write (auditors never: 422 ``conversation_closed``); everyone else gets the 404 of a
missing conversation. Empty messages, forbidden or oversize files are refused with 422
and a stable code, and nothing is stored — no message, no attachment, no file.
"""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ascend.api.tests.helpers import assert_error, bearer_client, token_for
from ascend.messaging.models import Attachment, Message, Participant, ResponseRun
from ascend.messaging.testing import say
from ascend.testing import assert_flat_queries

from .api_world import MATRIX, client_of, make_world

pytestmark = pytest.mark.django_db

SEES_THE_TALK = {"client", "coach", "head_coach", "auditor", "admin"}
POSTS_IN_THE_TALK = {"client", "coach", "head_coach", "admin"}


@pytest.fixture
def world(cast):
    return make_world(cast)


def url(world) -> str:  # type: ignore[no-untyped-def]
    return f"/api/v1/conversations/{world.alpha.talk.id}/messages"


def upload(name: str = "plan.pdf", size: int = 2048, content_type: str = "application/pdf"):  # type: ignore[no-untyped-def]
    return SimpleUploadedFile(name, b"x" * size, content_type=content_type)


def stored() -> tuple[int, int, int]:
    return Message.objects.count(), Attachment.objects.count(), ResponseRun.objects.count()


@pytest.mark.parametrize("who", MATRIX)
def test_who_reads_the_messages(cast, world, who):
    response = client_of(cast, who).get(url(world))
    if who in SEES_THE_TALK:
        assert response.status_code == 200, response.content
        assert [m["body"] for m in response.json()] == [
            "How many sets today?",
            "Three sets of ten.",
        ]
    else:
        assert_error(response, 404, "not_found")


@pytest.mark.parametrize("who", MATRIX)
def test_who_writes_in_the_conversation(cast, world, who):
    before = stored()
    response = client_of(cast, who).post(url(world), {"body": "**Noted**, thanks"})
    if who in POSTS_IN_THE_TALK:
        assert response.status_code == 201, response.content
        data = response.json()
        assert data["body"] == "**Noted**, thanks"
        assert "<strong>Noted</strong>" in data["body_html"]
        assert data["author"]["email"] == getattr(cast.alpha, who).email
        assert data["is_coach_reply"] == (who in {"coach", "head_coach"})
        assert Message.objects.count() == before[0] + 1
        return
    if who == "auditor":
        assert "body" in assert_error(response, 422, "conversation_closed")
    else:
        assert_error(response, 404, "not_found")
    assert stored() == before


def test_a_clients_message_makes_the_conversation_wait_and_counts_unread(cast, world):
    response = client_of(cast, "client").post(url(world), {"body": "And tomorrow?"})
    assert response.status_code == 201
    world.alpha.talk.refresh_from_db()
    assert world.alpha.talk.waiting_since is not None
    seat = Participant.objects.get(
        conversation=world.alpha.talk, member=cast.alpha.coach.membership
    )
    assert seat.unread_count == 1


def test_a_script_writes_with_a_token_and_no_csrf_token(cast, world):
    client = bearer_client(
        token_for(cast.alpha.coach), cast.alpha.workspace, enforce_csrf_checks=True
    )
    response = client.post(url(world), {"body": "From my script", "files": [upload()]})
    assert response.status_code == 201, response.content
    assert len(response.json()["attachments"]) == 1


def test_a_browser_session_needs_the_csrf_token(cast, world):
    client = cast.client_for(cast.alpha.coach)
    client.handler.enforce_csrf_checks = True
    assert_error(client.post(url(world), {"body": "Hi"}), 403, "csrf_failed")


def test_messages_after_an_id_and_in_pages(cast, world):
    third = say(world.alpha.talk, cast.alpha.client, "Third")
    client = client_of(cast, "client")
    after = client.get(f"{url(world)}?after={world.alpha.reply.id}").json()
    assert [m["id"] for m in after] == [third.id]
    first_page = client.get(f"{url(world)}?limit=2").json()
    assert [m["id"] for m in first_page] == [world.alpha.question.id, world.alpha.reply.id]
    assert client.get(f"{url(world)}?after={third.id}").json() == []


# Attachments -------------------------------------------------------------------------------


def test_files_are_stored_and_described(cast, world):
    client = client_of(cast, "client")
    response = client.post(
        url(world),
        {"body": "My plan", "files": [upload(), upload("photo.PNG", 512, "image/png")]},
    )
    assert response.status_code == 201, response.content
    attachments = response.json()["attachments"]
    assert [(a["name"], a["size"], a["content_type"]) for a in attachments] == [
        ("plan.pdf", 2048, "application/pdf"),
        ("photo.PNG", 512, "image/png"),
    ]
    for a in attachments:
        assert a["api_url"] == f"/api/v1/attachments/{a['id']}"
        assert a["url"]
    row = Attachment.objects.get(pk=attachments[0]["id"])
    assert default_storage.exists(row.file.name)


@pytest.mark.parametrize("who", MATRIX)
def test_who_downloads_an_attachment(cast, world, who):
    message = client_of(cast, "client").post(url(world), {"body": "Plan", "files": [upload()]})
    attachment_id = message.json()["attachments"][0]["id"]
    response = client_of(cast, who).get(f"/api/v1/attachments/{attachment_id}")
    if who in SEES_THE_TALK:
        assert response.status_code == 200
        assert response["Content-Type"] == "application/octet-stream"
        assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == b"x" * 2048
    else:
        assert_error(response, 404, "not_found")


def test_the_url_is_the_pages_download_and_the_api_has_its_own(cast, world):
    data = client_of(cast, "client").post(url(world), {"body": "Plan", "files": [upload()]}).json()
    (attachment,) = data["attachments"]
    assert attachment["url"] == reverse("messaging:attachment", args=[attachment["id"]])
    assert attachment["url"] == f"/messages/attachments/{attachment['id']}/"
    assert attachment["api_url"] == f"/api/v1/attachments/{attachment['id']}"


def test_without_the_pages_the_url_is_the_apis(cast, world, monkeypatch):
    from ascend.messaging import api

    monkeypatch.setattr(api, "attachment_page_url", lambda pk: None)
    data = client_of(cast, "client").post(url(world), {"body": "Plan", "files": [upload()]}).json()
    (attachment,) = data["attachments"]
    assert attachment["url"] == attachment["api_url"]


# Bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["", "   \n  ", None])
def test_an_empty_message_is_refused_and_nothing_is_stored(cast, world, body):
    before = stored()
    data = {"files": [upload()]} if body is None else {"body": body, "files": [upload()]}
    response = client_of(cast, "client").post(url(world), data)
    assert "body" in assert_error(response, 422, "empty")
    assert stored() == before


@pytest.mark.parametrize("name", ["run.exe", "page.html", "no-extension", "script.js"])
def test_a_forbidden_type_is_refused_and_nothing_is_stored(cast, world, name):
    before = stored()
    response = client_of(cast, "client").post(
        url(world), {"body": "See attached", "files": [upload(), upload(name)]}
    )
    assert "files" in assert_error(response, 422, "file_type_not_allowed")
    assert stored() == before
    world.alpha.talk.refresh_from_db()
    assert world.alpha.talk.waiting_since is None


def test_an_oversize_file_is_refused_and_nothing_is_stored(cast, world):
    workspace = cast.alpha.workspace
    workspace.attachment_max_mb = 1
    workspace.save()
    before = stored()
    big = upload("scan.pdf", 1024 * 1024 + 1)
    response = client_of(cast, "client").post(url(world), {"body": "Big scan", "files": [big]})
    assert "files" in assert_error(response, 422, "file_too_large")
    assert stored() == before
    exactly = upload("scan.pdf", 1024 * 1024)
    response = client_of(cast, "client").post(url(world), {"body": "Big scan", "files": [exactly]})
    assert response.status_code == 201, response.content


def test_an_empty_file_is_refused(cast, world):
    response = client_of(cast, "client").post(
        url(world), {"body": "Nothing", "files": [upload("empty.txt", 0, "text/plain")]}
    )
    assert_error(response, 422, "file_too_large")


def test_more_than_five_files_are_refused(cast, world):
    before = stored()
    files = [upload(f"p{n}.pdf") for n in range(6)]
    response = client_of(cast, "client").post(url(world), {"body": "Many", "files": files})
    assert_error(response, 422, "too_many_files")
    assert stored() == before


def test_a_message_too_long_is_refused(cast, world):
    response = client_of(cast, "client").post(url(world), {"body": "x" * 10_001})
    assert "body" in assert_error(response, 422, "too_long")


def test_writing_in_another_workspaces_conversation_is_a_404(cast, world):
    before = stored()
    response = client_of(cast, "admin").post(
        f"/api/v1/conversations/{world.beta.talk.id}/messages", {"body": "Hi"}
    )
    assert_error(response, 404, "not_found")
    assert stored() == before


# Query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "expected"), [("client", 7), ("coach", 8)])
def test_reading_messages_runs_the_same_queries_however_many(cast, world, who, expected):
    """Signing in (4), the conversation, the messages and their attachments; for staff,
    also whether they may read the notes (and so the audits, joined to the messages)."""
    client = client_of(cast, who)

    def grow() -> None:
        for n in range(5):
            message = say(world.alpha.talk, cast.alpha.client, f"Message {n}")
            Attachment.objects.create(
                workspace=cast.alpha.workspace,
                message=message,
                file=upload(),
                name="plan.pdf",
                content_type="application/pdf",
                size=2048,
            )
            say(world.alpha.talk, cast.alpha.coach, f"Answer {n}")

    count = assert_flat_queries(lambda: client.get(url(world)), grow)
    assert count == expected, count
