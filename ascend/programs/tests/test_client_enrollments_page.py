"""The client's programs page at /me/programs/: their enrolments, progress, and history.

Rules: clients only (staff get 403, visitors sign in, another workspace's
member gets 404); a client sees only their own enrolments; ended enrolments
are shown apart as history; "Book an appointment" appears only when the
cohort has appointments on; the page's queries stay flat as habits and
check-ins grow.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ascend.testing import assert_flat_queries, assert_num_queries

from .portal_fixtures import (
    add_habits,
    check_in_every_day,
    cohort_for,
    complete,
    enrol,
    program_with,
)

pytestmark = pytest.mark.django_db

URL = "/me/programs/"
STAFF = ["owner", "admin", "coach", "head_coach", "supervisor", "attendant", "auditor", "operator"]


@pytest.fixture
def world(cast):
    program = program_with(cast.alpha.workspace, title="Strength reset", habits=2, milestones=3)
    cohort = cohort_for(program, cast.alpha.coach)
    enrollment = enrol(cohort, cast.alpha.client)
    return program, cohort, enrollment


def test_the_client_sees_each_program_with_start_date_coach_and_progress(cast, world):
    program, _cohort, enrollment = world
    complete(enrollment, program.milestones.first())
    page = cast.client_for(cast.alpha.client).get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Strength reset" in html
    assert "Coach: Alpha Coach" in html
    assert enrollment.start_date.strftime("%-d %B %Y") in html
    assert 'class="meter"' in html
    assert "<details" in html and "1 of 3 milestones done" in html


def test_milestones_done_and_in_progress_are_listed_in_the_expandable_part(cast, world):
    program, _cohort, enrollment = world
    first = program.milestones.first()
    complete(enrollment, first)
    card = cast.client_for(cast.alpha.client).get(URL).context["active"][0]
    assert [m.state.milestone for m in card.done] == [first]
    assert len(card.in_progress) == 2


def test_ended_enrolments_are_shown_apart_as_history(cast, world):
    _program, _cohort, enrollment = world
    enrollment.ended_at = timezone.now()
    enrollment.save()
    response = cast.client_for(cast.alpha.client).get(URL)
    assert response.context["active"] == []
    assert [c.enrollment for c in response.context["ended"]] == [enrollment]
    assert 'data-testid="history"' in response.content.decode()


def test_book_an_appointment_opens_the_booking_page_when_the_cohort_allows(cast, world):
    _program, cohort, _enrollment = world
    client = cast.client_for(cast.alpha.client)
    assert "Book an appointment" not in client.get(URL).content.decode()
    cohort.appointments_enabled, cohort.booking_url = True, "https://cal.example.com/alpha"
    cohort.save()
    html = client.get(URL).content.decode()
    assert 'href="https://cal.example.com/alpha" target="_blank" rel="noopener"' in html
    assert "Book an appointment" in html


def test_a_client_sees_only_their_own_enrolments(cast, world):
    _program, cohort, _enrollment = world
    other_program = program_with(cast.alpha.workspace, title="Sleep better")
    enrol(cohort_for(other_program, cast.alpha.coach), cast.alpha.other_client)
    html = cast.client_for(cast.alpha.other_client).get(URL).content.decode()
    assert "Sleep better" in html and "Strength reset" not in html


def test_without_enrolments_the_page_says_what_happens_next(cast):
    html = cast.client_for(cast.alpha.client).get(URL).content.decode()
    assert "not in a program yet" in html


@pytest.mark.parametrize("role", STAFF)
def test_staff_get_403(cast, role):
    assert cast.client_for(getattr(cast.alpha, role)).get(URL).status_code == 403


def test_a_visitor_is_sent_to_sign_in(cast):
    response = Client(HTTP_HOST=cast.alpha.host).get(URL)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_client_of_another_workspace_gets_404(cast, world):
    assert cast.client_for(cast.beta.client, cast.alpha.workspace).get(URL).status_code == 404


def test_the_page_takes_a_fixed_number_of_queries(cast, world):
    client = cast.client_for(cast.alpha.client)
    client.get(URL)
    # The shell's 5 (workspace, session, user, membership, the person's workspaces) and
    # the page's 5: enrolments, milestones, habits, check-ins, completions.
    with assert_num_queries(10):
        client.get(URL)


def test_queries_stay_flat_as_habits_check_ins_and_programs_grow(cast, world):
    program, _cohort, enrollment = world
    client = cast.client_for(cast.alpha.client)

    def grow() -> None:
        add_habits(program, 90, start=10)
        check_in_every_day(enrollment, 10)
        more = program_with(cast.alpha.workspace, title="More", habits=20)
        more_enrollment = enrol(cohort_for(more, cast.alpha.coach), cast.alpha.client)
        check_in_every_day(more_enrollment, 5)
        past = program_with(cast.alpha.workspace, title="Past", habits=5)
        old = enrol(cohort_for(past, cast.alpha.other_coach), cast.alpha.client)
        old.ended_at = timezone.now() - timedelta(days=1)
        old.save()

    client.get(URL)
    assert_flat_queries(lambda: client.get(URL), grow)
