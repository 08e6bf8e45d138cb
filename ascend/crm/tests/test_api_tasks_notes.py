"""/api/v1/clients/{id}/tasks, /api/v1/tasks/{id}/done and /api/v1/clients/{id}/notes.

Rules: a client reads their own tasks and the notes shared with them — never a
private note, never another client's (404, as for a missing client); whoever may
coach the client (their coach, admins) reads every task and note and writes them;
only the client ticks a task, their coach or an admin may untick it; roles with no
clients to see get 403. The lists' queries stay flat as tasks and notes grow.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ascend.api.tests.helpers import assert_error, bearer_client, send, token_for
from ascend.crm.actions_client import do_add_client_note, do_add_task, do_tick_task
from ascend.crm.models import ClientNote, ClientTask
from ascend.programs.tests.portal_fixtures import cohort_for, enrol, program_with
from ascend.testing import assert_flat_queries

from .api_world import MATRIX, PRIVATE, SHARED, client_of, make_world

pytestmark = pytest.mark.django_db

READERS = {"client", "coach", "admin"}
WRITERS = {"coach", "admin"}


@pytest.fixture
def world(cast):
    return make_world(cast)


def refused(response, who: str) -> None:  # type: ignore[no-untyped-def]
    """Roles with no clients to see get 403; everyone else the 404 of a missing client."""
    if who == "auditor":
        assert_error(response, 403, "forbidden")
    else:
        assert_error(response, 404, "not_found")


def tick(client, task_id: int):  # type: ignore[no-untyped-def]
    """``POST /tasks/{id}/done`` with no body at all, as ``curl -X POST`` sends it."""
    return client.post(f"/api/v1/tasks/{task_id}/done", content_type="application/json")


def tasks_url(cast) -> str:  # type: ignore[no-untyped-def]
    return f"/api/v1/clients/{cast.alpha.client.membership.id}/tasks"


def notes_url(cast) -> str:  # type: ignore[no-untyped-def]
    return f"/api/v1/clients/{cast.alpha.client.membership.id}/notes"


# Tasks ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", MATRIX)
def test_who_reads_a_clients_tasks(cast, world, who):
    response = client_of(cast, who).get(tasks_url(cast))
    if who in READERS:
        assert response.status_code == 200, response.content
        (task,) = response.json()
        assert task["title"] == "Walk 20 minutes" and task["due_on"] == "2030-01-15"
        assert task["done"] is False and task["coach"]["id"] == cast.alpha.coach.membership.id
        assert "Stretch" not in response.content.decode()
    else:
        refused(response, who)


@pytest.mark.parametrize("who", MATRIX)
def test_who_gives_a_client_a_task(cast, world, who):
    before = ClientTask.objects.count()
    response = send(client_of(cast, who), "post", tasks_url(cast),
                    {"title": "Drink water", "due_on": "2030-02-01"})  # fmt: skip
    if who in WRITERS:
        assert response.status_code == 201, response.content
        data = response.json()
        assert (
            data["title"] == "Drink water"
            and data["client"]["id"] == cast.alpha.client.membership.id
        )
        # An admin's task is the client's coach's, as on the contact page.
        assert data["coach"]["id"] == cast.alpha.coach.membership.id
        assert ClientTask.objects.count() == before + 1
    else:
        if who == "client":
            assert_error(response, 403, "forbidden")
        else:
            refused(response, who)
        assert ClientTask.objects.count() == before


@pytest.mark.parametrize("who", MATRIX)
def test_who_ticks_a_task(cast, world, who):
    task = world.alpha.task
    response = tick(client_of(cast, who), task.id)
    task.refresh_from_db()
    if who == "client":
        assert response.status_code == 200, response.content
        assert response.json()["done"] is True and task.done_at is not None
        return
    if who in WRITERS:
        # The coach may read the task but only the client ticks it.
        assert_error(response, 422, "not_your_task")
    else:
        refused(response, who)
    assert task.done_at is None


@pytest.mark.parametrize("who", MATRIX)
def test_who_unticks_a_task(cast, world, who):
    task = do_tick_task(world.alpha.task, actor=cast.alpha.client.membership, done=True)
    response = send(client_of(cast, who), "post", f"/api/v1/tasks/{task.id}/done", {"done": False})
    task.refresh_from_db()
    if who in READERS:
        assert response.status_code == 200, response.content
        assert response.json()["done"] is False and task.done_at is None
    else:
        refused(response, who)
        assert task.done_at is not None


def test_ticking_twice_changes_nothing_more(cast, world):
    client = client_of(cast, "client")
    url = f"/api/v1/tasks/{world.alpha.task.id}/done"
    first = send(client, "post", url, {"done": True}).json()
    second = send(client, "post", url, {"done": True}).json()
    assert first["done_at"] == second["done_at"] is not None


def test_a_coach_of_the_clients_cohort_may_coach_them_too(cast, world):
    """``may_coach_client``: clients in the coach's active cohorts are theirs as well."""
    enrol(cohort_for(program_with(cast.alpha.workspace), cast.alpha.other_coach),
          cast.alpha.client)  # fmt: skip
    other = client_of(cast, "other_coach")
    assert other.get(tasks_url(cast)).status_code == 200
    assert send(other, "post", notes_url(cast), {"body": "Welcome"}).status_code == 201


