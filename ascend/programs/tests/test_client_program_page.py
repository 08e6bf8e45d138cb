"""The client's program page at /me/programs/<enrolment>/ (route "programs:client_program").

Rules: only the client enrolled sees it — another client of the workspace,
staff of another workspace and a client of another workspace get 404, staff of
the workspace get 403 (not a client page); milestones show their due date as
people say it; the habit grid shows two weeks around today with a way to see
earlier weeks, future days shown but not tickable; an ended enrolment is read
only; queries stay flat as habits and check-ins grow (10 → 100 habits).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ascend.programs.models import CheckIn, Milestone
from ascend.programs.views_client import due_phrase
from ascend.testing import assert_flat_queries, assert_num_queries

from .portal_fixtures import (
    add_habits,
    check_in_every_day,
    cohort_for,
    complete,
    enrol,
    program_with,
    today,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrollment(cast):
    program = program_with(cast.alpha.workspace, title="Strength reset", habits=1, milestones=0)
    for title, days in [("Late one", 7), ("Today's", 10), ("Tomorrow's", 11), ("Later", 13)]:
        Milestone.objects.create(
            workspace=program.workspace, program=program, title=title, due_after_days=days
        )
    return enrol(cohort_for(program, cast.alpha.coach), cast.alpha.client, started_days_ago=10)


def url(enrollment) -> str:
    return reverse("programs:client_program", args=[enrollment.pk])


def test_the_route_name_the_emails_link_to_exists(enrollment):
    assert url(enrollment) == f"/me/programs/{enrollment.pk}/"


def test_milestones_show_due_dates_as_people_say_them(cast, enrollment):
    html = cast.client_for(cast.alpha.client).get(url(enrollment)).content.decode()
    for phrase in ["3 days late", "due today", "due tomorrow", "due in 3 days"]:
        assert phrase in html


def test_due_phrases_read_like_speech():
    day = today()
    assert due_phrase(day, day) == "due today"
    assert due_phrase(day + timedelta(days=1), day) == "due tomorrow"
    assert due_phrase(day + timedelta(days=3), day) == "due in 3 days"
    assert due_phrase(day - timedelta(days=1), day) == "1 day late"
    assert due_phrase(day - timedelta(days=3), day) == "3 days late"


def test_a_done_milestone_is_ticked_and_not_late(cast, enrollment):
    complete(enrollment, Milestone.objects.get(title="Late one"))
    response = cast.client_for(cast.alpha.client).get(url(enrollment))
    row = response.context["milestones"][0]
    assert row.state.completed and not row.late
    assert "3 days late" not in response.content.decode()


def test_the_habit_grid_shows_last_week_and_this_week_with_future_days_disabled(cast, enrollment):
    response = cast.client_for(cast.alpha.client).get(url(enrollment))
    row = response.context["habits"][0]
    days = [c.day for c in row.cells]
    assert today() in days and len(days) <= 14
    for cell in row.cells:
        assert cell.tickable == (cell.day <= today())
    html = response.content.decode()
    assert "disabled" in html and 'aria-label="Habit 1 on' in html


def test_earlier_weeks_are_reached_with_the_week_parameter(cast):
    program = program_with(cast.alpha.workspace, days=365, habits=1, milestones=0)
    cohort = cohort_for(program, cast.alpha.coach)
    enrollment = enrol(cohort, cast.alpha.client, started_days_ago=100)
    client = cast.client_for(cast.alpha.client)
    window = client.get(url(enrollment)).context["window"]
    assert len(window.days) == 14 and window.earlier is not None
    earlier = client.get(url(enrollment), {"week": window.earlier.isoformat()})
    assert earlier.status_code == 200
    assert max(earlier.context["window"].days) < min(window.days)
    # Weeks outside the program and nonsense are kept within it.
    first = client.get(url(enrollment), {"week": "1999-01-01"}).context["window"]
    assert first.days[0] == enrollment.start_date and first.earlier is None
    assert client.get(url(enrollment), {"week": "soon"}).context["window"].is_default


def test_an_off_track_habit_has_a_badge(cast, enrollment):
    html = cast.client_for(cast.alpha.client).get(url(enrollment)).content.decode()
    assert 'data-testid="off-track"' in html  # ten days and not one check-in
    check_in_every_day(enrollment, 10)
    html = cast.client_for(cast.alpha.client).get(url(enrollment)).content.decode()
    assert 'data-testid="off-track"' not in html


def test_book_an_appointment_sits_beside_the_coach_when_the_cohort_allows(cast, enrollment):
    cohort = enrollment.cohort
    cohort.appointments_enabled, cohort.booking_url = True, "https://cal.example.com/alpha"
    cohort.save()
    html = cast.client_for(cast.alpha.client).get(url(enrollment)).content.decode()
    assert 'href="https://cal.example.com/alpha" target="_blank" rel="noopener"' in html


def test_an_ended_enrolment_is_shown_read_only(cast, enrollment):
    enrollment.ended_at = timezone.now()
    enrollment.save()
    response = cast.client_for(cast.alpha.client).get(url(enrollment))
    assert response.status_code == 200
    assert "This enrolment ended" in response.content.decode()
    assert not any(c.tickable for c in response.context["habits"][0].cells)
    assert not any(m.editable for m in response.context["milestones"])
    assert "days late" not in response.content.decode()  # nothing is late once it's over


def test_another_client_of_the_workspace_gets_404(cast, enrollment):
    assert cast.client_for(cast.alpha.other_client).get(url(enrollment)).status_code == 404


@pytest.mark.parametrize("role", ["owner", "admin", "coach", "supervisor"])
def test_staff_of_the_workspace_get_403(cast, enrollment, role):
    assert cast.client_for(getattr(cast.alpha, role)).get(url(enrollment)).status_code == 403


def test_a_member_of_another_workspace_gets_404(cast, enrollment):
    client = cast.client_for(cast.beta.client, cast.alpha.workspace)
    assert client.get(url(enrollment)).status_code == 404


def test_a_client_of_another_workspace_on_their_own_host_gets_404(cast, enrollment):
    assert cast.client_for(cast.beta.client).get(url(enrollment)).status_code == 404


def test_a_missing_enrolment_is_the_same_404(cast, enrollment):
    client = cast.client_for(cast.alpha.client)
    assert client.get(f"/me/programs/{enrollment.pk + 1000}/").status_code == 404


def test_a_visitor_is_sent_to_sign_in(cast, enrollment):
    response = Client(HTTP_HOST=cast.alpha.host).get(url(enrollment))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_the_page_takes_a_fixed_number_of_queries(cast, enrollment):
    client = cast.client_for(cast.alpha.client)
    client.get(url(enrollment))
    # The shell's 5 and the page's 5: enrolment, milestones, habits, check-ins, completions.
    with assert_num_queries(10):
        client.get(url(enrollment))


def test_queries_stay_flat_from_10_to_100_habits_and_their_check_ins(cast, enrollment):
    add_habits(enrollment.program, 9, start=1)
    client = cast.client_for(cast.alpha.client)
    check_in_every_day(enrollment, 5)

    def grow() -> None:
        add_habits(enrollment.program, 90, start=10)
        CheckIn.objects.filter(enrollment=enrollment).delete()
        check_in_every_day(enrollment, 10)

    assert assert_flat_queries(lambda: client.get(url(enrollment)), grow) == 10
