"""Progress figures per learner and product, in a constant number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ascend.courses.models import LearnerAccess, LessonProgress
from ascend.courses.progress import lesson_totals, progress_of_accesses, progress_of_pairs
from ascend.tenancy.roles import Role
from ascend.testing import assert_flat_queries, assert_num_queries, make_person

from .course_world import complete, course_tree, give

pytestmark = pytest.mark.django_db


def _viewed(learner, lesson):
    return LessonProgress.objects.create(
        workspace=learner.workspace, learner=learner, lesson=lesson
    )


def test_progress_counts_completed_and_viewed_lessons_of_each_product(cast):
    ws = cast.alpha.workspace
    first, first_lessons = course_tree(ws, modules=2, lessons=2, name="First")
    second, second_lessons = course_tree(ws, modules=1, lessons=3, name="Second")
    me = cast.alpha.client.membership
    a1 = give(me, first)
    a2 = give(me, second)
    complete(me, first_lessons[0])
    _viewed(me, first_lessons[1])
    complete(me, second_lessons[0])
    complete(me, second_lessons[1])
    complete(me, second_lessons[2])
    # Someone else's progress never counts for me.
    complete(cast.alpha.other_client.membership, first_lessons[2])
    figures = progress_of_accesses([a1, a2])
    assert (figures[a1.pk].completed, figures[a1.pk].viewed, figures[a1.pk].total) == (1, 2, 4)
    assert figures[a1.pk].percent == 25
    assert (figures[a2.pk].completed, figures[a2.pk].total, figures[a2.pk].percent) == (3, 3, 100)
    assert figures[a2.pk].is_finished and not figures[a1.pk].is_finished


def test_a_product_without_lessons_is_zero_percent(cast):
    from .course_world import product

    empty = product(cast.alpha.workspace, "Empty")
    access = give(cast.alpha.client.membership, empty)
    figures = progress_of_accesses([access])[access.pk]
    assert (figures.total, figures.completed, figures.percent) == (0, 0, 0)
    assert not figures.is_finished


def test_first_and_last_access_come_from_the_access(cast):
    made, _ = course_tree(cast.alpha.workspace)
    access = give(cast.alpha.client.membership, made)
    then = timezone.now() - timedelta(days=2)
    LearnerAccess.objects.filter(pk=access.pk).update(
        first_accessed_at=then, last_accessed_at=then + timedelta(hours=1)
    )
    access.refresh_from_db()
    figures = progress_of_accesses([access])[access.pk]
    assert figures.first_accessed_at == then
    assert figures.last_accessed_at == then + timedelta(hours=1)


def test_pairs_give_the_same_figures(cast):
    made, lessons = course_tree(cast.alpha.workspace, modules=1, lessons=4)
    me = cast.alpha.client.membership
    complete(me, lessons[0])
    other = cast.alpha.other_client.membership
    figures = progress_of_pairs([(me.pk, made.pk), (other.pk, made.pk)])
    assert figures[(me.pk, made.pk)].completed == 1
    assert figures[(me.pk, made.pk)].percent == 25
    assert figures[(other.pk, made.pk)].completed == 0


def test_totals_count_lessons_per_product(cast):
    ws = cast.alpha.workspace
    a, _ = course_tree(ws, modules=2, lessons=3, name="A")
    b, _ = course_tree(ws, modules=1, lessons=1, name="B")
    assert lesson_totals([a.pk, b.pk]) == {a.pk: 6, b.pk: 1}
    assert lesson_totals([]) == {}


def test_progress_of_many_learners_and_products_costs_two_queries(cast):
    ws = cast.alpha.workspace
    made, lessons = course_tree(ws, modules=1, lessons=3)
    accesses = [give(cast.alpha.client.membership, made)]

    def ask():
        progress_of_accesses(LearnerAccess.objects.filter(pk__in=[a.pk for a in accesses]))

    def grow():
        for n in range(5):
            person = make_person(ws, {Role.CLIENT}, f"learner{n}@alpha.test")
            other, other_lessons = course_tree(ws, modules=2, lessons=2, name=f"P{n}")
            accesses.append(give(person.membership, made))
            accesses.append(give(person.membership, other))
            complete(person.membership, lessons[0])
            complete(person.membership, other_lessons[1])

    # One for the accesses themselves, two for the figures.
    with assert_num_queries(3):
        ask()
    assert assert_flat_queries(ask, grow) == 3
