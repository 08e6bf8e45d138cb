"""Team portal: categories, their ladders, eligible clients and mass promotion."""

from __future__ import annotations

import re

import pytest

from ascend.notifications.models import OutboundEmail
from ascend.ranks import actions
from ascend.ranks.models import PromotionKind, Rank, RankCategory, RankHolding
from ascend.testing import assert_flat_queries, assert_num_queries

from .team_world import make_category, make_eligible, more_clients, place, switch_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def ladder(cast):
    return make_category(cast.alpha)


def positions(category):
    return list(
        Rank.objects.filter(category=category).order_by("position").values_list("name", flat=True)
    )


def test_the_list_shows_each_ladder_with_holders_and_eligible(cast, ladder):
    category, ranks = ladder
    make_eligible(place(cast.alpha.client.membership, ranks[0]), ranks[1])
    place(cast.alpha.other_client.membership, ranks[2])
    make_category(cast.beta, "Beta Judo")
    page = cast.client_for(cast.alpha.owner).get("/team/ranks/").content.decode()
    assert "Karate" in page and "Beta Judo" not in page
    row = page.split(">Karate<", 1)[1].split("</tr>")[0]
    assert "White" in row and "Green" in row and "<td>2</td>" in row and ">1</span>" in row


def test_the_list_has_an_empty_state_that_says_what_to_do(cast):
    switch_on(cast.alpha.workspace)
    page = cast.client_for(cast.alpha.owner).get("/team/ranks/").content.decode()
    assert "No categories yet" in page and "add each belt in order" in page


def test_creating_a_category_with_roles_told_and_the_client_told(cast):
    switch_on(cast.alpha.workspace)
    response = cast.client_for(cast.alpha.admin).post(
        "/team/ranks/new/",
        {"name": "Judo", "auto_promote": "on", "notify_roles": ["admin", "operator"]},
    )
    category = RankCategory.objects.get(name="Judo")
    assert response.status_code == 302 and response.url == f"/team/ranks/{category.pk}/"
    assert category.auto_promote and category.notify_roles == ["admin", "operator"]
    assert category.notify_client is False


def test_a_taken_name_or_a_client_role_is_refused_at_the_field_and_kept(cast, ladder):
    owner = cast.client_for(cast.alpha.owner)
    response = owner.post("/team/ranks/new/", {"name": "karate", "notify_client": "on"})
    assert response.status_code == 422
    assert "There is already a category with this name." in response.content.decode()
    assert 'value="karate"' in response.content.decode()
    response = owner.post("/team/ranks/new/", {"name": "Judo", "notify_roles": ["client"]})
    assert response.status_code == 422 and RankCategory.objects.count() == 1


def test_editing_and_archiving_a_category(cast, ladder):
    category, ranks = ladder
    holding = place(cast.alpha.client.membership, ranks[0])
    owner = cast.client_for(cast.alpha.owner)
    form = owner.get(f"/team/ranks/{category.pk}/edit/").content.decode()
    assert 'value="Karate"' in form
    assert re.search(r'name="notify_roles" value="owner"[^>]*checked', form)
    assert not re.search(r'name="notify_roles" value="operator"[^>]*checked', form)
    owner.post(f"/team/ranks/{category.pk}/edit/", {"name": "Karate-do", "notify_client": "on"})
    category.refresh_from_db()
    assert category.name == "Karate-do" and category.notify_roles == []
    page = owner.get(f"/team/ranks/{category.pk}/").content.decode()
    assert "data-confirm" in page and "Archive Karate-do?" in page
    response = owner.post(f"/team/ranks/{category.pk}/archive/")
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.archived_at is not None
    assert RankHolding.objects.filter(pk=holding.pk).exists()
    assert owner.get(f"/team/ranks/{category.pk}/").status_code == 404
    assert "Karate-do" not in owner.get("/team/ranks/").content.decode()


def test_the_category_page_shows_the_ladder_with_criteria_colours_and_holders(cast, ladder):
    category, ranks = ladder
    place(cast.alpha.client.membership, ranks[1])
    page = cast.client_for(cast.alpha.owner).get(f"/team/ranks/{category.pk}/").content.decode()
    assert page.index("White") < page.index("Yellow") < page.index("Orange") < page.index("Green")
    assert "Next after: 3 visits" in page
    assert "Next after: 10 visits and 30 days" in page
    assert "Next after: 60 days" in page
    assert "The last belt" in page
    assert 'fill="#f2c94c"' in page and "1 holder" in page
    assert "<h3>Add a belt</h3>" in page and "Name of the belt" in page
    assert "Nobody is eligible now." in page


