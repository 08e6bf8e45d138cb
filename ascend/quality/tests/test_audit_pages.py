"""The auditors' pages: the queue with its inline forms, grading any reply, the done list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ascend.messaging.testing import say
from ascend.quality.models import Audit, Grade

from .quality_world import HX, audit

pytestmark = pytest.mark.django_db


def grade_data(message, grade="needs_improvement", feedback="Answer the question first."):
    return {f"m{message.pk}-grade": grade, f"m{message.pk}-feedback": feedback}


def test_the_queue_shows_each_sampled_reply_with_its_coach_client_time_text_and_form(cast, reply):
    page = cast.client_for(cast.alpha.auditor).get("/team/audits/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'id="reply-{reply.pk}"' in html
    assert "Alpha Coach" in html and "to Alpha Client" in html
    assert "<p>Three sets of ten.</p>" in html
    assert f"/team/messages/{reply.conversation_id}/#message-{reply.pk}" in html
    assert f'action="/team/audits/messages/{reply.pk}/"' in html
    for colour in ("green", "blue", "yellow"):
        assert f"audit-choice--{colour}" in html


def test_the_queue_filters_by_coach(cast, reply):
    auditor = cast.client_for(cast.alpha.auditor)
    other = auditor.get(f"/team/audits/?coach={cast.alpha.other_coach.membership.pk}")
    assert f'id="reply-{reply.pk}"' not in other.content.decode()
    assert "Nothing to audit" in other.content.decode()
    mine = auditor.get(f"/team/audits/?coach={cast.alpha.coach.membership.pk}")
    assert f'id="reply-{reply.pk}"' in mine.content.decode()


def test_grading_with_htmx_swaps_the_row_into_audited(cast, reply):
    answer = cast.client_for(cast.alpha.auditor).post(
        f"/team/audits/messages/{reply.pk}/", grade_data(reply), **HX
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    assert html.lstrip().startswith(f'<li class="audit-item" id="reply-{reply.pk}"')
    assert "Audited: Needs improvement" in html
    assert "<form" not in html
    saved = Audit.objects.get()
    assert (saved.grade, saved.feedback) == (Grade.NEEDS_IMPROVEMENT, "Answer the question first.")


def test_grading_without_javascript_redirects_back_with_a_message(cast, reply):
    auditor = cast.client_for(cast.alpha.auditor)
    data = {**grade_data(reply, "outstanding", "Lovely."), "next": "/team/audits/?coach="}
    answer = auditor.post(f"/team/audits/messages/{reply.pk}/", data)
    assert answer.status_code == 302
    assert answer["Location"] == "/team/audits/?coach="
    assert Audit.objects.get().grade == Grade.OUTSTANDING
    assert "Reply audited: Outstanding" in auditor.get("/team/audits/").content.decode()


def test_an_outside_next_address_is_ignored(cast, reply):
    data = {**grade_data(reply), "next": "https://evil.example/"}
    answer = cast.client_for(cast.alpha.auditor).post(f"/team/audits/messages/{reply.pk}/", data)
    assert answer["Location"] == f"/team/audits/messages/{reply.pk}/"


@pytest.mark.parametrize("htmx", [True, False])
def test_mistakes_show_next_to_their_field_and_keep_what_was_typed(cast, reply, htmx):
    data = {f"m{reply.pk}-feedback": "Kept text"}
    answer = cast.client_for(cast.alpha.auditor).post(
        f"/team/audits/messages/{reply.pk}/", data, **(HX if htmx else {})
    )
    assert answer.status_code == (200 if htmx else 422)
    html = answer.content.decode()
    assert "Choose a grade." in html
    assert "Kept text" in html
    empty = cast.client_for(cast.alpha.auditor).post(
        f"/team/audits/messages/{reply.pk}/", grade_data(reply, feedback="   "), **HX
    )
    assert "Write the feedback for the coach." in empty.content.decode()
    assert 'value="needs_improvement" checked' in empty.content.decode() or (
        "checked" in empty.content.decode()
    )
    assert not Audit.objects.exists()


def test_a_second_audit_of_the_same_reply_is_refused_with_a_clear_message(cast, reply):
    audit(cast.alpha, reply, Grade.SUGGESTION)
    answer = cast.client_for(cast.alpha.auditor).post(
        f"/team/audits/messages/{reply.pk}/", grade_data(reply, "outstanding"), **HX
    )
    html = answer.content.decode()
    assert "This reply has already been audited." in html
    assert "Audited: Suggestion" in html
    assert Audit.objects.get().grade == Grade.SUGGESTION


def test_any_reply_can_be_graded_from_its_own_page_even_when_not_sampled(cast, talk, reply):
    workspace = cast.alpha.workspace
    workspace.audit_sample_per_week = 0
    workspace.save(update_fields=["audit_sample_per_week"])
    auditor = cast.client_for(cast.alpha.auditor)
    assert f'id="reply-{reply.pk}"' not in auditor.get("/team/audits/").content.decode()
    page = auditor.get(f"/team/audits/messages/{reply.pk}/")
    assert page.status_code == 200
    assert f'name="m{reply.pk}-feedback"' in page.content.decode()
    auditor.post(f"/team/audits/messages/{reply.pk}/", grade_data(reply))
    done = auditor.get(f"/team/audits/messages/{reply.pk}/").content.decode()
    assert 'data-testid="message-audit"' in done and "Answer the question first." in done
    assert f'name="m{reply.pk}-feedback"' not in done


def test_a_clients_message_has_no_audit_page(cast, talk, reply):
    question = say(talk, cast.alpha.client, "Another question")
    auditor = cast.client_for(cast.alpha.auditor)
    assert auditor.get(f"/team/audits/messages/{question.pk}/").status_code == 404
    assert (
        auditor.post(f"/team/audits/messages/{question.pk}/", grade_data(question)).status_code
        == 404
    )


def test_the_done_list_shows_acknowledgement_and_follow_up(cast, talk, reply):
    graded = audit(cast.alpha, reply)
    auditor = cast.client_for(cast.alpha.auditor)
    html = auditor.get("/team/audits/").content.decode()
    assert 'data-testid="audits-done"' in html
    assert "24 h not yet passed" in html and "Not yet" in html
    say(talk, cast.alpha.coach, "Let me put it better", graded.created_at + timedelta(hours=3))
    Audit.objects.filter(pk=graded.pk).update(acknowledged_at=timezone.now())
    html = auditor.get("/team/audits/").content.decode()
    assert "Followed up in 3 h" in html


def test_the_done_list_says_when_nobody_followed_up(cast, reply):
    graded = audit(cast.alpha, reply)
    Audit.objects.filter(pk=graded.pk).update(created_at=timezone.now() - timedelta(hours=30))
    html = cast.client_for(cast.alpha.auditor).get("/team/audits/?done=all").content.decode()
    assert "No follow-up within 24 h" in html
