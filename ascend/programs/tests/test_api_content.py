"""/api/v1/programs/{id}/milestones and /habits: add, change, remove (owners and admins).

Rules: refused while clients are enrolled (``program_locked``); bad input is a
422 naming the field with a stable code and changes nothing; another
workspace's program or item is a 404; other roles get 403.
"""

from __future__ import annotations

import pytest

from ascend.api.tests.helpers import ROLES, assert_error, send
from ascend.programs.models import Habit, Milestone

from .api_world import make_program, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(cast):
    return make_program(cast.alpha.workspace, title="Fresh", days=30)


@pytest.mark.parametrize("role", ROLES)
def test_only_managers_add_milestones(cast, program, role):
    response = send(
        cast.client_for(getattr(cast.alpha, role)),
        "post",
        f"/api/v1/programs/{program.id}/milestones",
        {"title": "First week done", "due_after_days": 7},
    )
    if role in {"owner", "admin"}:
        assert response.status_code == 201
        assert response.json()["due_after_days"] == 7
        assert Milestone.objects.get(program=program).title == "First week done"
    else:
        assert_error(response, 403, "forbidden")
        assert not Milestone.objects.exists()


def test_a_milestone_after_the_program_ends_is_refused(cast, program):
    response = send(
        cast.client_for(cast.alpha.owner),
        "post",
        f"/api/v1/programs/{program.id}/milestones",
        {"title": "Late", "due_after_days": 31},
    )
    assert "due_after_days" in assert_error(response, 422, "beyond_program")


def test_changing_and_removing_a_milestone(cast, program):
    milestone = Milestone.objects.create(
        workspace=program.workspace, program=program, title="Old", due_after_days=2
    )
    client = cast.client_for(cast.alpha.admin)
    url = f"/api/v1/programs/{program.id}/milestones/{milestone.id}"
    assert send(client, "patch", url, {"title": "New"}).json() == {
        "id": milestone.id,
        "title": "New",
        "due_after_days": 2,
    }
    assert client.delete(url).status_code == 204
    assert not Milestone.objects.exists()


def test_a_milestone_of_another_program_or_workspace_is_a_404(cast, program):
    other = make_program(cast.beta.workspace)
    theirs = Milestone.objects.create(
        workspace=other.workspace, program=other, title="Theirs", due_after_days=2
    )
    client = cast.client_for(cast.alpha.owner)
    assert_error(
        client.delete(f"/api/v1/programs/{program.id}/milestones/{theirs.id}"), 404, "not_found"
    )
    assert_error(
        client.delete(f"/api/v1/programs/{other.id}/milestones/{theirs.id}"), 404, "not_found"
    )
    assert Milestone.objects.filter(pk=theirs.pk).exists()


def test_adding_habits_of_each_schedule(cast, program):
    client = cast.client_for(cast.alpha.owner)
    url = f"/api/v1/programs/{program.id}/habits"
    daily = send(client, "post", url, {"title": "Walk", "schedule": "daily", "duration_days": 14})
    weekly = send(
        client, "post", url, {"title": "Lift", "schedule": "weekdays", "weekdays": [4, 0]}
    )
    every = send(
        client, "post", url, {"title": "Weigh in", "schedule": "every_n_days", "interval_days": 3}
    )
    assert daily.status_code == weekly.status_code == every.status_code == 201
    assert weekly.json()["weekdays"] == [0, 4]
    assert every.json()["interval_days"] == 3
    assert Habit.objects.get(pk=weekly.json()["id"]).weekdays == "04"


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"title": "Zero", "schedule": "daily", "duration_days": 0}, "duration_days", "min_value"),
        ({"title": "None", "schedule": "weekdays", "weekdays": []}, "weekdays", "no_weekdays"),
        ({"title": "Gap", "schedule": "every_n_days"}, "interval_days", "no_interval"),
        ({"title": "", "schedule": "daily"}, "title", "blank"),
    ],
)
def test_bad_habits_are_refused_at_the_field(cast, program, body, field, code):
    response = send(
        cast.client_for(cast.alpha.owner), "post", f"/api/v1/programs/{program.id}/habits", body
    )
    assert field in assert_error(response, 422, code)
    assert not Habit.objects.exists()


def test_an_unknown_schedule_or_weekday_is_a_validation_error(cast, program):
    client = cast.client_for(cast.alpha.owner)
    url = f"/api/v1/programs/{program.id}/habits"
    fields = assert_error(
        send(client, "post", url, {"title": "X", "schedule": "hourly"}), 422, "validation_error"
    )
    assert "schedule" in fields
    fields = assert_error(
        send(client, "post", url, {"title": "X", "schedule": "weekdays", "weekdays": [7]}),
        422,
        "validation_error",
    )
    assert any(name.startswith("weekdays") for name in fields)


def test_changing_a_habit_keeps_what_is_not_sent(cast, program):
    habit = Habit.objects.create(
        workspace=program.workspace,
        program=program,
        title="Lift",
        schedule="weekdays",
        weekdays="13",
        duration_days=10,
    )
    client = cast.client_for(cast.alpha.owner)
    url = f"/api/v1/programs/{program.id}/habits/{habit.id}"
    data = send(client, "patch", url, {"title": "Lift heavy"}).json()
    assert (data["title"], data["weekdays"], data["duration_days"]) == ("Lift heavy", [1, 3], 10)
    data = send(client, "patch", url, {"duration_days": None}).json()
    assert data["duration_days"] is None
    assert client.delete(url).status_code == 204
    assert not Habit.objects.exists()


def test_content_of_a_program_with_clients_is_locked(cast):
    world = make_world(cast)
    program, habit = world.alpha.program, world.alpha.daily
    client = cast.client_for(cast.alpha.owner)
    responses = [
        send(
            client,
            "post",
            f"/api/v1/programs/{program.id}/milestones",
            {"title": "X", "due_after_days": 1},
        ),
        send(client, "patch", f"/api/v1/programs/{program.id}/habits/{habit.id}", {"title": "Y"}),
        client.delete(f"/api/v1/programs/{program.id}/habits/{habit.id}"),
        client.delete(f"/api/v1/programs/{program.id}/milestones/{world.alpha.milestones[0].id}"),
    ]
    for response in responses:
        assert_error(response, 422, "program_locked")
    assert Habit.objects.get(pk=habit.pk).title == "Walk 20 minutes"
    assert Milestone.objects.filter(program=program).count() == 2
