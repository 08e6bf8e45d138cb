"""/api/v1/enrollments: list with progress, detail, enrol, unenrol.

Rules: owners and admins see every enrolment and enrol or unenrol clients; a
coach sees the enrolments of their cohorts (a head coach also their coaches');
a client sees their own; other roles get 403; anything else is a 404. Enrolling
keeps every rule of ``do_enroll`` and answers its refusals as 422 at the field.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ascend.activity.models import Event
from ascend.api.tests.helpers import ROLES, assert_error, send
from ascend.notifications.models import OutboundEmail
from ascend.programs.models import CheckIn, Enrollment
from ascend.tenancy.roles import Role
from ascend.testing import assert_flat_queries, assert_num_queries, make_person

from .api_world import make_cohort, make_enrollment, make_program, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return make_world(cast)


def ids(response) -> set[int]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return {e["id"] for e in response.json()}


@pytest.mark.parametrize("role", ROLES)
def test_who_lists_which_enrolments(cast, world, role):
    response = cast.client_for(getattr(cast.alpha, role)).get("/api/v1/enrollments")
    mine, theirs = world.alpha.enrollment.id, world.alpha.other_enrollment.id
    if role in {"owner", "admin"}:
        assert ids(response) == {mine, theirs}
    elif role in {"coach", "head_coach", "client"}:
        assert ids(response) == {mine}
    else:
        assert_error(response, 403, "forbidden")


def test_the_other_client_and_the_other_coach_see_only_theirs(cast, world):
    theirs = {world.alpha.other_enrollment.id}
    assert ids(cast.client_for(cast.alpha.other_client).get("/api/v1/enrollments")) == theirs
    assert ids(cast.client_for(cast.alpha.other_coach).get("/api/v1/enrollments")) == theirs


def test_filters(cast, world):
    client = cast.client_for(cast.alpha.owner)
    mine, theirs = world.alpha.enrollment.id, world.alpha.other_enrollment.id
    assert ids(client.get(f"/api/v1/enrollments?cohort={world.alpha.cohort.id}")) == {mine}
    other = cast.alpha.other_client.membership.id
    assert ids(client.get(f"/api/v1/enrollments?client={other}")) == {theirs}
    assert ids(client.get(f"/api/v1/enrollments?program={world.alpha.program.id}")) == {
        mine,
        theirs,
    }
    assert ids(client.get(f"/api/v1/enrollments?program={world.beta.program.id}")) == set()
    Enrollment.objects.filter(pk=theirs).update(ended_at=timezone.now())
    assert ids(client.get("/api/v1/enrollments?active=true")) == {mine}
    assert ids(client.get("/api/v1/enrollments?active=false")) == {theirs}
    assert len(client.get("/api/v1/enrollments?limit=1").json()) == 1


def test_each_enrolment_carries_its_progress(cast, world):
    enrollment = world.alpha.enrollment
    CheckIn.objects.create(
        workspace=enrollment.workspace,
        enrollment=enrollment,
        habit=world.alpha.daily,
        due_date=enrollment.start_date,
    )
    data = cast.client_for(cast.alpha.client).get(f"/api/v1/enrollments/{enrollment.id}").json()
    assert data["client"]["email"] == cast.alpha.client.email
    assert data["coach"]["email"] == cast.alpha.coach.email
    assert data["active"] is True
    progress = data["progress"]
    assert progress["done"] == 1
    # 2 milestones, 28 daily due dates, 12 weekday dates (Mon, Wed, Fri) in 28 days.
    assert progress["total"] == 2 + 28 + 12
    assert progress["percent"] == 100 * 1 // 42
    assert progress["off_track"] is True  # the last 3 days were missed


def test_enrolments_others_may_not_see_are_404(cast, world):
    theirs = world.alpha.other_enrollment.id
    for person in (cast.alpha.client, cast.alpha.coach, cast.alpha.head_coach):
        response = cast.client_for(person).get(f"/api/v1/enrollments/{theirs}")
        assert_error(response, 404, "not_found")
    response = cast.client_for(cast.alpha.owner).get(
        f"/api/v1/enrollments/{world.beta.enrollment.id}"
    )
    assert_error(response, 404, "not_found")


def test_an_auditor_gets_403_even_for_an_enrolment_that_exists(cast, world):
    response = cast.client_for(cast.alpha.auditor).get(
        f"/api/v1/enrollments/{world.alpha.enrollment.id}"
    )
    assert_error(response, 403, "forbidden")


@pytest.fixture
def fresh_client(cast):
    return make_person(cast.alpha.workspace, {Role.CLIENT}, "new.client@alpha.test", "New Client")


@pytest.mark.parametrize("role", ROLES)
def test_only_managers_enrol(cast, world, fresh_client, role):
    body = {"cohort": world.alpha.cohort.id, "client": fresh_client.membership.id}
    response = send(cast.client_for(getattr(cast.alpha, role)), "post", "/api/v1/enrollments", body)
    if role in {"owner", "admin"}:
        assert response.status_code == 201, response.content
        data = response.json()
        assert data["start_date"] == timezone.localdate().isoformat()
        assert data["progress"]["done"] == 0
        assert OutboundEmail.objects.filter(
            template="program_enrolled", to=fresh_client.email
        ).exists()
        assert Event.objects.filter(verb="client.enrolled").count() == 1
    else:
        assert_error(response, 403, "forbidden")
        assert not Enrollment.objects.filter(client=fresh_client.membership).exists()


def test_a_full_cohort_refuses_and_says_why(cast, world, fresh_client):
    world.alpha.cohort.capacity = 1
    world.alpha.cohort.save()
    body = {"cohort": world.alpha.cohort.id, "client": fresh_client.membership.id}
    response = send(cast.client_for(cast.alpha.admin), "post", "/api/v1/enrollments", body)
    fields = assert_error(response, 422, "cohort_full")
    assert fields["cohort"] == ["This cohort is full."]
    assert not Enrollment.objects.filter(client=fresh_client.membership).exists()


def test_a_fixed_cohort_that_started_refuses(cast, world, fresh_client):
    started = make_cohort(
        make_program(cast.alpha.workspace, title="Started"),
        cast.alpha.coach.membership,
        kind="fixed",
        start_date=timezone.localdate() - timedelta(days=1),
    )
    body = {"cohort": started.id, "client": fresh_client.membership.id}
    response = send(cast.client_for(cast.alpha.admin), "post", "/api/v1/enrollments", body)
    assert "cohort" in assert_error(response, 422, "cohort_started")


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("coach", "coach_cannot_enrol"),
        ("head_coach", "coach_cannot_enrol"),
        ("admin", "not_a_client"),
    ],
)
def test_a_coach_or_staff_member_cannot_be_enrolled(cast, world, who, code):
    program = make_program(cast.alpha.workspace, title="Open")
    cohort = make_cohort(program, cast.alpha.other_coach.membership)
    body = {"cohort": cohort.id, "client": getattr(cast.alpha, who).membership.id}
    response = send(cast.client_for(cast.alpha.owner), "post", "/api/v1/enrollments", body)
    assert "client" in assert_error(response, 422, code)
    assert not Enrollment.objects.filter(program=program).exists()


def test_a_client_already_in_the_program_is_refused(cast, world):
    body = {"cohort": world.alpha.other_cohort.id, "client": cast.alpha.client.membership.id}
    response = send(cast.client_for(cast.alpha.owner), "post", "/api/v1/enrollments", body)
    assert "client" in assert_error(response, 422, "already_enrolled")


def test_cohorts_and_clients_of_another_workspace_are_refused_at_the_field(
    cast, world, fresh_client
):
    client = cast.client_for(cast.alpha.owner)
    body = {"cohort": world.beta.cohort.id, "client": fresh_client.membership.id}
    assert "cohort" in assert_error(
        send(client, "post", "/api/v1/enrollments", body), 422, "not_found"
    )
    body = {"cohort": world.alpha.cohort.id, "client": cast.beta.client.membership.id}
    assert "client" in assert_error(
        send(client, "post", "/api/v1/enrollments", body), 422, "not_found"
    )


def test_unenrolling_keeps_the_history(cast, world):
    enrollment = world.alpha.enrollment
    CheckIn.objects.create(
        workspace=enrollment.workspace,
        enrollment=enrollment,
        habit=world.alpha.daily,
        due_date=enrollment.start_date,
    )
    client = cast.client_for(cast.alpha.admin)
    response = client.post(f"/api/v1/enrollments/{enrollment.id}/unenroll")
    assert response.status_code == 200
    data = response.json()
    assert data["active"] is False and data["ended_at"]
    assert data["progress"]["done"] == 1
    assert CheckIn.objects.filter(enrollment=enrollment).count() == 1
    assert Event.objects.filter(verb="client.unenrolled").count() == 1
    again = client.post(f"/api/v1/enrollments/{enrollment.id}/unenroll")
    assert_error(again, 422, "already_ended")


def test_unenrolling_is_for_managers_in_their_workspace(cast, world):
    for person in (cast.alpha.coach, cast.alpha.client):
        response = cast.client_for(person).post(
            f"/api/v1/enrollments/{world.alpha.enrollment.id}/unenroll"
        )
        assert_error(response, 403, "forbidden")
    response = cast.client_for(cast.alpha.owner).post(
        f"/api/v1/enrollments/{world.beta.enrollment.id}/unenroll"
    )
    assert_error(response, 404, "not_found")
    assert Enrollment.objects.filter(ended_at__isnull=True).count() == 4


def grow_enrollments(cast, world):  # type: ignore[no-untyped-def]
    def grow() -> None:
        for n in range(4):
            program = make_program(cast.alpha.workspace, title=f"More {n}")
            cohort = make_cohort(program, cast.alpha.coach.membership)
            enrollment = make_enrollment(cohort, cast.alpha.client.membership)
            for habit_n in range(3):
                habit = program.habits.create(
                    workspace=program.workspace, title=f"H{habit_n}", schedule="daily"
                )
                CheckIn.objects.create(
                    workspace=program.workspace,
                    enrollment=enrollment,
                    habit=habit,
                    due_date=enrollment.start_date,
                )
            program.milestones.create(workspace=program.workspace, title="M", due_after_days=2)

    return grow


@pytest.mark.parametrize("role", ["owner", "coach", "head_coach", "client"])
def test_listing_enrolments_takes_as_many_queries_for_many_as_for_few(cast, world, role):
    client = cast.client_for(getattr(cast.alpha, role))
    assert_flat_queries(lambda: client.get("/api/v1/enrollments"), grow_enrollments(cast, world))


def test_listing_enrolments_takes_nine_queries(cast, world):
    client = cast.client_for(cast.alpha.owner)
    # Workspace, session, user, membership; enrolments with client, program, cohort and
    # coach; their milestones; their habits; check-ins; milestone completions.
    with assert_num_queries(9):
        client.get("/api/v1/enrollments")
