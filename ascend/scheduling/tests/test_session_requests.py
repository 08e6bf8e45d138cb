from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ascend.billing.models import PackageHolding
from ascend.billing.packages import do_give_package, do_save_package
from ascend.messaging.testing import coached_cohort
from ascend.notifications.models import Notice
from ascend.scheduling.actions import (
    do_accept_proposal,
    do_accept_session,
    do_cancel_session,
    do_decline_session,
    do_propose_time,
    do_request_session,
)
from ascend.scheduling.models import SessionRequest, SessionStatus


@pytest.fixture
def alpha(cast):
    coached_cohort(cast.alpha)
    return cast.alpha


def _give(crew, sessions=3, days=60):
    package = do_save_package(
        crew.workspace, actor=None, name=f"P{sessions}-{days}", sessions=sessions,
        price=Decimal("10"), currency="USD", validity_days=days,
    )  # fmt: skip
    return do_give_package(package, crew.client.membership, actor=None)


def _ask(crew, hours=72):
    return do_request_session(
        crew.client.membership,
        coach=crew.coach.membership,
        starts_at=timezone.now() + timedelta(hours=hours),
    )


def _code(error):
    return next(iter(error.value.error_dict.values()))[0].code


def test_a_client_asks_their_coach_who_is_told(alpha):
    request = _ask(alpha)
    assert request.status == SessionStatus.REQUESTED
    assert Notice.objects.filter(user=alpha.coach.user).exists()


def test_a_client_cannot_ask_a_coach_who_isnt_theirs(alpha):
    with pytest.raises(ValidationError) as error:
        do_request_session(
            alpha.client.membership,
            coach=alpha.other_coach.membership,
            starts_at=timezone.now() + timedelta(days=2),
        )
    assert _code(error) == "not_your_coach"
    assert not SessionRequest.objects.exists()


def test_a_time_in_the_past_is_refused(alpha):
    with pytest.raises(ValidationError) as error:
        _ask(alpha, hours=-1)
    assert _code(error) == "in_the_past"


def test_accepting_takes_one_session_from_the_package_expiring_first(alpha):
    long = _give(alpha, days=120)
    short = _give(alpha, days=30)
    do_accept_session(_ask(alpha), coach=alpha.coach.membership)
    long.refresh_from_db()
    short.refresh_from_db()
    assert (short.sessions_used, long.sessions_used) == (1, 0)


def test_nothing_is_accepted_without_a_credit(alpha):
    request = _ask(alpha)
    with pytest.raises(ValidationError) as error:
        do_accept_session(request, coach=alpha.coach.membership)
    assert _code(error) == "no_credit"
    request.refresh_from_db()
    assert request.status == SessionStatus.REQUESTED


def test_only_the_clients_coach_answers(alpha):
    _give(alpha)
    with pytest.raises(ValidationError):
        do_accept_session(_ask(alpha), coach=alpha.other_coach.membership)


def test_a_proposed_time_accepted_by_the_client_becomes_the_session(alpha):
    _give(alpha)
    request = _ask(alpha)
    later = timezone.now() + timedelta(days=5)
    do_propose_time(request, coach=alpha.coach.membership, starts_at=later)
    request = do_accept_proposal(request, client=alpha.client.membership)
    assert request.status == SessionStatus.ACCEPTED and request.starts_at == later
    assert PackageHolding.objects.get().sessions_used == 1


def test_a_declined_request_uses_nothing(alpha):
    _give(alpha)
    request = do_decline_session(_ask(alpha), coach=alpha.coach.membership, reason="Away")
    assert request.status == SessionStatus.DECLINED and request.decline_reason == "Away"
    assert PackageHolding.objects.get().sessions_used == 0


def test_cancelling_before_the_cut_off_gives_the_session_back(alpha):
    _give(alpha)
    request = do_accept_session(_ask(alpha, hours=48), coach=alpha.coach.membership)
    request = do_cancel_session(request, member=alpha.client.membership)
    assert request.credit_returned
    assert PackageHolding.objects.get().sessions_used == 0


def test_cancelling_after_the_cut_off_keeps_the_session_used(alpha):
    _give(alpha)
    request = do_accept_session(_ask(alpha, hours=5), coach=alpha.coach.membership)
    request = do_cancel_session(request, member=alpha.coach.membership)
    assert not request.credit_returned
    assert PackageHolding.objects.get().sessions_used == 1
    assert Notice.objects.filter(user=alpha.client.user, text__contains="cancelled").exists()


def test_the_cut_off_is_a_workspace_setting(alpha):
    alpha.workspace.session_cancel_cutoff_hours = 2
    alpha.workspace.save()
    _give(alpha)
    request = do_accept_session(_ask(alpha, hours=5), coach=alpha.coach.membership)
    request.workspace.refresh_from_db()
    assert do_cancel_session(request, member=alpha.client.membership).credit_returned


def test_someone_else_cannot_cancel(alpha):
    with pytest.raises(ValidationError):
        do_cancel_session(_ask(alpha), member=alpha.other_client.membership)
