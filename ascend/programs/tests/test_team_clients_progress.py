"""Team portal: clients (list, add, enrol, unenrol, memberships) and the progress table."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.http import StreamingHttpResponse
from django.test import Client
from django.utils import timezone

from ascend.accounts.models import User
from ascend.activity.models import Event
from ascend.billing.actions import do_save_plan, do_subscribe
from ascend.billing.models import Subscription
from ascend.programs import actions
from ascend.programs.actions_clients import do_add_client
from ascend.programs.models import CheckIn, Cohort, Enrollment
from ascend.tenancy.models import Membership
from ascend.tenancy.roles import Role
from ascend.testing import assert_flat_queries, assert_num_queries, make_person

from .test_team_programs import EVERYONE, enrol, make_cohort, make_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(cast):
    return make_program(cast.alpha)


@pytest.fixture
def cohort(cast, program):
    return make_cohort(program, cast.alpha.coach.membership)


def client_pages(cast):
    client = cast.alpha.client.membership
    return ["/team/clients/", "/team/clients/new/", f"/team/clients/{client.pk}/",
            "/team/progress/", "/team/progress/export.csv"]  # fmt: skip


def test_each_role_gets_the_client_pages_or_a_403(cast, cohort):
    for path in client_pages(cast):
        for role in EVERYONE:
            status = cast.client_for(getattr(cast.alpha, role)).get(path).status_code
            assert status == (200 if role in {"owner", "admin"} else 403), f"{role} {path}"
        assert Client(HTTP_HOST=cast.alpha.host).get(path).status_code == 302
        assert cast.client_for(cast.beta.owner, cast.alpha.workspace).get(path).status_code == 404


def test_clients_and_enrolments_of_beta_are_404_here(cast, cohort):
    beta_program = make_program(cast.beta)
    beta_enrollment = enrol(make_cohort(beta_program, cast.beta.coach.membership), cast.beta.client)
    owner = cast.client_for(cast.alpha.owner)
    assert owner.get(f"/team/clients/{cast.beta.client.membership.pk}/").status_code == 404
    assert owner.get(f"/team/clients/{cast.alpha.coach.membership.pk}/").status_code == 404
    assert owner.post(f"/team/enrolments/{beta_enrollment.pk}/end/").status_code == 404
    beta_enrollment.refresh_from_db()
    assert beta_enrollment.is_active
    response = owner.post(
        f"/team/clients/{cast.alpha.client.membership.pk}/enrol/",
        {"cohort": beta_enrollment.cohort_id},
    )
    assert response.status_code == 422
    assert not Enrollment.objects.filter(client=cast.alpha.client.membership).exists()


def test_the_client_list_searches_filters_and_paginates(cast, program, cohort):
    enrol(cohort, cast.alpha.client)
    other = make_program(cast.alpha, "Sleep Better")
    enrol(make_cohort(other, cast.alpha.other_coach.membership, "Owls"), cast.alpha.other_client)
    owner = cast.client_for(cast.alpha.owner)
    one, two = (f"<td>{p.email}</td>" for p in (cast.alpha.client, cast.alpha.other_client))

    def listed(query):
        page = owner.get(f"/team/clients/{query}").content.decode()
        return (one in page, two in page)

    page = owner.get("/team/clients/").content.decode()
    assert one in page and two in page
    assert cast.beta.client.email not in page and cast.alpha.coach.email not in page
    assert listed("?q=other") == (False, True)
    assert listed("?q=ALPHA CLIENT") == (True, False)
    assert listed(f"?program={program.pk}") == (True, False)
    assert listed(f"?coach={cast.alpha.other_coach.membership.pk}") == (False, True)
    assert "No client matches" in owner.get("/team/clients/?q=nobody-at-all").content.decode()
    for i in range(30):
        make_person(cast.alpha.workspace, {Role.CLIENT}, f"many{i:02}@alpha.test", f"Zz {i:02}")
    page = owner.get("/team/clients/").content.decode()
    assert "Page 1 of 2" in page and "many29@alpha.test" not in page
    page = owner.get("/team/clients/?page=2").content.decode()
    assert "many29@alpha.test" in page


def test_the_client_list_query_count_is_pinned_and_flat(cast, program, cohort):
    enrol(cohort, cast.alpha.client)
    owner = cast.client_for(cast.alpha.owner)
    owner.get("/team/clients/")
    with assert_num_queries(10):
        owner.get("/team/clients/")

    def grow():
        enrol(cohort, cast.alpha.other_client)
        for i in range(5):
            person = make_person(cast.alpha.workspace, {Role.CLIENT}, f"g{i}@alpha.test")
            enrol(
                make_cohort(make_program(cast.alpha, f"P{i}"), cast.alpha.coach.membership), person
            )

    assert_flat_queries(lambda: owner.get("/team/clients/"), grow)


def test_adding_a_client_by_hand(cast):
    response = cast.client_for(cast.alpha.admin).post(
        "/team/clients/new/", {"full_name": "Nia Lopes", "email": "Nia@Example.com"}
    )
    membership = Membership.objects.get(user__email="nia@example.com")
    assert response.status_code == 302 and response.url == f"/team/clients/{membership.pk}/"
    assert membership.workspace == cast.alpha.workspace and membership.roles == {Role.CLIENT}
    assert not membership.user.has_usable_password()
    event = Event.objects.get(verb="client.added")
    assert event.actor == cast.alpha.admin.user and event.target_label == "Nia Lopes"


def test_a_person_from_another_workspace_keeps_one_account(cast):
    do_add_client(cast.alpha.workspace, actor=None, full_name="x", email=cast.beta.coach.email)
    assert User.objects.filter(email=cast.beta.coach.email).count() == 1
    assert Membership.objects.get(
        workspace=cast.alpha.workspace, user=cast.beta.coach.user
    ).is_client


def test_an_email_that_is_already_a_member_is_refused_at_the_field(cast):
    client = cast.client_for(cast.alpha.owner)
    for email in (cast.alpha.client.email, cast.alpha.coach.email.upper()):
        response = client.post("/team/clients/new/", {"full_name": "Again", "email": email})
        assert response.status_code == 422
        page = response.content.decode()
        assert 'id="id_email_errors"' in page and "already a member" in page
        assert 'value="Again"' in page
    assert not Event.objects.filter(verb="client.added").exists()
    response = client.post("/team/clients/new/", {"full_name": "", "email": "nope"})
    assert response.status_code == 422 and 'id="id_full_name_errors"' in response.content.decode()


def test_the_client_page_shows_enrolments_with_progress_and_history(cast, program, cohort):
    enrollment = enrol(cohort, cast.alpha.client)
    actions.do_set_milestone_done(
        enrollment, program.milestones.get(), True, actor=cast.alpha.client.user
    )
    old = make_program(cast.alpha, "Old Program")
    ended = enrol(make_cohort(old, cast.alpha.coach.membership, "Old"), cast.alpha.client)
    actions.do_unenroll(ended, actor=None)
    page = (
        cast.client_for(cast.alpha.owner)
        .get(f"/team/clients/{cast.alpha.client.membership.pk}/")
        .content.decode()
    )
    table = page.split('data-testid="enrolments"')[1]
    assert "Strong Start" in table and "Old Program" in table and "Ended" in table
    assert '<progress class="meter" max="100" value="' in table
    assert "1 of 1 milestone<" in table
    assert table.count("Unenrol</button>") == 1  # only the active one
    assert "data-confirm=" in table


def test_enrolling_from_the_client_page(cast, cohort):
    client = cast.alpha.client.membership
    response = cast.client_for(cast.alpha.owner).post(
        f"/team/clients/{client.pk}/enrol/", {"cohort": cohort.pk}
    )
    assert response.status_code == 302
    assert Enrollment.objects.get(client=client).cohort == cohort


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("full", "This cohort is full."),
        ("started", "This cohort has already started"),
        ("closed", "This cohort is closed for enrolment."),
        ("draft", "The program isn&#x27;t published yet."),
    ],
)
def test_a_refused_enrolment_shows_the_reason_at_the_cohort_field(
    cast, program, cohort, setup, message
):
    if setup == "full":
        Cohort.objects.filter(pk=cohort.pk).update(capacity=1)
        enrol(cohort, cast.alpha.other_client)
    elif setup == "started":
        Cohort.objects.filter(pk=cohort.pk).update(
            kind="fixed", start_date=timezone.localdate() - timedelta(days=1)
        )
    elif setup == "closed":
        Cohort.objects.filter(pk=cohort.pk).update(is_open=False)
    else:
        program.status = "draft"
        program.save()
    client = cast.alpha.client.membership
    response = cast.client_for(cast.alpha.owner).post(
        f"/team/clients/{client.pk}/enrol/", {"cohort": cohort.pk}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_cohort_errors"' in page and message in page
    assert not Enrollment.objects.filter(client=client).exists()


def test_enrolling_twice_in_a_program_is_refused_with_the_reason(cast, program, cohort):
    enrol(cohort, cast.alpha.client)
    second = make_cohort(program, cast.alpha.other_coach.membership, "Second")
    response = cast.client_for(cast.alpha.owner).post(
        f"/team/clients/{cast.alpha.client.membership.pk}/enrol/", {"cohort": second.pk}
    )
    assert response.status_code == 422 and "already enrolled" in response.content.decode()


def test_unenrolling_keeps_the_history(cast, program, cohort):
    enrollment = enrol(cohort, cast.alpha.client)
    CheckIn.objects.create(workspace=cast.alpha.workspace, enrollment=enrollment,
                           habit=program.habits.get(), due_date=enrollment.start_date)  # fmt: skip
    owner = cast.client_for(cast.alpha.owner)
    response = owner.post(f"/team/enrolments/{enrollment.pk}/end/", follow=True)
    assert "Their progress stays on record" in response.content.decode()
    enrollment.refresh_from_db()
    assert enrollment.ended_at is not None and enrollment.ended_by == cast.alpha.owner.user
    assert CheckIn.objects.filter(enrollment=enrollment).exists()
    response = owner.post(f"/team/enrolments/{enrollment.pk}/end/", follow=True)
    assert "already ended" in response.content.decode()


def test_subscribing_and_unsubscribing_by_hand(cast, program, cohort):
    plan = do_save_plan(cast.alpha.workspace, actor=None, name="Gold", programs=[program])
    client = cast.alpha.client.membership
    owner = cast.client_for(cast.alpha.owner)
    response = owner.post(f"/team/clients/{client.pk}/subscribe/", {"plan": plan.pk})
    assert response.status_code == 302
    subscription = Subscription.objects.get(client=client)
    assert Enrollment.objects.get(client=client).subscription == subscription
    response = owner.post(f"/team/clients/{client.pk}/subscribe/", {"plan": plan.pk})
    assert (
        response.status_code == 422 and "already has this membership" in response.content.decode()
    )
    owner.post(f"/team/subscriptions/{subscription.pk}/end/")
    subscription.refresh_from_db()
    assert subscription.ended_at is not None
    assert not Enrollment.objects.filter(client=client, ended_at__isnull=True).exists()
    page = owner.get(f"/team/clients/{client.pk}/").content.decode()
    assert "Gold" in page.split('data-testid="subscriptions"')[1]


def test_a_subscription_of_beta_cannot_be_ended_here(cast):
    beta_program = make_program(cast.beta)
    make_cohort(beta_program, cast.beta.coach.membership)
    plan = do_save_plan(cast.beta.workspace, actor=None, name="B", programs=[beta_program])
    subscription = do_subscribe(plan, cast.beta.client.membership, actor=None)
    response = cast.client_for(cast.alpha.owner).post(f"/team/subscriptions/{subscription.pk}/end/")
    assert response.status_code == 404
    subscription.refresh_from_db()
    assert subscription.ended_at is None


def test_the_client_page_query_count_is_pinned_and_flat(cast, program, cohort):
    enrol(cohort, cast.alpha.client)
    owner = cast.client_for(cast.alpha.owner)
    path = f"/team/clients/{cast.alpha.client.membership.pk}/"
    owner.get(path)
    with assert_num_queries(15):
        owner.get(path)

    def grow():
        for i in range(3):
            p = make_program(cast.alpha, f"More {i}")
            for d in range(5):
                actions.do_save_habit(p, actor=None, title=f"H{d}", schedule="daily")
            e = enrol(make_cohort(p, cast.alpha.coach.membership, f"C{i}"), cast.alpha.client)
            for d in range(3):
                CheckIn.objects.create(
                    workspace=cast.alpha.workspace,
                    enrollment=e,
                    habit=p.habits.first(),
                    due_date=e.start_date + timedelta(d),
                )

    assert_flat_queries(lambda: owner.get(path), grow)


# Progress ----------------------------------------------------------------------------------


def test_the_progress_table_shows_progress_and_off_track(cast, program, cohort):
    enrollment = enrol(cohort, cast.alpha.client)
    Enrollment.objects.filter(pk=enrollment.pk).update(
        start_date=timezone.localdate() - timedelta(days=10)
    )
    enrol(make_cohort(program, cast.alpha.other_coach.membership, "B"), cast.alpha.other_client)
    page = cast.client_for(cast.alpha.owner).get("/team/progress/").content.decode()
    table = page.split('data-testid="progress"')[1]
    assert (
        cast.alpha.client.user.full_name in table
        and cast.alpha.other_client.user.full_name in table
    )
    assert "Off track" in table  # ten days of the daily habit missed
    assert table.count('<progress class="meter"') == 2


def test_the_progress_table_filters_and_searches(cast, program, cohort):
    enrol(cohort, cast.alpha.client)
    enrol(make_cohort(make_program(cast.alpha, "Sleep"), cast.alpha.other_coach.membership, "B"),
          cast.alpha.other_client)  # fmt: skip
    owner = cast.client_for(cast.alpha.owner)
    coach = cast.alpha.other_coach.membership.pk
    for query, shown, hidden in [
        (f"coach={coach}", cast.alpha.other_client, cast.alpha.client),
        (f"program={program.pk}", cast.alpha.client, cast.alpha.other_client),
        ("q=other", cast.alpha.other_client, cast.alpha.client),
    ]:
        page = owner.get(f"/team/progress/?{query}").content.decode().split("<tbody>")[1]
        assert shown.user.full_name + "<" in page and hidden.user.full_name + "<" not in page
    page = owner.get(f"/team/progress/?coach={coach}").content.decode()
    assert f'href="/team/progress/export.csv?coach={coach}"' in page


def read_csv(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_the_csv_export_is_streamed_with_the_same_filters(cast, program, cohort):
    enrollment = enrol(cohort, cast.alpha.client)
    actions.do_set_milestone_done(enrollment, program.milestones.get(), True, actor=None)
    enrol(make_cohort(make_program(cast.alpha, "Sleep"), cast.alpha.other_coach.membership, "B"),
          cast.alpha.other_client)  # fmt: skip
    owner = cast.client_for(cast.alpha.owner)
    response = owner.get("/team/progress/export.csv")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv"
    assert "attachment;" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == ["Client", "Email", "Program", "Cohort", "Coach", "Start date",
                       "Progress %", "Off track"]  # fmt: skip
    assert len(rows) == 3
    mine = next(r for r in rows if r[1] == cast.alpha.client.email)
    assert mine[2:5] == ["Strong Start", "Spring", "Alpha Coach"]
    assert mine[5] == enrollment.start_date.isoformat()
    assert 0 < int(mine[6]) < 100 and mine[7] == "no"
    rows = read_csv(owner.get(f"/team/progress/export.csv?program={program.pk}"))
    assert [r[1] for r in rows[1:]] == [cast.alpha.client.email]


def test_the_csv_export_streams_in_batches(cast, program, cohort, monkeypatch):
    from ascend.programs import views_team

    monkeypatch.setattr(views_team, "CSV_BATCH", 2)
    for i in range(5):
        enrol(cohort, make_person(cast.alpha.workspace, {Role.CLIENT}, f"b{i}@alpha.test"))
    rows = read_csv(cast.client_for(cast.alpha.owner).get("/team/progress/export.csv"))
    assert sorted(r[1] for r in rows[1:]) == [f"b{i}@alpha.test" for i in range(5)]


def grow_progress(cast, program, cohort, n):
    """More clients, habits and check-ins: the progress pages must not run more queries."""
    state = {"i": 0}

    def grow():
        for _ in range(n):
            state["i"] += 1
            person = make_person(cast.alpha.workspace, {Role.CLIENT}, f"p{state['i']}@alpha.test")
            e = enrol(cohort, person)
            Enrollment.objects.filter(pk=e.pk).update(start_date=e.start_date - timedelta(days=5))
            for d in range(3):
                CheckIn.objects.create(workspace=cast.alpha.workspace, enrollment=e,
                                       habit=program.habits.first(),
                                       due_date=e.start_date - timedelta(days=d))  # fmt: skip

    return grow


def test_the_progress_table_query_count_is_pinned_and_flat(cast, program, cohort):
    from ascend.programs.models import Habit

    enrol(cohort, cast.alpha.client)
    owner = cast.client_for(cast.alpha.owner)
    owner.get("/team/progress/")
    with assert_num_queries(13):
        owner.get("/team/progress/")
    more_clients = grow_progress(cast, program, cohort, 8)

    def grow():
        more_clients()
        # The program is locked now (clients enrolled): add habits straight to the table.
        for d in range(4):
            Habit.objects.create(workspace=cast.alpha.workspace, program=program,
                                 title=f"Extra {d}", schedule="daily")  # fmt: skip

    assert_flat_queries(lambda: owner.get("/team/progress/"), grow)


def test_the_csv_export_query_count_is_flat(cast, program, cohort):
    enrol(cohort, cast.alpha.client)
    owner = cast.client_for(cast.alpha.owner)

    def export():
        read_csv(owner.get("/team/progress/export.csv"))

    export()
    with assert_num_queries(10):  # one batch: ids, enrolments, milestones, habits, 2 × progress
        export()

    assert_flat_queries(export, grow_progress(cast, program, cohort, 10))


def test_every_write_refuses_other_roles_and_asks_strangers_to_sign_in(cast, program, cohort):
    enrollment = enrol(cohort, cast.alpha.client)
    plan = do_save_plan(cast.alpha.workspace, actor=None, name="Gold", programs=[program])
    subscription = do_subscribe(plan, cast.alpha.other_client.membership, actor=None)
    milestone, habit = program.milestones.get(), program.habits.get()
    client_id, coach_id = cast.alpha.client.membership.pk, cast.alpha.coach.membership.pk
    writes = [
        "/team/programs/new/",
        f"/team/programs/{program.pk}/edit/",
        f"/team/programs/{program.pk}/delete/",
        f"/team/programs/{program.pk}/milestones/",
        f"/team/programs/{program.pk}/milestones/{milestone.pk}/",
        f"/team/programs/{program.pk}/milestones/{milestone.pk}/delete/",
        f"/team/programs/{program.pk}/habits/",
        f"/team/programs/{program.pk}/habits/{habit.pk}/",
        f"/team/programs/{program.pk}/habits/{habit.pk}/delete/",
        f"/team/programs/{program.pk}/cohorts/new/",
        f"/team/cohorts/{cohort.pk}/",
        "/team/coaches/",
        f"/team/coaches/{coach_id}/",
        "/team/clients/new/",
        f"/team/clients/{client_id}/enrol/",
        f"/team/clients/{client_id}/subscribe/",
        f"/team/enrolments/{enrollment.pk}/end/",
        f"/team/subscriptions/{subscription.pk}/end/",
        "/team/memberships/new/",
        f"/team/memberships/{plan.pk}/",
    ]
    for role in [r for r in EVERYONE if r not in {"owner", "admin"}]:
        browser = cast.client_for(getattr(cast.alpha, role))
        for path in writes:
            assert browser.post(path, {}).status_code == 403, f"{role} {path}"
    stranger = Client(HTTP_HOST=cast.alpha.host)
    beta_owner = cast.client_for(cast.beta.owner, cast.alpha.workspace)
    for path in writes:
        assert stranger.post(path, {}).status_code == 302, path
        assert beta_owner.post(path, {}).status_code == 404, path
    enrollment.refresh_from_db()
    subscription.refresh_from_db()
    program.refresh_from_db()
    assert enrollment.is_active and subscription.ended_at is None and program.archived_at is None
    assert program.milestones.count() == 1 and program.habits.count() == 1


def test_the_clients_list_exports_as_a_streamed_csv_with_the_same_filters(cast):
    from ascend.programs.actions import do_enroll
    from ascend.programs.testing import make_cohort, make_program

    program = make_program(cast.alpha.workspace, title="Mindful mornings")
    do_enroll(
        make_cohort(program, cast.alpha.coach.membership), cast.alpha.client.membership, actor=None
    )
    client = cast.client_for(cast.alpha.admin)
    response = client.get("/team/clients/export.csv")
    assert response.streaming and response["Content-Type"] == "text/csv"
    body = b"".join(response.streaming_content).decode()
    assert "Mindful mornings" in body and cast.alpha.client.email in body
    assert cast.beta.client.email not in body and cast.alpha.coach.email not in body
    filtered = b"".join(
        client.get("/team/clients/export.csv", {"q": "other"}).streaming_content
    ).decode()
    assert cast.alpha.other_client.email in filtered
    assert f",{cast.alpha.client.email}," not in filtered
    assert cast.client_for(cast.alpha.coach).get("/team/clients/export.csv").status_code == 403
