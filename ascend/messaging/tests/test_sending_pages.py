"""Replying on the conversation page and writing a new message: refusals come back next to
their field with nothing stored; htmx gets the new message and a cleared form."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ascend.messaging.models import Attachment, Conversation, ConversationKind, Message

from .pages_world import HX, page_of

pytestmark = pytest.mark.django_db


def _pdf(name: str = "plan.pdf", size: int = 2048) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF" + b"x" * (size - 4), content_type="application/pdf")


def _nothing_stored(talk) -> bool:
    return (
        not Message.objects.filter(conversation=talk).exists() and not Attachment.objects.exists()
    )


def test_a_reply_without_javascript_is_stored_and_redirects_to_it(cast, talk):
    alpha = cast.alpha
    response = cast.client_for(alpha.client).post(
        page_of(alpha.client, talk), {"body": "Hi *coach*"}
    )
    message = Message.objects.get(conversation=talk)
    assert response.status_code == 302
    assert response.url == f"/me/messages/{talk.pk}/#message-{message.pk}"
    assert message.body_html == "<p>Hi <em>coach</em></p>"


def test_an_empty_message_is_refused_next_to_the_field_and_nothing_is_stored(cast, talk):
    alpha = cast.alpha
    response = cast.client_for(alpha.client).post(page_of(alpha.client, talk), {"body": "   "})
    assert response.status_code == 422
    page = response.content.decode()
    assert re.search(r'id="id_body_errors"><li>Write something first\.', page)
    assert _nothing_stored(talk)


def test_a_forbidden_file_type_is_refused_and_nothing_is_stored(cast, talk):
    alpha = cast.alpha
    virus = SimpleUploadedFile("setup.exe", b"MZ" + b"0" * 100)
    response = cast.client_for(alpha.client).post(
        page_of(alpha.client, talk), {"body": "See attached", "files": [virus]}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_files_errors"' in page and "setup.exe: this type of file can" in page
    assert _nothing_stored(talk)


def test_an_oversize_file_is_refused_and_nothing_is_stored(cast, talk):
    alpha = cast.alpha
    alpha.workspace.attachment_max_mb = 1
    alpha.workspace.save(update_fields=["attachment_max_mb"])
    big = _pdf("scan.pdf", int(1.1 * 1024 * 1024))
    response = cast.client_for(alpha.client).post(
        page_of(alpha.client, talk), {"body": "My scan", "files": [big, _pdf()]}
    )
    assert response.status_code == 422
    assert "scan.pdf is empty or larger than 1 MB." in response.content.decode()
    assert _nothing_stored(talk)


def test_a_reply_with_htmx_returns_a_cleared_form_and_the_new_messages(cast, talk):
    alpha = cast.alpha
    from ascend.messaging.testing import say

    earlier = say(talk, alpha.client, "Are you there?")
    response = cast.client_for(alpha.coach).post(
        page_of(alpha.coach, talk),
        {"body": "Yes, **here**", "after": str(earlier.pk)},
        **HX,
    )
    reply = Message.objects.get(conversation=talk, author=alpha.coach.membership)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<form id="reply-form"')
    assert "Yes, **here**" not in page.split("</form>")[0]  # the form is cleared
    assert 'hx-swap-oob="beforeend:#messages"' in page
    assert f'id="message-{reply.pk}"' in page and f'id="message-{earlier.pk}"' not in page
    assert f'id="after" name="after" value="{reply.pk}" hx-swap-oob="true"' in page
    # The coach answered: nobody waits any more.
    assert 'id="waiting"' in page and "Nobody is waiting" in page


def test_a_refused_reply_with_htmx_answers_200_with_the_error_in_the_form(cast, talk):
    alpha = cast.alpha
    response = cast.client_for(alpha.client).post(
        page_of(alpha.client, talk), {"body": "", "after": "0"}, **HX
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<form id="reply-form"') and "Write something first." in page
    assert _nothing_stored(talk)


def test_the_reply_form_is_multipart_with_several_files_and_htmx(cast, talk):
    alpha = cast.alpha
    page = cast.client_for(alpha.client).get(page_of(alpha.client, talk)).content.decode()
    form = page.split('<form id="reply-form"', 1)[1].split("</form>", 1)[0]
    assert 'enctype="multipart/form-data"' in form and 'hx-encoding="multipart/form-data"' in form
    assert re.search(r'<input type="file" name="files" multiple', form)
    assert "Markdown works" in form


# New message ------------------------------------------------------------------------------


def test_new_message_offers_the_people_and_the_groups_one_may_write_to(cast, cohort):
    alpha = cast.alpha
    page = cast.client_for(alpha.coach).get("/coach/messages/new/").content.decode()
    assert f'value="{alpha.client.membership.pk}"' in page
    assert f'value="{alpha.other_client.membership.pk}"' in page
    assert f'value="cohort-{cohort.pk}"' in page and f"Group: {cohort.name}" in page
    assert f'value="{alpha.other_coach.membership.pk}"' not in page
    assert 'enctype="multipart/form-data"' in page


def test_to_preselects_the_recipient(cast, cohort):
    alpha = cast.alpha
    pk = alpha.client.membership.pk
    page = cast.client_for(alpha.coach).get(f"/coach/messages/new/?to={pk}").content.decode()
    assert f'<option value="{pk}" selected>' in page


def test_writing_to_the_coach_starts_the_conversation_and_opens_it(cast, cohort):
    alpha = cast.alpha
    response = cast.client_for(alpha.client).post(
        "/me/messages/new/",
        {"recipient": str(alpha.coach.membership.pk), "body": "Hello", "files": [_pdf()]},
    )
    conversation = Conversation.objects.get(kind=ConversationKind.COACHING)
    assert response.status_code == 302 and response.url == f"/me/messages/{conversation.pk}/"
    message = conversation.messages.get()
    assert message.body == "Hello" and message.attachments.get().name == "plan.pdf"


def test_writing_to_a_group_starts_the_cohort_conversation(cast, cohort):
    alpha = cast.alpha
    response = cast.client_for(alpha.coach).post(
        "/coach/messages/new/", {"recipient": f"cohort-{cohort.pk}", "body": "Welcome all"}
    )
    conversation = Conversation.objects.get(kind=ConversationKind.COHORT)
    assert response.url == f"/coach/messages/{conversation.pk}/"
    assert conversation.participants.count() == 3  # the coach and both clients


@pytest.mark.parametrize("who", ["other_coach", "beta_client", "nobody", "garbage"])
def test_a_recipient_not_allowed_is_refused_and_nothing_is_stored(cast, cohort, who):
    alpha = cast.alpha
    recipient = {
        "other_coach": str(alpha.other_coach.membership.pk),
        "beta_client": str(cast.beta.client.membership.pk),
        "nobody": "999999",
        "garbage": "x<script>",
    }[who]
    response = cast.client_for(alpha.client).post(
        "/me/messages/new/", {"recipient": recipient, "body": "Let me in"}
    )
    assert response.status_code == 422
    assert re.search(
        r'id="id_recipient_errors"><li>You can(&#x27;|\')t write to this person\.',
        response.content.decode(),
    )
    assert not Conversation.objects.exists() and not Message.objects.exists()


def test_a_group_not_allowed_is_refused_on_the_recipient_field(cast, cohort):
    from ascend.programs.testing import make_cohort, make_program

    alpha = cast.alpha
    elsewhere = make_cohort(
        make_program(alpha.workspace, habits=0, milestones=0), alpha.other_coach.membership
    )
    response = cast.client_for(alpha.client).post(
        "/me/messages/new/", {"recipient": f"cohort-{elsewhere.pk}", "body": "Hi all"}
    )
    assert response.status_code == 422
    assert re.search(r'id="id_recipient_errors"><li>You can(&#x27;|\')t write to this group\.',
                     response.content.decode())  # fmt: skip
    assert not Conversation.objects.exists()


def test_a_new_message_refused_for_its_text_leaves_no_conversation_behind(cast, cohort):
    alpha = cast.alpha
    response = cast.client_for(alpha.client).post(
        "/me/messages/new/", {"recipient": str(alpha.coach.membership.pk), "body": ""}
    )
    assert response.status_code == 422 and "Write something first." in response.content.decode()
    assert not Conversation.objects.exists()


def test_a_new_message_keeps_what_was_typed_when_it_fails(cast, cohort):
    alpha = cast.alpha
    big = SimpleUploadedFile("movie.mov", b"0" * 10)
    response = cast.client_for(alpha.client).post(
        "/me/messages/new/",
        {"recipient": str(alpha.coach.membership.pk), "body": "Kept text", "files": [big]},
    )
    page = response.content.decode()
    assert "Kept text</textarea>" in page
    assert f'<option value="{alpha.coach.membership.pk}" selected>' in page


def test_an_admin_writes_to_any_client_from_the_team_portal(cast, cohort):
    alpha = cast.alpha
    response = cast.client_for(alpha.admin).post(
        "/team/messages/new/", {"recipient": str(alpha.client.membership.pk), "body": "Welcome"}
    )
    conversation = Conversation.objects.get()
    assert response.url == f"/team/messages/{conversation.pk}/"
    assert conversation.coach_id == alpha.admin.membership.pk


def test_a_client_with_nobody_to_write_to_is_told_why(cast):
    page = cast.client_for(cast.alpha.client).get("/me/messages/new/").content.decode()
    assert (
        "Nobody to write to yet" in page
        and "<form" not in page.split("<main", 1)[1].split("<footer")[0]
    )