def test_tasks_list_open_first_then_done_and_filter(cast, world):
    me = cast.alpha.client.membership
    coach = cast.alpha.coach.membership
    soon = do_add_task(me, actor=coach, title="Soon", due_on=date(2029, 5, 1))
    undated = do_add_task(me, actor=coach, title="Whenever")
    latest = do_add_task(me, actor=coach, title="Ticked last", due_on=date(2029, 1, 1))
    do_tick_task(soon, actor=me, done=True)
    latest = do_tick_task(latest, actor=me, done=True)
    ClientTask.objects.filter(pk=soon.pk).update(done_at=latest.done_at - timedelta(hours=1))
    client = client_of(cast, "client")
    titles = [t["title"] for t in client.get(tasks_url(cast)).json()]
    assert titles == ["Walk 20 minutes", "Whenever", "Ticked last", "Soon"]
    done = [t["id"] for t in client.get(f"{tasks_url(cast)}?done=true").json()]
    assert done == [latest.id, soon.id]
    assert [t["title"] for t in client.get(f"{tasks_url(cast)}?done=false&limit=1&offset=1")
            .json()] == [undated.title]  # fmt: skip


@pytest.mark.parametrize(
    ("payload", "field", "code"),
    [
        ({"title": "   "}, "title", "title_required"),
        ({"title": "x" * 201}, "title", "validation_error"),
        ({"title": "Walk", "due_on": "1800-01-01"}, "due_on", "validation_error"),
    ],
)
def test_bad_tasks_are_refused_and_nothing_is_stored(cast, world, payload, field, code):
    before = ClientTask.objects.count()
    response = send(client_of(cast, "coach"), "post", tasks_url(cast), payload)
    assert field in assert_error(response, 422, code)
    assert ClientTask.objects.count() == before


def test_a_staff_member_is_no_client(cast, world):
    coach_id = cast.alpha.coach.membership.id
    admin = client_of(cast, "admin")
    assert_error(admin.get(f"/api/v1/clients/{coach_id}/tasks"), 404, "not_found")
    assert_error(admin.get("/api/v1/clients/999999/notes"), 404, "not_found")
    assert_error(tick(admin, 999999), 404, "not_found")


# Notes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", MATRIX)
def test_who_reads_a_clients_notes(cast, world, who):
    response = client_of(cast, who).get(notes_url(cast))
    text = response.content.decode()
    if who == "client":
        assert response.status_code == 200, response.content
        (note,) = response.json()
        assert note["body"] == SHARED and note["shared"] is True
        assert "<em>walks</em>" in note["body_html"]
    elif who in READERS:
        assert response.status_code == 200, response.content
        assert [n["body"] for n in response.json()] == [PRIVATE, SHARED]  # newest first
    else:
        refused(response, who)
    assert who in WRITERS or PRIVATE not in text
    assert "Theirs" not in text


