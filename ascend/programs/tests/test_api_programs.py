"""/api/v1/programs: list, detail, create, change, publish, archive.

Rules: owners and admins manage every program; coaches read the programs of the
cohorts they (or coaches they lead) teach; clients and other roles get 403; a
program of another workspace, or one a coach doesn't teach, is a 404.
"""

from __future__ import annotations

import pytest

from ascend.activity.models import Event
from ascend.api.tests.helpers import ROLES, assert_error, bearer_client, send, token_for
from ascend.programs.models import Cohort, Enrollment, Program
from ascend.testing import assert_flat_queries, assert_num_queries

from .api_world import make_cohort, make_program, make_world

pytestmark = pytest.mark.django_db

MANAGERS = {"owner", "admin"}
COACHES = {"coach", "head_coach"}


@pytest.fixture
def world(cast):
    return make_world(cast)


@pytest.mark.parametrize("role", ROLES)
def test_managers_list_every_program_coaches_theirs_others_are_refused(cast, world, role):
    hidden = make_program(cast.alpha.workspace, title="Untaught", status="draft")
    response = cast.client_for(getattr(cast.alpha, role)).get("/api/v1/programs")
    if role in MANAGERS:
        assert response.status_code == 200
        assert {p["id"] for p in response.json()} == {world.alpha.program.id, hidden.id}
    elif role in COACHES:
        assert response.status_code == 200
        assert [p["id"] for p in response.json()] == [world.alpha.program.id]
    else:
        assert_error(response, 403, "forbidden")


def test_a_coach_sees_only_programs_they_teach(cast, world):
    taught_by_other = make_program(cast.alpha.workspace, title="Yoga")
    make_cohort(taught_by_other, cast.alpha.other_coach.membership)
    ids = {p["id"] for p in cast.client_for(cast.alpha.coach).get("/api/v1/programs").json()}
    assert ids == {world.alpha.program.id}
    response = cast.client_for(cast.alpha.coach).get(f"/api/v1/programs/{taught_by_other.id}")
    assert_error(response, 404, "not_found")


def test_a_head_coach_sees_the_programs_of_coaches_they_lead(cast, world):
    led = make_program(cast.alpha.workspace, title="Led")
    make_cohort(led, cast.alpha.coach.membership)
    ids = {p["id"] for p in cast.client_for(cast.alpha.head_coach).get("/api/v1/programs").json()}
    assert ids == {world.alpha.program.id, led.id}


def test_the_list_says_how_many_are_enrolled_and_whether_content_is_locked(cast, world):
    listing = cast.client_for(cast.alpha.admin).get("/api/v1/programs").json()
    (program,) = listing
    assert program["active_enrollments"] == 2
    assert program["cohorts"] == 2
    assert program["locked"] is True
    assert program["status"] == "published"


def test_the_detail_holds_milestones_and_habits(cast, world):
    body = cast.client_for(cast.alpha.coach).get(f"/api/v1/programs/{world.alpha.program.id}")
    assert body.status_code == 200
    data = body.json()
    assert [m["title"] for m in data["milestones"]] == ["Book a check-up", "Lift your body weight"]
    assert data["habits"][1]["weekdays"] == [0, 2, 4]
    assert data["habits"][0]["schedule"] == "daily"


def test_a_program_of_another_workspace_is_a_404(cast, world):
    client = cast.client_for(cast.alpha.owner)
    beta = world.beta.program.id
    assert_error(client.get(f"/api/v1/programs/{beta}"), 404, "not_found")
    assert_error(
        send(client, "patch", f"/api/v1/programs/{beta}", {"title": "X"}), 404, "not_found"
    )
    assert_error(client.post(f"/api/v1/programs/{beta}/publish"), 404, "not_found")
    assert_error(client.post(f"/api/v1/programs/{beta}/archive"), 404, "not_found")
    assert Program.objects.get(pk=beta).title == "Strength reset"


@pytest.mark.parametrize("role", ROLES)
def test_only_managers_create_programs(cast, role):
    body = {"title": "Mindful mornings", "duration_days": 30}
    response = send(cast.client_for(getattr(cast.alpha, role)), "post", "/api/v1/programs", body)
    if role in MANAGERS:
        assert response.status_code == 201, response.content
        data = response.json()
        assert data["status"] == "draft" and data["milestones"] == [] and not data["locked"]
        assert Program.objects.get(pk=data["id"]).workspace == cast.alpha.workspace
    else:
        assert_error(response, 403, "forbidden")
        assert not Program.objects.filter(title="Mindful mornings").exists()


