"""Correcting a visit at /team/check-in/visits/<id>/: move its time or cancel it, with a reason.

Rules: a reason is required; a moved time can't be in the future; a
cancelled visit stays listed, marked, and stops counting; who corrected it and
when are kept and shown, and logged in the activity feed; another workspace's
visit is 404; only owners, admins and operators correct.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ascend.activity.models import Event
from ascend.ranks import actions
from ascend.ranks.models import Visit
from ascend.ranks.queries import current_holdings
from ascend.ranks.testing import make_ladder

pytestmark = pytest.mark.django_db

LOCAL = "%Y-%m-%dT%H:%M"


@pytest.fixture
def visit(cast):
    _category, ranks = make_ladder(cast.alpha.workspace)
    actions.do_assign_rank(cast.alpha.client.membership, ranks[0], actor=cast.alpha.admin.user)
    return actions.do_record_visit(
        cast.alpha.client.membership,
        actor=cast.alpha.operator.user,
        class_name="Kids karate",
        evaluate=False,
    )


def url(visit: Visit) -> str:
    return f"/team/check-in/visits/{visit.pk}/"


def test_the_page_shows_the_visit_and_who_recorded_it(cast, visit):
    html = cast.client_for(cast.alpha.admin).get(url(visit)).content.decode()
    assert "Alpha Client" in html and "Kids karate" in html
    assert "Recorded by Alpha Operator" in html
    assert "data-confirm=" in html  # cancelling asks once


def test_moving_a_visit_keeps_who_and_when_and_logs_it(cast, visit):
    earlier = timezone.localtime() - timedelta(hours=3)
    response = cast.client_for(cast.alpha.admin).post(
        url(visit), {"move-occurred_at": earlier.strftime(LOCAL), "move-note": "Came at 9"}
    )
    assert response.status_code == 302 and response.url == "/team/check-in/"
    visit.refresh_from_db()
    assert visit.occurred_at == earlier.replace(second=0, microsecond=0)
    assert visit.corrected_by == cast.alpha.admin.user and visit.corrected_at is not None
    assert visit.correction_note == "Came at 9" and visit.cancelled_at is None
    assert Event.objects.filter(verb="visit.corrected").count() == 1


def test_cancelling_a_visit_stops_it_counting_and_the_list_says_by_whom(cast, visit):
    admin = cast.client_for(cast.alpha.admin)
    response = admin.post(url(visit), {"cancel-cancel": "True", "cancel-note": "Wrong client"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.cancelled_at is not None and visit.corrected_by == cast.alpha.admin.user
    holding = current_holdings(cast.alpha.workspace).get(client=cast.alpha.client.membership)
    assert holding.visits == 0
    html = admin.get("/team/check-in/").content.decode()
    assert "Cancelled" in html and "by Alpha Admin" in html and "Wrong client" in html
    assert f'href="{url(visit)}"' not in html  # nothing left to correct


def test_a_reason_is_required(cast, visit):
    response = cast.client_for(cast.alpha.operator).post(
        url(visit), {"cancel-cancel": "True", "cancel-note": ""}
    )
    assert response.status_code == 422
    assert response.context["cancel_form"].errors["note"] == ["Say why the visit is corrected."]
    visit.refresh_from_db()
    assert visit.cancelled_at is None and visit.corrected_at is None


def test_a_future_time_is_refused_at_the_field(cast, visit):
    later = (timezone.localtime() + timedelta(hours=3)).strftime(LOCAL)
    response = cast.client_for(cast.alpha.operator).post(
        url(visit), {"move-occurred_at": later, "move-note": "Oops"}
    )
    assert response.status_code == 422
    assert response.context["move_form"].errors["occurred_at"] == [
        "A visit can't be in the future."
    ]
    assert 'value="Oops"' in response.content.decode()
    visit.refresh_from_db()
    assert visit.corrected_at is None


def test_moving_without_a_time_asks_for_one(cast, visit):
    response = cast.client_for(cast.alpha.operator).post(
        url(visit), {"move-occurred_at": "", "move-note": "Oops"}
    )
    assert response.status_code == 422
    assert "occurred_at" in response.context["move_form"].errors


def test_a_cancelled_visit_cant_be_cancelled_again(cast, visit):
    actions.do_correct_visit(visit, actor=cast.alpha.admin.user, cancel=True, note="x")
    operator = cast.client_for(cast.alpha.operator)
    assert "This visit is cancelled" in operator.get(url(visit)).content.decode()
    response = operator.post(url(visit), {"cancel-cancel": "True", "cancel-note": "again"})
    assert response.status_code == 422


def test_another_workspaces_visit_is_404(cast, visit):
    assert cast.client_for(cast.beta.operator).get(url(visit)).status_code == 404
    beta = cast.client_for(cast.beta.admin)
    response = beta.post(url(visit), {"cancel-cancel": "True", "cancel-note": "mine now"})
    assert response.status_code == 404
    visit.refresh_from_db()
    assert visit.cancelled_at is None


@pytest.mark.parametrize("role", ["coach", "supervisor", "auditor", "client"])
def test_other_roles_get_403_and_nothing_changes(cast, visit, role):
    response = cast.client_for(getattr(cast.alpha, role)).post(
        url(visit), {"cancel-cancel": "True", "cancel-note": "x"}
    )
    assert response.status_code == 403
    visit.refresh_from_db()
    assert visit.cancelled_at is None
