"""The ranks in the client's dashboard and in the navigation of both portals.

Rules: with ranks on, the client's dashboard has a card of their current ranks and
the client's navigation a link named with the workspace's word; operators, admins
and owners get a "Check-in" link; with ranks off neither shows and the dashboard
runs no extra query.
"""

from __future__ import annotations

import pytest

from ascend.ranks import actions
from ascend.ranks.testing import add_visits, make_ladder
from ascend.testing import assert_flat_queries, assert_num_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def ladder(cast):
    category, ranks = make_ladder(cast.alpha.workspace)
    actions.do_assign_rank(cast.alpha.client.membership, ranks[0], actor=cast.alpha.admin.user)
    return category, ranks


def nav_of(response) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(str(i["label"]), i["url"]) for i in response.context["nav_items"]]


def test_the_dashboard_shows_the_clients_current_ranks(cast, ladder):
    add_visits(cast.alpha.client.membership, 1)
    html = cast.client_for(cast.alpha.client).get("/me/").content.decode()
    assert 'data-testid="my-ranks"' in html and "Your Belts" in html
    assert "White belt" in html and "1 of 3 visits" in html
    assert 'href="/me/ranks/"' in html


def test_the_client_navigation_names_the_ranks_page_with_the_workspace_word(cast, ladder):
    ws = cast.alpha.workspace
    ws.rank_term = "challenges"
    ws.save()
    response = cast.client_for(cast.alpha.client).get("/me/ranks/")
    assert ("Challenges", "/me/ranks/") in nav_of(response)
    current = [i for i in response.context["nav_items"] if i["current"]]
    assert [i["url"] for i in current] == ["/me/ranks/"]


@pytest.mark.parametrize("role", ["owner", "admin", "operator"])
def test_check_in_is_in_the_team_navigation_of_those_who_record_visits(cast, ladder, role):
    response = cast.client_for(getattr(cast.alpha, role)).get("/team/")
    assert ("Check-in", "/team/check-in/") in nav_of(response)


@pytest.mark.parametrize("role", ["supervisor", "attendant", "auditor"])
def test_other_team_members_dont_see_check_in(cast, ladder, role):
    response = cast.client_for(getattr(cast.alpha, role)).get("/team/")
    assert "/team/check-in/" not in [url for _label, url in nav_of(response)]


def test_with_ranks_off_nothing_of_ranks_shows(cast, ladder):
    ws = cast.alpha.workspace
    ws.ranks_enabled = False
    ws.save()
    client_page = cast.client_for(cast.alpha.client).get("/me/")
    assert 'data-testid="my-ranks"' not in client_page.content.decode()
    assert "/me/ranks/" not in [url for _label, url in nav_of(client_page)]
    team_page = cast.client_for(cast.alpha.operator).get("/team/")
    assert "/team/check-in/" not in [url for _label, url in nav_of(team_page)]


def test_without_a_rank_the_card_says_what_happens_next(cast, ladder):
    html = cast.client_for(cast.alpha.other_client).get("/me/").content.decode()
    assert "No Belts yet: your coach gives you your first rank." in html


def test_with_ranks_off_the_dashboard_runs_no_extra_query(cast, ladder):
    ws = cast.alpha.workspace
    ws.ranks_enabled = False
    ws.save()
    client = cast.client_for(cast.alpha.client)
    client.get("/me/")
    # The shell's 5, the enrolments (none here, so nothing more of programs), packages,
    # the crm cards (onboarding check, coach and greeting, tasks, shared notes), events.
    with assert_num_queries(12):
        client.get("/me/")


def test_with_ranks_on_the_dashboard_adds_two_queries_flat_as_ranks_grow(cast, ladder):
    category, _ranks = ladder
    client = cast.client_for(cast.alpha.client)
    me = cast.alpha.client.membership
    client.get("/me/")
    # The 12 above, and the current holdings (visits counted, eligibility joined), ladders.
    with assert_num_queries(14):
        client.get("/me/")

    def grow() -> None:
        add_visits(me, 30)
        actions.do_promote(me, category, actor=cast.alpha.admin.user, send_notice=False)
        for name in ("Judo", "Kobudo"):
            _c, more = make_ladder(cast.alpha.workspace, name=name)
            actions.do_assign_rank(me, more[0], actor=cast.alpha.admin.user)

    assert_flat_queries(lambda: client.get("/me/"), grow)