def test_creating_records_an_event(cast):
    send(
        cast.client_for(cast.alpha.admin),
        "post",
        "/api/v1/programs",
        {"title": "A", "duration_days": 7},
    )
    assert Event.objects.filter(verb="program.created", workspace=cast.alpha.workspace).count() == 1


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"title": "", "duration_days": 30}, "title", "blank"),
        ({"title": "Zero", "duration_days": 0}, "duration_days", "min_value"),
        ({"title": "Long", "duration_days": 5000}, "duration_days", "max_value"),
    ],
)
def test_bad_programs_are_refused_at_the_field(cast, body, field, code):
    response = send(cast.client_for(cast.alpha.owner), "post", "/api/v1/programs", body)
    fields = assert_error(response, 422, code)
    assert field in fields
    assert not Program.objects.exists()


def test_a_program_without_a_title_is_a_validation_error(cast):
    response = send(
        cast.client_for(cast.alpha.owner), "post", "/api/v1/programs", {"duration_days": 3}
    )
    assert "title" in assert_error(response, 422, "validation_error")


def test_changing_a_program_without_enrolments(cast):
    program = make_program(cast.alpha.workspace, title="Old")
    response = send(
        cast.client_for(cast.alpha.admin),
        "patch",
        f"/api/v1/programs/{program.id}",
        {"title": "New", "description": "Fresh"},
    )
    assert response.status_code == 200
    program.refresh_from_db()
    assert (program.title, program.description, program.duration_days) == ("New", "Fresh", 28)


def test_a_locked_program_refuses_changes_and_says_why(cast, world):
    response = send(
        cast.client_for(cast.alpha.admin),
        "patch",
        f"/api/v1/programs/{world.alpha.program.id}",
        {"duration_days": 40},
    )
    body = response.json()
    assert_error(response, 422, "program_locked")
    assert "locked" in body["error"]["message"]
    world.alpha.program.refresh_from_db()
    assert world.alpha.program.duration_days == 28


def test_a_coach_cannot_change_publish_or_archive(cast, world):
    client = cast.client_for(cast.alpha.coach)
    pid = world.alpha.program.id
    assert_error(send(client, "patch", f"/api/v1/programs/{pid}", {"title": "X"}), 403, "forbidden")
    assert_error(client.post(f"/api/v1/programs/{pid}/unpublish"), 403, "forbidden")
    assert_error(client.post(f"/api/v1/programs/{pid}/archive"), 403, "forbidden")


def test_publishing_and_unpublishing(cast):
    program = make_program(cast.alpha.workspace, status="draft")
    client = cast.client_for(cast.alpha.owner)
    assert client.post(f"/api/v1/programs/{program.id}/publish").json()["status"] == "published"
    assert client.post(f"/api/v1/programs/{program.id}/unpublish").json()["status"] == "draft"


def test_archiving_is_refused_while_clients_are_enrolled(cast, world):
    response = cast.client_for(cast.alpha.owner).post(
        f"/api/v1/programs/{world.alpha.program.id}/archive"
    )
    assert_error(response, 422, "program_has_enrollments")
    assert Program.objects.get(pk=world.alpha.program.id).archived_at is None


def test_archiving_hides_the_program_and_closes_its_cohorts(cast):
    program = make_program(cast.alpha.workspace)
    cohort = make_cohort(program, cast.alpha.coach.membership)
    client = cast.client_for(cast.alpha.owner)
    assert client.post(f"/api/v1/programs/{program.id}/archive").status_code == 204
    assert client.get("/api/v1/programs").json() == []
    assert_error(client.get(f"/api/v1/programs/{program.id}"), 404, "not_found")
    assert Cohort.objects.get(pk=cohort.pk).is_open is False


def test_a_token_works_like_the_session(cast, world):
    client = bearer_client(token_for(cast.alpha.admin), cast.alpha.workspace)
    assert client.get("/api/v1/programs").status_code == 200


def test_a_member_of_another_workspace_is_refused(cast, world):
    response = cast.client_for(cast.beta.owner, cast.alpha.workspace).get("/api/v1/programs")
    assert_error(response, 401, "not_authenticated")


def test_listing_programs_takes_as_many_queries_for_many_as_for_few(cast, world):
    client = cast.client_for(cast.alpha.owner)

    def grow() -> None:
        for n in range(5):
            program = make_program(cast.alpha.workspace, title=f"Extra {n}")
            make_cohort(program, cast.alpha.coach.membership)

    assert_flat_queries(lambda: client.get("/api/v1/programs"), grow)


def test_listing_programs_takes_five_queries(cast, world):
    client = cast.client_for(cast.alpha.owner)
    # Workspace, session, user, membership; then the programs with their counts.
    with assert_num_queries(5):
        client.get("/api/v1/programs")


def test_a_coach_listing_programs_takes_five_queries(cast, world):
    client = cast.client_for(cast.alpha.head_coach)
    with assert_num_queries(5):
        client.get("/api/v1/programs")
    assert Enrollment.objects.count() == 4
