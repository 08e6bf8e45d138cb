"""Team portal: the memberships pages — list, create, edit, and whether each can be bought."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ascend.billing.actions import can_purchase, do_save_plan
from ascend.billing.models import MembershipPlan
from ascend.programs.models import Cohort
from ascend.programs.tests.test_team_programs import EVERYONE, enrol, make_cohort, make_program
from ascend.testing import assert_flat_queries, assert_num_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(cast):
    return make_program(cast.alpha)


@pytest.fixture
def plan(cast, program):
    make_cohort(program, cast.alpha.coach.membership)
    return do_save_plan(cast.alpha.workspace, actor=None, name="Gold", programs=[program])


def test_each_role_gets_the_membership_pages_or_a_403(cast, plan):
    for path in ["/team/memberships/", "/team/memberships/new/", f"/team/memberships/{plan.pk}/"]:
        for role in EVERYONE:
            status = cast.client_for(getattr(cast.alpha, role)).get(path).status_code
            assert status == (200 if role in {"owner", "admin"} else 403), f"{role} {path}"
        assert Client(HTTP_HOST=cast.alpha.host).get(path).status_code == 302
        assert cast.client_for(cast.beta.owner, cast.alpha.workspace).get(path).status_code == 404


def test_a_plan_of_beta_is_404_here(cast):
    beta_plan = do_save_plan(cast.beta.workspace, actor=None, name="B",
                             programs=[make_program(cast.beta)])  # fmt: skip
    owner = cast.client_for(cast.alpha.owner)
    assert owner.get(f"/team/memberships/{beta_plan.pk}/").status_code == 404
    assert owner.post(f"/team/memberships/{beta_plan.pk}/", {"name": "x"}).status_code == 404
    beta_plan.refresh_from_db()
    assert beta_plan.name == "B"


def test_the_list_says_whether_each_plan_can_be_bought_and_why_not(cast, program, plan):
    empty = make_program(cast.alpha, "No Cohorts Yet")
    blocked = do_save_plan(cast.alpha.workspace, actor=None, name="Silver", programs=[empty])
    full_program = make_program(cast.alpha, "Packed")
    full = make_cohort(full_program, cast.alpha.coach.membership, "Tiny", capacity=1)
    enrol(full, cast.alpha.client)
    packed = do_save_plan(cast.alpha.workspace, actor=None, name="Bronze", programs=[full_program])
    off_sale = do_save_plan(cast.alpha.workspace, actor=None, name="Retired", programs=[program],
                            is_active=False)  # fmt: skip
    page = cast.client_for(cast.alpha.owner).get("/team/memberships/").content.decode()

    def row(name):
        return page.split(f">{name}</a>")[1].split("</tr>")[0]

    assert "Yes" in row("Gold") and can_purchase(plan)
    assert "No Cohorts Yet has no open cohort with room." in row("Silver")
    assert not can_purchase(blocked)
    assert "Packed has no open cohort with room." in row("Bronze") and not can_purchase(packed)
    assert "It isn&#x27;t on sale." in row("Retired") and off_sale.is_active is False


def test_the_list_agrees_with_can_purchase_for_started_and_closed_cohorts(cast, program, plan):
    Cohort.objects.filter(program=program).update(
        kind="fixed", start_date=timezone.localdate() - timedelta(days=1)
    )
    page = cast.client_for(cast.alpha.owner).get("/team/memberships/").content.decode()
    assert "Strong Start has no open cohort with room." in page and not can_purchase(plan)


def test_the_list_has_an_empty_state(cast):
    page = cast.client_for(cast.alpha.owner).get("/team/memberships/").content.decode()
    assert "No memberships yet" in page


def test_the_list_query_count_is_pinned_and_flat(cast, program, plan):
    owner = cast.client_for(cast.alpha.owner)
    owner.get("/team/memberships/")
    with assert_num_queries(8):
        owner.get("/team/memberships/")

    def grow():
        for i in range(4):
            p = make_program(cast.alpha, f"P{i}")
            make_cohort(p, cast.alpha.coach.membership, f"C{i}")
            do_save_plan(cast.alpha.workspace, actor=None, name=f"Plan {i}", programs=[p, program])

    assert_flat_queries(lambda: owner.get("/team/memberships/"), grow)


def test_creating_and_editing_a_plan(cast, program):
    other = make_program(cast.alpha, "Sleep")
    owner = cast.client_for(cast.alpha.admin)
    response = owner.post(
        "/team/memberships/new/",
        {"name": "Gold", "description": "All in", "programs": [program.pk, other.pk],
         "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    plan = MembershipPlan.objects.get(name="Gold")
    assert set(plan.programs.all()) == {program, other} and plan.is_active
    page = owner.get(f"/team/memberships/{plan.pk}/").content.decode()
    assert 'data-testid="purchase"' in page and "t be bought now:" in page
    response = owner.post(
        f"/team/memberships/{plan.pk}/", {"name": "Platinum", "programs": [other.pk]}
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.name == "Platinum" and not plan.is_active
    assert list(plan.programs.all()) == [other]


def test_bad_plans_are_422_at_the_field_and_change_nothing(cast, program):
    owner = cast.client_for(cast.alpha.owner)
    response = owner.post("/team/memberships/new/", {"name": "Gold", "description": "kept"})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_programs_errors"' in page and "Choose at least one program" in page
    assert "kept" in page
    beta_program = make_program(cast.beta)
    response = owner.post("/team/memberships/new/", {"name": "X", "programs": [beta_program.pk]})
    assert response.status_code == 422 and 'id="id_programs_errors"' in response.content.decode()
    assert not MembershipPlan.objects.exists()
