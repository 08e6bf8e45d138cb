"""The moderation pages at /team/comments/: who may open them, filters, bulk and row actions,
replies, and query counts that stay flat as comments grow."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ascend.courses.models import Comment, CommentState
from ascend.courses.tests.course_world import course_tree, give
from ascend.testing import assert_flat_queries, assert_num_queries

from .comments_world import comment, lessons_with_learners

pytestmark = pytest.mark.django_db

LIST = "/team/comments/"


@pytest.mark.parametrize("who", ["owner", "admin", "supervisor", "attendant"])
def test_moderators_open_the_comments_page(cast, who):
    response = cast.client_for(getattr(cast.alpha, who)).get(LIST)
    assert response.status_code == 200
    assert reverse("comments:list") == LIST


@pytest.mark.parametrize("who", ["coach", "head_coach", "auditor", "operator", "client"])
def test_other_roles_are_refused(cast, who):
    client = cast.client_for(getattr(cast.alpha, who))
    row = comment(lessons_with_learners(cast.alpha)[0], cast.alpha.client.membership)
    assert client.get(LIST).status_code == 403
    assert client.get(f"{LIST}{row.pk}/").status_code == 403
    response = client.post(f"{LIST}moderate/", {"ids": [row.pk], "state": "approved"})
    assert response.status_code == 403
    row.refresh_from_db()
    assert row.state == CommentState.IN_REVIEW


def test_a_member_of_another_workspace_gets_not_found(cast):
    row = comment(lessons_with_learners(cast.alpha)[0], cast.alpha.client.membership)
    client = cast.client_for(cast.beta.owner, workspace=cast.alpha.workspace)
    assert client.get(LIST).status_code == 404
    assert client.post(f"{LIST}{row.pk}/moderate/", {"state": "spam"}).status_code == 404
    # And on their own workspace, alpha's comment is not there for them.
    own = cast.client_for(cast.beta.owner)
    assert own.get(f"{LIST}{row.pk}/").status_code == 404
    assert own.post(f"{LIST}{row.pk}/moderate/", {"state": "spam"}).status_code == 404
    assert own.post(f"{LIST}{row.pk}/", {"body": "Hi"}).status_code == 404
    own.post(f"{LIST}moderate/", {"ids": [row.pk], "state": "spam"})
    row.refresh_from_db()
    assert row.state == CommentState.IN_REVIEW


def test_the_page_shows_comments_in_review_newest_first_with_counts_per_state(cast):
    lessons = lessons_with_learners(cast.alpha)
    learner = cast.alpha.client.membership
    comment(lessons[0], learner, "Older question", minutes_ago=30)
    comment(lessons[1], learner, "Newer question", minutes_ago=5)
    comment(lessons[0], learner, "Published one", state=CommentState.APPROVED)
    comment(lessons[0], learner, "Junk", state=CommentState.SPAM)

    page = cast.client_for(cast.alpha.attendant).get(LIST).content.decode()

    assert page.index("Newer question") < page.index("Older question")
    assert "Published one" not in page and "Junk" not in page
    assert "Alpha Client" in page and "Lesson 1.1" in page and "Lesson 1.2" in page
    tabs = page[page.index('data-testid="state-tabs"') :]
    for label, count in (("In review", 2), ("Approved", 1), ("Rejected", 0), ("Spam", 1)):
        assert f'{label} <span class="badge">{count}</span>' in tabs, label
    assert 'All <span class="badge">4</span>' in tabs


def test_the_state_product_and_lesson_filters_narrow_the_list(cast):
    lessons = lessons_with_learners(cast.alpha)
    other_product, other_lessons = course_tree(cast.alpha.workspace, name="Mobility")
    give(cast.alpha.client.membership, other_product)
    learner = cast.alpha.client.membership
    comment(lessons[0], learner, "About squats", state=CommentState.APPROVED)
    comment(lessons[1], learner, "About lunges", state=CommentState.APPROVED)
    comment(other_lessons[0], learner, "About hips", state=CommentState.APPROVED)
    client = cast.client_for(cast.alpha.supervisor)

    approved = client.get(LIST, {"state": "approved"}).content.decode()
    assert "About squats" in approved and "About hips" in approved
    product = client.get(
        LIST, {"state": "approved", "product": lessons[0].module.course.product_id}
    ).content.decode()
    assert "About squats" in product and "About lunges" in product
    assert "About hips" not in product
    lesson = client.get(LIST, {"state": "all", "lesson": lessons[1].pk}).content.decode()
    assert "About lunges" in lesson and "About squats" not in lesson
    assert client.get(LIST, {"state": "nonsense", "product": "x"}).status_code == 200


def test_comment_text_is_rendered_safely(cast):
    comment(
        lessons_with_learners(cast.alpha)[0],
        cast.alpha.client.membership,
        "**Bold** <script>alert('x')</script> [link](javascript:alert(1))",
    )
    page = cast.client_for(cast.alpha.attendant).get(LIST).content.decode()
    assert "<strong>Bold</strong>" in page
    assert "<script>alert" not in page
    assert "javascript:alert" not in page


def test_the_bulk_action_moderates_the_ticked_comments_in_one_update(cast):
    lessons = lessons_with_learners(cast.alpha)
    rows = [comment(lessons[0], cast.alpha.client.membership, f"C{n}") for n in range(3)]
    client = cast.client_for(cast.alpha.attendant)

    with CaptureQueriesContext(connection) as ctx:
        response = client.post(
            f"{LIST}moderate/",
            {
                "ids": [rows[0].pk, rows[1].pk],
                "state": "approved",
                "next": f"{LIST}?state=in_review",
            },
        )

    assert response.status_code == 302 and response["Location"] == f"{LIST}?state=in_review"
    updates = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]
    assert len([u for u in updates if "courses_comment" in u]) == 1
    states = dict(Comment.objects.values_list("body", "state"))
    assert states == {"C0": "approved", "C1": "approved", "C2": "in_review"}
    followed = client.get(response["Location"]).content.decode()
    assert "2 comments approved." in followed


def test_the_bulk_action_refuses_an_unknown_state_and_asks_for_ticks(cast):
    row = comment(lessons_with_learners(cast.alpha)[0], cast.alpha.client.membership)
    client = cast.client_for(cast.alpha.admin)
    response = client.post(f"{LIST}moderate/", {"ids": [row.pk], "state": "deleted"}, follow=True)
    assert "Choose approve, reject or mark as spam." in response.content.decode()
    response = client.post(f"{LIST}moderate/", {"state": "approved"}, follow=True)
    assert "Tick the comments first." in response.content.decode()
    response = client.post(f"{LIST}moderate/", {"ids": [row.pk], "next": "https://evil.example/"})
    assert response["Location"] == LIST
    row.refresh_from_db()
    assert row.state == CommentState.IN_REVIEW


def test_a_row_button_swaps_the_row_in_its_new_state_with_htmx(cast):
    row = comment(lessons_with_learners(cast.alpha)[0], cast.alpha.client.membership, "Spammy")
    client = cast.client_for(cast.alpha.attendant)
    response = client.post(
        f"{LIST}{row.pk}/moderate/", {"state": "spam", "next": LIST}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="comment-{row.pk}"')
    assert "badge--danger" in html and "<html" not in html
    row.refresh_from_db()
    assert row.state == CommentState.SPAM and row.moderated_by == cast.alpha.attendant.user

    plain = client.post(f"{LIST}{row.pk}/moderate/", {"state": "approved"})
    assert plain.status_code == 302
    bad = client.post(f"{LIST}{row.pk}/moderate/", {"state": "x"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 422
    row.refresh_from_db()
    assert row.state == CommentState.APPROVED


def test_staff_reply_from_the_comment_page_is_published_and_approves_the_comment(cast):
    row = comment(lessons_with_learners(cast.alpha)[0], cast.alpha.client.membership, "Help?")
    client = cast.client_for(cast.alpha.attendant)
    page = client.get(f"{LIST}{row.pk}/").content.decode()
    assert "Replying approves this comment too." in page

    response = client.post(f"{LIST}{row.pk}/", {"body": "Here is how."})

    assert response.status_code == 302
    reply = Comment.objects.get(parent=row)
    assert reply.state == CommentState.APPROVED and reply.body == "Here is how."
    row.refresh_from_db()
    assert row.state == CommentState.APPROVED
    assert "Here is how." in client.get(f"{LIST}{row.pk}/").content.decode()


def test_an_empty_reply_shows_a_message_next_to_the_field(cast):
    row = comment(lessons_with_learners(cast.alpha)[0], cast.alpha.client.membership)
    response = cast.client_for(cast.alpha.admin).post(f"{LIST}{row.pk}/", {"body": "  "})
    assert response.status_code == 422
    assert "errorlist" in response.content.decode()
    assert Comment.objects.count() == 1


def _grow(cast, lessons, counter):  # type: ignore[no-untyped-def]
    n = next(counter)
    learners = [cast.alpha.client.membership, cast.alpha.other_client.membership]
    for i in range(4):
        row = comment(lessons[i % len(lessons)], learners[i % 2], f"Grown {n}-{i}")
        comment(
            row.lesson,
            cast.alpha.attendant.membership,
            "Reply",
            parent=row,
            state=CommentState.APPROVED,
        )


@pytest.mark.parametrize(
    "query",
    [{}, {"state": "all"}, {"state": "approved", "product": "PRODUCT"}, {"lesson": "LESSON"}],
)
def test_the_list_runs_the_same_queries_however_many_comments(cast, query):
    lessons = lessons_with_learners(cast.alpha)
    values = {"PRODUCT": lessons[0].module.course.product_id, "LESSON": lessons[0].pk}
    params = {k: values.get(v, v) for k, v in query.items()}
    client = cast.client_for(cast.alpha.attendant)
    counter = iter(range(1000))
    _grow(cast, lessons, counter)
    assert_flat_queries(lambda: client.get(LIST, params), lambda: _grow(cast, lessons, counter))


def test_the_list_query_count_is_pinned(cast):
    lessons = lessons_with_learners(cast.alpha)
    _grow(cast, lessons, iter(range(1)))
    client = cast.client_for(cast.alpha.attendant)
    client.get(LIST)
    # workspace, session, user, membership; the page's count, rows, replies, products,
    # the counts per state (one grouped query); the workspace switcher.
    with assert_num_queries(10):
        client.get(LIST)


def test_those_who_manage_courses_may_open_the_lesson_from_a_comment(cast):
    row = comment(lessons_with_learners(cast.alpha)[0], cast.alpha.client.membership)
    edit = reverse("courses:lesson_edit", args=[row.lesson_id])
    assert edit in cast.client_for(cast.alpha.admin).get(LIST).content.decode()
    assert edit in cast.client_for(cast.alpha.owner).get(f"{LIST}{row.pk}/").content.decode()
    assert edit not in cast.client_for(cast.alpha.attendant).get(LIST).content.decode()
