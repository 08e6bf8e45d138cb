"""The coach portal: My cohorts (/coach/cohorts/), a cohort (/coach/cohorts/<id>/), My clients.

Rules: coaches and head coaches only (other staff and clients get 403,
visitors sign in, another workspace's member gets 404); a coach sees the
cohorts they coach and nothing of other coaches' (404); a head coach also sees
the cohorts and clients of the coaches they lead, marked with whose they are;
the clients page's queries stay flat as clients grow.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ascend.tenancy.roles import Role
from ascend.testing import assert_flat_queries, assert_num_queries, make_person

from .portal_fixtures import check_in_every_day, cohort_for, enrol, program_with

pytestmark = pytest.mark.django_db

NOT_COACHES = ["owner", "admin", "supervisor", "attendant", "auditor", "operator", "client"]


@pytest.fixture
def world(cast):
    """Alpha's coach and other coach each have a cohort; the head coach leads the coach."""
    program = program_with(cast.alpha.workspace, title="Strength reset", habits=2, milestones=2)
    mine = cohort_for(program, cast.alpha.coach, name="November strength", capacity=12)
    theirs = cohort_for(program, cast.alpha.other_coach, name="Other coach's group")
    on_track = enrol(mine, cast.alpha.client, started_days_ago=4)
    check_in_every_day(on_track, 4)
    off_track = enrol(theirs, cast.alpha.other_client, started_days_ago=6)
    return {"mine": mine, "theirs": theirs, "on_track": on_track, "off_track": off_track}


def page(cast, who, path):
    return cast.client_for(getattr(cast.alpha, who)).get(path)


# My cohorts ---------------------------------------------------------------------------------


def test_my_cohorts_lists_the_coachs_cohorts_with_their_facts(cast, world):
    response = page(cast, "coach", "/coach/cohorts/")
    assert response.status_code == 200
    assert [c.name for c in response.context["cohorts"]] == ["November strength"]
    html = response.content.decode()
    for text in ["November strength", "Strength reset", "Rolling", "1 / 12", "Open"]:
        assert text in html
    assert "Other coach" not in html


def test_a_head_coach_also_sees_the_cohorts_of_the_coaches_they_lead_marked_as_theirs(cast, world):
    third_program = program_with(cast.alpha.workspace, title="Sleep")
    cohort_for(third_program, cast.alpha.head_coach, name="Head's own")
    response = page(cast, "head_coach", "/coach/cohorts/")
    names = {c.name for c in response.context["cohorts"]}
    assert names == {"Head's own", "November strength"}  # not the other coach's: not led
    html = response.content.decode()
    assert "Alpha Coach" in html and "Coach you lead" in html and "Yours" in html


def test_without_cohorts_the_page_says_what_happens_next(cast):
    assert "No cohorts yet" in page(cast, "coach", "/coach/cohorts/").content.decode()


# One cohort ---------------------------------------------------------------------------------


def test_the_cohort_page_shows_its_clients_progress_and_off_track_flags(cast, world):
    response = page(cast, "other_coach", f"/coach/cohorts/{world['theirs'].pk}/")
    assert response.status_code == 200
    rows = response.context["active"]
    assert [r.enrollment for r in rows] == [world["off_track"]]
    assert rows[0].progress.off_track and rows[0].off_track_habits == ["Habit 1", "Habit 2"]
    assert response.context["off_track_count"] == 1
    assert "Off track" in response.content.decode()


def test_the_cohort_page_shows_last_activity_and_clients_who_left(cast, world):
    response = page(cast, "coach", f"/coach/cohorts/{world['mine'].pk}/")
    row = response.context["active"][0]
    assert row.last_activity is not None and not row.progress.off_track
    assert "On track" in response.content.decode()
    world["on_track"].ended_at = timezone.now()
    world["on_track"].save()
    response = page(cast, "coach", f"/coach/cohorts/{world['mine'].pk}/")
    assert response.context["active"] == [] and len(response.context["ended"]) == 1


def test_a_coach_gets_404_for_another_coachs_cohort(cast, world):
    assert page(cast, "coach", f"/coach/cohorts/{world['theirs'].pk}/").status_code == 404
    assert page(cast, "other_coach", f"/coach/cohorts/{world['mine'].pk}/").status_code == 404


def test_a_head_coach_opens_a_led_coachs_cohort_but_not_anyone_elses(cast, world):
    assert page(cast, "head_coach", f"/coach/cohorts/{world['mine'].pk}/").status_code == 200
    assert page(cast, "head_coach", f"/coach/cohorts/{world['theirs'].pk}/").status_code == 404


def test_a_missing_cohort_is_the_same_404(cast, world):
    assert page(cast, "coach", "/coach/cohorts/999999/").status_code == 404


# My clients ---------------------------------------------------------------------------------


def test_my_clients_lists_the_clients_of_my_cohorts_only(cast, world):
    response = page(cast, "coach", "/coach/clients/")
    assert [r.enrollment for r in response.context["rows"]] == [world["on_track"]]
    html = response.content.decode()
    assert "Alpha Client" in html and "Alpha Other Client" not in html
    assert 'class="meter"' in html


