"""The course report pages: who may open them, filters, charts, CSV and pinned query counts."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.urls import reverse

from ascend.accounts.models import User
from ascend.courses.models import AccessSource, LearnerAccess, LessonProgress
from ascend.tenancy.models import Membership
from ascend.testing import assert_flat_queries, assert_num_queries

from .reports_world import build

pytestmark = pytest.mark.django_db

REPORTS = ["index", "support", "attendants", "lessons", "general"]
MONTHS = "?since=2025-01&until=2025-03"


def url(name: str, query: str = "") -> str:
    return reverse(f"course_reports:{name}") + query


def csv_lines(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.parametrize("role", ["owner", "admin", "supervisor", "attendant"])
def test_staff_with_course_reports_open_every_report(cast, role, name):
    build(cast)
    response = cast.client_for(getattr(cast.alpha, role)).get(url(name))
    assert response.status_code == 200


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.parametrize("role", ["coach", "head_coach", "auditor", "operator", "client"])
def test_roles_without_course_reports_are_refused(cast, role, name):
    response = cast.client_for(getattr(cast.alpha, role)).get(url(name))
    assert response.status_code == 403


@pytest.mark.parametrize("name", REPORTS)
def test_a_member_of_another_workspace_gets_not_found(cast, name):
    browser = cast.client_for(cast.beta.owner, workspace=cast.alpha.workspace)
    assert browser.get(url(name)).status_code == 404
    assert browser.get(url(name, "?format=csv")).status_code == 404


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(cast):
    response = cast.client_for(None).get(url("general"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_support_page_shows_each_month_and_a_chart_without_inline_script(cast):
    build(cast)
    response = cast.client_for(cast.alpha.attendant).get(url("support", MONTHS))
    page = response.content.decode()
    assert 'data-testid="total-requests">6<' in page
    assert "2 h" in page and "2 h 10 min" in page
    chart = json.loads(
        re.search(r'id="support-chart" type="application/json">(.*?)</script>', page).group(1)
    )
    assert chart["data"]["datasets"][0]["data"] == [3, 3, 0]
    # Only external scripts and the chart's JSON: the strict policy needs no inline script.
    for tag in re.findall(r"<script[^>]*>", page):
        assert "src=" in tag or 'type="application/json"' in tag
    assert 'value="2025-01"' in page and 'value="2025-03"' in page


def test_the_support_csv_has_a_line_per_month(cast):
    build(cast)
    lines = csv_lines(
        cast.client_for(cast.alpha.supervisor).get(url("support", MONTHS + "&format=csv"))
    )
    assert lines == [
        ["Month", "Requests", "Answered", "Median first answer (min)", "Mean first answer (min)",
         "Ratings", "Average rating"],
        ["2025-01", "3", "2", "120.0", "120.0", "2", "4.0"],
        ["2025-02", "3", "3", "120.0", "130.0", "2", "3.0"],
        ["2025-03", "0", "0", "", "", "0", ""],
    ]  # fmt: skip


def test_the_support_page_filtered_by_product(cast):
    world = build(cast)
    query = f"{MONTHS}&product={world.product.pk}&format=csv"
    lines = csv_lines(cast.client_for(cast.alpha.attendant).get(url("support", query)))
    assert [line[1] for line in lines[1:]] == ["1", "0", "0"]


def test_a_product_of_another_workspace_or_months_backwards_are_told_next_to_the_field(cast):
    build(cast)
    beta_product = cast.beta.workspace.product_set.get()
    browser = cast.client_for(cast.alpha.attendant)
    page = browser.get(url("lessons", f"?product={beta_product.pk}")).content.decode()
    assert "Select a valid choice" in page
    page = browser.get(url("support", "?since=2025-03&until=2025-01")).content.decode()
    assert "The last month is before the first." in page


def test_the_attendant_csv_counts_each_star(cast):
    build(cast)
    lines = csv_lines(
        cast.client_for(cast.alpha.attendant).get(url("attendants", MONTHS + "&format=csv"))
    )
    assert lines[0][:5] == [
        "Staff member",
        "Email",
        "Requests answered",
        "Ratings",
        "Average rating",
    ]
    assert lines[1] == [
        "Alpha Attendant",
        "attendant@alpha.test",
        "4",
        "3",
        "3.67",
        "0",
        "1",
        "0",
        "1",
        "1",
    ]
    assert lines[2][0] == "Alpha Supervisor" and len(lines) == 3


def test_the_lesson_ratings_page_lists_the_worst_lesson_first(cast):
    build(cast)
    browser = cast.client_for(cast.alpha.attendant)
    page = browser.get(url("lessons", MONTHS)).content.decode()
    assert page.index("Lesson 1.2") < page.index("Lesson 1.3") < page.index("4.5")
    lines = csv_lines(browser.get(url("lessons", MONTHS + "&format=csv")))
    assert lines[1] == ["Strength Academy", "Strength Academy course", "Module 1", "Lesson 1.2",
                        "2", "1.5", "1", "1", "0", "0", "0"]  # fmt: skip
    assert len(lines) == 5


def test_the_general_page_filters_and_its_csv_follows_the_filters(cast):
    world = build(cast)
    browser = cast.client_for(cast.alpha.supervisor)
    page = browser.get(url("general")).content.decode()
    assert "3 learner accesses" in page and "client@alpha.test" in page and "50%" in page
    page = browser.get(url("general", "?q=nobody")).content.decode()
    assert "No learner matches" in page
    lines = csv_lines(browser.get(url("general", f"?product={world.other_product.pk}&format=csv")))
    assert [line[2] for line in lines[1:]] == ["Mobility Basics"]
    lines = csv_lines(browser.get(url("general", "?accessed_since=2025-02-01&format=csv")))
    assert [line[1] for line in lines[1:]] == ["client@alpha.test"]


def test_the_general_page_without_learners_says_what_to_do(cast):
    page = cast.client_for(cast.alpha.owner).get(url("general")).content.decode()
    assert "No learners yet" in page


# Query counts -------------------------------------------------------------------------

GENERAL_PAGE = 9
GENERAL_CSV = 6
SUPPORT_PAGE = 8
ATTENDANTS_PAGE = 8
LESSONS_PAGE = 8


def more_learners(cast, world, count: int):
    """``count`` more learners of the product, each with a completed lesson."""

    def grow():
        ws = cast.alpha.workspace
        start = Membership.objects.count()
        users = User.objects.bulk_create(
            User(email=f"learner{start + n}@alpha.test", full_name=f"Learner {n}", password="!")
            for n in range(count)
        )
        members = Membership.objects.bulk_create(
            Membership(workspace=ws, user=u, is_client=True) for u in users
        )
        LearnerAccess.objects.bulk_create(
            LearnerAccess(
                workspace=ws, learner=m, product=world.product, source=AccessSource.MANUAL
            )
            for m in members
        )
        LessonProgress.objects.bulk_create(
            LessonProgress(workspace=ws, learner=m, lesson=world.lessons[0]) for m in members
        )

    return grow


def test_the_general_page_and_csv_read_a_pinned_number_of_queries_from_5_to_50_learners(cast):
    world = build(cast)
    more_learners(cast, world, 2)()  # 5 learner accesses
    browser = cast.client_for(cast.alpha.supervisor)
    page = lambda: browser.get(url("general"))  # noqa: E731
    download = lambda: b"".join(browser.get(url("general", "?format=csv")).streaming_content)  # noqa: E731
    page()
    with assert_num_queries(GENERAL_PAGE):
        page()
    with assert_num_queries(GENERAL_CSV):
        download()
    assert assert_flat_queries(page, more_learners(cast, world, 45)) == GENERAL_PAGE
    assert assert_flat_queries(download, more_learners(cast, world, 10)) == GENERAL_CSV
    assert len(download().decode().strip().splitlines()) == 1 + 60


@pytest.mark.parametrize(
    ("name", "expected"),
    [("support", SUPPORT_PAGE), ("attendants", ATTENDANTS_PAGE), ("lessons", LESSONS_PAGE)],
)
def test_the_month_reports_read_a_pinned_number_of_queries_flat_as_rows_grow(cast, name, expected):
    from .reports_world import ask, at, rate

    world = build(cast)
    browser = cast.client_for(cast.alpha.attendant)
    page = lambda: browser.get(url(name, MONTHS))  # noqa: E731
    page()
    with assert_num_queries(expected):
        page()

    def grow():
        a = cast.alpha
        for n, lesson in enumerate(world.lessons[3:]):
            rate(a.client, lesson, 1 + n % 5, at(2, 10 + n))
            ask(a.client, at(3, 1 + n), answered_by=a.admin, rating=1 + n % 5, lesson=lesson)
            ask(a.other_client, at(3, 2 + n), answered_by=a.owner, rating=5, lesson=lesson)

    assert assert_flat_queries(page, grow) == expected
