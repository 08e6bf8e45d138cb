"""/api/v1/cohorts: list (by program, by coach), detail, create, change.

Rules: owners and admins see and change every cohort; a coach reads the
cohorts they teach, a head coach also those of the coaches they lead; other
roles get 403; a cohort they can't see, or of another workspace, is a 404.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ascend.api.tests.helpers import ROLES, assert_error, send
from ascend.programs.models import Cohort
from ascend.testing import assert_flat_queries, assert_num_queries

from .api_world import make_cohort, make_enrollment, make_program, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return make_world(cast)


def ids(response) -> set[int]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return {c["id"] for c in response.json()}


@pytest.mark.parametrize("role", ROLES)
def test_who_lists_which_cohorts(cast, world, role):
    response = cast.client_for(getattr(cast.alpha, role)).get("/api/v1/cohorts")
    both = {world.alpha.cohort.id, world.alpha.other_cohort.id}
    if role in {"owner", "admin"}:
        assert ids(response) == both
    elif role == "coach":
        assert ids(response) == {world.alpha.cohort.id}
    elif role == "head_coach":
        # Leads the coach, not the other coach; teaches nothing themselves.
        assert ids(response) == {world.alpha.cohort.id}
    else:
        assert_error(response, 403, "forbidden")


def test_the_other_coach_sees_only_their_own(cast, world):
    response = cast.client_for(cast.alpha.other_coach).get("/api/v1/cohorts")
    assert ids(response) == {world.alpha.other_cohort.id}


def test_filtering_by_program_and_coach(cast, world):
    other_program = make_program(cast.alpha.workspace, title="Yoga")
    yoga = make_cohort(other_program, cast.alpha.coach.membership)
    client = cast.client_for(cast.alpha.admin)
    assert ids(client.get(f"/api/v1/cohorts?program={other_program.id}")) == {yoga.id}
    coach = cast.alpha.coach.membership.id
    assert ids(client.get(f"/api/v1/cohorts?coach={coach}")) == {world.alpha.cohort.id, yoga.id}
    assert ids(client.get(f"/api/v1/cohorts?coach={coach}&program={world.alpha.program.id}")) == {
        world.alpha.cohort.id
    }


def test_a_cohort_shows_its_coach_program_and_places_taken(cast, world):
    data = cast.client_for(cast.alpha.coach).get(f"/api/v1/cohorts/{world.alpha.cohort.id}").json()
    assert data["coach"]["email"] == cast.alpha.coach.email
    assert data["program"] == {"id": world.alpha.program.id, "title": "Strength reset"}
    assert data["active_enrollments"] == 1
    assert data["kind"] == "rolling" and data["start_date"] is None


def test_cohorts_a_coach_doesnt_see_and_other_workspaces_are_404(cast, world):
    coach = cast.client_for(cast.alpha.coach)
    assert_error(coach.get(f"/api/v1/cohorts/{world.alpha.other_cohort.id}"), 404, "not_found")
    owner = cast.client_for(cast.alpha.owner)
    assert_error(owner.get(f"/api/v1/cohorts/{world.beta.cohort.id}"), 404, "not_found")
    response = send(owner, "patch", f"/api/v1/cohorts/{world.beta.cohort.id}", {"name": "X"})
    assert_error(response, 404, "not_found")
    assert Cohort.objects.get(pk=world.beta.cohort.id).name == "beta spring"


def fixed_body(world, cast, **extra) -> dict:  # type: ignore[no-untyped-def]
    return {
        "program": world.alpha.program.id,
        "coach": cast.alpha.coach.membership.id,
        "name": "June group",
        "kind": "fixed",
        "start_date": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "capacity": 12,
        **extra,
    }


@pytest.mark.parametrize("role", ROLES)
def test_only_managers_create_cohorts_even_in_a_locked_program(cast, world, role):
    client = cast.client_for(getattr(cast.alpha, role))
    response = send(client, "post", "/api/v1/cohorts", fixed_body(world, cast))
    if role in {"owner", "admin"}:
        assert response.status_code == 201, response.content
        data = response.json()
        assert (data["kind"], data["capacity"], data["active_enrollments"]) == ("fixed", 12, 0)
    else:
        assert_error(response, 403, "forbidden")
        assert not Cohort.objects.filter(name="June group").exists()


@pytest.mark.parametrize(
    ("extra", "field", "code"),
    [
        ({"start_date": "2020-01-01"}, "start_date", "start_date_past"),
        ({"start_date": None}, "start_date", "start_date_required"),
        ({"appointments_enabled": True}, "booking_url", "booking_url_required"),
        ({"capacity": 0}, "capacity", "min_value"),
        ({"booking_url": "not a url"}, "booking_url", "invalid"),
    ],
)
def test_bad_cohorts_are_refused_at_the_field(cast, world, extra, field, code):
    client = cast.client_for(cast.alpha.owner)
    response = send(client, "post", "/api/v1/cohorts", fixed_body(world, cast, **extra))
    assert field in assert_error(response, 422, code)
    assert not Cohort.objects.filter(name="June group").exists()


@pytest.mark.parametrize("who", ["client", "admin", "supervisor"])
def test_the_coach_must_be_a_coach_of_this_workspace(cast, world, who):
    client = cast.client_for(cast.alpha.owner)
    body = fixed_body(world, cast, coach=getattr(cast.alpha, who).membership.id)
    assert "coach" in assert_error(
        send(client, "post", "/api/v1/cohorts", body), 422, "not_a_coach"
    )
    body = fixed_body(world, cast, coach=cast.beta.coach.membership.id)
    assert "coach" in assert_error(
        send(client, "post", "/api/v1/cohorts", body), 422, "not_a_coach"
    )


def test_a_program_of_another_workspace_is_refused_at_the_field(cast, world):
    client = cast.client_for(cast.alpha.owner)
    body = fixed_body(world, cast, program=world.beta.program.id)
    assert "program" in assert_error(
        send(client, "post", "/api/v1/cohorts", body), 422, "not_found"
    )


def test_changing_a_cohort(cast, world):
    client = cast.client_for(cast.alpha.admin)
    url = f"/api/v1/cohorts/{world.alpha.cohort.id}"
    data = send(
        client,
        "patch",
        url,
        {"coach": cast.alpha.other_coach.membership.id, "is_open": False, "capacity": 5},
    ).json()
    assert data["coach"]["id"] == cast.alpha.other_coach.membership.id
    assert (data["is_open"], data["capacity"]) == (False, 5)
    assert send(client, "patch", url, {"capacity": None}).json()["capacity"] is None


def test_capacity_below_the_clients_enrolled_is_refused(cast, world):
    # The other client moves to the coach's cohort: two clients enrolled there.
    world.alpha.other_enrollment.ended_at = timezone.now()
    world.alpha.other_enrollment.save()
    make_enrollment(world.alpha.cohort, cast.alpha.other_client.membership)
    client = cast.client_for(cast.alpha.admin)
    response = send(client, "patch", f"/api/v1/cohorts/{world.alpha.cohort.id}", {"capacity": 1})
    fields = assert_error(response, 422, "capacity_below_enrolled")
    assert "2 clients" in fields["capacity"][0]
    assert Cohort.objects.get(pk=world.alpha.cohort.id).capacity is None


def test_a_coach_cannot_change_their_cohort(cast, world):
    response = send(
        cast.client_for(cast.alpha.coach),
        "patch",
        f"/api/v1/cohorts/{world.alpha.cohort.id}",
        {"name": "Mine"},
    )
    assert_error(response, 403, "forbidden")


def test_listing_cohorts_takes_as_many_queries_for_many_as_for_few(cast, world):
    for person in (cast.alpha.owner, cast.alpha.head_coach):
        client = cast.client_for(person)

        def grow() -> None:
            for n in range(4):
                program = make_program(cast.alpha.workspace, title=f"P{n}")
                cohort = make_cohort(program, cast.alpha.coach.membership)
                make_enrollment(cohort, cast.alpha.client.membership)

        assert_flat_queries(lambda: client.get("/api/v1/cohorts"), grow)  # noqa: B023


def test_listing_cohorts_takes_five_queries(cast, world):
    client = cast.client_for(cast.alpha.owner)
    # Workspace, session, user, membership; cohorts with program, coach and counts.
    with assert_num_queries(5):
        client.get("/api/v1/cohorts")
