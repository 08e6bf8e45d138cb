"""Clients' ranks through the API: current ranks and history, promotions, eligibility.

Rules: owners, admins and operators read any client's ranks; a client reads only
their own (another client's is a 404); other roles get 403. Owners and admins
assign, promote, demote (with a note), correct a start date and mass-promote a
category's eligible clients, each of whom hears of it; promoting past the last
rank or demoting below the first is a 422 that changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ascend.activity.models import Event
from ascend.api.tests.helpers import ROLES, assert_error, send
from ascend.notifications.models import OutboundEmail
from ascend.ranks.models import Eligibility, RankHolding
from ascend.testing import assert_flat_queries, assert_num_queries

from .ranks_world import add_visits, hold, make_category

pytestmark = pytest.mark.django_db

MANAGERS = {"owner", "admin"}
STAFF_READERS = MANAGERS | {"operator"}


@pytest.fixture
def karate(cast):
    return make_category(cast.alpha.workspace)


def url(person, suffix: str = "") -> str:
    return f"/api/v1/clients/{person.membership.id}/ranks{suffix}"


@pytest.mark.parametrize("role", ROLES)
def test_staff_read_a_clients_ranks_the_client_their_own_others_are_refused(cast, karate, role):
    category, (white, yellow, _orange) = karate
    hold(cast.alpha.client.membership, yellow, days_ago=12)
    add_visits(cast.alpha.client.membership, 2, days_ago=1)
    add_visits(cast.alpha.client.membership, 4, days_ago=20)  # before the rank began
    response = cast.client_for(getattr(cast.alpha, role)).get(url(cast.alpha.client))
    if role in STAFF_READERS or role == "client":
        assert response.status_code == 200, response.content
        data = response.json()
        assert data["rank_word"] == "Belts"
        (current,) = data["current"]
        assert current["rank"]["name"] == "Yellow"
        assert current["next_rank"]["name"] == "Orange"
        assert (current["visits"], current["days"]) == (2, 12)
        assert current["progress"] == {"visits": [2, 5], "days": [12, 30]}
        assert current["eligible"] is False
        assert [h["rank"]["name"] for h in data["history"]] == ["Yellow"]
    else:
        assert_error(response, 403, "forbidden")


def test_a_client_cannot_read_another_clients_ranks(cast, karate):
    hold(cast.alpha.other_client.membership, karate[1][0])
    response = cast.client_for(cast.alpha.client).get(url(cast.alpha.other_client))
    assert_error(response, 404, "not_found")


def test_a_client_reads_their_own_ranks_without_knowing_their_id(cast, karate):
    hold(cast.alpha.client.membership, karate[1][2])
    data = cast.client_for(cast.alpha.client).get("/api/v1/my-ranks").json()
    (current,) = data["current"]
    assert current["rank"]["name"] == "Orange"
    assert current["next_rank"] is None
    assert current["progress"] == {"visits": None, "days": None}
    assert_error(cast.client_for(cast.alpha.operator).get("/api/v1/my-ranks"), 403, "forbidden")


def test_a_client_of_another_workspace_or_a_staff_member_is_a_404(cast, karate):
    api = cast.client_for(cast.alpha.owner)
    assert_error(api.get(url(cast.beta.client)), 404, "not_found")
    assert_error(api.get(url(cast.alpha.coach)), 404, "not_found")


def test_the_ranks_of_a_client_take_the_same_queries_with_more_categories(cast, karate):
    hold(cast.alpha.client.membership, karate[1][0])
    api = cast.client_for(cast.alpha.operator)
    api.get(url(cast.alpha.client))

    def grow() -> None:
        for n in range(4):
            _category, ranks = make_category(cast.alpha.workspace, f"Style {n}")
            old = hold(cast.alpha.client.membership, ranks[0], days_ago=40)
            RankHolding.objects.filter(pk=old.pk).update(ended_at=timezone.now())
            hold(cast.alpha.client.membership, ranks[1], days_ago=3)
            add_visits(cast.alpha.client.membership, 3)

    # Workspace, session, user, membership; the client; today's calendar needs nothing;
    # current holdings, their ladders; the history.
    with assert_num_queries(8):
        api.get(url(cast.alpha.client))
    assert_flat_queries(lambda: api.get(url(cast.alpha.client)), grow)


@pytest.mark.parametrize("role", ROLES)
def test_only_managers_promote(cast, karate, role):
    category, (white, _yellow, _orange) = karate
    hold(cast.alpha.client.membership, white, days_ago=3)
    response = send(
        cast.client_for(getattr(cast.alpha, role)),
        "post",
        url(cast.alpha.client, "/promote"),
        {"category": category.id, "note": "Great kata"},
    )
    current = RankHolding.objects.get(client=cast.alpha.client.membership, ended_at=None)
    if role in MANAGERS:
        assert response.status_code == 201, response.content
        data = response.json()
        assert data["rank"]["name"] == "Yellow"
        assert data["kind"] == "manual" and data["note"] == "Great kata"
        assert data["by"] == str(getattr(cast.alpha, role).user)
        assert current.rank.name == "Yellow"
        assert OutboundEmail.objects.filter(template="rank_promoted").count() == 1
        assert Event.objects.filter(verb="rank.promoted").count() == 1
    else:
        assert_error(response, 403, "forbidden")
        assert current.rank == white


def test_promoting_past_the_last_rank_is_refused(cast, karate):
    category, (_white, _yellow, orange) = karate
    hold(cast.alpha.client.membership, orange)
    response = send(
        cast.client_for(cast.alpha.owner),
        "post",
        url(cast.alpha.client, "/promote"),
        {"category": category.id},
    )
    assert "rank" in assert_error(response, 422, "top_rank")
    assert RankHolding.objects.get().rank == orange
    assert not OutboundEmail.objects.exists()


def test_demoting_below_the_first_rank_is_refused(cast, karate):
    category, (white, _yellow, _orange) = karate
    hold(cast.alpha.client.membership, white)
    response = send(
        cast.client_for(cast.alpha.owner),
        "post",
        url(cast.alpha.client, "/demote"),
        {"category": category.id},
    )
    assert "rank" in assert_error(response, 422, "bottom_rank")
    assert RankHolding.objects.get().rank == white


def test_promoting_a_client_without_a_rank_asks_to_assign_one(cast, karate):
    category = karate[0]
    response = send(
        cast.client_for(cast.alpha.owner),
        "post",
        url(cast.alpha.client, "/promote"),
        {"category": category.id},
    )
    assert "rank" in assert_error(response, 422, "no_rank")


def test_demoting_keeps_the_note_and_the_history(cast, karate):
    category, (white, yellow, _orange) = karate
    hold(cast.alpha.client.membership, yellow, days_ago=30)
    response = send(
        cast.client_for(cast.alpha.admin),
        "post",
        url(cast.alpha.client, "/demote"),
        {"category": category.id, "note": "Missed the grading"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["rank"]["name"] == "White"
    history = cast.client_for(cast.alpha.client).get("/api/v1/my-ranks").json()["history"]
    assert [(h["rank"]["name"], h["until"] is None) for h in history] == [
        ("White", True),
        ("Yellow", False),
    ]
    assert history[0]["note"] == "Missed the grading"
    assert history[0]["by"] == str(cast.alpha.admin.user)


def test_assigning_a_first_rank_and_refusing_the_same_one(cast, karate):
    _category, (white, yellow, _orange) = karate
    api = cast.client_for(cast.alpha.owner)
    response = send(api, "post", url(cast.alpha.client, "/assign"), {"rank": yellow.id})
    assert response.status_code == 201, response.content
    assert response.json()["rank"]["name"] == "Yellow"
    again = send(api, "post", url(cast.alpha.client, "/assign"), {"rank": yellow.id})
    assert "rank" in assert_error(again, 422, "same_rank")
    assert RankHolding.objects.count() == 1


def test_a_rank_or_category_of_another_workspace_is_a_field_error(cast, karate):
    _beta, beta_ranks = make_category(cast.beta.workspace)
    api = cast.client_for(cast.alpha.owner)
    response = send(api, "post", url(cast.alpha.client, "/assign"), {"rank": beta_ranks[0].id})
    assert "rank" in assert_error(response, 422, "not_found")
    response = send(
        api, "post", url(cast.alpha.client, "/promote"), {"category": beta_ranks[0].category_id}
    )
    assert "category" in assert_error(response, 422, "not_found")
    assert not RankHolding.objects.exists()


def test_promoting_a_client_of_another_workspace_is_a_404(cast, karate):
    _beta, beta_ranks = make_category(cast.beta.workspace)
    hold(cast.beta.client.membership, beta_ranks[0])
    response = send(
        cast.client_for(cast.alpha.owner),
        "post",
        url(cast.beta.client, "/promote"),
        {"category": karate[0].id},
    )
    assert_error(response, 404, "not_found")
    assert RankHolding.objects.get().rank == beta_ranks[0]


def test_an_admin_corrects_when_a_client_entered_a_rank(cast, karate):
    holding = hold(cast.alpha.client.membership, karate[1][1])
    day = timezone.localdate() - timedelta(days=40)
    api = cast.client_for(cast.alpha.admin)
    response = send(
        api,
        "patch",
        f"/api/v1/rank-holdings/{holding.id}",
        {"since": day.isoformat(), "reason": "Graded at the summer camp"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["since"] == day.isoformat()
    assert holding.date_changes.get().reason == "Graded at the summer camp"
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = send(api, "patch", f"/api/v1/rank-holdings/{holding.id}", {"since": future})
    assert "started_on" in assert_error(response, 422, "future_date")
    operator = cast.client_for(cast.alpha.operator)
    response = send(operator, "patch", f"/api/v1/rank-holdings/{holding.id}", {"since": future})
    assert_error(response, 403, "forbidden")


def _eligible(client, rank):  # type: ignore[no-untyped-def]
    holding = hold(client, rank, days_ago=5)
    add_visits(client, 3)
    Eligibility.objects.create(
        workspace=rank.workspace,
        holding=holding,
        next_rank=rank.category.ranks.get(position=rank.position + 1),
    )
    return holding


def test_the_eligible_list_names_each_client_and_their_next_rank(cast, karate):
    category, (white, _yellow, _orange) = karate
    _eligible(cast.alpha.client.membership, white)
    hold(cast.alpha.other_client.membership, white)
    response = cast.client_for(cast.alpha.admin).get(
        f"/api/v1/rank-categories/{category.id}/eligible"
    )
    assert response.status_code == 200
    (entry,) = response.json()
    assert entry["client"]["email"] == cast.alpha.client.email
    assert (entry["rank"]["name"], entry["next_rank"]["name"]) == ("White", "Yellow")
    assert (entry["visits"], entry["days"]) == (3, 5)
    assert entry["notified_at"] is None
    operator = cast.client_for(cast.alpha.operator)
    assert_error(operator.get(f"/api/v1/rank-categories/{category.id}/eligible"), 403, "forbidden")


def test_the_eligible_list_takes_the_same_queries_for_more_clients(cast, karate):
    category, (white, _yellow, _orange) = karate
    _eligible(cast.alpha.client.membership, white)
    api = cast.client_for(cast.alpha.admin)
    path = f"/api/v1/rank-categories/{category.id}/eligible"
    api.get(path)

    def grow() -> None:
        from ascend.tenancy.roles import Role
        from ascend.testing import make_person

        for n in range(5):
            person = make_person(cast.alpha.workspace, {Role.CLIENT}, f"kid{n}@alpha.test")
            _eligible(person.membership, white)

    # Workspace, session, user, membership; the category; the eligible holdings.
    with assert_num_queries(6):
        api.get(path)
    assert_flat_queries(lambda: api.get(path), grow)


def test_mass_promotion_promotes_every_eligible_client_and_tells_each(cast, karate):
    category, (white, _yellow, _orange) = karate
    _eligible(cast.alpha.client.membership, white)
    _eligible(cast.alpha.other_client.membership, white)
    waiting = hold(cast.beta.client.membership, make_category(cast.beta.workspace)[1][0])
    response = cast.client_for(cast.alpha.owner).post(
        f"/api/v1/rank-categories/{category.id}/mass-promote"
    )
    assert response.status_code == 200, response.content
    promoted = response.json()
    assert {p["client"]["email"] for p in promoted} == {
        cast.alpha.client.email,
        cast.alpha.other_client.email,
    }
    assert {(p["rank"]["name"], p["kind"]) for p in promoted} == {("Yellow", "mass")}
    assert sorted(
        OutboundEmail.objects.filter(template="rank_promoted").values_list("to", flat=True)
    ) == sorted([cast.alpha.client.email, cast.alpha.other_client.email])
    assert not Eligibility.objects.exists()
    assert RankHolding.objects.get(pk=waiting.pk).ended_at is None
    again = cast.client_for(cast.alpha.owner).post(
        f"/api/v1/rank-categories/{category.id}/mass-promote"
    )
    assert again.json() == []


@pytest.mark.parametrize("role", sorted(set(ROLES) - MANAGERS))
def test_other_roles_cannot_change_anyones_rank(cast, karate, role):
    category, (white, yellow, _orange) = karate
    _eligible(cast.alpha.client.membership, white)
    api = cast.client_for(getattr(cast.alpha, role))
    for path, body in [
        (url(cast.alpha.client, "/promote"), {"category": category.id}),
        (url(cast.alpha.client, "/demote"), {"category": category.id}),
        (url(cast.alpha.client, "/assign"), {"rank": yellow.id}),
        (f"/api/v1/rank-categories/{category.id}/mass-promote", None),
    ]:
        assert_error(send(api, "post", path, body), 403, "forbidden")
    assert RankHolding.objects.get().rank == white
    assert not OutboundEmail.objects.exists()
