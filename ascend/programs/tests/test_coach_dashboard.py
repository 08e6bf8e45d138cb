"""The coach dashboard at /coach/ shows the coach's cohorts and which clients are off track.

Rules: a coach's own cohorts (a head coach's led coaches' too); nothing of
other coaches'; queries stay flat as clients grow.
"""

from __future__ import annotations

import pytest

from ascend.tenancy.roles import Role
from ascend.testing import assert_flat_queries, assert_num_queries, make_person

from .portal_fixtures import check_in_every_day, cohort_for, enrol, program_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    program = program_with(cast.alpha.workspace, title="Strength reset", habits=2)
    mine = cohort_for(program, cast.alpha.coach, name="November strength")
    theirs = cohort_for(program, cast.alpha.other_coach, name="Other group")
    enrol(mine, cast.alpha.client, started_days_ago=6)  # no check-ins: off track
    enrol(theirs, cast.alpha.other_client, started_days_ago=6)
    return mine, theirs


def test_the_dashboard_lists_my_cohorts_and_my_off_track_clients(cast, world):
    response = cast.client_for(cast.alpha.coach).get("/coach/")
    html = response.content.decode()
    assert "November strength" in html and "Other group" not in html
    assert [r.enrollment.client for r in response.context["off_track_rows"]] == [
        cast.alpha.client.membership
    ]
    assert "Alpha Other Client" not in html


def test_a_head_coach_sees_the_led_coaches_cohorts_on_the_dashboard(cast, world):
    html = cast.client_for(cast.alpha.head_coach).get("/coach/").content.decode()
    assert "November strength" in html and "Alpha Coach" in html


def test_a_coach_with_clients_on_track_reads_so(cast, world):
    mine, _theirs = world
    check_in_every_day(mine.enrollments.get(), 6)
    html = cast.client_for(cast.alpha.coach).get("/coach/").content.decode()
    assert "Your 1 client is on track." in html


def test_a_coach_without_cohorts_is_told_what_happens_next(cast):
    html = cast.client_for(cast.alpha.coach).get("/coach/").content.decode()
    assert "No cohorts yet" in html and "No clients yet" in html


def test_the_dashboard_stays_flat_as_clients_grow(cast, world):
    mine, _theirs = world
    client = cast.client_for(cast.alpha.head_coach)

    def grow() -> None:
        for i in range(10):
            person = make_person(cast.alpha.workspace, {Role.CLIENT}, f"grown{i}@alpha.test")
            check_in_every_day(enrol(mine, person, started_days_ago=5), i % 4)

    assert_flat_queries(lambda: client.get("/coach/"), grow)


def test_the_dashboard_takes_a_fixed_number_of_queries(cast, world):
    client = cast.client_for(cast.alpha.coach)
    client.get("/coach/")
    # The shell's 5; the head coach and their name; cohorts; enrolments, milestones,
    # habits, check-ins, completions; recent events.
    with assert_num_queries(14):
        client.get("/coach/")
