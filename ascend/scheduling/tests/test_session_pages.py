from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ascend.billing.packages import do_give_package, do_save_package
from ascend.messaging.testing import coached_cohort
from ascend.scheduling.actions import do_request_session
from ascend.scheduling.models import SessionRequest, SessionStatus

LOCAL = "%Y-%m-%dT%H:%M"


@pytest.fixture
def alpha(cast):
    coached_cohort(cast.alpha)
    package = do_save_package(
        cast.alpha.workspace, actor=None, name="Ten", sessions=10, price=Decimal("1"),
        currency="USD", validity_days=90,
    )  # fmt: skip
    do_give_package(package, cast.alpha.client.membership, actor=None)
    return cast.alpha


@pytest.mark.parametrize(
    "role, url, status",
    [
        ("client", "/me/sessions/", 200),
        ("coach", "/me/sessions/", 403),
        ("coach", "/coach/sessions/", 200),
        ("client", "/coach/sessions/", 403),
        ("admin", "/coach/sessions/", 403),
    ],
)
def test_session_pages_follow_the_portals(cast, alpha, role, url, status):
    assert cast.client_for(getattr(alpha, role)).get(url).status_code == status


def test_a_client_requests_a_session_from_the_page(cast, alpha):
    when = (timezone.localtime() + timedelta(days=3)).replace(hour=10, minute=0)
    response = cast.client_for(alpha.client).post(
        "/me/sessions/",
        {"coach": alpha.coach.membership.pk, "starts_at": when.strftime(LOCAL),
         "duration_minutes": "60", "note": "Knee question"},
    )  # fmt: skip
    assert response.status_code == 302
    request = SessionRequest.objects.get()
    assert request.coach == alpha.coach.membership and request.note == "Knee question"


def test_a_request_to_another_coach_is_refused_at_the_field(cast, alpha):
    when = timezone.localtime() + timedelta(days=3)
    response = cast.client_for(alpha.client).post(
        "/me/sessions/",
        {"coach": alpha.other_coach.membership.pk, "starts_at": when.strftime(LOCAL),
         "duration_minutes": "60"},
    )  # fmt: skip
    assert response.status_code == 422
    assert 'id="id_coach_errors"' in response.content.decode()
    assert not SessionRequest.objects.exists()


def test_the_coach_accepts_and_the_client_sees_it_accepted(cast, alpha):
    request = do_request_session(
        alpha.client.membership,
        coach=alpha.coach.membership,
        starts_at=timezone.now() + timedelta(days=2),
    )
    coach = cast.client_for(alpha.coach)
    assert f'data-testid="session-{request.pk}"' in coach.get("/coach/sessions/").content.decode()
    assert coach.post(f"/coach/sessions/{request.pk}/accept/").status_code == 302
    request.refresh_from_db()
    assert request.status == SessionStatus.ACCEPTED
    page = cast.client_for(alpha.client).get("/me/sessions/").content.decode()
    assert "9 sessions left" in page


def test_another_coach_cannot_answer_a_request(cast, alpha):
    request = do_request_session(
        alpha.client.membership,
        coach=alpha.coach.membership,
        starts_at=timezone.now() + timedelta(days=2),
    )
    response = cast.client_for(alpha.other_coach).post(f"/coach/sessions/{request.pk}/accept/")
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == SessionStatus.REQUESTED


def test_a_member_of_another_workspace_is_refused(cast, alpha):
    request = do_request_session(
        alpha.client.membership,
        coach=alpha.coach.membership,
        starts_at=timezone.now() + timedelta(days=2),
    )
    response = cast.client_for(cast.beta.coach).post(f"/coach/sessions/{request.pk}/accept/")
    assert response.status_code == 404
