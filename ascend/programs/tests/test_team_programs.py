"""Team portal: the programs pages, milestones and habits on them, and the content lock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ascend.activity.models import Event
from ascend.programs import actions
from ascend.programs.models import Cohort, Habit, Milestone, Program
from ascend.testing import assert_flat_queries, assert_num_queries

pytestmark = pytest.mark.django_db

ALLOWED = {"owner", "admin"}
EVERYONE = ["owner", "admin", "coach", "other_coach", "head_coach", "supervisor", "attendant",
            "auditor", "operator", "client", "other_client"]  # fmt: skip


def make_program(crew, title="Strong Start", *, published=True, days=30, **fields) -> Program:
    program = actions.do_create_program(
        crew.workspace,
        actor=crew.owner.user,
        title=title,
        description="Twelve weeks of steady work.",
        duration_days=days,
        status="published" if published else "draft",
        **fields,
    )
    actions.do_save_milestone(program, actor=None, title="First check", due_after_days=7)
    actions.do_save_habit(program, actor=None, title="Walk", schedule="daily")
    return program


def make_cohort(program, coach, name="Spring", **fields) -> Cohort:
    values = {"name": name, "coach": coach, "kind": "rolling"}
    values.update(fields)
    return actions.do_save_cohort(program, actor=None, **values)


def enrol(cohort, person):
    return actions.do_enroll(cohort, person.membership, actor=None)


@pytest.fixture
def program(cast):
    return make_program(cast.alpha)


@pytest.fixture
def cohort(cast, program):
    return make_cohort(program, cast.alpha.coach.membership)


def pages(program, cohort):
    return [
        "/team/programs/",
        "/team/programs/new/",
        f"/team/programs/{program.pk}/",
        f"/team/programs/{program.pk}/edit/",
        f"/team/programs/{program.pk}/cohorts/new/",
        "/team/cohorts/",
        f"/team/cohorts/{cohort.pk}/",
    ]


def test_each_role_gets_the_program_pages_or_a_403(cast, program, cohort):
    for path in pages(program, cohort):
        for role in EVERYONE:
            status = cast.client_for(getattr(cast.alpha, role)).get(path).status_code
            assert status == (200 if role in ALLOWED else 403), f"{role} on {path}: {status}"


def test_anonymous_visitors_are_sent_to_sign_in(cast, program, cohort):
    for path in pages(program, cohort):
        response = Client(HTTP_HOST=cast.alpha.host).get(path)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_member_of_beta_gets_404_on_alpha_pages_and_objects(cast, program, cohort):
    for path in pages(program, cohort):
        assert cast.client_for(cast.beta.owner, cast.alpha.workspace).get(path).status_code == 404
    beta = cast.client_for(cast.beta.owner)
    for path in pages(program, cohort)[2:5] + [f"/team/cohorts/{cohort.pk}/"]:
        assert beta.get(path).status_code == 404, path
    milestone = program.milestones.get()
    assert beta.post(f"/team/programs/{program.pk}/delete/").status_code == 404
    assert (
        beta.post(f"/team/programs/{program.pk}/milestones/{milestone.pk}/delete/").status_code
        == 404
    )
    assert Milestone.objects.filter(pk=milestone.pk).exists()


def test_the_list_shows_status_clients_enrolled_and_cohorts(cast, program, cohort):
    enrol(cohort, cast.alpha.client)
    make_program(cast.alpha, "Quiet Draft", published=False)
    make_program(cast.beta, "Beta Only")
    page = cast.client_for(cast.alpha.admin).get("/team/programs/").content.decode()
    assert "Strong Start" in page and "Quiet Draft" in page and "Beta Only" not in page
    assert "Published" in page and "Draft" in page
    row = page.split("Strong Start", 2)[1].split("</tr>")[0]
    assert "<td>1</td>" in row


def test_the_list_has_an_empty_state_that_says_what_to_do(cast):
    page = cast.client_for(cast.alpha.owner).get("/team/programs/").content.decode()
    assert "No programs yet" in page and "Create your first program" in page


def test_the_program_list_query_count_is_pinned_and_flat(cast, program):
    client = cast.client_for(cast.alpha.owner)
    client.get("/team/programs/")
    with assert_num_queries(6):
        client.get("/team/programs/")

    def grow():
        for i in range(5):
            p = make_program(cast.alpha, f"Extra {i}")
            enrol(make_cohort(p, cast.alpha.coach.membership, f"C{i}"), cast.alpha.other_client)

    assert_flat_queries(lambda: client.get("/team/programs/"), grow)


def test_the_program_page_query_count_is_pinned_and_flat(cast, program, cohort):
    client = cast.client_for(cast.alpha.owner)
    path = f"/team/programs/{program.pk}/"
    client.get(path)
    with assert_num_queries(10):
        client.get(path)

    def grow():
        for i in range(4):
            actions.do_save_milestone(program, actor=None, title=f"M{i}", due_after_days=i)
            actions.do_save_habit(program, actor=None, title=f"H{i}", schedule="weekdays",
                                  weekdays="13")  # fmt: skip
            make_cohort(program, cast.alpha.other_coach.membership, f"C{i}")
        enrol(cohort, cast.alpha.client)

    assert_flat_queries(lambda: client.get(path), grow)


def test_creating_a_program_records_it_and_opens_its_page(cast):
    response = cast.client_for(cast.alpha.admin).post(
        "/team/programs/new/",
        {"title": "Run 5k", "description": "", "duration_days": "42", "status": "draft"},
    )
    program = Program.objects.get(title="Run 5k")
    assert response.status_code == 302 and response.url == f"/team/programs/{program.pk}/"
    assert program.workspace == cast.alpha.workspace and program.duration_days == 42
    assert Event.objects.filter(verb="program.created", target_id=str(program.pk)).exists()


def test_bad_program_input_is_422_at_the_field_and_keeps_what_was_typed(cast):
    response = cast.client_for(cast.alpha.owner).post(
        "/team/programs/new/",
        {"title": "Run 5k", "duration_days": "0", "status": "draft"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_duration_days_errors"' in page and 'value="Run 5k"' in page
    assert not Program.objects.exists()


def test_editing_a_program(cast, program):
    response = cast.client_for(cast.alpha.owner).post(
        f"/team/programs/{program.pk}/edit/",
        {"title": "Strong Finish", "description": "x", "duration_days": "60", "status": "draft"},
    )
    assert response.status_code == 302
    program.refresh_from_db()
    assert (program.title, program.duration_days, program.status) == (
        "Strong Finish",
        60,
        "draft",
    )


def test_a_locked_program_says_why_and_nothing_changes(cast, program, cohort):
    enrol(cohort, cast.alpha.client)
    client = cast.client_for(cast.alpha.admin)
    page = client.get(f"/team/programs/{program.pk}/").content.decode()
    assert 'data-testid="lock-notice"' in page and "content is locked" in page
    response = client.post(
        f"/team/programs/{program.pk}/edit/",
        {"title": "Renamed", "description": "", "duration_days": "30", "status": "published"},
    )
    assert response.status_code == 422
    assert "content is locked" in response.content.decode()
    assert 'value="Renamed"' in response.content.decode()
    program.refresh_from_db()
    assert program.title == "Strong Start"
    for path, data in [
        (
            f"/team/programs/{program.pk}/milestones/",
            {"milestone-title": "New", "milestone-due_after_days": "3"},
        ),
        (
            f"/team/programs/{program.pk}/habits/",
            {"habit-title": "Read", "habit-schedule": "daily"},
        ),
    ]:
        response = client.post(path, data)
        assert response.status_code == 422
        assert "content is locked" in response.content.decode()
    milestone = program.milestones.get()
    response = client.post(f"/team/programs/{program.pk}/milestones/{milestone.pk}/delete/")
    assert response.status_code == 302
    assert Milestone.objects.filter(pk=milestone.pk).exists()
    assert program.milestones.count() == 1 and program.habits.count() == 1
    # Adding a cohort still works.
    response = client.post(
        f"/team/programs/{program.pk}/cohorts/new/",
        {"name": "Autumn", "coach": cast.alpha.other_coach.membership.pk, "kind": "rolling",
         "is_open": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    assert program.cohorts.filter(name="Autumn").exists()


def test_a_locked_program_can_still_be_unpublished(cast, program, cohort):
    enrol(cohort, cast.alpha.client)
    response = cast.client_for(cast.alpha.owner).post(
        f"/team/programs/{program.pk}/edit/",
        {"title": program.title, "description": program.description, "duration_days": "30",
         "status": "draft"},
    )  # fmt: skip
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.status == "draft"


def test_deleting_a_program_without_active_enrolments_archives_it(cast, program, cohort):
    response = cast.client_for(cast.alpha.owner).post(f"/team/programs/{program.pk}/delete/")
    assert response.status_code == 302 and response.url == "/team/programs/"
    program.refresh_from_db()
    assert program.archived_at is not None
    assert cast.client_for(cast.alpha.owner).get(f"/team/programs/{program.pk}/").status_code == 404


def test_deleting_a_program_with_active_enrolments_is_refused_with_the_reason(
    cast, program, cohort
):
    enrol(cohort, cast.alpha.client)
    client = cast.client_for(cast.alpha.owner)
    page = client.get(f"/team/programs/{program.pk}/").content.decode()
    assert "data-confirm=" in page  # asks once
    response = client.post(f"/team/programs/{program.pk}/delete/", follow=True)
    assert "has active enrolments and can" in response.content.decode()
    program.refresh_from_db()
    assert program.archived_at is None


def test_milestones_are_added_edited_and_removed(cast, program):
    client = cast.client_for(cast.alpha.owner)
    base = f"/team/programs/{program.pk}/milestones/"
    added = client.post(base, {"milestone-title": "Halfway", "milestone-due_after_days": "15"})
    assert added.status_code == 302
    milestone = program.milestones.get(title="Halfway")
    assert client.get(f"{base}{milestone.pk}/").status_code == 200
    prefix = f"milestone-{milestone.pk}"
    response = client.post(
        f"{base}{milestone.pk}/", {f"{prefix}-title": "Midway", f"{prefix}-due_after_days": "14"}
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.title, milestone.due_after_days) == ("Midway", 14)
    assert client.post(f"{base}{milestone.pk}/delete/").status_code == 302
    assert not Milestone.objects.filter(pk=milestone.pk).exists()


def test_a_milestone_beyond_the_program_is_422_at_the_field(cast, program):
    response = cast.client_for(cast.alpha.owner).post(
        f"/team/programs/{program.pk}/milestones/",
        {"milestone-title": "Far", "milestone-due_after_days": "99"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_milestone-due_after_days_errors"' in page and "The program lasts 30 days" in page
    assert not program.milestones.filter(title="Far").exists()


def test_htmx_answers_with_the_section_only(cast, program):
    client = cast.client_for(cast.alpha.owner)
    response = client.post(
        f"/team/programs/{program.pk}/milestones/",
        {"milestone-title": "Halfway", "milestone-due_after_days": "15"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert response.status_code == 200 and page.startswith('<section class="card" id="milestones">')
    assert "Halfway" in page and "<html" not in page
    response = client.post(
        f"/team/programs/{program.pk}/milestones/",
        {"milestone-title": "", "milestone-due_after_days": "15"},
        HTTP_HX_REQUEST="true",
    )
    assert 'id="id_milestone-title_errors"' in response.content.decode()


def test_habits_with_each_schedule(cast, program):
    client = cast.client_for(cast.alpha.owner)
    base = f"/team/programs/{program.pk}/habits/"
    client.post(base, {"habit-title": "Stretch", "habit-schedule": "weekdays",
                       "habit-weekdays": ["0", "2", "4"], "habit-duration_days": "14"})  # fmt: skip
    client.post(base, {"habit-title": "Weigh in", "habit-schedule": "every_n_days",
                       "habit-interval_days": "7"})  # fmt: skip
    stretch = Habit.objects.get(title="Stretch")
    weigh = Habit.objects.get(title="Weigh in")
    assert (stretch.weekdays, stretch.duration_days) == ("024", 14)
    assert (weigh.interval_days, weigh.duration_days) == (7, None)
    page = client.get(f"/team/programs/{program.pk}/").content.decode()
    assert "Mon, Wed, Fri · for 14 days" in page
    assert "Every 7 days · until the program ends" in page
    prefix = f"habit-{stretch.pk}"
    client.post(
        f"{base}{stretch.pk}/", {f"{prefix}-title": "Stretch", f"{prefix}-schedule": "daily"}
    )
    stretch.refresh_from_db()
    assert (stretch.schedule, stretch.weekdays, stretch.duration_days) == ("daily", "", None)


def test_bad_habits_are_422_at_the_field_and_change_nothing(cast, program):
    client = cast.client_for(cast.alpha.owner)
    base = f"/team/programs/{program.pk}/habits/"
    cases = [
        (
            {"habit-title": "A", "habit-schedule": "weekdays"},
            "weekdays",
            "Choose at least one weekday",
        ),
        (
            {"habit-title": "B", "habit-schedule": "every_n_days"},
            "interval_days",
            "every how many days",
        ),
        (
            {"habit-title": "C", "habit-schedule": "daily", "habit-duration_days": "0"},
            "duration_days",
            "",
        ),
    ]
    for data, field, message in cases:
        response = client.post(base, data)
        assert response.status_code == 422, data
        page = response.content.decode()
        assert f'id="id_habit-{field}_errors"' in page, data
        assert message in page
    assert program.habits.count() == 1


def test_program_verbs_read_well_in_the_activity_feed(cast, program, cohort):
    enrol(cohort, cast.alpha.client)
    page = cast.client_for(cast.alpha.owner).get("/team/activity/").content.decode()
    assert "Program created" in page and "Cohort created" in page and "Client enrolled" in page
    page = cast.client_for(cast.alpha.owner).get("/team/activity/?type=client.enrolled").content
    assert b"Client enrolled" in page and b"Program created</span>" not in page


def test_past_dates_only_refuse_new_start_dates(cast, program):
    yesterday = timezone.localdate() - timedelta(days=1)
    response = cast.client_for(cast.alpha.owner).post(
        f"/team/programs/{program.pk}/cohorts/new/",
        {"name": "Late", "coach": cast.alpha.coach.membership.pk, "kind": "fixed",
         "start_date": yesterday.isoformat()},
    )  # fmt: skip
    assert response.status_code == 422
    assert 'id="id_start_date_errors"' in response.content.decode()
    assert not Cohort.objects.filter(name="Late").exists()
