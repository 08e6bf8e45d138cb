"""Team portal: the cohorts list and form, the coaches list and a coach's page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ascend.activity.models import Event
from ascend.programs.models import CheckIn, Cohort
from ascend.testing import assert_flat_queries, assert_num_queries

from .test_team_programs import EVERYONE, enrol, make_cohort, make_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(cast):
    return make_program(cast.alpha)


@pytest.fixture
def cohort(cast, program):
    return make_cohort(program, cast.alpha.coach.membership)


def cohort_data(coach, **overrides):
    data = {"name": "Summer", "coach": coach.membership.pk, "kind": "rolling", "is_open": "on",
            "messaging_enabled": "on"}  # fmt: skip
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_each_role_gets_the_coach_pages_or_a_403(cast):
    coach = cast.alpha.coach.membership
    for path in ["/team/coaches/", f"/team/coaches/{coach.pk}/"]:
        for role in EVERYONE:
            status = cast.client_for(getattr(cast.alpha, role)).get(path).status_code
            assert status == (200 if role in {"owner", "admin"} else 403), f"{role} {path}"
        assert Client(HTTP_HOST=cast.alpha.host).get(path).status_code == 302
        assert cast.client_for(cast.beta.owner, cast.alpha.workspace).get(path).status_code == 404


def test_a_coach_of_beta_or_a_non_coach_has_no_coach_page_here(cast):
    owner = cast.client_for(cast.alpha.owner)
    assert owner.get(f"/team/coaches/{cast.beta.coach.membership.pk}/").status_code == 404
    assert owner.get(f"/team/coaches/{cast.alpha.client.membership.pk}/").status_code == 404


def test_creating_a_fixed_cohort_from_the_program_page(cast, program):
    start = timezone.localdate() + timedelta(days=10)
    response = cast.client_for(cast.alpha.admin).post(
        f"/team/programs/{program.pk}/cohorts/new/",
        cohort_data(cast.alpha.coach, kind="fixed", start_date=start.isoformat(), capacity="12",
                    appointments_enabled="on", booking_url="https://cal.example.com/coach"),
    )  # fmt: skip
    assert response.status_code == 302
    cohort = Cohort.objects.get(name="Summer")
    assert (cohort.kind, cohort.start_date, cohort.capacity) == ("fixed", start, 12)
    assert cohort.appointments_enabled and cohort.booking_url == "https://cal.example.com/coach"
    assert cohort.coach == cast.alpha.coach.membership


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"kind": "fixed", "start_date": "2000-01-01"}, "start_date", "can&#x27;t be in the past"),
        ({"kind": "fixed"}, "start_date", "needs a start date"),
        ({"appointments_enabled": "on"}, "booking_url", "booking page"),
        ({"capacity": "0"}, "capacity", ""),
        ({"name": ""}, "name", ""),
    ],
)
def test_bad_cohorts_are_422_at_the_field_and_change_nothing(
    cast, program, overrides, field, message
):
    response = cast.client_for(cast.alpha.owner).post(
        f"/team/programs/{program.pk}/cohorts/new/", cohort_data(cast.alpha.coach, **overrides)
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert f'id="id_{field}_errors"' in page and message in page
    assert not Cohort.objects.exists()


def test_a_coach_of_another_workspace_or_a_non_coach_is_refused_at_the_coach_field(cast, program):
    client = cast.client_for(cast.alpha.owner)
    for person in (cast.beta.coach, cast.alpha.client):
        response = client.post(f"/team/programs/{program.pk}/cohorts/new/", cohort_data(person))
        assert response.status_code == 422 and 'id="id_coach_errors"' in response.content.decode()
    assert not Cohort.objects.exists()


def test_capacity_below_enrolled_is_refused_at_the_field(cast, program, cohort):
    enrol(cohort, cast.alpha.client)
    enrol(cohort, cast.alpha.other_client)
    response = cast.client_for(cast.alpha.owner).post(
        f"/team/cohorts/{cohort.pk}/", cohort_data(cast.alpha.coach, name="Spring", capacity="1")
    )
    assert response.status_code == 422
    assert "2 clients are already enrolled" in response.content.decode()
    cohort.refresh_from_db()
    assert cohort.capacity is None


def test_editing_a_cohort_keeps_its_past_start_date(cast, program):
    cohort = make_cohort(
        program, cast.alpha.coach.membership, kind="fixed",
        start_date=timezone.localdate() + timedelta(days=3),
    )  # fmt: skip
    Cohort.objects.filter(pk=cohort.pk).update(start_date=timezone.localdate() - timedelta(days=3))
    cohort.refresh_from_db()
    response = cast.client_for(cast.alpha.owner).post(
        f"/team/cohorts/{cohort.pk}/",
        cohort_data(cast.alpha.coach, name="Renamed", kind="fixed",
                    start_date=cohort.start_date.isoformat()),
    )  # fmt: skip
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert cohort.name == "Renamed"


def test_the_cohorts_list_filters_by_program_and_coach(cast, program, cohort):
    other = make_program(cast.alpha, "Sleep Better")
    make_cohort(other, cast.alpha.other_coach.membership, "Night Owls")
    make_cohort(make_program(cast.beta, "Beta"), cast.beta.coach.membership, "Beta Cohort")
    client = cast.client_for(cast.alpha.owner)
    page = client.get("/team/cohorts/").content.decode()
    assert "Spring" in page and "Night Owls" in page and "Beta Cohort" not in page
    page = client.get(f"/team/cohorts/?program={other.pk}").content.decode()
    assert "Night Owls" in page and ">Spring<" not in page
    page = client.get(f"/team/cohorts/?coach={cast.alpha.coach.membership.pk}").content.decode()
    assert ">Spring<" in page and "Night Owls" not in page
    page = client.get("/team/cohorts/?coach=999999").content.decode()
    assert "Spring" in page  # an unknown filter value shows everything rather than failing


def test_the_cohorts_list_has_an_empty_state(cast):
    page = cast.client_for(cast.alpha.owner).get("/team/cohorts/").content.decode()
    assert "No cohorts yet" in page and "Create a program first" in page


def test_the_cohorts_list_query_count_is_pinned_and_flat(cast, program, cohort):
    client = cast.client_for(cast.alpha.owner)
    client.get("/team/cohorts/")
    with assert_num_queries(8):
        client.get("/team/cohorts/")

    def grow():
        for i in range(4):
            c = make_cohort(program, cast.alpha.other_coach.membership, f"Extra {i}")
            enrol(c, cast.alpha.other_client) if i == 0 else None

    assert_flat_queries(lambda: client.get("/team/cohorts/"), grow)


def test_the_coaches_list_counts_cohorts_and_active_clients(cast, program, cohort):
    enrol(cohort, cast.alpha.client)
    enrol(make_cohort(make_program(cast.alpha, "Two"), cast.alpha.coach.membership, "B"),
          cast.alpha.client)  # fmt: skip
    page = cast.client_for(cast.alpha.owner).get("/team/coaches/").content.decode()
    row = page.split(cast.alpha.coach.email)[1].split("</tr>")[0]
    assert "<td>2</td><td>1</td>" in row  # two cohorts, one distinct client
    assert cast.beta.coach.email not in page
    assert 'href="/team/members/invite/?role=coach"' in page


def test_the_coaches_list_query_count_is_pinned_and_flat(cast, program, cohort):
    client = cast.client_for(cast.alpha.owner)
    client.get("/team/coaches/")
    with assert_num_queries(7):
        client.get("/team/coaches/")

    def grow():
        for i in range(3):
            make_cohort(program, cast.alpha.head_coach.membership, f"Extra {i}")
        enrol(cohort, cast.alpha.client)

    assert_flat_queries(lambda: client.get("/team/coaches/"), grow)


def test_an_existing_staff_member_becomes_a_coach(cast):
    supervisor = cast.alpha.supervisor.membership
    client = cast.client_for(cast.alpha.admin)
    page = client.get("/team/coaches/").content.decode()
    assert cast.alpha.supervisor.email in page
    assert cast.alpha.client.email not in page  # clients are not offered
    response = client.post("/team/coaches/", {"member": supervisor.pk})
    assert response.status_code == 302 and response.url == f"/team/coaches/{supervisor.pk}/"
    supervisor.refresh_from_db()
    assert supervisor.is_coach and supervisor.is_supervisor


def test_a_client_cannot_become_a_coach_and_reads_why(cast):
    response = cast.client_for(cast.alpha.admin).post(
        "/team/coaches/", {"member": cast.alpha.client.membership.pk}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_member_errors"' in page and "cannot also be its client" in page
    cast.alpha.client.membership.refresh_from_db()
    assert not cast.alpha.client.membership.is_coach


def test_a_member_of_beta_cannot_be_made_a_coach_here(cast):
    response = cast.client_for(cast.alpha.owner).post(
        "/team/coaches/", {"member": cast.beta.supervisor.membership.pk}
    )
    assert response.status_code == 422
    cast.beta.supervisor.membership.refresh_from_db()
    assert not cast.beta.supervisor.membership.is_coach


def test_the_invitation_page_preselects_the_coach_role(cast):
    page = cast.client_for(cast.alpha.owner).get("/team/members/invite/?role=coach").content
    page = page.decode()
    checked = [chunk for chunk in page.split("<input") if 'value="coach"' in chunk]
    assert checked and "checked" in checked[0]
    page = cast.client_for(cast.alpha.owner).get("/team/members/invite/?role=owner").content
    assert b"checked" not in page


def test_the_coach_page_lists_cohorts_and_most_active_clients(cast, program, cohort):
    enrol(cohort, cast.alpha.client)
    busy = enrol(cohort, cast.alpha.other_client)
    habit = program.habits.get()
    CheckIn.objects.create(workspace=cast.alpha.workspace, enrollment=busy, habit=habit,
                           due_date=busy.start_date)  # fmt: skip
    page = (
        cast.client_for(cast.alpha.owner)
        .get(f"/team/coaches/{cast.alpha.coach.membership.pk}/")
        .content.decode()
    )
    assert "Spring" in page
    table = page.split('data-testid="active-clients"')[1]
    assert table.index("Alpha Other Client") < table.index("Alpha Client<")


def test_the_coach_page_query_count_is_pinned_and_flat(cast, program, cohort):
    client = cast.client_for(cast.alpha.owner)
    path = f"/team/coaches/{cast.alpha.coach.membership.pk}/"
    make_cohort(program, cast.alpha.other_coach.membership, "Theirs")
    client.get(path)
    with assert_num_queries(10):
        client.get(path)

    def grow():
        e = enrol(cohort, cast.alpha.client)
        CheckIn.objects.create(workspace=cast.alpha.workspace, enrollment=e,
                               habit=program.habits.get(), due_date=e.start_date)  # fmt: skip
        make_cohort(program, cast.alpha.coach.membership, "More")

    assert_flat_queries(lambda: client.get(path), grow)


def test_assigning_a_cohort_to_a_coach(cast, program, cohort):
    other = cast.alpha.other_coach.membership
    response = cast.client_for(cast.alpha.owner).post(
        f"/team/coaches/{other.pk}/", {"cohort": cohort.pk}
    )
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert cohort.coach == other
    assert Event.objects.filter(verb="cohort.updated", target_id=str(cohort.pk)).exists()


def test_assigning_a_cohort_of_beta_is_refused(cast, program):
    beta_cohort = make_cohort(make_program(cast.beta), cast.beta.coach.membership)
    response = cast.client_for(cast.alpha.owner).post(
        f"/team/coaches/{cast.alpha.coach.membership.pk}/", {"cohort": beta_cohort.pk}
    )
    assert response.status_code == 422
    beta_cohort.refresh_from_db()
    assert beta_cohort.coach == cast.beta.coach.membership
