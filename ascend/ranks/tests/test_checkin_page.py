"""The operator's check-in page at /team/check-in/: finding clients and today's visits.

Rules: owners, admins and operators only (other staff and clients get 403,
visitors sign in, another workspace's member gets 404); 404 while ranks are
off; the search finds clients by name or email, never staff or another
workspace's clients; the class name is remembered for the next check-in;
queries stay flat as clients, visits and ranks grow.
"""

from __future__ import annotations

import pytest
from django.test import Client

from ascend.ranks import actions
from ascend.ranks.testing import add_visits, make_ladder
from ascend.tenancy.roles import Role
from ascend.testing import assert_flat_queries, assert_num_queries, make_person

pytestmark = pytest.mark.django_db

URLS = ["/team/check-in/", "/team/check-in/search/?q=client", "/team/check-in/roster/"]
ALLOWED = ["owner", "admin", "operator"]
REFUSED = ["coach", "head_coach", "supervisor", "attendant", "auditor", "client"]


@pytest.fixture
def ladder(cast):
    category, ranks = make_ladder(cast.alpha.workspace)
    actions.do_assign_rank(cast.alpha.client.membership, ranks[0], actor=cast.alpha.admin.user)
    return category, ranks


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("role", ALLOWED)
def test_owners_admins_and_operators_open_the_check_in_pages(cast, ladder, role, url):
    assert cast.client_for(getattr(cast.alpha, role)).get(url).status_code == 200


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_get_403(cast, ladder, role, url):
    assert cast.client_for(getattr(cast.alpha, role)).get(url).status_code == 403


@pytest.mark.parametrize("url", URLS)
def test_a_visitor_is_sent_to_sign_in(cast, ladder, url):
    response = Client(HTTP_HOST=cast.alpha.host).get(url)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("url", URLS)
def test_an_operator_of_another_workspace_gets_404(cast, ladder, url):
    client = cast.client_for(cast.beta.operator, cast.alpha.workspace)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", URLS)
def test_the_pages_are_404_while_ranks_are_off(cast, ladder, url):
    ws = cast.alpha.workspace
    ws.ranks_enabled = False
    ws.save()
    assert cast.client_for(cast.alpha.operator).get(url).status_code == 404


def test_the_search_finds_clients_by_name_or_email_with_their_rank(cast, ladder):
    operator = cast.client_for(cast.alpha.operator)
    by_name = operator.get("/team/check-in/search/?q=other cli").content.decode()
    assert "Alpha Other Client" in by_name and ">Alpha Client<" not in by_name
    by_email = operator.get("/team/check-in/search/?q=client@alpha").content.decode()
    assert "Alpha Client" in by_email
    assert "Karate: White belt" in by_email
    assert 'aria-label="Check in Alpha Client"' in by_email


def test_the_search_never_offers_staff_or_another_workspaces_clients(cast, ladder):
    html = cast.client_for(cast.alpha.operator).get("/team/check-in/search/?q=a").content.decode()
    assert "Alpha Coach" not in html and "Alpha Operator" not in html
    assert "Beta Client" not in html


def test_an_unknown_name_says_so_and_an_empty_search_says_what_to_type(cast, ladder):
    operator = cast.client_for(cast.alpha.operator)
    assert "No client matches" in operator.get("/team/check-in/search/?q=zzz").content.decode()
    assert "Type part of a name" in operator.get("/team/check-in/search/?q=").content.decode()


def test_the_search_says_when_it_checked_someone_in_today(cast, ladder):
    add_visits(cast.alpha.client.membership, 1)
    html = cast.client_for(cast.alpha.operator).get("/team/check-in/search/?q=client@").content
    assert "Checked in today" in html.decode()


def test_the_page_lists_todays_visits_and_says_what_to_do_without_any(cast, ladder):
    operator = cast.client_for(cast.alpha.operator)
    assert "No visits yet today" in operator.get("/team/check-in/").content.decode()
    actions.do_record_visit(
        cast.alpha.client.membership, actor=cast.alpha.operator.user, class_name="Kids karate"
    )
    html = operator.get("/team/check-in/").content.decode()
    assert 'data-testid="todays-visits"' in html
    assert "Kids karate" in html and "Alpha Operator at" in html


def test_yesterdays_visits_are_not_in_todays_list(cast, ladder):
    add_visits(cast.alpha.client.membership, 1, days_ago=2)
    html = cast.client_for(cast.alpha.operator).get("/team/check-in/").content.decode()
    assert "No visits yet today" in html


def test_the_page_searches_from_the_address_without_javascript(cast, ladder):
    html = cast.client_for(cast.alpha.operator).get("/team/check-in/?q=Alpha+Client").content
    assert 'aria-label="Check in Alpha Client"' in html.decode()


def test_the_search_takes_a_fixed_number_of_queries(cast, ladder):
    operator = cast.client_for(cast.alpha.operator)
    url = "/team/check-in/search/?q=client"
    operator.get(url)
    # The shell's 5 (the fragment is rendered with the same context processors); the
    # clients; their current ranks; their visits today.
    with assert_num_queries(8):
        operator.get(url)


def test_the_search_and_the_page_stay_flat_as_clients_visits_and_ranks_grow(cast, ladder):
    category, ranks = ladder
    operator = cast.client_for(cast.alpha.operator)

    def grow() -> None:
        for i in range(15):
            person = make_person(
                cast.alpha.workspace, {Role.CLIENT}, f"client{i}@alpha.test", f"Client {i}"
            )
            actions.do_assign_rank(person.membership, ranks[i % 3], actor=cast.alpha.admin.user)
            add_visits(person.membership, 2)
            actions.do_record_visit(person.membership, actor=cast.alpha.operator.user)
        _judo, more = make_ladder(cast.alpha.workspace, name="Judo")
        actions.do_assign_rank(cast.alpha.client.membership, more[0], actor=cast.alpha.admin.user)

    def both() -> None:
        operator.get("/team/check-in/search/?q=client")
        operator.get("/team/check-in/?q=client")
        operator.get("/team/check-in/roster/")

    both()
    assert_flat_queries(both, grow)
