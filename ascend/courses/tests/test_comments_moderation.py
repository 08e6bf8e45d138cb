"""Moderating lesson comments: bulk and single decisions, staff replies, and what learners see."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ascend.activity.models import Event
from ascend.activity.verbs import Verb
from ascend.courses.actions_comments import do_moderate_comments, do_reply_to_comment
from ascend.courses.models import Comment, CommentState
from ascend.courses.queries_learn import visible_comments

from .comments_world import comment, lessons_with_learners

pytestmark = pytest.mark.django_db


def _learner_sees(lesson, learner) -> set[int]:  # type: ignore[no-untyped-def]
    """What the learner's lesson page shows: its comments and their replies."""
    shown = visible_comments(lesson, learner)
    return {c.pk for c in shown} | {r.pk for c in shown for r in c.shown_replies}


def test_approving_in_bulk_publishes_the_ticked_comments_and_stamps_the_moderator(cast):
    lessons = lessons_with_learners(cast.alpha)
    first = comment(lessons[0], cast.alpha.client.membership, "First")
    second = comment(lessons[1], cast.alpha.other_client.membership, "Second")
    waiting = comment(lessons[0], cast.alpha.client.membership, "Still waiting")

    count = do_moderate_comments(
        cast.alpha.workspace,
        [first.pk, second.pk],
        CommentState.APPROVED,
        actor=cast.alpha.attendant.user,
    )

    assert count == 2
    for row in (first, second):
        row.refresh_from_db()
        assert row.state == CommentState.APPROVED
        assert row.moderated_by == cast.alpha.attendant.user
        assert row.moderated_at is not None
    waiting.refresh_from_db()
    assert waiting.state == CommentState.IN_REVIEW and waiting.moderated_by is None
    events = Event.objects.filter(verb=Verb.COMMENTS_MODERATED)
    assert [(e.data["count"], e.data["state"]) for e in events] == [(2, "approved")]


def test_rejected_and_spam_comments_disappear_for_learners_while_approved_ones_show(cast):
    lessons = lessons_with_learners(cast.alpha)
    lesson = lessons[0]
    client, other = cast.alpha.client.membership, cast.alpha.other_client.membership
    good = comment(lesson, other, "Helpful tip")
    rude = comment(lesson, other, "Rude remark")
    spam = comment(lesson, other, "Buy cheap pills")
    own = comment(lesson, client, "My question")
    ws, actor = cast.alpha.workspace, cast.alpha.supervisor.user

    assert _learner_sees(lesson, client) == {own.pk}
    do_moderate_comments(ws, [good.pk], CommentState.APPROVED, actor=actor)
    do_moderate_comments(ws, [rude.pk], CommentState.REJECTED, actor=actor)
    do_moderate_comments(ws, [spam.pk], CommentState.SPAM, actor=actor)

    assert _learner_sees(lesson, client) == {good.pk, own.pk}
    assert _learner_sees(lesson, other) == {good.pk}
    assert Comment.objects.get(pk=spam.pk).state == CommentState.SPAM
    assert Comment.objects.get(pk=rude.pk).state == CommentState.REJECTED


def test_ids_of_another_workspace_are_ignored(cast):
    mine = comment(lessons_with_learners(cast.alpha)[0], cast.alpha.client.membership)
    theirs = comment(lessons_with_learners(cast.beta)[0], cast.beta.client.membership)

    count = do_moderate_comments(
        cast.alpha.workspace,
        [mine.pk, theirs.pk, 999999],
        CommentState.SPAM,
        actor=cast.alpha.admin.user,
    )

    assert count == 1
    theirs.refresh_from_db()
    assert theirs.state == CommentState.IN_REVIEW and theirs.moderated_by is None


