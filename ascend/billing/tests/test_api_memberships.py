"""/api/v1/membership-plans and /api/v1/subscriptions.

Rules: owners and admins read plans and subscribe or unsubscribe clients by
hand; a client lists their own subscriptions; other roles get 403; plans and
subscriptions of another workspace are 404, and bad input is a 422 at the field.
"""

from __future__ import annotations

import pytest

from ascend.activity.models import Event
from ascend.api.tests.helpers import ROLES, assert_error, send
from ascend.billing.models import MembershipPlan, Subscription
from ascend.notifications.models import OutboundEmail
from ascend.programs.models import Enrollment
from ascend.programs.tests.api_world import make_cohort, make_program
from ascend.testing import assert_flat_queries, assert_num_queries

pytestmark = pytest.mark.django_db

MANAGERS = {"owner", "admin"}


def make_plan(workspace, name: str, programs) -> MembershipPlan:  # type: ignore[no-untyped-def]
    plan = MembershipPlan.objects.create(workspace=workspace, name=name)
    plan.programs.set(programs)
    return plan


@pytest.fixture
def plans(cast):
    ws = cast.alpha.workspace
    strength = make_program(ws, title="Strength reset")
    mornings = make_program(ws, title="Mindful mornings")
    make_cohort(strength, cast.alpha.coach.membership)
    make_cohort(mornings, cast.alpha.other_coach.membership)
    closed = make_program(ws, title="No cohort yet")
    beta_program = make_program(cast.beta.workspace)
    make_cohort(beta_program, cast.beta.coach.membership)
    return {
        "all": make_plan(ws, "All access", [strength, mornings]),
        "closed": make_plan(ws, "Waiting list", [closed]),
        "beta": make_plan(cast.beta.workspace, "Beta plan", [beta_program]),
    }


@pytest.mark.parametrize("role", ROLES)
def test_only_managers_list_plans(cast, plans, role):
    response = cast.client_for(getattr(cast.alpha, role)).get("/api/v1/membership-plans")
    if role in MANAGERS:
        assert response.status_code == 200
        listing = response.json()
        assert [p["name"] for p in listing] == ["All access", "Waiting list"]
        assert [p["title"] for p in listing[0]["programs"]] == [
            "Mindful mornings",
            "Strength reset",
        ]
        assert [p["can_purchase"] for p in listing] == [True, False]
    else:
        assert_error(response, 403, "forbidden")


def test_a_plan_says_whether_it_can_be_bought(cast, plans):
    client = cast.client_for(cast.alpha.owner)
    assert client.get(f"/api/v1/membership-plans/{plans['all'].id}").json()["can_purchase"] is True
    closed = client.get(f"/api/v1/membership-plans/{plans['closed'].id}").json()
    assert closed["can_purchase"] is False


def test_a_plan_of_another_workspace_is_a_404(cast, plans):
    response = cast.client_for(cast.alpha.owner).get(f"/api/v1/membership-plans/{plans['beta'].id}")
    assert_error(response, 404, "not_found")


@pytest.mark.parametrize("role", ROLES)
def test_only_managers_subscribe_clients(cast, plans, role):
    body = {"plan": plans["all"].id, "client": cast.alpha.client.membership.id}
    response = send(
        cast.client_for(getattr(cast.alpha, role)), "post", "/api/v1/subscriptions", body
    )
    if role in MANAGERS:
        assert response.status_code == 201, response.content
        data = response.json()
        assert data["active"] is True and data["plan"]["name"] == "All access"
        # Enrolled in both programs, one cohort each.
        assert len(data["enrollment_ids"]) == 2
        assert Enrollment.objects.filter(client=cast.alpha.client.membership).count() == 2
        assert OutboundEmail.objects.filter(template="program_enrolled").count() == 2
    else:
        assert_error(response, 403, "forbidden")
        assert not Subscription.objects.exists()


def test_no_open_cohort_subscribes_without_enrolling_and_tells_the_admins(cast, plans):
    body = {"plan": plans["closed"].id, "client": cast.alpha.client.membership.id}
    response = send(cast.client_for(cast.alpha.admin), "post", "/api/v1/subscriptions", body)
    assert response.status_code == 201
    assert response.json()["enrollment_ids"] == []
    told = set(
        OutboundEmail.objects.filter(template="program_not_enrolled").values_list("to", flat=True)
    )
    assert told == {cast.alpha.owner.email, cast.alpha.admin.email}
    assert Event.objects.filter(verb="membership.not_enrolled").count() == 1


@pytest.mark.parametrize(
    ("who", "code"), [("coach", "coach_cannot_enrol"), ("operator", "not_a_client")]
)
def test_a_coach_or_staff_member_cannot_subscribe(cast, plans, who, code):
    body = {"plan": plans["all"].id, "client": getattr(cast.alpha, who).membership.id}
    response = send(cast.client_for(cast.alpha.owner), "post", "/api/v1/subscriptions", body)
    assert "client" in assert_error(response, 422, code)
    assert not Subscription.objects.exists()


