"""Ticking a class roster at /team/check-in/roster/: every ticked client gets a visit, or none does.

Rules: one visit per ticked client, at the time given (now by default), with the
class named; nothing ticked, a client who isn't one of this workspace's, or a
future time refuses the whole roster and keeps what was ticked; the list can be
narrowed to a category's clients; each visit is evaluated.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from ascend.ranks import actions
from ascend.ranks.models import Eligibility, Visit
from ascend.ranks.testing import add_visits, backdate, make_ladder

pytestmark = pytest.mark.django_db

URL = "/team/check-in/roster/"
LOCAL = "%Y-%m-%dT%H:%M"


@pytest.fixture
def ladder(cast):
    category, ranks = make_ladder(cast.alpha.workspace)
    actions.do_assign_rank(cast.alpha.client.membership, ranks[0], actor=cast.alpha.admin.user)
    return category, ranks


def now_local() -> str:
    return timezone.localtime().strftime(LOCAL)


def test_the_roster_lists_the_workspaces_clients_only_with_now_as_the_time(cast, ladder):
    response = cast.client_for(cast.alpha.operator).get(URL)
    html = response.content.decode()
    assert "Alpha Client" in html and "Alpha Other Client" in html
    assert "Alpha Coach" not in html and "Beta Client" not in html
    assert response.context["form"]["occurred_at"].value() is not None


def test_ticking_a_roster_checks_everyone_in_at_once(cast, ladder):
    people = [cast.alpha.client.membership, cast.alpha.other_client.membership]
    response = cast.client_for(cast.alpha.operator).post(
        URL,
        {
            "clients": [m.pk for m in people],
            "class_name": "Kids karate",
            "occurred_at": now_local(),
        },
    )
    assert response.status_code == 302 and response.url == "/team/check-in/"
    visits = Visit.objects.filter(class_name="Kids karate")
    assert sorted(v.client_id for v in visits) == sorted(m.pk for m in people)
    assert {v.recorded_by for v in visits} == {cast.alpha.operator.user}
    assert "2 clients checked in to Kids karate." in [
        str(m) for m in get_messages(response.wsgi_request)
    ]


def test_the_roster_remembers_the_class_for_the_next_check_in(cast, ladder):
    operator = cast.client_for(cast.alpha.operator)
    operator.post(
        URL,
        {
            "clients": [cast.alpha.client.membership.pk],
            "class_name": "Adults",
            "occurred_at": now_local(),
        },
    )
    assert operator.get("/team/check-in/").context["form"]["class_name"].value() == "Adults"


def test_a_stranger_in_the_roster_refuses_all_of_it(cast, ladder):
    response = cast.client_for(cast.alpha.operator).post(
        URL,
        {
            "clients": [cast.alpha.client.membership.pk, cast.beta.client.membership.pk],
            "class_name": "Kids karate",
            "occurred_at": now_local(),
        },
    )
    assert response.status_code == 422
    assert response.context["form"].errors["clients"] == ["Tick clients of this workspace only."]
    assert not Visit.objects.exists()
    # What was ticked stays ticked.
    assert f'value="{cast.alpha.client.membership.pk}" checked' in response.content.decode()


def test_a_future_time_refuses_the_roster_at_the_field(cast, ladder):
    later = (timezone.localtime() + timedelta(hours=1)).strftime(LOCAL)
    response = cast.client_for(cast.alpha.operator).post(
        URL, {"clients": [cast.alpha.client.membership.pk], "occurred_at": later}
    )
    assert response.status_code == 422
    assert response.context["form"].errors["occurred_at"] == ["A visit can't be in the future."]
    assert not Visit.objects.exists()


def test_nothing_ticked_says_so(cast, ladder):
    response = cast.client_for(cast.alpha.operator).post(URL, {"occurred_at": now_local()})
    assert response.status_code == 422
    assert response.context["form"].errors["clients"] == ["Tick at least one client."]


def test_a_client_who_left_meanwhile_refuses_the_whole_roster(cast, ladder):
    gone = cast.alpha.other_client.membership
    gone.removed_at = timezone.now()
    gone.save()
    response = cast.client_for(cast.alpha.operator).post(
        URL,
        {"clients": [cast.alpha.client.membership.pk, gone.pk], "occurred_at": now_local()},
    )
    assert response.status_code == 422 and not Visit.objects.exists()


def test_the_roster_can_be_narrowed_to_a_categorys_clients(cast, ladder):
    category, _ranks = ladder
    html = cast.client_for(cast.alpha.operator).get(f"{URL}?category={category.pk}").content
    html = html.decode()
    assert "Alpha Client" in html and "Alpha Other Client" not in html
    assert "White belt" in html


# Committed for real, as in a request: each visit is evaluated when the roster commits.
@pytest.mark.django_db(transaction=True)
def test_each_client_of_the_roster_is_evaluated(cast, ladder):
    category, _ranks = ladder
    # The roster's time is to the minute: the rank began before it.
    backdate(actions.current_holding(cast.alpha.client.membership, category), 1)
    add_visits(cast.alpha.client.membership, 2)
    response = cast.client_for(cast.alpha.operator).post(
        URL,
        {
            "clients": [cast.alpha.client.membership.pk, cast.alpha.other_client.membership.pk],
            "occurred_at": now_local(),
        },
    )
    assert response.status_code == 302
    assert Eligibility.objects.filter(holding__client=cast.alpha.client.membership).exists()
    assert "Alpha is now eligible for Yellow belt (Karate)." in [
        str(m) for m in get_messages(response.wsgi_request)
    ]


@pytest.mark.parametrize("role", ["coach", "supervisor", "auditor", "client"])
def test_other_roles_get_403_and_nothing_is_recorded(cast, ladder, role):
    response = cast.client_for(getattr(cast.alpha, role)).post(
        URL, {"clients": [cast.alpha.client.membership.pk], "occurred_at": now_local()}
    )
    assert response.status_code == 403 and not Visit.objects.exists()
