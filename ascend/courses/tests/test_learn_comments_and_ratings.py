"""Comments (moderation, own pending ones, comments off) and ratings on the lesson page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ascend.activity.models import Event
from ascend.activity.verbs import Verb
from ascend.courses.actions_learn import (
    do_comment_on_lesson,
    do_complete_lesson,
    do_rate_lesson,
    do_uncomplete_lesson,
)
from ascend.courses.models import (
    Comment,
    CommentModeration,
    CommentState,
    LessonProgress,
    LessonRating,
    PortalSettings,
)
from ascend.courses.queries import learner_lesson

from .course_world import course_tree, give

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    made, lessons = course_tree(cast.alpha.workspace, modules=1, lessons=2)
    give(cast.alpha.client.membership, made)
    give(cast.alpha.other_client.membership, made)
    return made, lessons


def _moderation(ws, mode):
    PortalSettings.objects.update_or_create(workspace=ws, defaults={"comment_moderation": mode})


def _state(person, lesson):
    member = person.membership
    member.user = person.user
    return member, learner_lesson(member, lesson.pk)


def test_with_manual_moderation_a_new_comment_waits_for_review(cast, world):
    _made, lessons = world
    _moderation(cast.alpha.workspace, CommentModeration.MANUAL)
    browser = cast.client_for(cast.alpha.client)
    url = reverse("learn:lesson_comment", args=[lessons[0].pk])
    answer = browser.post(url, {"body": "How deep should I squat?"})
    assert answer.status_code == 302
    comment = Comment.objects.get()
    assert comment.state == CommentState.IN_REVIEW
    assert comment.author == cast.alpha.client.membership
    assert Event.objects.filter(verb=Verb.LESSON_COMMENTED).count() == 1


def test_with_automatic_moderation_a_new_comment_is_published(cast, world):
    _made, lessons = world
    _moderation(cast.alpha.workspace, CommentModeration.AUTOMATIC)
    member, state = _state(cast.alpha.client, lessons[0])
    comment = do_comment_on_lesson(state, actor=member, body="Great lesson")
    assert comment.state == CommentState.APPROVED
    html = cast.client_for(cast.alpha.other_client).get(
        reverse("learn:lesson", args=[lessons[0].pk])
    )
    assert "Great lesson" in html.content.decode()


def test_the_workspace_default_is_manual(cast, world):
    _made, lessons = world
    member, state = _state(cast.alpha.client, lessons[0])
    assert do_comment_on_lesson(state, actor=member, body="Hi").state == CommentState.IN_REVIEW


def test_an_own_pending_comment_is_shown_only_to_its_author(cast, world):
    _made, lessons = world
    lesson = lessons[0]
    ws = cast.alpha.workspace
    Comment.objects.create(
        workspace=ws, lesson=lesson, author=cast.alpha.client.membership, body="Mine, pending"
    )
    Comment.objects.create(
        workspace=ws, lesson=lesson, author=cast.alpha.other_client.membership,
        body="Theirs, pending",
    )  # fmt: skip
    for state, body in ((CommentState.REJECTED, "Rejected words"), (CommentState.SPAM, "Buy!")):
        Comment.objects.create(
            workspace=ws, lesson=lesson, author=cast.alpha.other_client.membership,
            body=body, state=state,
        )  # fmt: skip
    approved = Comment.objects.create(
        workspace=ws, lesson=lesson, author=cast.alpha.other_client.membership,
        body="Approved question", state=CommentState.APPROVED,
    )  # fmt: skip
    Comment.objects.create(
        workspace=ws, lesson=lesson, author=cast.alpha.admin.membership, parent=approved,
        body="Staff answer", state=CommentState.APPROVED,
    )  # fmt: skip
    url = reverse("learn:lesson", args=[lesson.pk])
    mine = cast.client_for(cast.alpha.client).get(url).content.decode()
    assert "Mine, pending" in mine and "Waiting for review" in mine
    assert "Theirs, pending" not in mine
    assert "Rejected words" not in mine and "Buy!" not in mine
    assert "Approved question" in mine and "Staff answer" in mine
    theirs = cast.client_for(cast.alpha.other_client).get(url).content.decode()
    assert "Mine, pending" not in theirs
    assert "Theirs, pending" in theirs
    assert "Rejected words" not in theirs  # not even to its own author


def test_comments_off_hides_the_form_and_refuses_a_post(cast, world):
    _made, lessons = world
    lesson = lessons[0]
    lesson.comments_enabled = False
    lesson.save()
    browser = cast.client_for(cast.alpha.client)
    html = browser.get(reverse("learn:lesson", args=[lesson.pk])).content.decode()
    assert 'data-testid="comment-form"' not in html
    assert "Comments are switched off" in html
    answer = browser.post(reverse("learn:lesson_comment", args=[lesson.pk]), {"body": "Hello?"})
    assert answer.status_code == 403
    assert "Comments are switched off" in answer.content.decode()
    assert not Comment.objects.exists()
    member, state = _state(cast.alpha.client, lesson)
    with pytest.raises(ValidationError) as refused:
        do_comment_on_lesson(state, actor=member, body="Hello?")
    assert refused.value.error_dict["body"][0].code == "comments_off"


def test_an_empty_or_too_long_comment_keeps_the_text_and_saves_nothing(cast, world):
    _made, lessons = world
    browser = cast.client_for(cast.alpha.client)
    url = reverse("learn:lesson_comment", args=[lessons[0].pk])
    answer = browser.post(url, {"body": "   "})
    assert answer.status_code == 422
    assert "Write your comment first." in answer.content.decode()
    long_text = "x" * 5001
    answer = browser.post(url, {"body": long_text})
    assert answer.status_code == 422
    assert "Keep your comment under 5000 characters." in answer.content.decode()
    assert long_text in answer.content.decode()
    assert not Comment.objects.exists()


def test_a_rating_can_be_given_and_changed(cast, world):
    _made, lessons = world
    browser = cast.client_for(cast.alpha.client)
    url = reverse("learn:lesson_rate", args=[lessons[0].pk])
    answer = browser.post(url, {"stars": "4"}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    assert "You gave this lesson 4 stars" in answer.content.decode()
    browser.post(url, {"stars": "2"})
    rating = LessonRating.objects.get()
    assert rating.stars == 2


@pytest.mark.parametrize("stars", ["6", "0", "-1", "3.5", "five", ""])
def test_a_rating_out_of_range_is_refused_and_nothing_changes(cast, world, stars):
    _made, lessons = world
    member, state = _state(cast.alpha.client, lessons[0])
    do_rate_lesson(state, actor=member, stars=3)
    browser = cast.client_for(cast.alpha.client)
    answer = browser.post(
        reverse("learn:lesson_rate", args=[lessons[0].pk]), {"stars": stars},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    assert answer.status_code == 422
    assert "Give the lesson from 1 to 5 stars." in answer.content.decode()
    assert LessonRating.objects.get().stars == 3


def test_the_rating_action_names_the_out_of_range_code(cast, world):
    _made, lessons = world
    member, state = _state(cast.alpha.client, lessons[0])
    for stars in (6, 0):
        with pytest.raises(ValidationError) as refused:
            do_rate_lesson(state, actor=member, stars=stars)
        assert refused.value.error_dict["stars"][0].code == "rating_out_of_range"
    assert not LessonRating.objects.exists()


def test_completing_records_an_event_once_and_uncompleting_another(cast, world):
    _made, lessons = world
    member, state = _state(cast.alpha.client, lessons[0])
    do_complete_lesson(state, actor=member)
    do_complete_lesson(state, actor=member)
    assert Event.objects.filter(verb=Verb.LESSON_COMPLETED).count() == 1
    do_uncomplete_lesson(state, actor=member)
    assert LessonProgress.objects.get().completed_at is None
    assert Event.objects.filter(verb=Verb.LESSON_COMPLETED).count() == 2


def test_actions_refuse_once_access_has_expired_meanwhile(cast, world):
    _made, lessons = world
    member, state = _state(cast.alpha.client, lessons[0])
    state.access.expires_at = timezone.now() - timedelta(seconds=1)
    state.access.save()
    for action, kwargs in (
        (do_complete_lesson, {}),
        (do_rate_lesson, {"stars": 5}),
        (do_comment_on_lesson, {"body": "late"}),
    ):
        with pytest.raises(ValidationError) as refused:
            action(state, actor=member, **kwargs)
        assert refused.value.error_dict["lesson"][0].code == "access_expired"
    assert not LessonProgress.objects.exists()
    assert not LessonRating.objects.exists()
    assert not Comment.objects.exists()


def test_a_learner_cannot_act_on_another_learners_access(cast, world):
    _made, lessons = world
    _member, state = _state(cast.alpha.client, lessons[0])
    other = cast.alpha.other_client.membership
    other.user = cast.alpha.other_client.user
    with pytest.raises(ValidationError) as refused:
        do_complete_lesson(state, actor=other)
    assert refused.value.code == "not_your_lesson"
