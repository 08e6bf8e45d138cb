"""The course reports' figures on a small known data set (reports_world.build)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from ascend.courses import reports
from ascend.courses.models import LearnerAccess

from .reports_world import ask, at, build

pytestmark = pytest.mark.django_db

JAN_TO_MAR = reports.Period(date(2025, 1, 1), date(2025, 3, 1), "UTC")


def test_support_per_month_counts_requests_answers_first_answer_times_and_ratings(cast):
    build(cast)
    report = reports.support_per_month(cast.alpha.workspace, JAN_TO_MAR)
    jan, feb, mar = report.months
    assert (jan.month, jan.requests, jan.answered, jan.rated, jan.average_rating) == (
        date(2025, 1, 1), 3, 2, 2, 4.0,
    )  # fmt: skip
    assert jan.median_seconds == 2 * 3600 and jan.mean_seconds == 2 * 3600
    # February: 30 min, 2 h, 4 h — the median is the middle one, the mean 2 h 10 min.
    assert (feb.requests, feb.answered, feb.rated, feb.average_rating) == (3, 3, 2, 3.0)
    assert feb.median_seconds == 2 * 3600 and feb.mean_seconds == 7800
    assert (mar.requests, mar.median_seconds, mar.average_rating) == (0, None, None)
    assert report.total_requests == 6


def test_support_per_month_for_a_product_counts_only_requests_asked_from_its_lessons(cast):
    world = build(cast)
    report = reports.support_per_month(cast.alpha.workspace, JAN_TO_MAR, world.product.pk)
    assert [m.requests for m in report.months] == [1, 0, 0]
    assert report.months[0].median_seconds == 3600


def test_support_months_are_the_workspace_time_zone_months(cast):
    workspace = cast.alpha.workspace
    workspace.time_zone = "America/Sao_Paulo"
    workspace.save(update_fields=["time_zone"])
    # 1 February 01:00 UTC is still 31 January in São Paulo.
    ask(cast.alpha.client, datetime(2025, 2, 1, 1, tzinfo=UTC))
    period = reports.Period(date(2025, 1, 1), date(2025, 2, 1), workspace.time_zone)
    report = reports.support_per_month(workspace, period)
    assert [m.requests for m in report.months] == [1, 0]


def test_the_median_of_an_even_count_is_the_mean_of_the_two_middle_waits(cast):
    a = cast.alpha
    for minutes in (10, 20, 40, 90):
        ask(a.client, at(3, 1), answered_by=a.attendant, wait=timedelta(minutes=minutes))
    report = reports.support_per_month(a.workspace, JAN_TO_MAR)
    assert report.months[2].median_seconds == 30 * 60
    assert report.months[2].mean_seconds == 40 * 60


def test_ratings_per_attendant_count_answers_the_average_and_each_star(cast):
    build(cast)
    report = reports.ratings_per_attendant(cast.alpha.workspace, JAN_TO_MAR)
    attendant, supervisor = report.rows
    assert attendant.membership_id == cast.alpha.attendant.membership.pk
    assert (attendant.answered, attendant.rated, attendant.average_rating) == (4, 3, 3.67)
    assert attendant.star_list == [(1, 0), (2, 1), (3, 0), (4, 1), (5, 1)]
    assert (supervisor.name, supervisor.answered, supervisor.average_rating) == (
        "Alpha Supervisor", 1, 3.0,
    )  # fmt: skip
    chart = report.chart()
    lines = {d["label"]: d["data"] for d in chart["data"]["datasets"]}
    assert lines == {"Alpha Attendant": [5.0, 3.0, None], "Alpha Supervisor": [3.0, None, None]}


def test_ratings_per_attendant_for_a_product_and_months(cast):
    world = build(cast)
    only_jan = reports.Period(date(2025, 1, 1), date(2025, 1, 1), "UTC")
    report = reports.ratings_per_attendant(cast.alpha.workspace, only_jan, world.product.pk)
    assert [(r.name, r.answered, r.average_rating) for r in report.rows] == [
        ("Alpha Attendant", 1, 5.0)
    ]


def test_lesson_ratings_list_the_worst_rated_lesson_first_with_each_star(cast):
    world = build(cast)
    report = reports.lesson_ratings(cast.alpha.workspace, JAN_TO_MAR)
    assert [(r.lesson_id, r.average, r.count) for r in report.rows] == [
        (world.lessons[1].pk, 1.5, 2),
        (world.lessons[2].pk, 3.0, 1),
        (world.other_lessons[0].pk, 4.0, 1),
        (world.lessons[0].pk, 4.5, 2),
    ]
    worst = report.rows[0]
    assert (worst.product, worst.course, worst.module) == (
        "Strength Academy", "Strength Academy course", "Module 1",
    )  # fmt: skip
    assert worst.star_list == [(1, 1), (2, 1), (3, 0), (4, 0), (5, 0)]
    assert worst.share(1) == 50
    assert report.total_ratings == 6
    lines = {d["label"]: d["data"] for d in report.chart()["data"]["datasets"]}
    assert lines == {"Mobility Basics": [None, 4.0, None], "Strength Academy": [3.0, None, None]}


def test_lesson_ratings_of_one_product(cast):
    world = build(cast)
    report = reports.lesson_ratings(cast.alpha.workspace, JAN_TO_MAR, world.other_product.pk)
    assert [r.lesson_id for r in report.rows] == [world.other_lessons[0].pk]


def _general(cast, **filters):
    rows = reports.general_rows(cast.alpha.workspace, **filters)
    return [
        (a.learner.user.email, a.product.name, a.purchased_at, reports.progress_of(a)) for a in rows
    ]


def test_the_general_report_has_purchase_date_progress_and_dates_per_learner_and_product(cast):
    build(cast)
    assert _general(cast) == [
        ("other.client@alpha.test", "Mobility Basics", at(2, 7), 50),
        # Bought: the paid order's date, not the day access started.
        ("other.client@alpha.test", "Strength Academy", at(1, 5, 9), 0),
        ("client@alpha.test", "Strength Academy", at(1, 2), 50),
    ]
    mine = reports.general_rows(cast.alpha.workspace, search="Alpha Client").get()
    assert (mine.first_accessed_at, mine.last_accessed_at) == (at(1, 3), at(2, 20))
    assert (mine.lessons_completed, mine.lessons_total) == (3, 6)


def test_the_general_report_leaves_out_removed_access(cast):
    world = build(cast)
    LearnerAccess.objects.filter(product=world.other_product).update(removed_at=timezone.now())
    assert [row[1] for row in _general(cast)] == ["Strength Academy", "Strength Academy"]


def test_the_general_report_filters_by_product_search_and_access_since(cast):
    world = build(cast)
    assert [r[0] for r in _general(cast, product_id=world.other_product.pk)] == [
        "other.client@alpha.test"
    ]
    assert [r[0] for r in _general(cast, search="ALPHA OTHER")] == ["other.client@alpha.test"] * 2
    assert _general(cast, search="nobody") == []
    since = _general(cast, accessed_since=at(2, 1))
    assert [r[0] for r in since] == ["client@alpha.test"]


def test_an_order_still_waiting_for_payment_does_not_give_the_purchase_date(cast):
    from ascend.billing.models import Order, OrderStatus

    build(cast)
    Order.objects.filter(workspace=cast.alpha.workspace).update(status=OrderStatus.PENDING)
    bought = reports.general_rows(cast.alpha.workspace, search="other.client").filter(
        product__name="Strength Academy"
    )
    assert bought.get().purchased_at == at(1, 6)


def test_the_general_report_csv_has_a_row_per_learner_and_product(cast):
    build(cast)
    lines = list(reports.general_csv_rows(reports.general_rows(cast.alpha.workspace), "UTC"))
    assert lines[0][:4] == ["Name", "Email", "Product", "Purchase date"]
    assert lines[3] == [
        "Alpha Client", "client@alpha.test", "Strength Academy", "2025-01-02 10:00",
        "2025-01-03 10:00", "2025-02-20 10:00", 3, 6, 50, "",
    ]  # fmt: skip
    assert lines[2][-1] == "2025-12-31 10:00"
    assert len(lines) == 4  # beta's learner is not there
