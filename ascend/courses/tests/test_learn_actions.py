"""The learner's actions on their own: views under a race, visits, dismissals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ascend.courses.actions_learn import (
    _progress_row,
    do_dismiss_announcement,
    do_record_visit,
    do_view_lesson,
)
from ascend.courses.models import Announcement, AnnouncementDismissal, LessonProgress
from ascend.courses.queries import learner_lesson

from .course_world import course_tree, give

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    made, lessons = course_tree(cast.alpha.workspace, modules=1, lessons=2)
    access = give(cast.alpha.client.membership, made)
    member = cast.alpha.client.membership
    member.user = cast.alpha.client.user
    return made, lessons, access, member


def test_a_view_that_loses_the_race_uses_the_row_the_other_request_made(world):
    _made, lessons, _access, member = world
    state = learner_lesson(member, lessons[0].pk)
    first = do_view_lesson(state, actor=member)
    # The second request read "no row" before the first inserted it.
    again = _progress_row(state, member, timezone.now(), known_missing=True)
    assert again.pk == first.pk
    assert LessonProgress.objects.count() == 1


def test_viewing_again_moves_only_the_last_view(world):
    _made, lessons, _access, member = world
    state = learner_lesson(member, lessons[0].pk)
    then = timezone.now() - timedelta(days=2)
    do_view_lesson(state, actor=member, now=then)
    now = timezone.now()
    row = do_view_lesson(state, actor=member, now=now)
    row.refresh_from_db()
    assert (row.first_viewed_at, row.last_viewed_at) == (then, now)


def test_viewing_an_unreleased_lesson_is_refused_and_writes_nothing(world):
    _made, lessons, _access, member = world
    lessons[1].release_after_days = 2
    lessons[1].save()
    state = learner_lesson(member, lessons[1].pk)
    with pytest.raises(ValidationError) as refused:
        do_view_lesson(state, actor=member)
    assert refused.value.error_dict["lesson"][0].code == "not_released"
    assert not LessonProgress.objects.exists()


def test_a_visit_stamps_the_first_once_and_the_last_at_most_each_minute(world):
    _made, _lessons, access, _member = world
    start = timezone.now() - timedelta(hours=1)
    do_record_visit(access, now=start)
    access.refresh_from_db()
    assert access.first_accessed_at == access.last_accessed_at == start
    do_record_visit(access, now=start + timedelta(seconds=30))
    access.refresh_from_db()
    assert access.last_accessed_at == start
    later = start + timedelta(minutes=5)
    do_record_visit(access, now=later)
    access.refresh_from_db()
    assert (access.first_accessed_at, access.last_accessed_at) == (start, later)


def test_dismissing_twice_keeps_one_dismissal(cast, world):
    _made, _lessons, _access, member = world
    news = Announcement.objects.create(workspace=cast.alpha.workspace, title="N", is_enabled=True)
    do_dismiss_announcement(news, actor=member)
    do_dismiss_announcement(news, actor=member)
    assert AnnouncementDismissal.objects.count() == 1


def test_an_announcement_not_shown_cannot_be_dismissed(cast, world):
    _made, _lessons, _access, member = world
    ws = cast.alpha.workspace
    other, _ = course_tree(ws, name="Not held")
    hidden = [
        Announcement.objects.create(workspace=ws, title="Off", is_enabled=False),
        Announcement.objects.create(workspace=ws, title="P", product=other, is_enabled=True),
    ]
    for item in hidden:
        with pytest.raises(ValidationError) as refused:
            do_dismiss_announcement(item, actor=member)
        assert refused.value.code == "not_shown"
    staff = cast.alpha.admin.membership
    shown = Announcement.objects.create(workspace=ws, title="All", is_enabled=True)
    with pytest.raises(ValidationError):
        do_dismiss_announcement(shown, actor=staff)
    assert not AnnouncementDismissal.objects.exists()
