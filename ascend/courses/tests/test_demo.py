"""The demo course portal: one product, 3 modules and 12 lessons, learners at every stage."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from ascend.courses.demo import BOUNCED_EMAIL
from ascend.courses.models import Comment, LearnerAccess, Lesson, LessonProgress, Module, Product
from ascend.notifications.models import OutboundEmail
from ascend.support.models import SupportRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=StringIO())


def test_the_demo_product_has_one_course_of_three_modules_and_twelve_lessons(demo):
    product = Product.objects.get()
    assert product.courses.count() == 1
    assert Module.objects.filter(course__product=product).count() == 3
    assert Lesson.objects.filter(module__course__product=product).count() == 12


def test_demo_learners_are_at_various_stages_and_one_access_has_ended(demo):
    completed = {
        access.learner_id: LessonProgress.objects.filter(
            learner_id=access.learner_id, completed_at__isnull=False
        ).count()
        for access in LearnerAccess.objects.all()
    }
    assert {0, 12} <= set(completed.values()) and len(set(completed.values())) >= 6
    assert sum(not a.is_open() for a in LearnerAccess.objects.all()) == 1


def test_the_demo_has_comments_to_review_a_bounced_address_and_support_requests(demo):
    assert Comment.objects.filter(state="in_review").count() == 3
    assert OutboundEmail.objects.filter(to=BOUNCED_EMAIL, state="bounced").exists()
    assert set(SupportRequest.objects.values_list("status", flat=True)) == {
        "open", "answered", "closed"}  # fmt: skip
