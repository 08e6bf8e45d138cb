from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ascend.messaging.actions import do_add_staff_note, do_mark_read, do_send_message
from ascend.messaging.models import Attachment, Message, Participant, StaffNote
from ascend.messaging.testing import coached_cohort, coaching_conversation, say


@pytest.fixture
def talk(cast):
    coached_cohort(cast.alpha)
    return coaching_conversation(cast.alpha)


def _code(error: ValidationError, field: str) -> str:
    return error.error_dict[field][0].code


def test_markdown_is_rendered_and_scripts_are_removed(cast, talk):
    message = say(talk, cast.alpha.client, "**Hi** <script>alert(1)</script> [x](javascript:x)")
    assert "<strong>Hi</strong>" in message.body_html
    assert "<script" not in message.body_html
    assert "javascript:" not in message.body_html


@pytest.mark.parametrize("body", ["", "   ", "\n\n"])
def test_an_empty_message_is_refused_and_nothing_is_stored(cast, talk, body):
    with pytest.raises(ValidationError) as error:
        do_send_message(talk, author=cast.alpha.client.membership, body=body)
    assert _code(error.value, "body") == "empty"
    assert not Message.objects.exists()


def test_a_file_of_a_forbidden_type_is_refused_and_nothing_is_stored(cast, talk):
    upload = SimpleUploadedFile("run.exe", b"MZ...", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as error:
        do_send_message(talk, author=cast.alpha.client.membership, body="see", files=[upload])
    assert _code(error.value, "files") == "file_type_not_allowed"
    assert not Message.objects.exists() and not Attachment.objects.exists()


def test_a_file_over_the_workspace_limit_is_refused(cast, talk):
    workspace = cast.alpha.workspace
    workspace.attachment_max_mb = 1
    workspace.save()
    talk.workspace.refresh_from_db()
    upload = SimpleUploadedFile(
        "scan.pdf", b"x" * (1024 * 1024 + 1), content_type="application/pdf"
    )
    with pytest.raises(ValidationError) as error:
        do_send_message(talk, author=cast.alpha.client.membership, body="scan", files=[upload])
    assert _code(error.value, "files") == "file_too_large"
    assert not Message.objects.exists()


def test_an_allowed_file_is_stored_through_the_storage_api(cast, talk):
    upload = SimpleUploadedFile("Plan.PDF", b"%PDF-1.4 demo", content_type="application/pdf")
    message = do_send_message(
        talk, author=cast.alpha.client.membership, body="my plan", files=[upload]
    )
    (attachment,) = message.attachments.all()
    assert attachment.name == "Plan.PDF" and attachment.size == 13
    with attachment.file.open("rb") as stored:
        assert stored.read() == b"%PDF-1.4 demo"
    attachment.file.delete(save=False)


def test_the_others_unread_count_grows_and_reading_clears_it(cast, talk):
    say(talk, cast.alpha.client, "one")
    say(talk, cast.alpha.client, "two")
    coach_seat = Participant.objects.get(conversation=talk, member=cast.alpha.coach.membership)
    client_seat = Participant.objects.get(conversation=talk, member=cast.alpha.client.membership)
    assert coach_seat.unread_count == 2 and coach_seat.unread_since is not None
    assert client_seat.unread_count == 0
    assert do_mark_read(talk, cast.alpha.coach.membership) == 2
    coach_seat.refresh_from_db()
    assert coach_seat.unread_count == 0 and coach_seat.unread_since is None


def test_an_admin_answering_joins_the_conversation_and_closes_the_wait(cast, talk):
    say(talk, cast.alpha.client, "anyone?")
    say(talk, cast.alpha.admin, "I'm covering for your coach today.")
    talk.refresh_from_db()
    assert talk.waiting_since is None
    assert Participant.objects.filter(
        conversation=talk, member=cast.alpha.admin.membership
    ).exists()
    assert not Message.objects.get(body__startswith="I'm covering").is_coach_reply


def test_an_auditor_cannot_write_in_a_conversation(cast, talk):
    with pytest.raises(ValidationError) as error:
        do_send_message(talk, author=cast.alpha.auditor.membership, body="hello")
    assert _code(error.value, "body") == "conversation_closed"


def test_staff_notes_refuse_clients_and_accept_the_coach(cast, talk):
    with pytest.raises(ValidationError):
        do_add_staff_note(talk, author=cast.alpha.client.membership, body="peek")
    note = do_add_staff_note(talk, author=cast.alpha.coach.membership, body="Call her _today_")
    assert "<em>today</em>" in note.body_html
    assert StaffNote.objects.count() == 1


def test_a_coach_reply_within_a_day_of_an_audit_is_its_follow_up(cast, talk):
    from ascend.quality.actions import do_audit_message

    say(talk, cast.alpha.client, "Q")
    reply = say(talk, cast.alpha.coach, "A")
    audit = do_audit_message(
        reply, auditor=cast.alpha.auditor.membership, grade="suggestion", feedback="Add a link"
    )
    late = audit.created_at + timedelta(hours=25)
    say(talk, cast.alpha.coach, "Here is the link", late)
    audit.refresh_from_db()
    assert audit.followed_up_at is None
    say(talk, cast.alpha.coach, "And again", audit.created_at + timedelta(hours=3))
    audit.refresh_from_db()
    assert audit.followed_up_at == audit.created_at + timedelta(hours=3)


def test_messages_keep_the_time_they_were_sent(cast, talk):
    at = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)
    assert say(talk, cast.alpha.client, "hi", at).created_at == at
