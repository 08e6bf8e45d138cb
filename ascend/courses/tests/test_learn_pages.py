"""The learner's pages: my courses, a product's outline, a lesson and its files."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from ascend.courses.models import (
    Announcement,
    AnnouncementDismissal,
    LearnerAccess,
    LessonFile,
    LessonProgress,
)

from .course_world import complete, course_tree, give

pytestmark = pytest.mark.django_db

STAFF = ["owner", "admin", "coach", "supervisor", "attendant", "auditor", "operator"]


@pytest.fixture
def world(cast):
    made, lessons = course_tree(cast.alpha.workspace, modules=2, lessons=2)
    access = give(cast.alpha.client.membership, made)
    return made, lessons, access


def test_my_courses_shows_each_product_with_progress_and_the_lesson_to_continue(cast, world):
    made, lessons, _access = world
    complete(cast.alpha.client.membership, lessons[0])
    page = cast.client_for(cast.alpha.client).get(reverse("learn:home"))
    assert page.status_code == 200
    html = page.content.decode()
    assert made.name in html
    assert "25 %" in html
    assert "1 of 4 lessons completed" in html
    assert reverse("learn:lesson", args=[lessons[1].pk]) in html
    assert "Access with no end date" in html


def test_my_courses_says_until_when_and_when_access_ended(cast):
    ws = cast.alpha.workspace
    open_one, _ = course_tree(ws, name="Open course")
    ended, _ = course_tree(ws, name="Ended course")
    soon = timezone.now() + timedelta(days=10)
    give(cast.alpha.client.membership, open_one, expires=soon)
    give(cast.alpha.client.membership, ended, expires=timezone.now() - timedelta(days=2))
    html = cast.client_for(cast.alpha.client).get(reverse("learn:home")).content.decode()
    assert "Access until" in html
    assert "Access ended on" in html
    assert html.index("Open course") < html.index("Ended course")


def test_my_courses_leaves_out_removed_access_and_has_an_empty_state(cast, world):
    _made, _lessons, access = world
    access.removed_at = timezone.now()
    access.save()
    html = cast.client_for(cast.alpha.client).get(reverse("learn:home")).content.decode()
    assert 'data-testid="no-courses"' in html
    assert "Strength Academy" not in html


def test_announcements_show_until_dismissed(cast, world):
    made, _lessons, _access = world
    ws = cast.alpha.workspace
    everyone = Announcement.objects.create(workspace=ws, title="Live call Friday", is_enabled=True)
    Announcement.objects.create(workspace=ws, title="Draft news", is_enabled=False)
    Announcement.objects.create(workspace=ws, title="For product", product=made, is_enabled=True)
    other, _ = course_tree(ws, name="Not held")
    Announcement.objects.create(workspace=ws, title="Other product", product=other, is_enabled=True)
    browser = cast.client_for(cast.alpha.client)
    html = browser.get(reverse("learn:home")).content.decode()
    assert "Live call Friday" in html and "For product" in html
    assert "Draft news" not in html and "Other product" not in html

    answer = browser.post(
        reverse("learn:announcement_dismiss", args=[everyone.pk]), HTTP_HX_REQUEST="true"
    )
    assert answer.status_code == 200 and answer.content == b""
    assert AnnouncementDismissal.objects.filter(announcement=everyone).count() == 1
    html = browser.get(reverse("learn:home")).content.decode()
    assert "Live call Friday" not in html and "For product" in html


def test_dismissing_an_announcement_not_shown_to_the_learner_is_not_found(cast, world):
    ws = cast.alpha.workspace
    draft = Announcement.objects.create(workspace=ws, title="Draft", is_enabled=False)
    elsewhere = Announcement.objects.create(
        workspace=cast.beta.workspace, title="Beta", is_enabled=True
    )
    browser = cast.client_for(cast.alpha.client)
    for item in (draft, elsewhere):
        answer = browser.post(reverse("learn:announcement_dismiss", args=[item.pk]))
        assert answer.status_code == 404
    assert not AnnouncementDismissal.objects.exists()


def test_the_product_page_shows_the_outline_with_ticks_and_records_the_visit(cast, world):
    made, lessons, access = world
    complete(cast.alpha.client.membership, lessons[0])
    page = cast.client_for(cast.alpha.client).get(reverse("learn:product", args=[made.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="outline-lesson"') == 4
    assert "Module 1" in html and "Module 2" in html
    assert html.count("Completed") >= 1
    access.refresh_from_db()
    assert access.first_accessed_at is not None
    assert access.last_accessed_at == access.first_accessed_at


def test_a_second_visit_keeps_the_first_access_and_moves_the_last(cast, world):
    made, _lessons, access = world
    first = timezone.now() - timedelta(days=3)
    LearnerAccess.objects.filter(pk=access.pk).update(
        first_accessed_at=first, last_accessed_at=first
    )
    cast.client_for(cast.alpha.client).get(reverse("learn:product", args=[made.pk]))
    access.refresh_from_db()
    assert access.first_accessed_at == first
    assert access.last_accessed_at > first


def test_lessons_not_yet_released_show_when_they_open_and_have_no_link(cast, world):
    made, lessons, _access = world
    module = lessons[2].module
    module.release_after_days = 7
    module.save()
    html = cast.client_for(cast.alpha.client).get(reverse("learn:product", args=[made.pk]))
    html = html.content.decode()
    assert html.count('data-testid="opens-on"') == 2
    assert reverse("learn:lesson", args=[lessons[2].pk]) not in html
    assert reverse("learn:lesson", args=[lessons[1].pk]) in html


def test_expired_access_gets_a_clear_page_and_closed_lessons(cast, world):
    made, lessons, access = world
    access.expires_at = timezone.now() - timedelta(days=1)
    access.save()
    browser = cast.client_for(cast.alpha.client)
    for url in (
        reverse("learn:product", args=[made.pk]),
        reverse("learn:lesson", args=[lessons[0].pk]),
    ):
        page = browser.get(url)
        assert page.status_code == 403
        html = page.content.decode()
        assert 'data-testid="access-expired"' in html
        assert "Your access ended on" in html
        assert "Contact Alpha" in html
    assert not LessonProgress.objects.exists()
    answer = browser.post(reverse("learn:lesson_complete", args=[lessons[0].pk]))
    assert answer.status_code == 403
    assert not LessonProgress.objects.exists()


def test_the_lesson_page_shows_video_text_files_and_neighbours(cast, world):
    _made, lessons, _access = world
    lesson = lessons[1]
    lesson.video_url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    lesson.body = "**Squat** deep <script>alert(1)</script>"
    lesson.save()
    LessonFile.objects.create(
        workspace=lesson.workspace, lesson=lesson, name="plan.pdf", size=10,
        file=ContentFile(b"%PDF-1.4 plan", name="plan.pdf"),
    )  # fmt: skip
    page = cast.client_for(cast.alpha.client).get(reverse("learn:lesson", args=[lesson.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert "<strong>Squat</strong>" in html
    assert "<script>alert(1)" not in html
    assert "plan.pdf" in html
    assert reverse("learn:lesson", args=[lessons[0].pk]) in html  # previous
    assert reverse("learn:lesson", args=[lessons[2].pk]) in html  # next
    assert f"{reverse('support:learner_new')}?lesson={lesson.pk}" in html
    assert "Mark as complete" in html


def test_a_video_address_that_is_not_embeddable_shows_no_frame(cast, world):
    _made, lessons, _access = world
    lessons[0].video_url = "https://evil.example.com/video"
    lessons[0].save()
    html = cast.client_for(cast.alpha.client).get(reverse("learn:lesson", args=[lessons[0].pk]))
    assert "<iframe" not in html.content.decode()


def test_viewing_a_lesson_records_first_and_last_view_once(cast, world):
    _made, lessons, access = world
    browser = cast.client_for(cast.alpha.client)
    url = reverse("learn:lesson", args=[lessons[0].pk])
    browser.get(url)
    row = LessonProgress.objects.get()
    first = row.first_viewed_at
    browser.get(url)
    row.refresh_from_db()
    assert LessonProgress.objects.count() == 1
    assert row.first_viewed_at == first
    assert row.last_viewed_at >= first
    assert row.completed_at is None
    access.refresh_from_db()
    assert access.first_accessed_at is not None


def test_an_unreleased_lesson_says_when_it_opens(cast, world):
    _made, lessons, _access = world
    lessons[3].release_after_days = 5
    lessons[3].save()
    page = cast.client_for(cast.alpha.client).get(reverse("learn:lesson", args=[lessons[3].pk]))
    assert page.status_code == 403
    assert "This lesson opens on" in page.content.decode()
    assert not LessonProgress.objects.exists()


def test_marking_complete_and_not_complete(cast, world):
    _made, lessons, _access = world
    browser = cast.client_for(cast.alpha.client)
    url = reverse("learn:lesson_complete", args=[lessons[0].pk])
    answer = browser.post(url, {"done": "1"}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    assert "Mark as not complete" in answer.content.decode()
    assert LessonProgress.objects.get().completed_at is not None
    answer = browser.post(url, {"done": "0"})
    assert answer.status_code == 302
    assert LessonProgress.objects.get().completed_at is None


def test_files_download_only_with_open_access_to_a_released_lesson(cast, world):
    _made, lessons, access = world
    lesson = lessons[0]
    made_file = LessonFile.objects.create(
        workspace=lesson.workspace, lesson=lesson, name="plan.pdf", size=13,
        file=ContentFile(b"%PDF-1.4 plan", name="plan.pdf"),
    )  # fmt: skip
    url = reverse("learn:file", args=[made_file.pk])
    browser = cast.client_for(cast.alpha.client)
    answer = browser.get(url)
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == b"%PDF-1.4 plan"
    assert "attachment" in answer["Content-Disposition"]

    assert cast.client_for(cast.alpha.other_client).get(url).status_code == 404
    assert cast.client_for(cast.alpha.owner).get(url).status_code == 404
    assert cast.client_for(cast.beta.client).get(url).status_code == 404

    lesson.release_after_days = 3
    lesson.save()
    assert browser.get(url).status_code == 403
    lesson.release_after_days = None
    lesson.save()
    access.expires_at = timezone.now() - timedelta(minutes=1)
    access.save()
    assert browser.get(url).status_code == 403


@pytest.mark.parametrize("role", STAFF)
def test_staff_roles_are_refused_every_learner_page(cast, world, role):
    made, lessons, _access = world
    browser = cast.client_for(getattr(cast.alpha, role))
    for url in (
        reverse("learn:home"),
        reverse("learn:product", args=[made.pk]),
        reverse("learn:lesson", args=[lessons[0].pk]),
    ):
        assert browser.get(url).status_code == 404
    assert browser.post(reverse("learn:lesson_complete", args=[lessons[0].pk])).status_code == 404


def test_a_member_of_another_workspace_is_refused(cast, world):
    made, lessons, _access = world
    # beta's client signed in on alpha's host: not a member there.
    browser = cast.client_for(cast.beta.client, workspace=cast.alpha.workspace)
    for url in (
        reverse("learn:home"),
        reverse("learn:product", args=[made.pk]),
        reverse("learn:lesson", args=[lessons[0].pk]),
    ):
        assert browser.get(url).status_code == 404
    # and on their own workspace, alpha's product and lesson do not exist.
    own = cast.client_for(cast.beta.client)
    assert own.get(reverse("learn:product", args=[made.pk])).status_code == 404
    assert own.get(reverse("learn:lesson", args=[lessons[0].pk])).status_code == 404


def test_another_learner_without_the_product_gets_not_found(cast, world):
    made, lessons, _access = world
    browser = cast.client_for(cast.alpha.other_client)
    assert browser.get(reverse("learn:product", args=[made.pk])).status_code == 404
    assert browser.get(reverse("learn:lesson", args=[lessons[0].pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(cast):
    answer = cast.client_for(None).get(reverse("learn:home"))
    assert answer.status_code == 302
    assert "login" in answer["Location"]