def test_an_unknown_state_is_refused_and_nothing_changes(cast):
    row = comment(lessons_with_learners(cast.alpha)[0], cast.alpha.client.membership)
    for bad in ("deleted", "in_review", ""):
        with pytest.raises(ValidationError) as refused:
            do_moderate_comments(cast.alpha.workspace, [row.pk], bad, actor=cast.alpha.admin.user)
        assert refused.value.error_dict["state"][0].code == "bad_state"
    row.refresh_from_db()
    assert row.state == CommentState.IN_REVIEW
    assert not Event.objects.filter(verb=Verb.COMMENTS_MODERATED).exists()


def test_moderating_nothing_records_no_event(cast):
    assert do_moderate_comments(cast.alpha.workspace, [], "approved", actor=None) == 0
    assert do_moderate_comments(cast.alpha.workspace, [424242], "approved", actor=None) == 0
    assert not Event.objects.filter(verb=Verb.COMMENTS_MODERATED).exists()


def test_a_staff_reply_is_approved_at_once_and_approves_the_comment_in_review(cast):
    lesson = lessons_with_learners(cast.alpha)[0]
    question = comment(lesson, cast.alpha.client.membership, "How many sets?")
    attendant = cast.alpha.attendant

    reply = do_reply_to_comment(
        question, author=attendant.membership, body="Three sets of ten.", actor=attendant.user
    )

    assert reply.state == CommentState.APPROVED
    assert reply.parent == question and reply.lesson == lesson
    assert reply.author == attendant.membership
    question.refresh_from_db()
    assert question.state == CommentState.APPROVED
    assert question.moderated_by == attendant.user
    assert _learner_sees(lesson, cast.alpha.other_client.membership) == {question.pk, reply.pk}
    assert Event.objects.filter(verb=Verb.LESSON_COMMENTED, target_id=str(reply.pk)).exists()


def test_a_reply_to_a_reply_joins_the_same_thread(cast):
    lesson = lessons_with_learners(cast.alpha)[0]
    question = comment(lesson, cast.alpha.client.membership, state=CommentState.APPROVED)
    follow_up = comment(
        lesson, cast.alpha.client.membership, "And rest?", parent=question, minutes_ago=-1
    )
    reply = do_reply_to_comment(
        follow_up,
        author=cast.alpha.supervisor.membership,
        body="90 seconds.",
        actor=cast.alpha.supervisor.user,
    )
    assert reply.parent == question
    follow_up.refresh_from_db()
    assert follow_up.state == CommentState.APPROVED


@pytest.mark.parametrize("state", [CommentState.REJECTED, CommentState.SPAM])
def test_a_hidden_comment_cannot_be_answered(cast, state):
    row = comment(lessons_with_learners(cast.alpha)[0], cast.alpha.client.membership, state=state)
    with pytest.raises(ValidationError) as refused:
        do_reply_to_comment(
            row, author=cast.alpha.admin.membership, body="Hello", actor=cast.alpha.admin.user
        )
    assert refused.value.error_dict["body"][0].code == "comment_hidden"
    assert Comment.objects.count() == 1


def test_an_empty_reply_is_refused_and_the_comment_stays_in_review(cast):
    row = comment(lessons_with_learners(cast.alpha)[0], cast.alpha.client.membership)
    with pytest.raises(ValidationError) as refused:
        do_reply_to_comment(
            row, author=cast.alpha.admin.membership, body="   ", actor=cast.alpha.admin.user
        )
    assert refused.value.error_dict["body"][0].code == "required"
    row.refresh_from_db()
    assert row.state == CommentState.IN_REVIEW
    assert Comment.objects.count() == 1


def test_a_learner_or_a_member_of_another_workspace_cannot_reply_as_staff(cast):
    row = comment(lessons_with_learners(cast.alpha)[0], cast.alpha.client.membership)
    for author in (cast.alpha.other_client, cast.beta.admin):
        with pytest.raises(ValidationError):
            do_reply_to_comment(row, author=author.membership, body="Hi", actor=author.user)
    assert Comment.objects.count() == 1
