"""/api/v1/rank-categories: categories and their ranks — list, create, change, reorder, remove.

Rules: owners and admins manage; operators and clients read the ladders; other
roles get 403; a category or rank of another workspace is a 404; with ranks
switched off every endpoint is a 404; bad input is a 422 naming the field with
a stable code (order clash, criteria below zero) and changes nothing.
"""

from __future__ import annotations

import pytest

from ascend.activity.models import Event
from ascend.api.tests.helpers import ROLES, assert_error, send
from ascend.ranks.models import Rank, RankCategory
from ascend.testing import assert_flat_queries, assert_num_queries

from .ranks_world import add_visits, hold, make_category

pytestmark = pytest.mark.django_db

MANAGERS = {"owner", "admin"}
READERS = MANAGERS | {"operator", "client"}


@pytest.fixture
def karate(cast):
    return make_category(cast.alpha.workspace)


@pytest.mark.parametrize("role", ROLES)
def test_managers_operators_and_clients_read_the_ladders_others_are_refused(cast, karate, role):
    response = cast.client_for(getattr(cast.alpha, role)).get("/api/v1/rank-categories")
    if role in READERS:
        assert response.status_code == 200
        (category,) = response.json()
        assert category["name"] == "Karate"
        assert [r["name"] for r in category["ranks"]] == ["White", "Yellow", "Orange"]
        assert [r["position"] for r in category["ranks"]] == [0, 1, 2]
        assert category["ranks"][1] == {
            "id": karate[1][1].id,
            "name": "Yellow",
            "colour": "#1f6feb",
            "position": 1,
            "min_visits": 5,
            "min_days": 30,
        }
    else:
        assert_error(response, 403, "forbidden")


def test_with_ranks_switched_off_every_endpoint_is_a_404(cast, karate):
    category, ranks = karate
    workspace = cast.alpha.workspace
    workspace.ranks_enabled = False
    workspace.save()
    client = cast.client_for(cast.alpha.owner)
    assert_error(client.get("/api/v1/rank-categories"), 404, "not_found")
    assert_error(client.get(f"/api/v1/rank-categories/{category.id}"), 404, "not_found")
    response = send(client, "post", "/api/v1/rank-categories", {"name": "Judo"})
    assert_error(response, 404, "not_found")
    assert_error(client.get("/api/v1/visits"), 404, "not_found")
    assert_error(
        client.get(f"/api/v1/clients/{cast.alpha.client.membership.id}/ranks"), 404, "not_found"
    )
    assert not RankCategory.objects.filter(name="Judo").exists()


def test_a_category_of_another_workspace_is_a_404(cast, karate):
    beta, beta_ranks = make_category(cast.beta.workspace, "Judo")
    client = cast.client_for(cast.alpha.owner)
    assert_error(client.get(f"/api/v1/rank-categories/{beta.id}"), 404, "not_found")
    assert_error(
        send(client, "patch", f"/api/v1/rank-categories/{beta.id}", {"name": "X"}),
        404,
        "not_found",
    )
    assert_error(
        send(client, "post", f"/api/v1/rank-categories/{beta.id}/ranks", {"name": "Red"}),
        404,
        "not_found",
    )
    category = karate[0]
    # A rank of another category (here: of the other workspace) is not found under this one.
    assert_error(
        send(
            client,
            "patch",
            f"/api/v1/rank-categories/{category.id}/ranks/{beta_ranks[0].id}",
            {"name": "X"},
        ),
        404,
        "not_found",
    )
    beta.refresh_from_db()
    assert beta.name == "Judo"
    assert Rank.objects.get(pk=beta_ranks[0].pk).name == "White"


def test_the_list_takes_the_same_queries_for_more_categories(cast, karate):
    client = cast.client_for(cast.alpha.operator)
    client.get("/api/v1/rank-categories")  # sign-in and session rows settle
    # Workspace, session, user, membership; then the categories and their ranks.
    with assert_num_queries(6):
        client.get("/api/v1/rank-categories")
    assert_flat_queries(
        lambda: client.get("/api/v1/rank-categories"),
        lambda: [make_category(cast.alpha.workspace, f"Style {n}") for n in range(5)],
    )


