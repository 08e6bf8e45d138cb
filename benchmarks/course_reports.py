"""Benchmarks of the course reports: the general report page and its CSV as learners grow.

Each learner holds the product (a course of 3 modules × 4 lessons) with progress between
none and all of it; one in ten bought it through a paid order. The page reads one page of
50 rows; the CSV streams every row.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from benchmarks.scenarios import Scenario, _ok, _signed_in, _workspace

BATCH = 2000
_learners = itertools.count()


def _learners_with_progress(count: int):  # type: ignore[no-untyped-def]
    from ascend.accounts.models import User
    from ascend.billing.models import Order, OrderKind, OrderStatus
    from ascend.courses.models import AccessSource, LearnerAccess, LessonProgress
    from ascend.courses.tests.course_world import course_tree
    from ascend.tenancy.models import Membership
    from ascend.tenancy.roles import Role
    from ascend.testing import make_person

    workspace = _workspace()
    supervisor = make_person(workspace, {Role.SUPERVISOR}, f"supervisor@{workspace.slug}.test")
    product, lessons = course_tree(workspace, modules=3, lessons=4)
    now = timezone.now()
    batch = next(_learners)
    host = f"{workspace.slug}.test"
    users = User.objects.bulk_create(
        (
            User(email=f"l{batch}-{n}@{host}", full_name=f"Learner {n}", password="!")
            for n in range(count)
        ),
        batch_size=BATCH,
    )
    members = Membership.objects.bulk_create(
        (Membership(workspace=workspace, user=u, is_client=True) for u in users), batch_size=BATCH
    )
    orders = Order.objects.bulk_create(
        (
            Order(
                workspace=workspace,
                kind=OrderKind.COURSE,
                product=product,
                buyer_name=f"Learner {n}",
                buyer_email=f"l{batch}-{n}@{workspace.slug}.test",
                client=m,
                amount=Decimal("49.00"),
                currency="USD",
                provider="manual",
                status=OrderStatus.PAID,
                paid_at=now - timedelta(days=n % 300),
            )
            for n, m in enumerate(members)
            if n % 10 == 0
        ),
        batch_size=BATCH,
    )
    order_of = {o.client_id: o for o in orders}
    LearnerAccess.objects.bulk_create(
        (
            LearnerAccess(
                workspace=workspace,
                learner=m,
                product=product,
                source=AccessSource.PURCHASE if m.pk in order_of else AccessSource.MANUAL,
                order=order_of.get(m.pk),
                starts_at=now - timedelta(days=n % 300),
                first_accessed_at=now - timedelta(days=n % 300),
                last_accessed_at=now - timedelta(days=n % 30),
            )
            for n, m in enumerate(members)
        ),
        batch_size=BATCH,
    )
    LessonProgress.objects.bulk_create(
        (
            LessonProgress(workspace=workspace, learner=m, lesson=lesson, completed_at=now)
            for n, m in enumerate(members)
            for lesson in lessons[: n % (len(lessons) + 1)]
        ),
        batch_size=BATCH,
    )
    return supervisor


def general_report_page(learners: int) -> Callable[[], object]:
    browser = _signed_in(_learners_with_progress(learners))
    url = reverse("course_reports:general")
    return lambda: _ok(browser.get(url))


def general_report_csv(learners: int) -> Callable[[], object]:
    browser = _signed_in(_learners_with_progress(learners))
    url = reverse("course_reports:general") + "?format=csv"

    def download() -> int:
        body = b"".join(_ok(browser.get(url)).streaming_content)
        lines = body.count(b"\n")
        if lines != learners + 1:
            raise SystemExit(f"the CSV has {lines} lines, {learners + 1} expected")
        return lines

    return download


ALL = [
    Scenario(
        "Course general report page (50 rows of the learners)",
        "learners",
        [1000, 10000],
        general_report_page,
    ),
    Scenario(
        "Course general report CSV (every row)", "learners", [1000, 10000], general_report_csv
    ),
]
