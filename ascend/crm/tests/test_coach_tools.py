"""The coach's side: the greeting, and tasks and notes on a client's contact page.

Rules: coaches only for their own clients, admins for all clients of the workspace.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ascend.crm.actions_client import do_add_client_note, do_add_task, do_save_greeting
from ascend.crm.models import ClientNote, ClientTask, CoachGreeting, Contact, ContactStatus

from .crm_world import contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_client(cast):
    """The cast's client as the coach's contact who accepted their invitation."""
    row = contact(cast.alpha.workspace, cast.alpha.client.email,
                  coach=cast.alpha.coach.membership)  # fmt: skip
    Contact.objects.filter(pk=row.pk).update(
        member=cast.alpha.client.membership, status=ContactStatus.ACTIVE
    )
    return row


def test_a_coach_writes_their_greeting_in_markdown_and_sees_it_as_clients_will(cast):
    coach = cast.client_for(cast.alpha.coach)
    response = coach.post("/coach/greeting/", {"text": "Hello **there**<script>x()</script>"})
    assert response.status_code == 302
    greeting = CoachGreeting.objects.get()
    assert "<strong>there</strong>" in greeting.text_html and "<script" not in greeting.text_html
    page = coach.get("/coach/greeting/").content.decode()
    assert 'data-testid="greeting-preview"' in page and "<strong>there</strong>" in page
    coach.post("/coach/greeting/", {"text": ""})
    assert not CoachGreeting.objects.exists()


def test_only_coaches_have_a_greeting(cast):
    with pytest.raises(ValidationError):
        do_save_greeting(cast.alpha.admin.membership, actor=None, text="Hi")


def test_a_coach_adds_a_task_and_notes_from_their_clients_contact_page(cast, own_client):
    coach = cast.client_for(cast.alpha.coach)
    page = coach.get(f"/coach/contacts/{own_client.pk}/").content.decode()
    assert 'data-testid="tasks"' in page and 'data-testid="notes"' in page
    task_form = {"task-title": "Walk 20 minutes", "task-due_on": "2030-01-15"}
    response = coach.post(f"/coach/contacts/{own_client.pk}/tasks/", task_form)
    assert response.status_code == 302
    task = ClientTask.objects.get()
    assert task.client == cast.alpha.client.membership and task.coach == cast.alpha.coach.membership
    coach.post(f"/coach/contacts/{own_client.pk}/notes/", {"note-body": "Private thought"})
    coach.post(f"/coach/contacts/{own_client.pk}/notes/",
               {"note-body": "Shared *tip*", "note-shared": "on"})  # fmt: skip
    assert list(ClientNote.objects.order_by("id").values_list("shared", flat=True)) == [
        False, True
    ]  # fmt: skip
    page = coach.get(f"/coach/contacts/{own_client.pk}/").content.decode()
    assert "Walk 20 minutes" in page and "Private thought" in page and "<em>tip</em>" in page


def test_an_empty_task_is_refused_at_the_field(cast, own_client):
    response = cast.client_for(cast.alpha.coach).post(
        f"/coach/contacts/{own_client.pk}/tasks/", {"task-title": ""}
    )
    assert response.status_code == 422
    assert 'id="id_task-title_errors"' in response.content.decode()
    assert not ClientTask.objects.exists()


def test_an_admin_gives_tasks_and_notes_to_any_client_as_the_clients_coach(cast, own_client):
    admin = cast.client_for(cast.alpha.admin)
    admin.post(f"/team/crm/{own_client.pk}/tasks/", {"task-title": "Sleep by 11"})
    task = ClientTask.objects.get()
    assert task.coach == cast.alpha.coach.membership
    admin.post(f"/team/crm/{own_client.pk}/notes/", {"note-body": "Checked in"})
    assert ClientNote.objects.get().coach == cast.alpha.coach.membership


def test_another_coach_can_neither_see_nor_write_for_the_client(cast, own_client):
    other = cast.client_for(cast.alpha.other_coach)
    assert other.get(f"/coach/contacts/{own_client.pk}/").status_code == 404
    assert other.post(f"/coach/contacts/{own_client.pk}/tasks/",
                      {"task-title": "Nope"}).status_code == 404  # fmt: skip
    client = cast.alpha.client.membership
    with pytest.raises(ValidationError):
        do_add_task(client, actor=cast.alpha.other_coach.membership, title="Nope")
    with pytest.raises(ValidationError):
        do_add_client_note(client, actor=cast.alpha.other_coach.membership, body="Nope")
    with pytest.raises(ValidationError):
        do_add_task(client, actor=cast.alpha.auditor.membership, title="Nope")
    assert not ClientTask.objects.exists() and not ClientNote.objects.exists()


def test_a_coach_may_coach_the_clients_of_their_cohorts(cast):
    from ascend.programs.tests.portal_fixtures import cohort_for, enrol, program_with

    program = program_with(cast.alpha.workspace, habits=1)
    enrol(cohort_for(program, cast.alpha.other_coach), cast.alpha.client)
    task = do_add_task(cast.alpha.client.membership, actor=cast.alpha.other_coach.membership,
                       title="Stretch")  # fmt: skip
    assert task.coach == cast.alpha.other_coach.membership


def test_a_contact_who_is_not_a_client_has_no_tasks_or_notes(cast):
    lead = contact(cast.alpha.workspace, coach=cast.alpha.coach.membership)
    coach = cast.client_for(cast.alpha.coach)
    assert 'data-testid="tasks"' not in coach.get(f"/coach/contacts/{lead.pk}/").content.decode()
    assert coach.post(f"/coach/contacts/{lead.pk}/tasks/",
                      {"task-title": "x"}).status_code == 403  # fmt: skip