@pytest.mark.parametrize("role", ROLES)
def test_only_managers_create_categories(cast, role):
    body = {"name": "Judo", "auto_promote": True, "notify_roles": ["operator", "admin"]}
    cast.alpha.workspace.ranks_enabled = True
    cast.alpha.workspace.save()
    client = cast.client_for(getattr(cast.alpha, role))
    response = send(client, "post", "/api/v1/rank-categories", body)
    if role in MANAGERS:
        assert response.status_code == 201, response.content
        data = response.json()
        assert data["name"] == "Judo" and data["auto_promote"] is True
        assert data["notify_roles"] == ["admin", "operator"]
        assert data["notify_client"] is True and data["ranks"] == []
        assert RankCategory.objects.get(pk=data["id"]).workspace == cast.alpha.workspace
        assert Event.objects.filter(verb="rank.category_saved").count() == 1
    else:
        assert_error(response, 403, "forbidden")
        assert not RankCategory.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"name": "Karate"}, "name", "name_taken"),
        ({"name": "karate "}, "name", "name_taken"),
        ({"name": "  "}, "name", "blank"),
        ({"name": "Judo", "notify_roles": ["client"]}, "notify_roles", "not_staff_role"),
    ],
)
def test_bad_categories_are_refused_at_the_field(cast, karate, body, field, code):
    response = send(cast.client_for(cast.alpha.admin), "post", "/api/v1/rank-categories", body)
    assert field in assert_error(response, 422, code)
    assert RankCategory.objects.count() == 1


def test_changing_a_category_keeps_what_is_not_sent(cast, karate):
    category = karate[0]
    response = send(
        cast.client_for(cast.alpha.owner),
        "patch",
        f"/api/v1/rank-categories/{category.id}",
        {"auto_promote": True, "notify_client": False},
    )
    assert response.status_code == 200, response.content
    category.refresh_from_db()
    assert (category.name, category.auto_promote, category.notify_client) == (
        "Karate",
        True,
        False,
    )
    assert category.notify_roles == ["admin"]


def test_adding_a_rank_puts_it_at_the_top_of_the_ladder(cast, karate):
    category = karate[0]
    response = send(
        cast.client_for(cast.alpha.admin),
        "post",
        f"/api/v1/rank-categories/{category.id}/ranks",
        {"name": "Green", "colour": "#2da44e", "min_visits": 20, "min_days": None},
    )
    assert response.status_code == 201, response.content
    assert response.json()["position"] == 3
    assert response.json()["min_days"] is None
    assert list(category.ranks.order_by("position").values_list("name", flat=True)) == [
        "White",
        "Yellow",
        "Orange",
        "Green",
    ]


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"name": "Red", "min_visits": -1}, "min_visits", "negative"),
        ({"name": "Red", "min_days": -5}, "min_days", "negative"),
        ({"name": "Red", "colour": "red"}, "colour", "invalid"),
        ({"name": ""}, "name", "blank"),
    ],
)
def test_bad_ranks_are_refused_at_the_field(cast, karate, body, field, code):
    category = karate[0]
    url = f"/api/v1/rank-categories/{category.id}/ranks"
    response = send(cast.client_for(cast.alpha.owner), "post", url, body)
    assert field in assert_error(response, 422, code)
    assert category.ranks.count() == 3


def test_changing_a_rank_can_drop_a_criterion(cast, karate):
    category, ranks = karate
    response = send(
        cast.client_for(cast.alpha.owner),
        "patch",
        f"/api/v1/rank-categories/{category.id}/ranks/{ranks[1].id}",
        {"min_days": None, "name": "Yellow belt"},
    )
    assert response.status_code == 200, response.content
    ranks[1].refresh_from_db()
    assert (ranks[1].name, ranks[1].min_visits, ranks[1].min_days) == ("Yellow belt", 5, None)
    response = send(
        cast.client_for(cast.alpha.owner),
        "patch",
        f"/api/v1/rank-categories/{category.id}/ranks/{ranks[1].id}",
        {"min_visits": -3},
    )
    assert "min_visits" in assert_error(response, 422, "negative")
    ranks[1].refresh_from_db()
    assert ranks[1].min_visits == 5