def test_my_clients_shows_off_track_clients_with_their_habits(cast, world):
    response = page(cast, "other_coach", "/coach/clients/")
    row = response.context["rows"][0]
    assert row.progress.off_track and "Habit 1, Habit 2" in response.content.decode()
    assert row.last_activity is None and "Nothing yet" in response.content.decode()


def test_a_head_coach_sees_the_clients_of_led_coaches_with_whose_they_are(cast, world):
    response = page(cast, "head_coach", "/coach/clients/")
    assert [r.enrollment for r in response.context["rows"]] == [world["on_track"]]
    assert response.context["rows"][0].mine is False
    assert "Coach you lead" in response.content.decode()


def test_clients_who_left_are_not_on_my_clients(cast, world):
    world["on_track"].ended_at = timezone.now()
    world["on_track"].save()
    assert page(cast, "coach", "/coach/clients/").context["rows"] == []
    assert "No clients yet" in page(cast, "coach", "/coach/clients/").content.decode()


def test_my_clients_can_be_searched_by_name_or_email(cast, world):
    client = cast.client_for(cast.alpha.coach)
    assert len(client.get("/coach/clients/", {"q": "client@alpha"}).context["rows"]) == 1
    response = client.get("/coach/clients/", {"q": "nobody"})
    assert response.context["rows"] == [] and "No client matches" in response.content.decode()


# Who may open them --------------------------------------------------------------------------


def paths(world):
    return ["/coach/cohorts/", f"/coach/cohorts/{world['mine'].pk}/", "/coach/clients/"]


@pytest.mark.parametrize("role", NOT_COACHES)
def test_other_roles_get_403(cast, world, role):
    for path in paths(world):
        assert page(cast, role, path).status_code == 403, path


def test_a_visitor_is_sent_to_sign_in(cast, world):
    for path in paths(world):
        response = Client(HTTP_HOST=cast.alpha.host).get(path)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_coach_of_another_workspace_gets_404(cast, world):
    for path in paths(world):
        assert cast.client_for(cast.beta.coach, cast.alpha.workspace).get(path).status_code == 404


def test_a_coach_of_another_workspace_on_their_own_host_gets_404_for_alphas_cohort(cast, world):
    client = cast.client_for(cast.beta.head_coach)
    assert client.get(f"/coach/cohorts/{world['mine'].pk}/").status_code == 404


# Query counts -------------------------------------------------------------------------------


def grow_clients(cast, world, n: int = 12) -> None:
    cohort = world["mine"]
    cohort.capacity = None
    cohort.save()
    for i in range(n):
        person = make_person(cast.alpha.workspace, {Role.CLIENT}, f"grown{i}@alpha.test")
        enrollment = enrol(cohort, person, started_days_ago=i % 7)
        check_in_every_day(enrollment, i % 5)
    ended = enrol(cohort, make_person(cast.alpha.workspace, {Role.CLIENT}, "gone@alpha.test"))
    ended.ended_at = timezone.now() - timedelta(days=1)
    ended.save()


def test_my_clients_takes_a_fixed_number_of_queries(cast, world):
    client = cast.client_for(cast.alpha.head_coach)
    client.get("/coach/clients/")
    # The shell's 5; count, enrolments with last activity, milestones, habits, check-ins,
    # completions.
    with assert_num_queries(11):
        client.get("/coach/clients/")


def test_my_clients_stays_flat_as_clients_grow(cast, world):
    client = cast.client_for(cast.alpha.head_coach)
    assert_flat_queries(lambda: client.get("/coach/clients/"), lambda: grow_clients(cast, world))


def test_the_cohort_page_stays_flat_as_clients_grow(cast, world):
    client = cast.client_for(cast.alpha.coach)
    url = f"/coach/cohorts/{world['mine'].pk}/"
    assert_flat_queries(lambda: client.get(url), lambda: grow_clients(cast, world))


def test_my_cohorts_stays_flat_as_cohorts_grow(cast, world):
    client = cast.client_for(cast.alpha.head_coach)

    def grow() -> None:
        for i in range(5):
            program = program_with(cast.alpha.workspace, title=f"P{i}")
            cohort_for(program, cast.alpha.coach, name=f"C{i}")

    assert_flat_queries(lambda: client.get("/coach/cohorts/"), grow)


def test_my_cohorts_and_the_cohort_page_take_a_fixed_number_of_queries(cast, world):
    client = cast.client_for(cast.alpha.coach)
    client.get("/coach/cohorts/")
    # The shell's 5 and the cohorts with their counts.
    with assert_num_queries(6):
        client.get("/coach/cohorts/")
    url = f"/coach/cohorts/{world['mine'].pk}/"
    client.get(url)
    # The shell's 5; the cohort; enrolments with last activity, milestones, habits,
    # check-ins, completions.
    with assert_num_queries(11):
        client.get(url)