def test_a_rank_with_no_criteria_reads_manual_only(cast):
    belts = [("Blue", "#0000ff", None, None), ("Red", "#ff0000", None, None)]
    category, ranks = make_category(cast.alpha, belts=belts)
    page = cast.client_for(cast.alpha.owner).get(f"/team/ranks/{category.pk}/").content.decode()
    assert "Next after: manual only" in page


def test_adding_a_rank_puts_it_last_and_htmx_gets_the_ladder(cast, ladder):
    category, ranks = ladder
    response = cast.client_for(cast.alpha.owner).post(
        f"/team/ranks/{category.pk}/ranks/",
        {
            "rank-name": "Black",
            "rank-colour": "#000000",
            "rank-min_visits": "",
            "rank-min_days": "",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.content.decode().startswith('<section class="card" id="ladder">')
    assert positions(category) == ["White", "Yellow", "Orange", "Green", "Black"]


def test_criteria_below_zero_are_refused_at_the_field_and_nothing_is_added(cast, ladder):
    category, ranks = ladder
    owner = cast.client_for(cast.alpha.owner)
    data = {
        "rank-name": "Black",
        "rank-colour": "#000000",
        "rank-min_visits": "-1",
        "rank-min_days": "-5",
    }
    response = owner.post(f"/team/ranks/{category.pk}/ranks/", data)
    assert response.status_code == 422
    page = response.content.decode()
    assert page.count("Use zero or more.") == 2 and 'value="Black"' in page
    # htmx swaps only 2xx: the fragment carries the mistake with a 200.
    response = owner.post(f"/team/ranks/{category.pk}/ranks/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Use zero or more." in response.content.decode()
    assert Rank.objects.filter(category=category).count() == 4


def test_editing_a_rank(cast, ladder):
    category, ranks = ladder
    owner = cast.client_for(cast.alpha.owner)
    form = owner.get(f"/team/ranks/{category.pk}/ranks/{ranks[1].pk}/", HTTP_HX_REQUEST="true")
    assert 'value="Yellow"' in form.content.decode()
    prefix = f"rank-{ranks[1].pk}"
    owner.post(
        f"/team/ranks/{category.pk}/ranks/{ranks[1].pk}/",
        {
            f"{prefix}-name": "Gold",
            f"{prefix}-colour": "#ffd700",
            f"{prefix}-min_visits": "12",
            f"{prefix}-min_days": "",
        },
    )
    ranks[1].refresh_from_db()
    assert (ranks[1].name, ranks[1].colour, ranks[1].min_visits, ranks[1].min_days) == (
        "Gold", "#ffd700", 12, None)  # fmt: skip


def test_moving_a_rank_up_and_down_the_list(cast, ladder):
    category, ranks = ladder
    owner = cast.client_for(cast.alpha.owner)
    response = owner.post(
        f"/team/ranks/{category.pk}/ranks/{ranks[2].pk}/move/",
        {"direction": "up"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and 'id="ladder"' in response.content.decode()
    assert positions(category) == ["White", "Orange", "Yellow", "Green"]
    owner.post(f"/team/ranks/{category.pk}/ranks/{ranks[0].pk}/move/", {"direction": "down"})
    assert positions(category) == ["Orange", "White", "Yellow", "Green"]
    # At the end nothing moves.
    owner.post(f"/team/ranks/{category.pk}/ranks/{ranks[3].pk}/move/", {"direction": "down"})
    assert positions(category) == ["Orange", "White", "Yellow", "Green"]


def test_a_whole_new_order_is_saved_and_an_order_clash_changes_nothing(cast, ladder):
    category, ranks = ladder
    owner = cast.client_for(cast.alpha.owner)
    url = f"/team/ranks/{category.pk}/order/"
    owner.post(url, {"order": ",".join(str(r.pk) for r in reversed(ranks))})
    assert positions(category) == ["Green", "Orange", "Yellow", "White"]
    other, _ = make_category(cast.alpha, "Judo")
    stranger = Rank.objects.filter(category=other).first()
    for order in [
        f"{ranks[0].pk},{ranks[0].pk},{ranks[1].pk},{ranks[2].pk}",  # a rank twice
        f"{ranks[0].pk},{ranks[1].pk}",  # ranks left out
        ",".join(str(r.pk) for r in ranks[:3]) + f",{stranger.pk}",  # another category's rank
        "1,two,3",
    ]:
        response = owner.post(url, {"order": order})
        assert response.status_code == 422, order
        assert (
            "The new order must list each rank of the category once." in response.content.decode()
        )
        response = owner.post(url, {"order": order}, HTTP_HX_REQUEST="true")
        assert (
            response.status_code == 200
            and 'data-testid="ladder-error"' in response.content.decode()
        )
    assert positions(category) == ["Green", "Orange", "Yellow", "White"]


def test_a_rank_someone_holds_or_held_cannot_be_deleted_and_says_why(cast, ladder):
    category, ranks = ladder
    place(cast.alpha.client.membership, ranks[1])
    owner = cast.client_for(cast.alpha.owner)
    response = owner.post(
        f"/team/ranks/{category.pk}/ranks/{ranks[1].pk}/delete/", HTTP_HX_REQUEST="true"
    )
    assert "Clients hold or held this rank" in response.content.decode()
    response = owner.post(f"/team/ranks/{category.pk}/ranks/{ranks[1].pk}/delete/", follow=True)
    assert "Clients hold or held this rank" in response.content.decode()
    assert Rank.objects.filter(pk=ranks[1].pk).exists()
    owner.post(f"/team/ranks/{category.pk}/ranks/{ranks[2].pk}/delete/")
    assert positions(category) == ["White", "Yellow", "Green"]


def test_eligible_clients_are_listed_and_mass_promotion_asks_once_and_tells_each(cast, ladder):
    category, ranks = ladder
    clients = [cast.alpha.client.membership, cast.alpha.other_client.membership]
    for client in clients:
        make_eligible(place(client, ranks[0]), ranks[1])
    owner = cast.client_for(cast.alpha.owner)
    page = owner.get(f"/team/ranks/{category.pk}/").content.decode()
    assert "Promote 2 clients? Each is told." in page
    assert "Alpha Client" in page.split('data-testid="eligible"')[1]
    OutboundEmail.objects.all().delete()
    response = owner.post(f"/team/ranks/{category.pk}/promote-eligible/", follow=True)
    assert "2 clients were promoted, each told." in response.content.decode()
    for client in clients:
        current = RankHolding.objects.get(client=client, ended_at__isnull=True)
        assert current.rank == ranks[1] and current.kind == PromotionKind.MASS
        assert current.by == cast.alpha.owner.user
    told = OutboundEmail.objects.filter(template="rank_promoted").values_list("to", flat=True)
    assert sorted(told) == sorted([cast.alpha.client.email, cast.alpha.other_client.email])
    response = owner.post(f"/team/ranks/{category.pk}/promote-eligible/", follow=True)
    assert "Nobody is eligible right now" in response.content.decode()


def test_the_list_and_category_page_query_counts_are_pinned_and_flat(cast, ladder):
    category, ranks = ladder
    owner = cast.client_for(cast.alpha.owner)
    owner.get("/team/ranks/")
    with assert_num_queries(7):
        owner.get("/team/ranks/")
    with assert_num_queries(8):
        owner.get(f"/team/ranks/{category.pk}/")

    def grow():
        for i, client in enumerate(more_clients(cast.alpha, 6)):
            holding = place(client, ranks[i % 3])
            if i % 2:
                make_eligible(holding, ranks[i % 3 + 1])
        make_category(cast.alpha, "Judo")

    assert_flat_queries(lambda: owner.get(f"/team/ranks/{category.pk}/"), grow)
    assert_flat_queries(
        lambda: owner.get("/team/ranks/"), lambda: make_category(cast.alpha, "Aikido")
    )


def test_a_rank_of_another_category_is_404_from_this_one(cast, ladder):
    category, ranks = ladder
    other, other_ranks = make_category(cast.alpha, "Judo")
    owner = cast.client_for(cast.alpha.owner)
    assert owner.get(f"/team/ranks/{category.pk}/ranks/{other_ranks[0].pk}/").status_code == 404
    assert (
        owner.post(f"/team/ranks/{category.pk}/ranks/{other_ranks[0].pk}/delete/").status_code
        == 404
    )
    assert actions.ladder(other)[0] == other_ranks[0]
