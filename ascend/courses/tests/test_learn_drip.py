"""Drip dates are the learner's days: a lesson opens at midnight in the learner's time
zone, so learners in Tokyo and New York see the same lesson open at different instants."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, timezone

from ascend.courses.actions_learn import do_complete_lesson
from ascend.courses.models import LessonProgress
from ascend.courses.queries import learner_lesson, learner_time_zone, lesson_state

from .course_world import course_tree, give

pytestmark = pytest.mark.django_db

# Noon UTC on 1 March: 21:00 on 1 March in Tokyo, 07:00 on 1 March in New York.
STARTS = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def two_learners(cast):
    made, lessons = course_tree(cast.alpha.workspace, modules=1, lessons=2)
    lessons[1].release_after_days = 3
    lessons[1].save()
    tokyo, new_york = cast.alpha.client, cast.alpha.other_client
    tokyo.user.time_zone = "Asia/Tokyo"
    tokyo.user.save()
    new_york.user.time_zone = "America/New_York"
    new_york.user.save()
    give(tokyo.membership, made, starts=STARTS)
    give(new_york.membership, made, starts=STARTS)
    return lessons[1], tokyo, new_york


def _state(person, lesson, now):
    found = learner_lesson(person.membership, lesson.pk)
    return lesson_state(found.lesson, found.access, person.user.time_zone, now)


def test_the_lesson_opens_on_the_same_calendar_day_for_both(two_learners):
    lesson, tokyo, new_york = two_learners
    before = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
    assert _state(tokyo, lesson, before).release_on == date(2026, 3, 4)
    assert _state(new_york, lesson, before).release_on == date(2026, 3, 4)


def test_tokyo_midnight_opens_it_while_new_york_still_waits(two_learners):
    lesson, tokyo, new_york = two_learners
    # Midnight of 4 March in Tokyo is 15:00 UTC on 3 March; in New York, 05:00 UTC on 4 March.
    just_before_tokyo = datetime(2026, 3, 3, 14, 59, tzinfo=UTC)
    just_after_tokyo = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
    just_before_new_york = datetime(2026, 3, 4, 4, 59, tzinfo=UTC)
    just_after_new_york = datetime(2026, 3, 4, 5, 0, tzinfo=UTC)
    assert not _state(tokyo, lesson, just_before_tokyo).is_open
    assert _state(tokyo, lesson, just_after_tokyo).is_open
    assert not _state(new_york, lesson, just_after_tokyo).is_open
    assert not _state(new_york, lesson, just_before_new_york).is_open
    assert _state(new_york, lesson, just_after_new_york).is_open


def test_completing_follows_the_learners_own_midnight(two_learners):
    lesson, tokyo, new_york = two_learners
    now = datetime(2026, 3, 3, 16, 0, tzinfo=UTC)
    tokyo.membership.user = tokyo.user
    new_york.membership.user = new_york.user
    found = learner_lesson(tokyo.membership, lesson.pk)
    do_complete_lesson(found, actor=tokyo.membership, now=now)
    assert LessonProgress.objects.get(learner=tokyo.membership).completed_at == now
    found = learner_lesson(new_york.membership, lesson.pk)
    with pytest.raises(ValidationError) as refused:
        do_complete_lesson(found, actor=new_york.membership, now=now)
    assert refused.value.error_dict["lesson"][0].code == "not_released"
    assert not LessonProgress.objects.filter(learner=new_york.membership).exists()


def test_without_a_time_zone_of_their_own_the_workspaces_is_used(cast, two_learners):
    lesson, tokyo, _new_york = two_learners
    tokyo.user.time_zone = ""
    tokyo.user.save()
    ws = cast.alpha.workspace
    ws.time_zone = "America/New_York"
    ws.save()
    member = (
        type(tokyo.membership)
        .objects.select_related("user", "workspace")
        .get(pk=tokyo.membership.pk)
    )
    assert learner_time_zone(member) == "America/New_York"
    found = learner_lesson(member, lesson.pk)
    with pytest.raises(ValidationError) as refused:
        do_complete_lesson(found, actor=member, now=datetime(2026, 3, 3, 16, tzinfo=UTC))
    assert refused.value.error_dict["lesson"][0].code == "not_released"
    do_complete_lesson(found, actor=member, now=datetime(2026, 3, 4, 5, tzinfo=UTC))
    assert LessonProgress.objects.get(learner=member).completed_at is not None


def test_the_outline_shows_each_learner_their_own_opening_day(cast):
    """Access that began at 20:00 UTC began the next day in Tokyo but the same day in New
    York: the outline of each says a different day."""
    made, lessons = course_tree(cast.alpha.workspace, modules=1, lessons=1)
    lessons[0].release_after_days = 10
    lessons[0].save()
    start = (
        (timezone.now() - timedelta(days=1))
        .astimezone(UTC)
        .replace(hour=20, minute=0, second=0, microsecond=0)
    )
    tokyo, new_york = cast.alpha.client, cast.alpha.other_client
    for person, zone in ((tokyo, "Asia/Tokyo"), (new_york, "America/New_York")):
        person.user.time_zone = zone
        person.user.save()
        give(person.membership, made, starts=start)
    tokyo_day = start.date() + timedelta(days=11)
    new_york_day = start.date() + timedelta(days=10)
    url = reverse("learn:product", args=[made.pk])
    tokyo_html = cast.client_for(tokyo).get(url).content.decode()
    new_york_html = cast.client_for(new_york).get(url).content.decode()
    assert f"opens on {formats.date_format(tokyo_day, 'DATE_FORMAT')}" in tokyo_html
    assert f"opens on {formats.date_format(new_york_day, 'DATE_FORMAT')}" in new_york_html