def test_reordering_changes_which_rank_is_next(cast, karate):
    category, (white, yellow, orange) = karate
    holding = hold(cast.alpha.client.membership, white)
    client = cast.client_for(cast.alpha.owner)
    url = f"/api/v1/clients/{cast.alpha.client.membership.id}/ranks"
    assert client.get(url).json()["current"][0]["next_rank"]["name"] == "Yellow"
    response = send(
        client,
        "put",
        f"/api/v1/rank-categories/{category.id}/ranks/order",
        {"order": [white.id, orange.id, yellow.id]},
    )
    assert response.status_code == 200, response.content
    assert [r["name"] for r in response.json()["ranks"]] == ["White", "Orange", "Yellow"]
    current = client.get(url).json()["current"][0]
    assert current["holding_id"] == holding.id
    assert current["next_rank"]["name"] == "Orange"


@pytest.mark.parametrize("order", ["one", "dup", "foreign", "missing"])
def test_an_order_that_clashes_is_refused_and_changes_nothing(cast, karate, order):
    category, (white, yellow, orange) = karate
    _beta, beta_ranks = make_category(cast.beta.workspace)
    ids = {
        "one": [white.id],
        "dup": [white.id, white.id, yellow.id],
        "foreign": [white.id, yellow.id, beta_ranks[0].id],
        "missing": [orange.id, white.id],
    }[order]
    response = send(
        cast.client_for(cast.alpha.admin),
        "put",
        f"/api/v1/rank-categories/{category.id}/ranks/order",
        {"order": ids},
    )
    assert "order" in assert_error(response, 422, "order_clash")
    assert list(category.ranks.order_by("position").values_list("name", flat=True)) == [
        "White",
        "Yellow",
        "Orange",
    ]


def test_a_rank_nobody_held_is_removed_and_the_ladder_closes_the_gap(cast, karate):
    category, (white, yellow, orange) = karate
    client = cast.client_for(cast.alpha.owner)
    response = client.delete(f"/api/v1/rank-categories/{category.id}/ranks/{yellow.id}")
    assert response.status_code == 204
    assert list(category.ranks.order_by("position").values_list("name", "position")) == [
        ("White", 0),
        ("Orange", 1),
    ]


def test_a_rank_someone_holds_stays(cast, karate):
    category, (white, _yellow, _orange) = karate
    hold(cast.alpha.client.membership, white)
    add_visits(cast.alpha.client.membership, 1)
    response = cast.client_for(cast.alpha.owner).delete(
        f"/api/v1/rank-categories/{category.id}/ranks/{white.id}"
    )
    assert_error(response, 422, "rank_in_use")
    assert Rank.objects.filter(pk=white.pk).exists()


@pytest.mark.parametrize("role", sorted(set(ROLES) - MANAGERS))
def test_other_roles_cannot_change_the_ladder(cast, karate, role):
    category, (white, yellow, orange) = karate
    client = cast.client_for(getattr(cast.alpha, role))
    base = f"/api/v1/rank-categories/{category.id}"
    for method, path, body in [
        ("patch", base, {"name": "X"}),
        ("post", f"{base}/ranks", {"name": "Red"}),
        ("patch", f"{base}/ranks/{white.id}", {"name": "X"}),
        ("put", f"{base}/ranks/order", {"order": [orange.id, yellow.id, white.id]}),
        ("delete", f"{base}/ranks/{white.id}", None),
    ]:
        assert_error(send(client, method, path, body), 403, "forbidden")
    assert list(category.ranks.order_by("position").values_list("name", flat=True)) == [
        "White",
        "Yellow",
        "Orange",
    ]
    category.refresh_from_db()
    assert category.name == "Karate"


def test_no_other_api_module_uses_the_name_of_a_ranks_schema():
    # The document names components after their classes: two apps' "Ref" would share one.
    from ninja import Schema

    from ascend.api import schemas
    from ascend.billing import api as billing_api
    from ascend.programs import api as programs_api
    from ascend.ranks import api as ranks_api

    def names(module) -> set[str]:  # type: ignore[no-untyped-def]
        return {
            name
            for name, cls in vars(module).items()
            if isinstance(cls, type)
            and issubclass(cls, Schema)
            and cls.__module__ == module.__name__
        }

    others = names(schemas) | names(programs_api) | names(billing_api)
    assert names(ranks_api) & others == set()
