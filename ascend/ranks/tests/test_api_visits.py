"""/api/v1/visits: list (by client and day), record, correct.

Rules: owners, admins and operators record, correct and list every visit; a
client lists their own; other roles get 403; a visit of another workspace is a
404; a visit in the future or for someone who isn't a client is a 422 with the
field and code, and nothing is written; corrections keep who and when.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ascend.activity.models import Event
from ascend.api.tests.helpers import ROLES, assert_error, send
from ascend.ranks.models import Visit
from ascend.testing import assert_flat_queries, assert_num_queries

from .ranks_world import add_visits, make_category

pytestmark = pytest.mark.django_db

RECORDERS = {"owner", "admin", "operator"}


@pytest.fixture
def karate(cast):
    return make_category(cast.alpha.workspace)


@pytest.mark.parametrize("role", ROLES)
def test_owners_admins_and_operators_record_visits_others_are_refused(cast, karate, role):
    body = {"client": cast.alpha.client.membership.id, "class_name": "Kids karate"}
    response = send(cast.client_for(getattr(cast.alpha, role)), "post", "/api/v1/visits", body)
    if role in RECORDERS:
        assert response.status_code == 201, response.content
        data = response.json()
        assert data["client"]["email"] == cast.alpha.client.email
        assert data["class_name"] == "Kids karate"
        assert data["recorded_by"] == str(getattr(cast.alpha, role).user)
        assert data["cancelled"] is False
        assert Event.objects.filter(verb="visit.recorded").count() == 1
    else:
        assert_error(response, 403, "forbidden")
        assert not Visit.objects.exists()


def test_a_visit_in_the_past_keeps_its_moment(cast, karate):
    when = (timezone.now() - timedelta(days=3)).replace(microsecond=0)
    response = send(
        cast.client_for(cast.alpha.operator),
        "post",
        "/api/v1/visits",
        {"client": cast.alpha.client.membership.id, "occurred_at": when.isoformat()},
    )
    assert response.status_code == 201
    assert Visit.objects.get().occurred_at == when


@pytest.mark.parametrize(
    ("who", "extra", "field", "code"),
    [
        ("client", {"occurred_at": "2999-01-01T10:00:00Z"}, "occurred_at", "future_visit"),
        ("coach", {}, "client", "not_a_client"),
        ("beta_client", {}, "client", "not_found"),
    ],
)
def test_bad_visits_are_refused_at_the_field(cast, karate, who, extra, field, code):
    member = cast.beta.client if who == "beta_client" else getattr(cast.alpha, who)
    response = send(
        cast.client_for(cast.alpha.operator),
        "post",
        "/api/v1/visits",
        {"client": member.membership.id, **extra},
    )
    assert field in assert_error(response, 422, code)
    assert not Visit.objects.exists()


def test_a_moment_without_a_time_zone_is_refused(cast, karate):
    response = send(
        cast.client_for(cast.alpha.operator),
        "post",
        "/api/v1/visits",
        {"client": cast.alpha.client.membership.id, "occurred_at": "2024-01-01T10:00:00"},
    )
    assert "occurred_at" in assert_error(response, 422, "validation_error")


def test_the_list_filters_by_client_and_day(cast, karate):
    client_m, other_m = cast.alpha.client.membership, cast.alpha.other_client.membership
    add_visits(client_m, 2, days_ago=10)
    add_visits(client_m, 1, days_ago=1)
    add_visits(other_m, 1, days_ago=1)
    add_visits(cast.beta.client.membership, 1)
    api = cast.client_for(cast.alpha.operator)
    assert len(api.get("/api/v1/visits").json()) == 4
    assert len(api.get(f"/api/v1/visits?client={client_m.id}").json()) == 3
    since = (timezone.localdate() - timedelta(days=3)).isoformat()
    recent = api.get(f"/api/v1/visits?client={client_m.id}&since={since}").json()
    assert len(recent) == 1
    until = (timezone.localdate() - timedelta(days=5)).isoformat()
    assert len(api.get(f"/api/v1/visits?until={until}").json()) == 2
    assert len(api.get("/api/v1/visits?limit=2").json()) == 2


def test_a_client_lists_only_their_own_visits(cast, karate):
    add_visits(cast.alpha.client.membership, 2)
    add_visits(cast.alpha.other_client.membership, 1)
    api = cast.client_for(cast.alpha.client)
    listing = api.get("/api/v1/visits").json()
    assert {v["client"]["email"] for v in listing} == {cast.alpha.client.email}
    assert len(listing) == 2
    other = cast.alpha.other_client.membership.id
    assert api.get(f"/api/v1/visits?client={other}").json() == []


@pytest.mark.parametrize("role", sorted(set(ROLES) - RECORDERS - {"client"}))
def test_other_roles_cannot_list_visits(cast, karate, role):
    assert_error(cast.client_for(getattr(cast.alpha, role)).get("/api/v1/visits"), 403, "forbidden")


def test_the_list_takes_the_same_queries_for_more_visits(cast, karate):
    add_visits(cast.alpha.client.membership, 2)
    api = cast.client_for(cast.alpha.operator)
    api.get("/api/v1/visits")
    with assert_num_queries(5):
        api.get("/api/v1/visits")
    assert_flat_queries(
        lambda: api.get("/api/v1/visits"),
        lambda: add_visits(cast.alpha.other_client.membership, 30),
    )


def test_cancelling_a_visit_keeps_who_and_when(cast, karate):
    (visit,) = add_visits(cast.alpha.client.membership, 1, days_ago=2)
    response = send(
        cast.client_for(cast.alpha.operator),
        "patch",
        f"/api/v1/visits/{visit.id}",
        {"cancel": True, "note": "Checked in the wrong person"},
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["cancelled"] is True
    assert data["corrected_by"] == str(cast.alpha.operator.user)
    assert data["correction_note"] == "Checked in the wrong person"
    assert data["corrected_at"] is not None
    assert Event.objects.filter(verb="visit.corrected").count() == 1
    listing = cast.client_for(cast.alpha.operator).get("/api/v1/visits").json()
    assert listing == []
    everything = cast.client_for(cast.alpha.operator).get("/api/v1/visits?include_cancelled=true")
    assert [v["id"] for v in everything.json()] == [visit.id]


def test_moving_a_visit_into_the_future_is_refused(cast, karate):
    (visit,) = add_visits(cast.alpha.client.membership, 1, days_ago=2)
    before = visit.occurred_at
    response = send(
        cast.client_for(cast.alpha.admin),
        "patch",
        f"/api/v1/visits/{visit.id}",
        {"occurred_at": (timezone.now() + timedelta(days=1)).isoformat()},
    )
    assert "occurred_at" in assert_error(response, 422, "future_visit")
    visit.refresh_from_db()
    assert visit.occurred_at == before and visit.corrected_at is None


def test_a_visit_of_another_workspace_is_a_404(cast, karate):
    make_category(cast.beta.workspace)
    (visit,) = add_visits(cast.beta.client.membership, 1)
    response = send(
        cast.client_for(cast.alpha.owner), "patch", f"/api/v1/visits/{visit.id}", {"cancel": True}
    )
    assert_error(response, 404, "not_found")
    visit.refresh_from_db()
    assert visit.cancelled_at is None


@pytest.mark.parametrize("role", sorted(set(ROLES) - RECORDERS))
def test_other_roles_cannot_correct_visits(cast, karate, role):
    (visit,) = add_visits(cast.alpha.client.membership, 1)
    response = send(
        cast.client_for(getattr(cast.alpha, role)),
        "patch",
        f"/api/v1/visits/{visit.id}",
        {"cancel": True},
    )
    assert_error(response, 403, "forbidden")
    visit.refresh_from_db()
    assert visit.cancelled_at is None


def test_the_visit_that_meets_the_criteria_makes_the_client_eligible_and_told(
    cast, karate, django_capture_on_commit_callbacks
):
    from ascend.notifications.models import Notice
    from ascend.ranks.models import Eligibility

    from .ranks_world import hold

    holding = hold(cast.alpha.client.membership, karate[1][0], days_ago=3)
    add_visits(cast.alpha.client.membership, 2)
    api = cast.client_for(cast.alpha.operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = send(api, "post", "/api/v1/visits", {"client": cast.alpha.client.membership.id})
    assert response.status_code == 201
    assert Eligibility.objects.get().holding == holding
    assert Notice.objects.filter(user=cast.alpha.admin.user).count() == 1
    assert Notice.objects.filter(user=cast.alpha.client.user).count() == 1


def test_a_roster_records_one_visit_per_client_all_or_none(cast, karate):
    api = cast.client_for(cast.alpha.operator)
    ids = [cast.alpha.client.membership.id, cast.alpha.other_client.membership.id]
    body = {"clients": [*ids, ids[0]], "class_name": "Adult karate"}
    response = send(api, "post", "/api/v1/visits/roster", body)
    assert response.status_code == 201, response.content
    assert sorted(v["client"]["id"] for v in response.json()) == sorted(ids)
    assert {v["class_name"] for v in response.json()} == {"Adult karate"}
    assert Visit.objects.count() == 2
    body = {"clients": [ids[0], cast.alpha.coach.membership.id], "class_name": "Kata"}
    assert "client" in assert_error(
        send(api, "post", "/api/v1/visits/roster", body), 422, "not_a_client"
    )
    body = {"clients": [ids[0], cast.beta.client.membership.id], "class_name": "Kata"}
    assert "clients" in assert_error(
        send(api, "post", "/api/v1/visits/roster", body), 422, "not_found"
    )
    body = {"clients": [], "class_name": "Kata"}
    assert "clients" in assert_error(
        send(api, "post", "/api/v1/visits/roster", body), 422, "no_clients"
    )
    assert Visit.objects.count() == 2
    client_api = cast.client_for(cast.alpha.client)
    body = {"clients": ids, "class_name": "Kata"}
    assert_error(send(client_api, "post", "/api/v1/visits/roster", body), 403, "forbidden")
