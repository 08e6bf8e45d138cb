"""The client's ranks page at /me/ranks/: current rank per category, progress, eligibility, history.

Rules: clients only (staff get 403, visitors sign in, another workspace's member
gets 404); 404 while ranks are off; a client sees only their own ranks; the
headings use the workspace's word for ranks; queries stay flat as visits and
history grow.
"""

from __future__ import annotations

import pytest
from django.test import Client

from ascend.ranks import actions
from ascend.ranks.models import Eligibility
from ascend.ranks.testing import add_visits, backdate, make_ladder
from ascend.testing import assert_flat_queries, assert_num_queries

pytestmark = pytest.mark.django_db

URL = "/me/ranks/"
STAFF = ["owner", "admin", "coach", "head_coach", "supervisor", "attendant", "auditor", "operator"]


@pytest.fixture
def ladder(cast):
    category, ranks = make_ladder(cast.alpha.workspace, criteria=((3, None), (5, 10)))
    actions.do_assign_rank(cast.alpha.client.membership, ranks[0], actor=cast.alpha.admin.user)
    return category, ranks


def html_of(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def test_the_client_sees_their_current_rank_and_visits_towards_the_next(cast, ladder):
    add_visits(cast.alpha.client.membership, 2)
    response = cast.client_for(cast.alpha.client).get(URL)
    assert response.status_code == 200
    html = html_of(response)
    assert "Your Belts" in html
    assert "Karate" in html and "White belt" in html
    assert "Towards Yellow belt" in html
    assert "2 of 3 visits" in html
    assert '<progress class="meter" value="2" max="3"' in html
    assert 'fill="#9aa4b2"' in html  # the rank's colour, as an SVG swatch (no style=)
    assert "style=" not in html


def test_both_criteria_show_visits_and_days(cast, ladder):
    category, ranks = ladder
    actions.do_promote(cast.alpha.client.membership, category, actor=cast.alpha.admin.user)
    holding = actions.current_holding(cast.alpha.client.membership, category)
    backdate(holding, 4)
    add_visits(cast.alpha.client.membership, 1)
    card = cast.client_for(cast.alpha.client).get(URL).context["cards"][0]
    assert card.rank == ranks[1] and card.next_rank == ranks[2]
    assert [(m.kind, m.done, m.needed) for m in card.meters] == [("visits", 1, 5), ("days", 4, 10)]


def test_an_eligible_client_sees_the_badge_instead_of_the_meters(cast, ladder):
    category, ranks = ladder
    holding = actions.current_holding(cast.alpha.client.membership, category)
    Eligibility.objects.create(workspace=cast.alpha.workspace, holding=holding, next_rank=ranks[1])
    html = html_of(cast.client_for(cast.alpha.client).get(URL))
    assert 'data-testid="eligible"' in html
    assert "You've met the criteria for Yellow belt" in html
    assert 'class="meter"' not in html


def test_the_last_rank_says_there_is_no_next_one(cast, ladder):
    category, ranks = ladder
    actions.do_assign_rank(cast.alpha.client.membership, ranks[-1], actor=cast.alpha.admin.user)
    html = html_of(cast.client_for(cast.alpha.client).get(URL))
    assert "This is the last rank of the category" in html
    assert 'class="meter"' not in html


def test_a_rank_without_criteria_says_the_coach_promotes(cast):
    _category, ranks = make_ladder(cast.alpha.workspace, name="Judo", criteria=((None, None),))
    actions.do_assign_rank(cast.alpha.client.membership, ranks[0], actor=cast.alpha.admin.user)
    html = html_of(cast.client_for(cast.alpha.client).get(URL))
    assert "Your coach promotes you when you're ready" in html


def test_the_history_lists_every_rank_with_dates_and_how(cast, ladder):
    category, _ranks = ladder
    actions.do_promote(
        cast.alpha.client.membership, category, actor=None, kind="automatic", send_notice=False
    )
    response = cast.client_for(cast.alpha.client).get(URL)
    history = response.context["history"]
    assert [h.rank.name for h in history] == ["Yellow belt", "White belt"]
    html = html_of(response)
    assert 'data-testid="rank-history"' in html
    assert "Belts: your history" in html
    assert "Automatic" in html and "By hand" in html and "by Alpha Admin" in html
    assert ">Current<" in html


def test_the_headings_use_the_workspace_word(cast, ladder):
    ws = cast.alpha.workspace
    ws.rank_term, ws.rank_term_custom = "custom", "Cinturones"
    ws.save()
    html = html_of(cast.client_for(cast.alpha.client).get(URL))
    assert "<h1>Your Cinturones</h1>" in html


def test_without_a_rank_the_page_says_what_happens_next(cast, ladder):
    html = html_of(cast.client_for(cast.alpha.other_client).get(URL))
    assert "No Belts yet" in html and "Your coach gives you your first rank" in html


def test_a_client_sees_only_their_own_ranks(cast, ladder):
    _category, ranks = ladder
    actions.do_assign_rank(
        cast.alpha.other_client.membership, ranks[2], actor=cast.alpha.admin.user
    )
    html = html_of(cast.client_for(cast.alpha.client).get(URL))
    assert "White belt" in html and "Orange belt" not in html
    other = html_of(cast.client_for(cast.alpha.other_client).get(URL))
    assert "Orange belt" in other and "White belt" not in other


def test_the_page_is_404_while_ranks_are_off(cast, ladder):
    ws = cast.alpha.workspace
    ws.ranks_enabled = False
    ws.save()
    assert cast.client_for(cast.alpha.client).get(URL).status_code == 404


@pytest.mark.parametrize("role", STAFF)
def test_staff_get_403(cast, ladder, role):
    assert cast.client_for(getattr(cast.alpha, role)).get(URL).status_code == 403


def test_a_visitor_is_sent_to_sign_in(cast, ladder):
    response = Client(HTTP_HOST=cast.alpha.host).get(URL)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_client_of_another_workspace_gets_404(cast, ladder):
    assert cast.client_for(cast.beta.client, cast.alpha.workspace).get(URL).status_code == 404


def test_the_page_takes_a_fixed_number_of_queries(cast, ladder):
    client = cast.client_for(cast.alpha.client)
    client.get(URL)
    # The shell's 5; current holdings with visits counted and eligibility joined, their
    # ladders, the history.
    with assert_num_queries(8):
        client.get(URL)


def test_queries_stay_flat_as_visits_history_and_categories_grow(cast, ladder):
    category, _ranks = ladder
    client = cast.client_for(cast.alpha.client)
    me = cast.alpha.client.membership

    def grow() -> None:
        add_visits(me, 40, days_ago=1)
        actions.do_promote(me, category, actor=cast.alpha.admin.user, send_notice=False)
        actions.do_promote(me, category, actor=cast.alpha.admin.user, send_notice=False)
        for name in ("Judo", "Kobudo"):
            _c, more = make_ladder(cast.alpha.workspace, name=name)
            actions.do_assign_rank(me, more[1], actor=cast.alpha.admin.user)
        add_visits(me, 10)

    client.get(URL)
    assert_flat_queries(lambda: client.get(URL), grow)
