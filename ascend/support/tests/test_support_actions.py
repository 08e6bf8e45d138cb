"""Support requests: a learner asks, staff answer (the learner is emailed), the learner rates."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ascend.activity.models import Event
from ascend.activity.verbs import Verb
from ascend.courses.tests.course_world import course_tree
from ascend.notifications.models import OutboundEmail
from ascend.support.actions import (
    check_rating,
    do_ask_for_support,
    do_close_support,
    do_learner_reply,
    do_rate_support,
)
from ascend.support.models import RequestStatus, SupportMessage, SupportRequest

from .support_world import answer, ask, lessons_for

pytestmark = pytest.mark.django_db


def _code(error: pytest.ExceptionInfo[ValidationError], field: str) -> str:
    return error.value.error_dict[field][0].code  # type: ignore[no-any-return]


def test_a_learner_asks_from_a_lesson_and_the_request_waits_for_the_team(cast):
    lesson = lessons_for(cast.alpha)[2]
    asked = ask(cast.alpha.client, "  Squat   depth ", "How low should I go?", lesson)

    assert asked.subject == "Squat depth"
    assert asked.status == RequestStatus.OPEN and asked.lesson == lesson
    assert asked.learner == cast.alpha.client.membership
    assert [m.body for m in asked.messages.all()] == ["How low should I go?"]
    assert not asked.messages.get().from_staff
    assert Event.objects.filter(verb=Verb.SUPPORT_REQUESTED, target_id=str(asked.pk)).exists()


def test_a_lesson_of_a_product_the_learner_does_not_hold_is_refused(cast):
    lessons_for(cast.alpha)
    _, elsewhere = course_tree(cast.alpha.workspace, name="Not theirs")
    _, beta_lessons = course_tree(cast.beta.workspace, name="Beta course")
    for lesson in (elsewhere[0], beta_lessons[0]):
        with pytest.raises(ValidationError) as refused:
            ask(cast.alpha.client, lesson=lesson)
        assert _code(refused, "lesson") == "lesson_not_yours"
    assert not SupportRequest.objects.exists() and not SupportMessage.objects.exists()


@pytest.mark.parametrize(
    ("subject", "body", "field", "code"),
    [("", "Hi", "subject", "required"), ("Hi", "  ", "body", "required"),
     ("x" * 151, "Hi", "subject", "too_long"), ("Hi", "x" * 10001, "body", "too_long")],
)  # fmt: skip
def test_a_request_needs_a_subject_and_a_message(cast, subject, body, field, code):
    with pytest.raises(ValidationError) as refused:
        ask(cast.alpha.client, subject, body)
    assert _code(refused, field) == code
    assert not SupportRequest.objects.exists()


@pytest.mark.parametrize("who", ["attendant", "coach", "admin"])
def test_only_learners_ask_for_support(cast, who):
    person = getattr(cast.alpha, who)
    with pytest.raises(ValidationError):
        do_ask_for_support(person.membership, subject="Hi", body="Hi", actor=person.user)
    assert not SupportRequest.objects.exists()


def test_an_attendant_answers_and_the_learner_is_emailed_a_link_to_the_thread(cast):
    asked = ask(cast.alpha.client, lesson=lessons_for(cast.alpha)[0])
    answer(asked, cast.alpha.attendant, "Reload the page, then press play.")

    asked.refresh_from_db()
    assert asked.status == RequestStatus.ANSWERED
    assert asked.answered_by == cast.alpha.attendant.membership
    assert asked.first_answered_at is not None
    assert asked.last_message_at == asked.first_answered_at
    staff_message = asked.messages.get(from_staff=True)
    assert staff_message.author == cast.alpha.attendant.membership
    email = OutboundEmail.objects.get(template="support_answered")
    assert email.to == cast.alpha.client.email
    assert "Alpha Attendant" in email.subject
    assert "Reload the page, then press play." in email.body
    assert f"alpha.localhost/me/support/{asked.pk}/" in email.body  # workspace_url, path
    assert Event.objects.filter(verb=Verb.SUPPORT_ANSWERED, target_id=str(asked.pk)).exists()


def test_a_second_answer_keeps_the_first_answer_time_and_takes_over_the_rating(cast):
    asked = ask(cast.alpha.client)
    answer(asked, cast.alpha.attendant)
    asked.refresh_from_db()
    first = asked.first_answered_at
    answer(asked, cast.alpha.supervisor, "More detail.")
    asked.refresh_from_db()
    assert asked.first_answered_at == first
    assert asked.answered_by == cast.alpha.supervisor.membership
    assert OutboundEmail.objects.filter(template="support_answered").count() == 2


@pytest.mark.parametrize("who", ["coach", "auditor", "client"])
def test_only_the_support_team_answers(cast, who):
    asked = ask(cast.alpha.client)
    with pytest.raises(ValidationError):
        answer(asked, getattr(cast.alpha, who))
    with pytest.raises(ValidationError):
        answer(asked, cast.beta.attendant)
    asked.refresh_from_db()
    assert asked.status == RequestStatus.OPEN and asked.messages.count() == 1
    assert not OutboundEmail.objects.filter(template="support_answered").exists()


def test_the_learner_rates_the_answer_and_may_change_it(cast):
    asked = ask(cast.alpha.client)
    answer(asked, cast.alpha.attendant)
    learner = cast.alpha.client

    do_rate_support(asked, learner=learner.membership, rating=4, actor=learner.user)
    do_rate_support(asked, learner=learner.membership, rating="5", actor=learner.user)

    asked.refresh_from_db()
    assert asked.rating == 5 and asked.rated_at is not None
    events = Event.objects.filter(verb=Verb.SUPPORT_RATED).order_by("id")
    assert [e.data["rating"] for e in events] == [4, 5]
    assert events[0].data["staff"] == cast.alpha.attendant.membership.pk


@pytest.mark.parametrize("bad", [0, 6, -1, "six", None, 4.5, True])
def test_a_rating_outside_one_to_five_is_refused_with_nothing_changed(cast, bad):
    asked = ask(cast.alpha.client)
    answer(asked, cast.alpha.attendant)
    learner = cast.alpha.client
    do_rate_support(asked, learner=learner.membership, rating=3, actor=learner.user)

    with pytest.raises(ValidationError) as refused:
        do_rate_support(asked, learner=learner.membership, rating=bad, actor=learner.user)

    assert _code(refused, "rating") == "rating_out_of_range"
    asked.refresh_from_db()
    assert asked.rating == 3
    assert Event.objects.filter(verb=Verb.SUPPORT_RATED).count() == 1


def test_check_rating_accepts_exactly_one_to_five():
    assert [check_rating(n) for n in (1, 2, 3, 4, 5, "3")] == [1, 2, 3, 4, 5, 3]


def test_a_request_cannot_be_rated_before_the_team_answers_nor_by_another_learner(cast):
    asked = ask(cast.alpha.client)
    with pytest.raises(ValidationError) as refused:
        do_rate_support(asked, learner=cast.alpha.client.membership, rating=5, actor=None)
    assert _code(refused, "rating") == "not_answered_yet"
    answer(asked, cast.alpha.attendant)
    with pytest.raises(ValidationError):
        do_rate_support(asked, learner=cast.alpha.other_client.membership, rating=1, actor=None)
    asked.refresh_from_db()
    assert asked.rating is None


def test_the_learner_writing_again_reopens_an_answered_or_closed_request(cast):
    asked = ask(cast.alpha.client)
    answer(asked, cast.alpha.attendant)
    learner = cast.alpha.client.membership

    do_learner_reply(asked, learner=learner, body="Still black.", actor=None)
    asked.refresh_from_db()
    assert asked.status == RequestStatus.OPEN

    do_close_support(asked, staff=cast.alpha.attendant.membership, actor=None)
    asked.refresh_from_db()
    assert asked.status == RequestStatus.CLOSED
    do_learner_reply(asked, learner=learner, body="Again?", actor=None)
    asked.refresh_from_db()
    assert asked.status == RequestStatus.OPEN
    assert asked.messages.count() == 4

    with pytest.raises(ValidationError):
        do_learner_reply(asked, learner=cast.alpha.other_client.membership, body="Me", actor=None)


def test_reopening_gives_back_the_status_the_last_message_implies(cast):
    staff = cast.alpha.attendant.membership
    waiting = ask(cast.alpha.client, "Waiting")
    answered = ask(cast.alpha.client, "Answered")
    answer(answered, cast.alpha.attendant)
    for row, expected in ((waiting, RequestStatus.OPEN), (answered, RequestStatus.ANSWERED)):
        do_close_support(row, staff=staff, actor=None)
        do_close_support(row, staff=staff, actor=None, reopen=True)
        row.refresh_from_db()
        assert row.status == expected
    with pytest.raises(ValidationError):
        do_close_support(waiting, staff=cast.alpha.coach.membership, actor=None)
