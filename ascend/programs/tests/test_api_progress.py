"""/api/v1/enrollments/{id}/progress, milestone ticks and habit check-ins.

Rules: the client ticks their own milestones and check-ins; staff who see the
enrolment (owners, admins, its coach and their head coach) may too; anyone
else who may read enrolments gets a 404, and roles that read none get 403.
Late check-ins are fine and put a habit back on track; future ones are refused.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ascend.activity.models import Event
from ascend.api.tests.helpers import ROLES, assert_error, bearer_client, send, token_for
from ascend.programs.models import CheckIn, MilestoneCompletion, OffTrackSpell
from ascend.testing import assert_flat_queries, assert_num_queries

from .api_world import make_world

pytestmark = pytest.mark.django_db

MAY_TICK = {"owner", "admin", "coach", "head_coach", "client"}


@pytest.fixture
def world(cast):
    return make_world(cast)


def milestone_url(world, n: int = 0) -> str:  # type: ignore[no-untyped-def]
    e = world.alpha.enrollment
    return f"/api/v1/enrollments/{e.id}/milestones/{world.alpha.milestones[n].id}"


def check_in_url(world, day, habit=None) -> str:  # type: ignore[no-untyped-def]
    e = world.alpha.enrollment
    habit = habit or world.alpha.daily
    return f"/api/v1/enrollments/{e.id}/habits/{habit.id}/check-ins/{day.isoformat()}"


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_the_clients_progress(cast, world, role):
    url = f"/api/v1/enrollments/{world.alpha.enrollment.id}/progress"
    response = cast.client_for(getattr(cast.alpha, role)).get(url)
    if role in MAY_TICK:
        assert response.status_code == 200
        data = response.json()
        assert data["enrollment_id"] == world.alpha.enrollment.id
        assert [m["title"] for m in data["milestones"]] == [
            "Book a check-up",
            "Lift your body weight",
        ]
        daily = data["habits"][0]
        assert daily["due_so_far"] == 11  # started ten days ago: today is the 11th day
        assert daily["off_track"] is True
        assert data["today"] == timezone.localdate().isoformat()
    else:
        assert_error(response, 403, "forbidden")


def test_progress_others_may_not_see_is_a_404(cast, world):
    url = f"/api/v1/enrollments/{world.alpha.other_enrollment.id}/progress"
    for person in (cast.alpha.client, cast.alpha.coach, cast.alpha.head_coach):
        assert_error(cast.client_for(person).get(url), 404, "not_found")
    beta = f"/api/v1/enrollments/{world.beta.enrollment.id}/progress"
    assert_error(cast.client_for(cast.alpha.owner).get(beta), 404, "not_found")


@pytest.mark.parametrize("role", ROLES)
def test_who_ticks_a_milestone(cast, world, role):
    response = cast.client_for(getattr(cast.alpha, role)).put(milestone_url(world))
    if role in MAY_TICK:
        assert response.status_code == 200
        assert response.json()["milestones"][0]["completed"] is True
        assert response.json()["milestones_done"] == 1
        assert MilestoneCompletion.objects.count() == 1
    else:
        assert_error(response, 403, "forbidden")
        assert not MilestoneCompletion.objects.exists()


def test_ticking_twice_changes_nothing_and_unticking_undoes(cast, world):
    client = cast.client_for(cast.alpha.client)
    client.put(milestone_url(world))
    client.put(milestone_url(world))
    assert MilestoneCompletion.objects.count() == 1
    assert Event.objects.filter(verb="milestone.completed").count() == 1
    response = client.delete(milestone_url(world))
    assert response.json()["milestones"][0]["completed"] is False
    assert not MilestoneCompletion.objects.exists()


def test_nobody_ticks_someone_elses_milestone(cast, world):
    url = milestone_url(world)
    for person in (cast.alpha.other_client, cast.alpha.other_coach):
        assert_error(cast.client_for(person).put(url), 404, "not_found")
    beta = world.beta.enrollment
    beta_url = f"/api/v1/enrollments/{beta.id}/milestones/{world.beta.milestones[0].id}"
    assert_error(cast.client_for(cast.alpha.owner).put(beta_url), 404, "not_found")
    assert not MilestoneCompletion.objects.exists()


def test_a_milestone_of_another_program_is_a_404(cast, world):
    e = world.alpha.enrollment
    url = f"/api/v1/enrollments/{e.id}/milestones/{world.beta.milestones[0].id}"
    assert_error(cast.client_for(cast.alpha.owner).put(url), 404, "not_found")


@pytest.mark.parametrize("role", ROLES)
def test_who_checks_in_a_habit(cast, world, role):
    response = cast.client_for(getattr(cast.alpha, role)).put(
        check_in_url(world, timezone.localdate())
    )
    if role in MAY_TICK:
        assert response.status_code == 200
        assert timezone.localdate().isoformat() in response.json()["habits"][0]["checked"]
        assert CheckIn.objects.count() == 1
    else:
        assert_error(response, 403, "forbidden")
        assert not CheckIn.objects.exists()


def test_a_late_check_in_puts_the_habit_back_on_track(cast, world):
    OffTrackSpell.objects.create(
        workspace=cast.alpha.workspace, enrollment=world.alpha.enrollment, habit=world.alpha.daily
    )
    yesterday = timezone.localdate() - timedelta(days=1)
    response = cast.client_for(cast.alpha.client).put(check_in_url(world, yesterday))
    habit = response.json()["habits"][0]
    assert habit["off_track"] is False
    assert habit["done"] == 1
    spell = OffTrackSpell.objects.get()
    assert spell.ended_at is not None
    assert Event.objects.filter(verb="habit.back_on_track").count() == 1


def test_a_future_check_in_is_refused(cast, world):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = cast.client_for(cast.alpha.client).put(check_in_url(world, tomorrow))
    fields = assert_error(response, 422, "future_date")
    assert fields["due_date"] == ["You can't tick a day that hasn't come yet."]
    assert not CheckIn.objects.exists()


def test_a_day_the_habit_isnt_due_is_refused(cast, world):
    start = world.alpha.enrollment.start_date
    day = next(
        start + timedelta(days=n) for n in range(7) if (start + timedelta(days=n)).weekday() == 1
    )
    response = cast.client_for(cast.alpha.client).put(check_in_url(world, day, world.alpha.weekly))
    assert "due_date" in assert_error(response, 422, "not_due")


def test_a_date_that_isnt_one_is_a_validation_error(cast, world):
    e = world.alpha.enrollment
    url = f"/api/v1/enrollments/{e.id}/habits/{world.alpha.daily.id}/check-ins/yesterday"
    assert "due_date" in assert_error(
        cast.client_for(cast.alpha.client).put(url), 422, "validation_error"
    )


def test_unchecking_removes_the_check_in(cast, world):
    client = cast.client_for(cast.alpha.client)
    today = timezone.localdate()
    client.put(check_in_url(world, today))
    assert client.delete(check_in_url(world, today)).json()["habits"][0]["checked"] == []
    assert not CheckIn.objects.exists()


def test_an_ended_enrolment_cant_be_ticked(cast, world):
    world.alpha.enrollment.ended_at = timezone.now()
    world.alpha.enrollment.save()
    response = cast.client_for(cast.alpha.client).put(check_in_url(world, timezone.localdate()))
    assert_error(response, 422, "enrollment_ended")


def test_a_client_ticks_with_a_token(cast, world):
    client = bearer_client(token_for(cast.alpha.client), cast.alpha.workspace)
    assert client.put(milestone_url(world)).status_code == 200


def test_progress_reads_flat_as_habits_and_check_ins_grow(cast, world):
    client = cast.client_for(cast.alpha.client)
    url = f"/api/v1/enrollments/{world.alpha.enrollment.id}/progress"
    program, enrollment = world.alpha.program, world.alpha.enrollment

    def grow() -> None:
        for n in range(10):
            habit = program.habits.create(
                workspace=program.workspace, title=f"Extra {n}", schedule="daily"
            )
            for day in range(5):
                CheckIn.objects.create(
                    workspace=program.workspace,
                    enrollment=enrollment,
                    habit=habit,
                    due_date=enrollment.start_date + timedelta(days=day),
                )

    assert_flat_queries(lambda: client.get(url), grow)


def test_reading_progress_takes_nine_queries(cast, world):
    client = cast.client_for(cast.alpha.client)
    # Workspace, session, user, membership; the enrolment; milestones; habits;
    # check-ins and completions.
    with assert_num_queries(9):
        client.get(f"/api/v1/enrollments/{world.alpha.enrollment.id}/progress")


def test_a_check_in_answers_in_a_fixed_number_of_queries(cast, world):
    client = cast.client_for(cast.alpha.client)
    url = check_in_url(world, timezone.localdate())
    client.put(url)
    client.delete(url)

    def grow() -> None:
        for n in range(5):
            world.alpha.program.habits.create(
                workspace=world.alpha.program.workspace, title=f"More {n}", schedule="daily"
            )

    assert_flat_queries(lambda: (client.put(url), client.delete(url)), grow)
    assert (
        send(client, "get", f"/api/v1/enrollments/{world.alpha.enrollment.id}").status_code == 200
    )