def test_subscribing_twice_and_foreign_plans_are_refused_at_the_field(cast, plans):
    client = cast.client_for(cast.alpha.owner)
    body = {"plan": plans["all"].id, "client": cast.alpha.client.membership.id}
    send(client, "post", "/api/v1/subscriptions", body)
    assert "plan" in assert_error(
        send(client, "post", "/api/v1/subscriptions", body), 422, "already_subscribed"
    )
    body = {"plan": plans["beta"].id, "client": cast.alpha.client.membership.id}
    assert "plan" in assert_error(
        send(client, "post", "/api/v1/subscriptions", body), 422, "not_found"
    )
    body = {"plan": plans["all"].id, "client": cast.beta.client.membership.id}
    assert "client" in assert_error(
        send(client, "post", "/api/v1/subscriptions", body), 422, "not_found"
    )


def test_a_plan_off_sale_is_refused(cast, plans):
    plans["all"].is_active = False
    plans["all"].save()
    body = {"plan": plans["all"].id, "client": cast.alpha.client.membership.id}
    response = send(cast.client_for(cast.alpha.owner), "post", "/api/v1/subscriptions", body)
    assert_error(response, 422, "plan_inactive")


def test_unsubscribing_ends_the_membership_and_its_enrolments(cast, plans):
    client = cast.client_for(cast.alpha.owner)
    body = {"plan": plans["all"].id, "client": cast.alpha.client.membership.id}
    sub = send(client, "post", "/api/v1/subscriptions", body).json()
    response = client.post(f"/api/v1/subscriptions/{sub['id']}/end")
    assert response.status_code == 200
    assert response.json()["active"] is False
    assert (
        Enrollment.objects.filter(
            ended_at__isnull=True, client=cast.alpha.client.membership
        ).count()
        == 0
    )
    assert Enrollment.objects.filter(client=cast.alpha.client.membership).count() == 2
    assert_error(client.post(f"/api/v1/subscriptions/{sub['id']}/end"), 422, "already_ended")


def test_clients_list_their_own_subscriptions_and_cannot_end_them(cast, plans):
    owner = cast.client_for(cast.alpha.owner)
    for person in (cast.alpha.client, cast.alpha.other_client):
        body = {"plan": plans["closed"].id, "client": person.membership.id}
        send(owner, "post", "/api/v1/subscriptions", body)
    mine = cast.client_for(cast.alpha.client).get("/api/v1/subscriptions").json()
    assert [s["client"]["email"] for s in mine] == [cast.alpha.client.email]
    assert len(owner.get("/api/v1/subscriptions").json()) == 2
    other = cast.alpha.other_client.membership.id
    assert len(owner.get(f"/api/v1/subscriptions?client={other}&active=true").json()) == 1
    response = cast.client_for(cast.alpha.client).post(f"/api/v1/subscriptions/{mine[0]['id']}/end")
    assert_error(response, 403, "forbidden")
    for role in ("coach", "auditor"):
        response = cast.client_for(getattr(cast.alpha, role)).get("/api/v1/subscriptions")
        assert_error(response, 403, "forbidden")


def test_a_subscription_of_another_workspace_is_a_404(cast, plans):
    beta = Subscription.objects.create(
        workspace=cast.beta.workspace, plan=plans["beta"], client=cast.beta.client.membership
    )
    response = cast.client_for(cast.alpha.owner).post(f"/api/v1/subscriptions/{beta.id}/end")
    assert_error(response, 404, "not_found")
    assert Subscription.objects.get(pk=beta.pk).ended_at is None


def test_lists_take_as_many_queries_for_many_as_for_few(cast, plans):
    client = cast.client_for(cast.alpha.owner)
    Subscription.objects.create(
        workspace=cast.alpha.workspace, plan=plans["closed"], client=cast.alpha.client.membership
    )

    def grow() -> None:
        for n in range(4):
            program = make_program(cast.alpha.workspace, title=f"P{n}")
            plan = make_plan(cast.alpha.workspace, f"Plan {n}", [program])
            Subscription.objects.create(
                workspace=cast.alpha.workspace, plan=plan, client=cast.alpha.client.membership
            )

    def both() -> None:
        client.get("/api/v1/membership-plans")
        client.get("/api/v1/subscriptions")

    assert_flat_queries(both, grow)


def test_listing_plans_takes_seven_queries(cast, plans):
    client = cast.client_for(cast.alpha.owner)
    # Workspace, session, user, membership; cohorts taking clients; plans; their programs.
    with assert_num_queries(7):
        client.get("/api/v1/membership-plans")
