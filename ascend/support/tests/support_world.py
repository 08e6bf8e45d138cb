"""Support requests for tests: a product the crew's learners hold, and requests made by actions."""

from __future__ import annotations

from ascend.courses.models import Lesson
from ascend.courses.tests.course_world import course_tree, give
from ascend.support.actions import do_answer_support, do_ask_for_support
from ascend.support.models import SupportRequest
from ascend.testing import Crew, Person


def lessons_for(crew: Crew, name: str = "Strength Academy") -> list[Lesson]:
    """A product of 2 × 3 lessons held by the crew's client and other client."""
    product, lessons = course_tree(crew.workspace, name=name)
    give(crew.client.membership, product)
    give(crew.other_client.membership, product)
    return lessons


def ask(
    learner: Person,
    subject: str = "The video doesn't play",
    body: str = "It stays black.",
    lesson: Lesson | None = None,
) -> SupportRequest:
    return do_ask_for_support(
        learner.membership, subject=subject, body=body, lesson=lesson, actor=learner.user
    )


def answer(request: SupportRequest, staff: Person, body: str = "Reload the page.") -> None:
    do_answer_support(request, staff=staff.membership, body=body, actor=staff.user)
