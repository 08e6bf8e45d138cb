"""Auditing a coach's reply and acknowledging the feedback: the rules of the two actions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ascend.messaging.actions import do_start_conversation
from ascend.messaging.testing import coached_cohort, say
from ascend.notifications.models import Notice, OutboundEmail
from ascend.quality.actions import do_acknowledge_audit, do_audit_message
from ascend.quality.models import Audit, Grade

from .quality_world import audit

pytestmark = pytest.mark.django_db


def error_code(error: ValidationError, field: str) -> str:
    return error.value.error_dict[field][0].code  # type: ignore[attr-defined]


def test_an_auditor_grades_a_coach_reply_with_feedback(cast, reply):
    graded = audit(cast.alpha, reply, Grade.SUGGESTION, "  Name the next step.  ")
    assert graded.grade == Grade.SUGGESTION
    assert graded.feedback == "Name the next step."
    assert graded.coach == cast.alpha.coach.membership
    assert graded.conversation_id == reply.conversation_id
    assert graded.colour == "blue"


@pytest.mark.parametrize("role", ["admin", "owner", "head_coach", "coach", "supervisor", "client"])
def test_only_auditors_grade_replies(cast, reply, role):
    with pytest.raises(ValidationError) as error:
        do_audit_message(
            reply, auditor=getattr(cast.alpha, role).membership, grade="outstanding", feedback="x"
        )
    assert error_code(error, "grade") == "not_auditor"
    assert not Audit.objects.exists()


def test_a_clients_message_cannot_be_audited(cast, talk):
    question = say(talk, cast.alpha.client, "A question")
    with pytest.raises(ValidationError) as error:
        audit(cast.alpha, question)
    assert error_code(error, "message") == "not_a_reply"


def test_a_message_between_two_clients_cannot_be_audited(cast):
    coached_cohort(cast.alpha, peers=True)
    chat = do_start_conversation(
        cast.alpha.client.membership, recipient=cast.alpha.other_client.membership
    )
    message = say(chat, cast.alpha.client, "Shall we train together?")
    with pytest.raises(ValidationError) as error:
        audit(cast.alpha, message)
    assert error_code(error, "message") == "not_a_reply"


def test_an_auditor_of_another_workspace_cannot_grade_the_reply(cast, reply):
    with pytest.raises(ValidationError) as error:
        do_audit_message(
            reply, auditor=cast.beta.auditor.membership, grade="outstanding", feedback="x"
        )
    assert error_code(error, "message") == "not_a_reply"


def test_a_reply_is_audited_once_and_the_second_is_refused(cast, reply):
    audit(cast.alpha, reply)
    with pytest.raises(ValidationError) as error:
        audit(cast.alpha, reply, Grade.OUTSTANDING, "Second opinion")
    assert error_code(error, "message") == "already_audited"
    assert Audit.objects.get().grade == Grade.NEEDS_IMPROVEMENT


@pytest.mark.parametrize("feedback", ["", "   \n  "])
def test_empty_feedback_is_refused(cast, reply, feedback):
    with pytest.raises(ValidationError) as error:
        audit(cast.alpha, reply, Grade.OUTSTANDING, feedback)
    assert error_code(error, "feedback") == "empty"
    assert not Audit.objects.exists()


def test_an_unknown_grade_is_refused(cast, reply):
    with pytest.raises(ValidationError) as error:
        audit(cast.alpha, reply, "brilliant", "Great")
    assert error_code(error, "grade") == "invalid_grade"


def test_the_coach_and_their_head_coach_are_told_in_app_and_by_email(cast, reply):
    audit(cast.alpha, reply)
    for person in (cast.alpha.coach, cast.alpha.head_coach):
        notice = Notice.objects.get(user=person.user)
        assert notice.url.endswith(f"#message-{reply.pk}")
        email = OutboundEmail.objects.get(user=person.user)
        assert email.template == "message_audited"
        assert email.to == person.email
        assert "Be warmer." in email.body
    assert Notice.objects.count() == 2
    assert not OutboundEmail.objects.filter(user=cast.alpha.auditor.user).exists()


def test_a_coach_without_a_head_coach_alone_is_told(cast):
    alpha = cast.alpha
    coach = alpha.coach.membership
    coach.team_leader = None
    coach.save(update_fields=["team_leader"])
    coached_cohort(alpha)
    talk = do_start_conversation(alpha.client.membership, recipient=coach)
    say(talk, alpha.client, "Hi")
    audit(alpha, say(talk, alpha.coach, "Hello"))
    assert list(Notice.objects.values_list("user", flat=True)) == [alpha.coach.user.pk]


def test_the_follow_up_is_recorded_when_the_coach_writes_within_24_hours(cast, talk, reply):
    graded = audit(cast.alpha, reply)
    later = graded.created_at + timedelta(hours=3)
    say(talk, cast.alpha.coach, "Sorry, let me say it better.", later)
    graded.refresh_from_db()
    assert graded.followed_up_at == later


def test_no_follow_up_is_recorded_after_24_hours(cast, talk, reply):
    graded = audit(cast.alpha, reply)
    say(talk, cast.alpha.coach, "Late follow-up", graded.created_at + timedelta(hours=25))
    graded.refresh_from_db()
    assert graded.followed_up_at is None


def test_a_message_of_the_client_is_not_a_follow_up(cast, talk, reply):
    graded = audit(cast.alpha, reply)
    say(talk, cast.alpha.client, "Thanks!", graded.created_at + timedelta(hours=1))
    graded.refresh_from_db()
    assert graded.followed_up_at is None


def test_the_audited_coach_acknowledges_once(cast, reply):
    graded = audit(cast.alpha, reply)
    do_acknowledge_audit(graded, coach=cast.alpha.coach.membership)
    first = graded.acknowledged_at
    assert first is not None and first <= timezone.now()
    do_acknowledge_audit(graded, coach=cast.alpha.coach.membership)
    graded.refresh_from_db()
    assert graded.acknowledged_at == first


@pytest.mark.parametrize("role", ["head_coach", "other_coach", "auditor", "admin"])
def test_only_the_audited_coach_acknowledges(cast, reply, role):
    graded = audit(cast.alpha, reply)
    with pytest.raises(ValidationError) as error:
        do_acknowledge_audit(graded, coach=getattr(cast.alpha, role).membership)
    assert error_code(error, "audit") == "not_your_audit"
    graded.refresh_from_db()
    assert graded.acknowledged_at is None
