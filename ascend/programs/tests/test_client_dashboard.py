"""The client dashboard at /me/ shows each active program with its progress and next milestone.

Rules: only the client's own active enrolments; the dashboard's queries are
pinned and stay flat from 10 to 100 habits and as check-ins grow.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from ascend.programs.models import CheckIn
from ascend.testing import assert_flat_queries, assert_num_queries

from .portal_fixtures import add_habits, check_in_every_day, cohort_for, enrol, program_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrollment(cast):
    program = program_with(cast.alpha.workspace, title="Strength reset", habits=10, milestones=3)
    return enrol(cohort_for(program, cast.alpha.coach), cast.alpha.client, started_days_ago=2)


def test_the_dashboard_shows_each_program_with_progress_and_the_next_milestone(cast, enrollment):
    html = cast.client_for(cast.alpha.client).get("/me/").content.decode()
    assert "Strength reset" in html and f"/me/programs/{enrollment.pk}/" in html
    assert 'class="meter"' in html
    assert "Next milestone: Milestone 1, due tomorrow" in html


def test_ended_programs_and_other_clients_programs_are_not_on_the_dashboard(cast, enrollment):
    assert (
        "Strength reset"
        not in cast.client_for(cast.alpha.other_client).get("/me/").content.decode()
    )
    enrollment.ended_at = timezone.now()
    enrollment.save()
    html = cast.client_for(cast.alpha.client).get("/me/").content.decode()
    assert "Strength reset" not in html and "not in a program yet" in html


def test_the_dashboard_takes_a_fixed_number_of_queries(cast, enrollment):
    client = cast.client_for(cast.alpha.client)
    client.get("/me/")
    # The shell's 5; enrolments, milestones, habits, check-ins, completions; packages;
    # recent events; and the crm cards: the onboarding check, the coach with their
    # greeting, the client's tasks, the notes shared with them.
    with assert_num_queries(16):
        client.get("/me/")


def test_the_dashboard_stays_flat_from_10_to_100_habits_and_more_check_ins(cast, enrollment):
    client = cast.client_for(cast.alpha.client)
    check_in_every_day(enrollment, 1)

    def grow() -> None:
        add_habits(enrollment.program, 90, start=10)
        CheckIn.objects.filter(enrollment=enrollment).delete()
        check_in_every_day(enrollment, 3)
        more = program_with(cast.alpha.workspace, title="Sleep", habits=30)
        check_in_every_day(enrol(cohort_for(more, cast.alpha.coach), cast.alpha.client), 5)

    assert assert_flat_queries(lambda: client.get("/me/"), grow) == 16
