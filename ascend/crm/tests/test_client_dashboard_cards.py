"""The client's first dashboard: the coach's greeting, messages, tasks to tick, shared notes.

Rules: the greeting is the contact's coach's, else the coach of the client's cohort;
only the client ticks their own tasks; private notes are never shown to the client;
the cards add four queries, flat as tasks and notes grow.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from ascend.crm.actions_client import (
    do_add_client_note,
    do_add_task,
    do_save_greeting,
    do_tick_task,
)
from ascend.crm.models import ClientTask, Contact, ContactStatus
from ascend.programs.actions import workspace_today
from ascend.programs.tests.portal_fixtures import cohort_for, enrol, program_with
from ascend.testing import assert_flat_queries

from .crm_world import PASSWORD, accept_link, anonymous, contact, invite, package

pytestmark = pytest.mark.django_db


def _link(cast, client="client", coach="coach"):
    """Make the cast's client a contact of the coach, as an accepted invitation does."""
    row = contact(cast.alpha.workspace, getattr(cast.alpha, client).email,
                  coach=getattr(cast.alpha, coach).membership)  # fmt: skip
    Contact.objects.filter(pk=row.pk).update(
        member=getattr(cast.alpha, client).membership, status=ContactStatus.ACTIVE
    )
    return row


def test_after_onboarding_the_dashboard_shows_the_greeting_and_the_package(cast):
    coach = cast.alpha.coach
    do_save_greeting(coach.membership, actor=coach.user, text="Hi! I'm **Carlos**.")
    invite(cast.alpha, package=package(cast.alpha.workspace, "Ten sessions"))
    browser = anonymous(cast.alpha)
    browser.post(accept_link("nia@example.com"),
                 {"full_name": "Nia", "password1": PASSWORD, "password2": PASSWORD})  # fmt: skip
    browser.post("/me/welcome/?step=profile", {"full_name": "Nia"})
    browser.post("/me/welcome/?step=goals", {"goals": ""})
    browser.post("/me/welcome/?step=time_zone", {"time_zone": ""})
    browser.post("/me/welcome/?step=consent", {"consent": "on"})
    page = browser.get("/me/").content.decode()
    assert 'data-testid="coach-greeting"' in page and "<strong>Carlos</strong>" in page
    assert 'data-testid="my-packages"' in page and "Ten sessions" in page
    assert f"/me/messages/new/?to={coach.membership.pk}" in page


def test_without_a_contact_the_greeting_is_the_cohort_coachs(cast):
    other = cast.alpha.other_coach
    do_save_greeting(other.membership, actor=other.user, text="Welcome to the cohort.")
    program = program_with(cast.alpha.workspace, title="Reset", habits=1)
    enrol(cohort_for(program, other), cast.alpha.client)
    page = cast.client_for(cast.alpha.client).get("/me/").content.decode()
    assert "Welcome to the cohort." in page


def test_the_contacts_coach_comes_before_the_cohorts(cast):
    do_save_greeting(cast.alpha.coach.membership, actor=None, text="From your own coach.")
    do_save_greeting(cast.alpha.other_coach.membership, actor=None, text="From the cohort.")
    enrol(cohort_for(program_with(cast.alpha.workspace, habits=1), cast.alpha.other_coach),
          cast.alpha.client)  # fmt: skip
    _link(cast)
    page = cast.client_for(cast.alpha.client).get("/me/").content.decode()
    assert "From your own coach." in page and "From the cohort." not in page


def test_the_client_ticks_their_task_with_htmx_and_it_reads_due_tomorrow(cast):
    _link(cast)
    tomorrow = workspace_today(cast.alpha.workspace) + timedelta(days=1)
    task = do_add_task(cast.alpha.client.membership, actor=cast.alpha.coach.membership,
                       title="Log three meals", due_on=tomorrow)  # fmt: skip
    client = cast.client_for(cast.alpha.client)
    assert "due tomorrow" in client.get("/me/").content.decode()
    response = client.post(f"/me/tasks/{task.pk}/", {"done": "on"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert (
        f'id="task-{task.pk}"' in response.content.decode()
        and "is-done" in response.content.decode()
    )
    task.refresh_from_db()
    assert task.done_at is not None
    client.post(f"/me/tasks/{task.pk}/", {})
    task.refresh_from_db()
    assert task.done_at is None


def test_only_the_client_ticks_their_own_tasks(cast):
    _link(cast)
    task = do_add_task(cast.alpha.client.membership, actor=cast.alpha.coach.membership,
                       title="Walk")  # fmt: skip
    assert (
        cast.client_for(cast.alpha.other_client)
        .post(f"/me/tasks/{task.pk}/", {"done": "on"})
        .status_code
        == 404
    )
    assert (
        cast.client_for(cast.alpha.coach).post(f"/me/tasks/{task.pk}/", {"done": "on"}).status_code
        == 403
    )
    with pytest.raises(ValidationError):
        do_tick_task(task, actor=cast.alpha.coach.membership, done=True)
    assert ClientTask.objects.get().done_at is None


def test_private_notes_are_never_shown_to_the_client(cast):
    _link(cast)
    me = cast.alpha.client.membership
    do_add_client_note(me, actor=cast.alpha.coach.membership, body="Great week!", shared=True)
    do_add_client_note(me, actor=cast.alpha.coach.membership, body="Watch the knee.")
    page = cast.client_for(cast.alpha.client).get("/me/").content.decode()
    assert "Great week!" in page and "Watch the knee." not in page
    other = cast.client_for(cast.alpha.other_client).get("/me/").content.decode()
    assert "Great week!" not in other


def test_the_cards_stay_flat_as_tasks_and_notes_grow(cast):
    _link(cast)
    do_save_greeting(cast.alpha.coach.membership, actor=None, text="Hello")
    client = cast.client_for(cast.alpha.client)
    me, coach = cast.alpha.client.membership, cast.alpha.coach.membership

    def grow() -> None:
        for n in range(15):
            do_add_task(me, actor=coach, title=f"Task {n}")
            do_add_client_note(me, actor=coach, body=f"Note {n}", shared=n % 2 == 0)

    assert assert_flat_queries(lambda: client.get("/me/"), grow) == 12
