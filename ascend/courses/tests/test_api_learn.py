"""The learner's API: my courses, outlines, lessons, completion, ratings, comments and
announcements, with the same rules as the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ascend.api.tests.helpers import assert_error, bearer_client, send, token_for
from ascend.courses.models import (
    Announcement,
    AnnouncementDismissal,
    Comment,
    CommentModeration,
    CommentState,
    LessonProgress,
    LessonRating,
    PortalSettings,
)
from ascend.testing import assert_flat_queries, assert_num_queries

from .course_world import complete, course_tree, give

pytestmark = pytest.mark.django_db

STAFF = ["owner", "admin", "coach", "supervisor", "attendant", "auditor", "operator"]


@pytest.fixture
def world(cast):
    made, lessons = course_tree(cast.alpha.workspace, modules=2, lessons=2)
    access = give(cast.alpha.client.membership, made)
    return made, lessons, access


@pytest.fixture
def api(cast):
    return bearer_client(token_for(cast.alpha.client), cast.alpha.workspace)


def test_my_courses_lists_products_with_progress_and_next_lesson(cast, world, api):
    made, lessons, _access = world
    complete(cast.alpha.client.membership, lessons[0])
    answer = api.get("/api/v1/me/courses")
    assert answer.status_code == 200
    [card] = answer.json()
    assert card["product"]["id"] == made.pk
    assert card["progress"] == {"total": 4, "completed": 1, "viewed": 1, "percent": 25}
    assert card["access"]["is_open"] is True
    assert card["next_lesson"]["id"] == lessons[1].pk


def test_the_outline_has_each_lessons_state(cast, world, api):
    made, lessons, access = world
    lessons[3].release_after_days = 4
    lessons[3].save()
    complete(cast.alpha.client.membership, lessons[0])
    answer = api.get(f"/api/v1/me/courses/{made.pk}")
    assert answer.status_code == 200
    body = answer.json()
    flat = [les for c in body["courses"] for m in c["modules"] for les in m["lessons"]]
    assert [les["id"] for les in flat] == [les.pk for les in lessons]
    assert flat[0]["completed"] is True and flat[1]["completed"] is False
    assert flat[3]["is_open"] is False and flat[3]["opens_on"]
    access.refresh_from_db()
    assert access.first_accessed_at is not None


def test_a_lesson_comes_with_html_embed_progress_rating_and_comments(cast, world, api):
    _made, lessons, _access = world
    lesson = lessons[1]
    lesson.video_url = "https://vimeo.com/123456"
    lesson.body = "# Hi\n**bold** <img src=x onerror=alert(1)>"
    lesson.save()
    LessonRating.objects.create(
        workspace=lesson.workspace, lesson=lesson, learner=cast.alpha.client.membership, stars=4
    )
    Comment.objects.create(
        workspace=lesson.workspace, lesson=lesson, author=cast.alpha.other_client.membership,
        body="Pending of another", state=CommentState.IN_REVIEW,
    )  # fmt: skip
    mine = Comment.objects.create(
        workspace=lesson.workspace, lesson=lesson, author=cast.alpha.client.membership,
        body="My question",
    )  # fmt: skip
    answer = api.get(f"/api/v1/me/lessons/{lesson.pk}")
    assert answer.status_code == 200
    body = answer.json()
    assert body["embed_url"] == "https://player.vimeo.com/video/123456"
    assert "<strong>bold</strong>" in body["html"] and "onerror" not in body["html"]
    assert body["my_rating"] == 4
    assert body["progress"]["first_viewed_at"] is not None
    assert body["previous"]["id"] == lessons[0].pk and body["next"]["id"] == lessons[2].pk
    assert [c["id"] for c in body["comments"]] == [mine.pk]
    assert body["comments"][0]["state"] == "in_review"
    assert LessonProgress.objects.filter(lesson=lesson).count() == 1


def test_complete_and_uncomplete(cast, world, api):
    _made, lessons, _access = world
    url = f"/api/v1/me/lessons/{lessons[0].pk}/complete"
    answer = api.post(url)
    assert answer.status_code == 200 and answer.json()["completed"] is True
    answer = api.delete(url)
    assert answer.status_code == 200 and answer.json()["completed"] is False
    assert LessonProgress.objects.get().completed_at is None


def test_rating_is_changeable_and_a_six_is_refused_with_nothing_changed(cast, world, api):
    _made, lessons, _access = world
    url = f"/api/v1/me/lessons/{lessons[0].pk}/rating"
    assert send(api, "PUT", url, {"stars": 5}).json()["stars"] == 5
    assert send(api, "PUT", url, {"stars": 3}).json()["stars"] == 3
    for bad in (6, 0):
        fields = assert_error(send(api, "PUT", url, {"stars": bad}), 422, "rating_out_of_range")
        assert "stars" in fields
    assert LessonRating.objects.get().stars == 3


def test_comments_follow_the_moderation_setting(cast, world, api):
    _made, lessons, _access = world
    url = f"/api/v1/me/lessons/{lessons[0].pk}/comments"
    answer = send(api, "POST", url, {"body": "Held?"})
    assert answer.status_code == 201 and answer.json()["state"] == "in_review"
    PortalSettings.objects.filter(workspace=cast.alpha.workspace).update(
        comment_moderation=CommentModeration.AUTOMATIC
    )
    answer = send(api, "POST", url, {"body": "Published?"})
    assert answer.status_code == 201 and answer.json()["state"] == "approved"
    listed = api.get(url).json()
    assert [c["body"] for c in listed] == ["Held?", "Published?"]
    other = bearer_client(token_for(cast.alpha.other_client), cast.alpha.workspace)
    give(cast.alpha.other_client.membership, lessons[0].module.course.product)
    assert [c["body"] for c in other.get(url).json()] == ["Published?"]


def test_comments_off_refuses_the_api_with_its_code(cast, world, api):
    _made, lessons, _access = world
    lessons[0].comments_enabled = False
    lessons[0].save()
    answer = send(api, "POST", f"/api/v1/me/lessons/{lessons[0].pk}/comments", {"body": "Hi"})
    assert_error(answer, 403, "comments_off")
    assert not Comment.objects.exists()


def test_an_empty_comment_is_refused_with_its_field(cast, world, api):
    _made, lessons, _access = world
    answer = send(api, "POST", f"/api/v1/me/lessons/{lessons[0].pk}/comments", {"body": "  "})
    assert "body" in assert_error(answer, 422, "body_required")


def test_expired_access_is_refused_everywhere_with_its_code(cast, world, api):
    made, lessons, access = world
    access.expires_at = timezone.now() - timedelta(hours=1)
    access.save()
    lesson = lessons[0].pk
    assert_error(api.get(f"/api/v1/me/courses/{made.pk}"), 403, "access_expired")
    assert_error(api.get(f"/api/v1/me/lessons/{lesson}"), 403, "access_expired")
    assert_error(api.post(f"/api/v1/me/lessons/{lesson}/complete"), 403, "access_expired")
    answer = send(api, "PUT", f"/api/v1/me/lessons/{lesson}/rating", {"stars": 4})
    assert_error(answer, 403, "access_expired")
    answer = send(api, "POST", f"/api/v1/me/lessons/{lesson}/comments", {"body": "x"})
    assert_error(answer, 403, "access_expired")
    assert not LessonProgress.objects.exists() and not LessonRating.objects.exists()
    assert api.get("/api/v1/me/courses").json()[0]["access"]["is_open"] is False


def test_an_unreleased_lesson_is_refused_with_its_code(cast, world, api):
    _made, lessons, _access = world
    lessons[2].module.release_after_days = 9
    lessons[2].module.save()
    assert_error(api.get(f"/api/v1/me/lessons/{lessons[2].pk}"), 403, "not_released")
    assert_error(api.post(f"/api/v1/me/lessons/{lessons[2].pk}/complete"), 403, "not_released")
    assert not LessonProgress.objects.exists()


def test_announcements_list_and_dismiss(cast, world, api):
    made, _lessons, _access = world
    ws = cast.alpha.workspace
    one = Announcement.objects.create(workspace=ws, title="One", is_enabled=True)
    Announcement.objects.create(workspace=ws, title="Two", product=made, is_enabled=True)
    Announcement.objects.create(workspace=ws, title="Off", is_enabled=False)
    assert {a["title"] for a in api.get("/api/v1/me/announcements").json()} == {"One", "Two"}
    assert api.post(f"/api/v1/me/announcements/{one.pk}/dismiss").status_code == 204
    assert api.post(f"/api/v1/me/announcements/{one.pk}/dismiss").status_code == 204
    assert AnnouncementDismissal.objects.count() == 1
    assert {a["title"] for a in api.get("/api/v1/me/announcements").json()} == {"Two"}


@pytest.mark.parametrize("role", STAFF)
def test_staff_roles_are_refused(cast, world, role):
    made, lessons, _access = world
    staff = bearer_client(token_for(getattr(cast.alpha, role)), cast.alpha.workspace)
    assert_error(staff.get("/api/v1/me/courses"), 403, "forbidden")
    assert_error(staff.get(f"/api/v1/me/courses/{made.pk}"), 403, "forbidden")
    assert_error(staff.get(f"/api/v1/me/lessons/{lessons[0].pk}"), 403, "forbidden")
    assert_error(staff.post(f"/api/v1/me/lessons/{lessons[0].pk}/complete"), 403, "forbidden")
    assert not LessonProgress.objects.exists()


def test_another_workspace_is_refused(cast, world):
    made, lessons, _access = world
    # beta's learner's token does not open alpha's workspace...
    stranger = bearer_client(token_for(cast.beta.client), cast.alpha.workspace)
    assert_error(stranger.get("/api/v1/me/courses"), 401, "not_authenticated")
    # ...and on beta's own host, alpha's product and lesson do not exist.
    own = bearer_client(token_for(cast.beta.client), cast.beta.workspace)
    assert own.get("/api/v1/me/courses").json() == []
    assert_error(own.get(f"/api/v1/me/courses/{made.pk}"), 404, "not_found")
    assert_error(own.get(f"/api/v1/me/lessons/{lessons[0].pk}"), 404, "not_found")
    assert_error(own.post(f"/api/v1/me/lessons/{lessons[0].pk}/complete"), 404, "not_found")


def test_a_learner_without_the_product_gets_not_found(cast, world):
    made, lessons, _access = world
    other = bearer_client(token_for(cast.alpha.other_client), cast.alpha.workspace)
    assert_error(other.get(f"/api/v1/me/courses/{made.pk}"), 404, "not_found")
    assert_error(other.get(f"/api/v1/me/lessons/{lessons[0].pk}"), 404, "not_found")


def test_my_courses_query_count_is_flat_as_products_grow(cast, api):
    ws = cast.alpha.workspace
    me = cast.alpha.client.membership
    made, _ = course_tree(ws, name="Start")
    give(me, made)
    api.get("/api/v1/me/courses")
    counter = {"n": 0}

    def grow():
        for _ in range(3):
            counter["n"] += 1
            more, more_lessons = course_tree(ws, name=f"Grow {counter['n']}")
            give(me, more)
            complete(me, more_lessons[0])

    with assert_num_queries(8):
        api.get("/api/v1/me/courses")
    assert assert_flat_queries(lambda: api.get("/api/v1/me/courses"), grow) == 8


def test_the_lesson_query_count_is_flat_as_comments_grow(cast, world, api):
    _made, lessons, _access = world
    lesson = lessons[0]
    url = f"/api/v1/me/lessons/{lesson.pk}"
    api.get(url)

    def grow():
        for n in range(4):
            parent = Comment.objects.create(
                workspace=lesson.workspace, lesson=lesson,
                author=cast.alpha.other_client.membership, body=f"Q{n}",
                state=CommentState.APPROVED,
            )  # fmt: skip
            Comment.objects.create(
                workspace=lesson.workspace, lesson=lesson, author=cast.alpha.admin.membership,
                parent=parent, body=f"A{n}", state=CommentState.APPROVED,
            )  # fmt: skip

    with assert_num_queries(12):
        api.get(url)
    assert assert_flat_queries(lambda: api.get(url), grow) == 12
