"""Ticking milestones and habit days from the program page, with htmx and without JavaScript.

Rules: an htmx POST answers with the changed row and the progress bar swapped
out of band; a plain form POST redirects back to the program page with a
message; future days, days the habit isn't due and ended enrolments are refused
with a clear message and change nothing (never a 500); only the client's own
enrolment and its own program's items can be ticked (404 otherwise).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ascend.programs.models import CheckIn, Habit, HabitSchedule, MilestoneCompletion

from .portal_fixtures import cohort_for, enrol, program_with, today

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def enrollment(cast):
    program = program_with(cast.alpha.workspace, title="Strength reset", habits=1, milestones=2)
    return enrol(cohort_for(program, cast.alpha.coach), cast.alpha.client, started_days_ago=5)


def milestone_url(enrollment, milestone=None) -> str:
    milestone = milestone or enrollment.program.milestones.first()
    return f"/me/programs/{enrollment.pk}/milestones/{milestone.pk}/"


def habit_url(enrollment, habit=None) -> str:
    habit = habit or enrollment.program.habits.first()
    return f"/me/programs/{enrollment.pk}/habits/{habit.pk}/"


# Milestones --------------------------------------------------------------------------------


def test_ticking_a_milestone_with_htmx_returns_the_row_and_the_progress_bar(cast, enrollment):
    response = cast.client_for(cast.alpha.client).post(
        milestone_url(enrollment), {"done": "on"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    milestone = enrollment.program.milestones.first()
    assert html.lstrip().startswith(f'<tr id="milestone-{milestone.pk}"')
    assert "checked" in html
    assert f'id="progress-{enrollment.pk}"' in html and 'hx-swap-oob="true"' in html
    assert MilestoneCompletion.objects.filter(enrollment=enrollment, milestone=milestone).exists()
    assert response.context["p"].milestones_done == 1


def test_unticking_a_milestone_removes_the_completion(cast, enrollment):
    client = cast.client_for(cast.alpha.client)
    client.post(milestone_url(enrollment), {"done": "on"}, **HTMX)
    response = client.post(milestone_url(enrollment), {}, **HTMX)
    assert response.status_code == 200
    assert not MilestoneCompletion.objects.exists()


def test_without_javascript_ticking_redirects_back_with_a_message(cast, enrollment):
    client = cast.client_for(cast.alpha.client)
    response = client.post(milestone_url(enrollment), {"done": "on"})
    assert response.status_code == 302
    assert response.url == f"/me/programs/{enrollment.pk}/"
    assert MilestoneCompletion.objects.count() == 1
    page = client.get(response.url).content.decode()
    assert "Saved: Milestone 1." in page


def test_a_milestone_of_an_ended_enrolment_is_refused_with_a_message(cast, enrollment):
    enrollment.ended_at = timezone.now()
    enrollment.save()
    client = cast.client_for(cast.alpha.client)
    response = client.post(milestone_url(enrollment), {"done": "on"}, **HTMX)
    assert response.status_code == 200
    assert "This enrolment has ended" in response.content.decode()
    response = client.post(milestone_url(enrollment), {"done": "on"}, follow=True)
    assert "This enrolment has ended" in response.content.decode()
    assert not MilestoneCompletion.objects.exists()


def test_a_milestone_of_another_program_is_a_404(cast, enrollment):
    other = program_with(cast.alpha.workspace, title="Other")
    response = cast.client_for(cast.alpha.client).post(
        milestone_url(enrollment, other.milestones.first()), {"done": "on"}
    )
    assert response.status_code == 404


def test_ticking_needs_a_post(cast, enrollment):
    client = cast.client_for(cast.alpha.client)
    assert client.get(milestone_url(enrollment)).status_code == 405
    assert client.get(habit_url(enrollment)).status_code == 405


# Habit check-ins ---------------------------------------------------------------------------


def test_ticking_today_with_htmx_returns_the_habit_row_and_the_progress_bar(cast, enrollment):
    response = cast.client_for(cast.alpha.client).post(
        habit_url(enrollment), {"due_date": today().isoformat(), "done": "on"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    habit = enrollment.program.habits.first()
    assert html.lstrip().startswith(f'<tr id="habit-{habit.pk}"')
    assert f'id="progress-{enrollment.pk}"' in html and 'hx-swap-oob="true"' in html
    assert CheckIn.objects.filter(enrollment=enrollment, due_date=today()).exists()


def test_a_late_tick_is_fine_and_an_untick_removes_it(cast, enrollment):
    client = cast.client_for(cast.alpha.client)
    day = (today() - timedelta(days=3)).isoformat()
    client.post(habit_url(enrollment), {"due_date": day, "done": "on"}, **HTMX)
    assert CheckIn.objects.count() == 1
    client.post(habit_url(enrollment), {"due_date": day}, **HTMX)
    assert CheckIn.objects.count() == 0


def test_a_late_tick_puts_an_off_track_habit_back_on_track(cast, enrollment):
    client = cast.client_for(cast.alpha.client)
    before = client.get(f"/me/programs/{enrollment.pk}/").content.decode()
    assert 'data-testid="off-track"' in before
    response = client.post(
        habit_url(enrollment),
        {"due_date": (today() - timedelta(days=1)).isoformat(), "done": "on"},
        **HTMX,
    )
    assert 'data-testid="off-track"' not in response.content.decode()


def test_a_future_day_is_refused_with_a_message_and_nothing_changes(cast, enrollment):
    client = cast.client_for(cast.alpha.client)
    tomorrow = (today() + timedelta(days=1)).isoformat()
    response = client.post(habit_url(enrollment), {"due_date": tomorrow, "done": "on"}, **HTMX)
    assert response.status_code == 200
    assert "You can&#x27;t tick a day that hasn&#x27;t come yet." in response.content.decode()
    response = client.post(habit_url(enrollment), {"due_date": tomorrow, "done": "on"})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "tick a day that hasn&#x27;t come yet" in page
    assert not CheckIn.objects.exists()


def test_a_day_the_habit_is_not_due_is_refused_with_a_message(cast, enrollment):
    habit = Habit.objects.create(
        workspace=enrollment.workspace,
        program=enrollment.program,
        title="Long run",
        schedule=HabitSchedule.EVERY_N_DAYS,
        interval_days=3,
    )
    not_due = (enrollment.start_date + timedelta(days=1)).isoformat()
    response = cast.client_for(cast.alpha.client).post(
        habit_url(enrollment, habit), {"due_date": not_due, "done": "on"}, **HTMX
    )
    assert response.status_code == 200
    assert "This habit isn&#x27;t due on that day." in response.content.decode()
    assert not CheckIn.objects.exists()


def test_a_day_before_the_start_is_refused(cast, enrollment):
    before = (enrollment.start_date - timedelta(days=1)).isoformat()
    response = cast.client_for(cast.alpha.client).post(
        habit_url(enrollment), {"due_date": before, "done": "on"}
    )
    assert response.status_code == 302
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("value", ["", "yesterday", "2026-02-31"])
def test_a_missing_or_broken_date_is_refused_with_a_message(cast, enrollment, value):
    response = cast.client_for(cast.alpha.client).post(
        habit_url(enrollment), {"due_date": value, "done": "on"}, **HTMX
    )
    assert response.status_code == 200
    assert "Choose a day to tick." in response.content.decode()
    assert not CheckIn.objects.exists()


def test_a_check_in_on_an_ended_enrolment_is_refused(cast, enrollment):
    enrollment.ended_at = timezone.now()
    enrollment.save()
    response = cast.client_for(cast.alpha.client).post(
        habit_url(enrollment), {"due_date": today().isoformat(), "done": "on"}, **HTMX
    )
    assert response.status_code == 200
    assert "This enrolment has ended" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_without_javascript_a_check_in_keeps_the_week_on_show(cast, enrollment):
    response = cast.client_for(cast.alpha.client).post(
        habit_url(enrollment),
        {"due_date": today().isoformat(), "done": "on", "week": enrollment.start_date.isoformat()},
    )
    assert response.status_code == 302
    assert response.url == f"/me/programs/{enrollment.pk}/?week={enrollment.start_date}"
    assert CheckIn.objects.count() == 1


# Who may tick ------------------------------------------------------------------------------


def test_another_client_of_the_workspace_gets_404_and_nothing_changes(cast, enrollment):
    client = cast.client_for(cast.alpha.other_client)
    assert client.post(milestone_url(enrollment), {"done": "on"}).status_code == 404
    data = {"due_date": today().isoformat(), "done": "on"}
    assert client.post(habit_url(enrollment), data).status_code == 404
    assert not CheckIn.objects.exists() and not MilestoneCompletion.objects.exists()


def test_a_member_of_another_workspace_gets_404(cast, enrollment):
    client = cast.client_for(cast.beta.client, cast.alpha.workspace)
    assert client.post(milestone_url(enrollment), {"done": "on"}).status_code == 404
    own_host = cast.client_for(cast.beta.client)
    assert own_host.post(milestone_url(enrollment), {"done": "on"}).status_code == 404
    assert not MilestoneCompletion.objects.exists()


@pytest.mark.parametrize("role", ["owner", "coach", "head_coach"])
def test_staff_get_403(cast, enrollment, role):
    client = cast.client_for(getattr(cast.alpha, role))
    assert client.post(milestone_url(enrollment), {"done": "on"}).status_code == 403


def test_a_visitor_is_sent_to_sign_in(cast, enrollment):
    response = Client(HTTP_HOST=cast.alpha.host).post(milestone_url(enrollment), {"done": "on"})
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
