"""A staff note's words never reach its client: not by email, not in a CSV, not by the API.

The pages and the API are also checked one by one in test_staff_notes_pages.py and
test_api_staff_notes.py; this walks every channel at once with one marked note.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ascend.messaging.actions import do_add_staff_note
from ascend.messaging.notices import send_unread_emails
from ascend.messaging.testing import coached_cohort, coaching_conversation, say
from ascend.notifications.models import OutboundEmail
from ascend.quality.actions import do_audit_message

SECRET = "Marker-7Q3: she is struggling at home"


@pytest.fixture
def noted(cast):
    coached_cohort(cast.alpha)
    talk = coaching_conversation(cast.alpha)
    now = timezone.now()
    say(talk, cast.alpha.client, "Question", now - timedelta(hours=3))
    reply = say(talk, cast.alpha.coach, "Answer", now - timedelta(hours=2))
    do_add_staff_note(talk, author=cast.alpha.coach.membership, body=SECRET)
    do_audit_message(
        reply, auditor=cast.alpha.auditor.membership, grade="suggestion", feedback="More detail"
    )
    send_unread_emails(now)
    return talk


def test_no_email_carries_a_staff_note(cast, noted):
    assert OutboundEmail.objects.filter(to=cast.alpha.client.email).exists()
    assert not OutboundEmail.objects.filter(body__contains="Marker-7Q3").exists()
    assert not OutboundEmail.objects.filter(subject__contains="Marker-7Q3").exists()


@pytest.mark.parametrize(
    "path",
    [
        "/team/quality/?format=csv",
        "/team/clients/export.csv",
        "/team/progress/export.csv",
    ],
)
def test_no_csv_carries_a_staff_note(cast, noted, path):
    response = cast.client_for(cast.alpha.admin).get(path)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"Marker-7Q3" not in body


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/conversations",
        "/api/v1/conversations/{id}",
        "/api/v1/conversations/{id}/messages",
        "/api/v1/conversations/{id}/staff-notes",
        "/api/v1/audits",
        "/me/",
        "/me/messages/",
        "/me/messages/{id}/",
        "/notices/",
    ],
)
def test_nothing_the_client_can_open_carries_it(cast, noted, path):
    response = cast.client_for(cast.alpha.client).get(path.format(id=noted.pk))
    assert response.status_code in {200, 403, 404}
    assert b"Marker-7Q3" not in response.content
