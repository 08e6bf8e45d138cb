"""A small, known data set for the course reports: support requests, lesson ratings, access."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from ascend.billing.models import Order, OrderKind, OrderStatus
from ascend.courses.models import AccessSource, Lesson, LessonRating, Product
from ascend.support.models import RequestStatus, SupportRequest
from ascend.testing import Cast, Person

from .course_world import complete, course_tree, give


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=UTC)


def ask(
    learner: Person,
    when: datetime,
    *,
    answered_by: Person | None = None,
    wait: timedelta | None = None,
    rating: int | None = None,
    lesson: Lesson | None = None,
) -> SupportRequest:
    answered = answered_by is not None
    return SupportRequest.objects.create(
        workspace=learner.workspace,
        learner=learner.membership,
        lesson=lesson,
        subject="Help with my training",
        status=RequestStatus.ANSWERED if answered else RequestStatus.OPEN,
        answered_by=answered_by.membership if answered_by else None,
        created_at=when,
        first_answered_at=when + wait if answered and wait else None,
        last_message_at=when,
        rating=rating,
        rated_at=when + timedelta(days=1) if rating else None,
    )


def rate(learner: Person, lesson: Lesson, stars: int, when: datetime) -> LessonRating:
    return LessonRating.objects.create(
        workspace=learner.workspace,
        lesson=lesson,
        learner=learner.membership,
        stars=stars,
        rated_at=when,
    )


@dataclass
class ReportWorld:
    product: Product
    other_product: Product
    lessons: list[Lesson]
    other_lessons: list[Lesson]


def build(cast: Cast) -> ReportWorld:
    """January and February 2025 in workspace alpha (UTC), and noise in workspace beta.

    Support: January 3 requests (answered in 1 h and 3 h, one open; rated 5 and 3),
    February 3 (answered in 30 min, 2 h and 4 h; rated 4 and 2). The attendant answered
    four, the supervisor one. Lesson ratings in January: lesson 2 worst (1, 2), then lesson
    3 (3), then lesson 1 (5, 4). Access: the client was given the product (3 of 6 lessons
    done), the other client bought it (paid 2025-01-05) and has the other product too.
    """
    a = cast.alpha
    product, lessons = course_tree(a.workspace, modules=2, lessons=3, name="Strength Academy")
    other, other_lessons = course_tree(a.workspace, modules=1, lessons=2, name="Mobility Basics")
    hour = timedelta(hours=1)
    ask(a.client, at(1, 10), answered_by=a.attendant, wait=hour, rating=5, lesson=lessons[0])
    ask(a.client, at(1, 12), answered_by=a.supervisor, wait=3 * hour, rating=3)
    ask(a.other_client, at(1, 20))
    ask(a.client, at(2, 1), answered_by=a.attendant, wait=hour / 2, rating=4)
    ask(a.other_client, at(2, 2), answered_by=a.attendant, wait=2 * hour)
    ask(a.client, at(2, 3), answered_by=a.attendant, wait=4 * hour, rating=2)
    rate(a.client, lessons[0], 5, at(1, 15))
    rate(a.other_client, lessons[0], 4, at(1, 16))
    rate(a.client, lessons[1], 1, at(1, 17))
    rate(a.other_client, lessons[1], 2, at(1, 18))
    rate(a.client, lessons[2], 3, at(1, 19))
    rate(a.client, other_lessons[0], 4, at(2, 10))

    given = give(a.client.membership, product, starts=at(1, 2))
    given.first_accessed_at, given.last_accessed_at = at(1, 3), at(2, 20)
    given.save()
    for lesson in lessons[:3]:
        complete(a.client.membership, lesson, at(1, 4))
    order = Order.objects.create(
        workspace=a.workspace,
        kind=OrderKind.COURSE,
        product=product,
        buyer_name="Alpha Other Client",
        buyer_email=a.other_client.email,
        client=a.other_client.membership,
        amount=Decimal("49.00"),
        currency="USD",
        provider="manual",
        status=OrderStatus.PAID,
        paid_at=at(1, 5, 9),
    )
    bought = give(a.other_client.membership, product, starts=at(1, 6), source=AccessSource.PURCHASE)
    bought.order = order
    bought.expires_at = at(12, 31)
    bought.save()
    give(a.other_client.membership, other, starts=at(2, 7))
    complete(a.other_client.membership, other_lessons[0], at(2, 8))

    # Workspace beta: must never show in alpha's reports.
    b = cast.beta
    beta_product, beta_lessons = course_tree(b.workspace, modules=1, lessons=1, name="Beta Course")
    ask(b.client, at(1, 10), answered_by=b.attendant, wait=hour, rating=1)
    rate(b.client, beta_lessons[0], 1, at(1, 10))
    give(b.client.membership, beta_product, starts=at(1, 2))
    return ReportWorld(product, other, lessons, other_lessons)
