"""The learner's pages cost a pinned number of queries, flat as products, lessons,
announcements, files and comments grow."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ascend.courses.models import Announcement, Comment, CommentState, LessonFile
from ascend.testing import assert_flat_queries, assert_num_queries

from .course_world import complete, course_tree, give

pytestmark = pytest.mark.django_db

# Session, user, membership (with unread counts), the page frame (workspaces, the
# portal settings for integrations), then the page's own reads.
HOME_QUERIES = 12
PRODUCT_QUERIES = 12
LESSON_QUERIES = 15


def _get(browser, url):
    answer = browser.get(url)
    assert answer.status_code == 200, answer.status_code
    return answer


def test_my_courses_is_pinned_and_flat_as_products_grow(cast):
    ws = cast.alpha.workspace
    me = cast.alpha.client.membership
    made, lessons = course_tree(ws, modules=1, lessons=2, name="P0")
    give(me, made)
    complete(me, lessons[0])
    Announcement.objects.create(workspace=ws, title="Hello", is_enabled=True)
    browser = cast.client_for(cast.alpha.client)
    url = reverse("learn:home")
    _get(browser, url)  # warm the session and caches
    counter = {"n": 0}

    def grow():
        for _ in range(4):
            counter["n"] += 1
            more, more_lessons = course_tree(ws, modules=3, lessons=3, name=f"More {counter['n']}")
            give(me, more)
            complete(me, more_lessons[0])
            Announcement.objects.create(
                workspace=ws, title=f"News {counter['n']}", product=more, is_enabled=True
            )

    with assert_num_queries(HOME_QUERIES):
        _get(browser, url)
    assert assert_flat_queries(lambda: _get(browser, url), grow) == HOME_QUERIES


def test_the_product_page_is_pinned_and_flat_as_lessons_grow(cast):
    ws = cast.alpha.workspace
    me = cast.alpha.client.membership
    made, lessons = course_tree(ws, modules=1, lessons=2)
    give(me, made)
    complete(me, lessons[0])
    browser = cast.client_for(cast.alpha.client)
    url = reverse("learn:product", args=[made.pk])
    _get(browser, url)
    module = lessons[0].module

    def grow():
        from ascend.courses.models import Lesson

        for n in range(10):
            extra = Lesson.objects.create(
                workspace=ws, module=module, title=f"Extra {n}", position=10 + n
            )
            if n % 2:
                complete(me, extra)

    with assert_num_queries(PRODUCT_QUERIES):
        _get(browser, url)
    assert assert_flat_queries(lambda: _get(browser, url), grow) == PRODUCT_QUERIES


def test_the_lesson_page_is_pinned_and_flat_as_comments_files_and_lessons_grow(cast):
    ws = cast.alpha.workspace
    me = cast.alpha.client.membership
    made, lessons = course_tree(ws, modules=2, lessons=2)
    give(me, made)
    lesson = lessons[1]
    browser = cast.client_for(cast.alpha.client)
    url = reverse("learn:lesson", args=[lesson.pk])
    _get(browser, url)  # the first view makes the progress row

    def grow():
        from ascend.courses.models import Lesson

        for n in range(5):
            parent = Comment.objects.create(
                workspace=ws, lesson=lesson, author=cast.alpha.other_client.membership,
                body=f"Question {n}", state=CommentState.APPROVED,
            )  # fmt: skip
            Comment.objects.create(
                workspace=ws, lesson=lesson, author=cast.alpha.admin.membership, parent=parent,
                body=f"Answer {n}", state=CommentState.APPROVED,
            )  # fmt: skip
            Comment.objects.create(workspace=ws, lesson=lesson, author=me, body=f"Mine {n}")
            LessonFile.objects.create(
                workspace=ws, lesson=lesson, name=f"sheet-{n}.pdf", file=f"x/sheet-{n}.pdf"
            )
            Lesson.objects.create(
                workspace=ws, module=lesson.module, title=f"Extra {n}", position=20 + n
            )

    with assert_num_queries(LESSON_QUERIES):
        _get(browser, url)
    assert assert_flat_queries(lambda: _get(browser, url), grow) == LESSON_QUERIES
    html = _get(browser, url).content.decode()
    assert "Answer 4" in html and "Mine 4" in html and "sheet-4.pdf" in html