@pytest.mark.parametrize("who", MATRIX)
def test_who_writes_a_note(cast, world, who):
    before = ClientNote.objects.count()
    response = send(client_of(cast, who), "post", notes_url(cast),
                    {"body": "Try **mornings**", "shared": True})  # fmt: skip
    if who in WRITERS:
        assert response.status_code == 201, response.content
        data = response.json()
        assert data["shared"] is True and "<strong>mornings</strong>" in data["body_html"]
        assert ClientNote.objects.count() == before + 1
    else:
        if who == "client":
            assert_error(response, 403, "forbidden")
        else:
            refused(response, who)
        assert ClientNote.objects.count() == before


def test_a_note_is_private_unless_shared(cast, world):
    coach = client_of(cast, "coach")
    response = send(coach, "post", notes_url(cast), {"body": "Knee is sore"})
    assert response.json()["shared"] is False
    assert "Knee is sore" not in client_of(cast, "client").get(notes_url(cast)).content.decode()


@pytest.mark.parametrize(
    ("payload", "code"),
    [({"body": "  "}, "body_required"), ({"body": "x" * 10001}, "too_long")],
)
def test_bad_notes_are_refused_and_nothing_is_stored(cast, world, payload, code):
    before = ClientNote.objects.count()
    response = send(client_of(cast, "admin"), "post", notes_url(cast), payload)
    assert "body" in assert_error(response, 422, code)
    assert ClientNote.objects.count() == before


def test_no_answer_to_a_client_ever_carries_a_private_note(cast, world):
    """Every endpoint of this module a client can call, with private notes about them."""
    client = client_of(cast, "client")
    me = cast.alpha.client.membership.id
    other = cast.alpha.other_client.membership.id
    answers = [
        client.get(notes_url(cast)),
        client.get(f"{notes_url(cast)}?limit=500"),
        client.get(tasks_url(cast)),
        client.get(f"/api/v1/clients/{other}/notes"),
        send(client, "post", notes_url(cast), {"body": "mine", "shared": False}),
        tick(client, world.alpha.task.id),
        client.get("/api/v1/contacts"),
        client.get(f"/api/v1/contacts/{world.alpha.client_contact.id}"),
        client.get("/api/v1/invitations"),
        client.get(f"/api/v1/clients/{me}/packages"),
        client.get("/api/v1/me"),
    ]
    for response in answers:
        text = response.content.decode()
        assert PRIVATE not in text and "Theirs" not in text, response.request["PATH_INFO"]
    assert ClientNote.objects.filter(body="mine").count() == 0


def test_with_a_token_too(cast, world):
    client = bearer_client(token_for(cast.alpha.client), cast.alpha.workspace)
    assert [n["body"] for n in client.get(notes_url(cast)).json()] == [SHARED]
    other = bearer_client(token_for(cast.alpha.other_client), cast.alpha.workspace)
    assert_error(other.get(notes_url(cast)), 404, "not_found")


# Queries ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["client", "coach", "admin"])
def test_the_task_and_note_lists_run_the_same_queries_however_many(cast, world, who):
    me = cast.alpha.client.membership
    coach = cast.alpha.coach.membership
    client = client_of(cast, who)

    def grow() -> None:
        for i in range(4):
            task = do_add_task(me, actor=coach, title=f"Task {i}", due_on=date(2030, 3, i + 1))
            if i % 2:
                do_tick_task(task, actor=me, done=True)
            do_add_client_note(me, actor=coach, body=f"Note {i}", shared=bool(i % 2))

    # The client: auth and the client (2 + 4); a coach also asks whether they coach them.
    expected = 6 if who in {"client", "admin"} else 7
    assert assert_flat_queries(lambda: client.get(tasks_url(cast)), grow) == expected
    assert assert_flat_queries(lambda: client.get(notes_url(cast)), grow) == expected
