"""Attachments are stored through Django's storage API and downloaded only by people who may
read the conversation; everyone else gets the same 404 as for a file that doesn't exist."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from ascend.messaging.models import Attachment

from .pages_world import page_of

pytestmark = pytest.mark.django_db

CONTENT = b"%PDF-1.4 my training plan"


@pytest.fixture
def attachment(cast, talk) -> Attachment:
    alpha = cast.alpha
    upload = SimpleUploadedFile("Training plan.pdf", CONTENT, content_type="application/pdf")
    response = cast.client_for(alpha.client).post(
        page_of(alpha.client, talk), {"body": "My plan", "files": [upload]}
    )
    assert response.status_code == 302
    return Attachment.objects.get()


def test_an_attachment_is_stored_through_the_storage_api(attachment):
    assert default_storage.exists(attachment.file.name)
    assert attachment.file.name.startswith(f"messages/{attachment.workspace_id}/")
    assert attachment.name == "Training plan.pdf" and attachment.size == len(CONTENT)


def test_the_message_links_the_attachment_with_its_size(cast, talk, attachment):
    page = cast.client_for(cast.alpha.coach).get(page_of(cast.alpha.coach, talk)).content.decode()
    assert f'href="/messages/attachments/{attachment.pk}/" download>Training plan.pdf</a>' in page
    assert "25\xa0bytes" in page


@pytest.mark.parametrize("key", ["client", "coach", "head_coach", "auditor", "admin"])
def test_people_who_may_read_the_conversation_download_the_file(cast, attachment, key):
    response = cast.client_for(getattr(cast.alpha, key)).get(
        f"/messages/attachments/{attachment.pk}/"
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    assert response["Content-Disposition"] == 'attachment; filename="Training plan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("key", ["other_client", "other_coach", "supervisor", "operator"])
def test_anyone_else_gets_404(cast, attachment, key):
    response = cast.client_for(getattr(cast.alpha, key)).get(
        f"/messages/attachments/{attachment.pk}/"
    )
    assert response.status_code == 404


def test_a_member_of_another_workspace_gets_404(cast, attachment):
    for host_workspace in (cast.alpha.workspace, cast.beta.workspace):
        response = cast.client_for(cast.beta.owner, host_workspace).get(
            f"/messages/attachments/{attachment.pk}/"
        )
        assert response.status_code == 404


def test_a_missing_attachment_gets_the_same_404(cast, attachment):
    response = cast.client_for(cast.alpha.client).get(
        f"/messages/attachments/{attachment.pk + 100}/"
    )
    assert response.status_code == 404
