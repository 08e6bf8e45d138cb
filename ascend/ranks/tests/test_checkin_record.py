"""Checking a client in from /team/check-in/: one visit, then the evaluation.

Rules: a check-in records one visit by the operator, with the class named; the
class name is remembered for the next check-in; a future time is refused at the
field and nothing is recorded; only clients of this workspace can be checked
in; right after the visit the client becomes eligible (or is promoted, in an
automatic category) when they meet the criteria, and the page says so.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from ascend.notifications.models import OutboundEmail
from ascend.ranks import actions
from ascend.ranks.models import Eligibility, Visit
from ascend.ranks.testing import add_visits, make_ladder
from ascend.testing import assert_num_queries

pytestmark = pytest.mark.django_db

URL = "/team/check-in/record/"
LOCAL = "%Y-%m-%dT%H:%M"


@pytest.fixture
def ladder(cast):
    category, ranks = make_ladder(cast.alpha.workspace, criteria=((3, None), (3, 10)))
    actions.do_assign_rank(cast.alpha.client.membership, ranks[0], actor=cast.alpha.admin.user)
    return category, ranks


def texts(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_an_operator_checks_a_client_in_to_a_class(cast, ladder):
    operator = cast.client_for(cast.alpha.operator)
    response = operator.post(
        URL, {"client": cast.alpha.client.membership.pk, "class_name": " Kids karate "}
    )
    assert response.status_code == 302 and response.url == "/team/check-in/"
    visit = Visit.objects.get(client=cast.alpha.client.membership)
    assert visit.class_name == "Kids karate"
    assert visit.recorded_by == cast.alpha.operator.user
    assert abs(visit.occurred_at - timezone.now()) < timedelta(minutes=1)
    assert "Alpha checked in to Kids karate." in texts(response)


def test_the_class_name_is_remembered_for_the_next_check_in(cast, ladder):
    operator = cast.client_for(cast.alpha.operator)
    operator.post(URL, {"client": cast.alpha.client.membership.pk, "class_name": "Kids karate"})
    page = operator.get("/team/check-in/")
    assert page.context["form"]["class_name"].value() == "Kids karate"
    assert 'value="Kids karate"' in page.content.decode()


def test_a_visit_earlier_today_is_recorded_at_that_time(cast, ladder):
    when = timezone.localtime() - timedelta(hours=2)
    cast.client_for(cast.alpha.operator).post(
        URL, {"client": cast.alpha.client.membership.pk, "occurred_at": when.strftime(LOCAL)}
    )
    visit = Visit.objects.get(client=cast.alpha.client.membership)
    assert visit.occurred_at == when.replace(second=0, microsecond=0)


def test_a_future_time_is_refused_at_the_field_and_nothing_is_recorded(cast, ladder):
    later = (timezone.localtime() + timedelta(hours=2)).strftime(LOCAL)
    response = cast.client_for(cast.alpha.operator).post(
        URL,
        {"client": cast.alpha.client.membership.pk, "class_name": "Adults", "occurred_at": later},
    )
    assert response.status_code == 422
    assert response.context["form"].errors["occurred_at"] == ["A visit can't be in the future."]
    html = response.content.decode()
    assert 'id="id_occurred_at_errors"' in html and 'value="Adults"' in html
    assert f'value="{later}"' in html
    assert not Visit.objects.exists()


def test_the_when_field_carries_a_max_so_the_browser_refuses_the_future_too(cast, ladder):
    html = cast.client_for(cast.alpha.operator).get("/team/check-in/").content.decode()
    assert 'type="datetime-local"' in html and ' max="' in html


@pytest.mark.parametrize("who", ["beta_client", "alpha_coach", "nobody"])
def test_only_clients_of_this_workspace_can_be_checked_in(cast, ladder, who):
    target = {
        "beta_client": cast.beta.client.membership.pk,
        "alpha_coach": cast.alpha.coach.membership.pk,
        "nobody": 999999,
    }[who]
    response = cast.client_for(cast.alpha.operator).post(URL, {"client": target})
    assert response.status_code == 422
    assert response.context["form"].errors["client"] == ["Choose a client of this workspace."]
    assert not Visit.objects.exists()


def test_pressing_enter_searches_and_keeps_what_was_typed_without_recording(cast, ladder):
    response = cast.client_for(cast.alpha.operator).post(
        URL, {"find": "1", "q": "Alpha Client", "class_name": "Adults"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-label="Check in Alpha Client"' in html and 'value="Adults"' in html
    assert not Visit.objects.exists()


# Committed for real, as in a request: the evaluation runs when the visit commits.
@pytest.mark.django_db(transaction=True)
def test_a_client_meeting_the_criteria_becomes_eligible_right_after_the_visit(cast, ladder):
    add_visits(cast.alpha.client.membership, 2)
    response = cast.client_for(cast.alpha.operator).post(
        URL, {"client": cast.alpha.client.membership.pk, "class_name": "Kids karate"}
    )
    eligibility = Eligibility.objects.get(holding__client=cast.alpha.client.membership)
    assert eligibility.next_rank.name == "Yellow belt"
    assert "Alpha is now eligible for Yellow belt (Karate)." in texts(response)
    # The category tells admins and the client.
    assert OutboundEmail.objects.filter(
        template="rank_eligible_staff", to=cast.alpha.admin.email
    ).exists()
    assert OutboundEmail.objects.filter(
        template="rank_eligible_client", to=cast.alpha.client.email
    ).exists()


# Committed for real, as in a request: the evaluation runs when the visit commits.
@pytest.mark.django_db(transaction=True)
def test_a_client_of_an_automatic_category_is_promoted_right_after_the_visit(cast):
    category, ranks = make_ladder(cast.alpha.workspace, name="Judo", auto=True)
    actions.do_assign_rank(cast.alpha.client.membership, ranks[0], actor=cast.alpha.admin.user)
    add_visits(cast.alpha.client.membership, 2)
    response = cast.client_for(cast.alpha.operator).post(
        URL, {"client": cast.alpha.client.membership.pk}
    )
    holding = actions.current_holding(cast.alpha.client.membership, category)
    assert holding.rank == ranks[1] and holding.kind == "automatic"
    assert "Alpha was promoted to Yellow belt (Judo)." in texts(response)
    assert "Alpha checked in." in texts(response)


# Committed for real, as in a request: the evaluation runs when the visit commits.
@pytest.mark.django_db(transaction=True)
def test_a_client_still_short_of_the_criteria_is_only_checked_in(cast, ladder):
    response = cast.client_for(cast.alpha.operator).post(
        URL, {"client": cast.alpha.client.membership.pk}
    )
    assert not Eligibility.objects.exists()
    assert texts(response) == ["Alpha checked in."]


@pytest.mark.parametrize("role", ["coach", "supervisor", "attendant", "auditor", "client"])
def test_other_roles_get_403_and_nothing_is_recorded(cast, ladder, role):
    response = cast.client_for(getattr(cast.alpha, role)).post(
        URL, {"client": cast.alpha.client.membership.pk}
    )
    assert response.status_code == 403 and not Visit.objects.exists()


def test_another_workspaces_operator_gets_404_and_nothing_is_recorded(cast, ladder):
    client = cast.client_for(cast.beta.operator, cast.alpha.workspace)
    response = client.post(URL, {"client": cast.alpha.client.membership.pk})
    assert response.status_code == 404 and not Visit.objects.exists()


def test_checking_in_is_refused_while_ranks_are_off(cast, ladder):
    ws = cast.alpha.workspace
    ws.ranks_enabled = False
    ws.save()
    response = cast.client_for(cast.alpha.operator).post(
        URL, {"client": cast.alpha.client.membership.pk}
    )
    assert response.status_code == 404 and not Visit.objects.exists()


def test_a_get_is_not_allowed(cast, ladder):
    assert cast.client_for(cast.alpha.operator).get(URL).status_code == 405


def test_the_check_in_page_takes_a_fixed_number_of_queries(cast, ladder):
    add_visits(cast.alpha.client.membership, 2)
    operator = cast.client_for(cast.alpha.operator)
    operator.get("/team/check-in/?q=client")
    # The shell's 5; the clients found, their current ranks, their visits today; today's
    # visits with who recorded and corrected them.
    with assert_num_queries(9):
        operator.get("/team/check-in/?q=client")
