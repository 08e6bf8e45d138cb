"""The comment moderation API: list by state, moderate many, reply as staff."""

from __future__ import annotations

import pytest

from ascend.api.tests.helpers import assert_error, bearer_client, send, token_for
from ascend.courses.models import Comment, CommentState
from ascend.testing import assert_flat_queries

from .comments_world import comment, lessons_with_learners

pytestmark = pytest.mark.django_db


def api(cast, who: str = "attendant", crew: str = "alpha"):  # type: ignore[no-untyped-def]
    person = getattr(getattr(cast, crew), who)
    return bearer_client(token_for(person), person.workspace)


def test_moderators_list_comments_in_review_by_default_newest_first(cast):
    lessons = lessons_with_learners(cast.alpha)
    old = comment(lessons[0], cast.alpha.client.membership, "Old", minutes_ago=20)
    new = comment(lessons[1], cast.alpha.other_client.membership, "**New**", minutes_ago=1)
    comment(lessons[0], cast.alpha.client.membership, "Done", state=CommentState.APPROVED)

    response = api(cast).get("/api/v1/comments")

    assert response.status_code == 200
    body = response.json()
    assert [c["id"] for c in body] == [new.pk, old.pk]
    assert body[0]["body_html"] == "<p><strong>New</strong></p>"
    assert body[0]["lesson"]["title"] == "Lesson 1.2"
    assert body[0]["author"]["id"] == cast.alpha.other_client.membership.pk
    assert body[0]["state"] == "in_review" and body[0]["replies"] == []


def test_the_list_filters_by_state_product_and_lesson(cast):
    lessons = lessons_with_learners(cast.alpha)
    approved = comment(lessons[0], cast.alpha.client.membership, state=CommentState.APPROVED)
    spam = comment(lessons[1], cast.alpha.client.membership, state=CommentState.SPAM)
    client = api(cast, "supervisor")
    product = lessons[0].module.course.product_id

    assert [c["id"] for c in client.get("/api/v1/comments?state=spam").json()] == [spam.pk]
    every = client.get(f"/api/v1/comments?state=all&product={product}").json()
    assert {c["id"] for c in every} == {approved.pk, spam.pk}
    assert client.get(f"/api/v1/comments?state=all&product={product + 99}").json() == []
    one = client.get(f"/api/v1/comments?state=all&lesson={lessons[0].pk}").json()
    assert [c["id"] for c in one] == [approved.pk]
    assert_error(client.get("/api/v1/comments?state=deleted"), 422, "validation_error")


def test_moderating_through_the_api_ignores_ids_of_another_workspace(cast):
    mine = comment(lessons_with_learners(cast.alpha)[0], cast.alpha.client.membership)
    theirs = comment(lessons_with_learners(cast.beta)[0], cast.beta.client.membership)

    response = send(
        api(cast),
        "POST",
        "/api/v1/comments/moderate",
        {"ids": [mine.pk, theirs.pk], "state": "approved"},
    )

    assert response.status_code == 200
    assert response.json() == {"moderated": 1, "state": "approved"}
    assert Comment.objects.get(pk=mine.pk).state == CommentState.APPROVED
    assert Comment.objects.get(pk=theirs.pk).state == CommentState.IN_REVIEW


def test_an_unknown_state_is_refused_with_bad_state(cast):
    row = comment(lessons_with_learners(cast.alpha)[0], cast.alpha.client.membership)
    response = send(api(cast), "POST", "/api/v1/comments/moderate", {"ids": [row.pk], "state": "x"})
    fields = assert_error(response, 422, "bad_state")
    assert "state" in fields
    assert Comment.objects.get(pk=row.pk).state == CommentState.IN_REVIEW


def test_a_staff_reply_is_published_and_approves_the_comment(cast):
    row = comment(lessons_with_learners(cast.alpha)[0], cast.alpha.client.membership, "Sets?")
    response = send(
        api(cast), "POST", f"/api/v1/comments/{row.pk}/replies", {"body": "Three of ten."}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["id"] == row.pk and body["state"] == "approved"
    assert [r["body"] for r in body["replies"]] == ["Three of ten."]
    assert body["replies"][0]["state"] == "approved"
    assert body["replies"][0]["author"]["id"] == cast.alpha.attendant.membership.pk


def test_a_reply_to_spam_or_an_empty_reply_is_refused(cast):
    lesson = lessons_with_learners(cast.alpha)[0]
    spam = comment(lesson, cast.alpha.client.membership, state=CommentState.SPAM)
    fresh = comment(lesson, cast.alpha.client.membership)
    client = api(cast)
    assert_error(
        send(client, "POST", f"/api/v1/comments/{spam.pk}/replies", {"body": "Hi"}),
        422,
        "comment_hidden",
    )
    assert_error(
        send(client, "POST", f"/api/v1/comments/{fresh.pk}/replies", {"body": " "}),
        422,
        "required",
    )
    assert Comment.objects.count() == 2
    assert Comment.objects.get(pk=fresh.pk).state == CommentState.IN_REVIEW


@pytest.mark.parametrize("who", ["coach", "auditor", "operator", "client"])
def test_roles_without_moderation_are_refused(cast, who):
    row = comment(lessons_with_learners(cast.alpha)[0], cast.alpha.client.membership)
    client = api(cast, who)
    assert_error(client.get("/api/v1/comments"), 403, "forbidden")
    assert_error(
        send(client, "POST", "/api/v1/comments/moderate", {"ids": [row.pk], "state": "spam"}),
        403,
        "forbidden",
    )
    assert_error(
        send(client, "POST", f"/api/v1/comments/{row.pk}/replies", {"body": "x"}), 403, "forbidden"
    )
    assert Comment.objects.get(pk=row.pk).state == CommentState.IN_REVIEW


def test_a_member_of_another_workspace_never_reaches_alpha_comments(cast):
    row = comment(lessons_with_learners(cast.alpha)[0], cast.alpha.client.membership)
    beta = api(cast, "owner", "beta")
    assert beta.get("/api/v1/comments?state=all").json() == []
    assert_error(
        send(beta, "POST", f"/api/v1/comments/{row.pk}/replies", {"body": "x"}), 404, "not_found"
    )
    moderated = send(beta, "POST", "/api/v1/comments/moderate", {"ids": [row.pk], "state": "spam"})
    assert moderated.json()["moderated"] == 0
    # A beta token sent to alpha's address is not accepted there.
    stranger = bearer_client(token_for(cast.beta.owner), cast.alpha.workspace)
    assert_error(stranger.get("/api/v1/comments"), 401, "not_authenticated")


def test_the_list_runs_the_same_queries_however_many_comments(cast):
    lessons = lessons_with_learners(cast.alpha)
    client = api(cast)
    counter = iter(range(1000))

    def grow() -> None:
        n = next(counter)
        for i in range(3):
            row = comment(lessons[i], cast.alpha.client.membership, f"G{n}-{i}")
            comment(lessons[i], cast.alpha.admin.membership, "R", parent=row, state="approved")

    grow()
    client.get("/api/v1/comments")  # the token's first use is stamped once
    assert assert_flat_queries(lambda: client.get("/api/v1/comments?state=all"), grow) == 5
