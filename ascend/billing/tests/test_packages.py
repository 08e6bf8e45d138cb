from __future__ import annotations

import contextlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ascend.billing.credits import Credit, credit_to_use, expiry
from ascend.billing.models import CreditUse, Package, PackageHolding
from ascend.billing.packages import (
    do_give_package,
    do_return_credit,
    do_save_package,
    do_use_credit,
)

DAY = date(2026, 6, 1)


def _package(workspace, **fields):
    values = {"name": "Ten sessions", "sessions": 10, "price": Decimal("450.00"),
              "currency": "usd", "validity_days": 90, **fields}  # fmt: skip
    return do_save_package(workspace, actor=None, **values)


def _code(error: ValidationError, field: str) -> str:
    return error.error_dict[field][0].code


def test_a_package_keeps_an_upper_case_currency(cast):
    assert _package(cast.alpha.workspace).currency == "USD"


@pytest.mark.parametrize(
    "fields, field, code",
    [
        ({"currency": "dollars"}, "currency", "currency"),
        ({"price": Decimal("-1")}, "price", "price_negative"),
        ({"name": "  "}, "name", "blank"),
        ({"validity_days": 0}, "validity_days", "min_value"),
    ],
)
def test_bad_package_values_are_refused_at_the_field(cast, fields, field, code):
    with pytest.raises(ValidationError) as error:
        _package(cast.alpha.workspace, **fields)
    assert _code(error.value, field) == code
    assert not Package.objects.exists()


def test_a_coach_package_needs_a_coach_of_the_workspace(cast):
    with pytest.raises(ValidationError) as error:
        _package(cast.alpha.workspace, coach=cast.beta.coach.membership)
    assert _code(error.value, "coach") == "not_a_coach"
    assert _package(cast.alpha.workspace, coach=cast.alpha.coach.membership).coach_id


def test_a_given_package_copies_its_numbers_and_expires_after_its_validity(cast):
    package = _package(cast.alpha.workspace, validity_days=30)
    holding = do_give_package(package, cast.alpha.client.membership, actor=None, starts_on=DAY)
    assert holding.sessions == 10 and holding.sessions_left == 10
    assert holding.expires_on == DAY + timedelta(days=29)
    package.sessions = 3
    package.save()
    holding.refresh_from_db()
    assert holding.sessions == 10


def test_only_clients_of_the_workspace_receive_packages(cast):
    package = _package(cast.alpha.workspace)
    for member in [cast.alpha.coach.membership, cast.beta.client.membership]:
        with pytest.raises(ValidationError) as error:
            do_give_package(package, member, actor=None)
        assert _code(error.value, "client") == "not_a_client"
    assert not PackageHolding.objects.exists()


def test_a_session_is_taken_from_the_package_expiring_first(cast):
    ws, client = cast.alpha.workspace, cast.alpha.client.membership
    long = do_give_package(_package(ws, validity_days=180), client, actor=None, starts_on=DAY)
    short = do_give_package(_package(ws, validity_days=30), client, actor=None, starts_on=DAY)
    use = do_use_credit(client, day=DAY + timedelta(days=3), kind="one_to_one", actor=None)
    assert use.holding_id == short.pk
    # After the short one expires, the long one pays.
    later = do_use_credit(client, day=DAY + timedelta(days=40), kind="one_to_one", actor=None)
    assert later.holding_id == long.pk


def test_a_group_session_is_not_paid_by_a_one_to_one_package(cast):
    client = cast.alpha.client.membership
    do_give_package(_package(cast.alpha.workspace), client, actor=None, starts_on=DAY)
    with pytest.raises(ValidationError) as error:
        do_use_credit(client, day=DAY, kind="group", actor=None)
    assert _code(error.value, "package") == "no_credit"


def test_giving_a_session_back_restores_the_credit_once(cast):
    client = cast.alpha.client.membership
    holding = do_give_package(
        _package(cast.alpha.workspace, sessions=1), client, actor=None, starts_on=DAY
    )
    use = do_use_credit(client, day=DAY, kind="one_to_one", actor=None)
    with pytest.raises(ValidationError):
        do_use_credit(client, day=DAY, kind="one_to_one", actor=None)
    do_return_credit(use, actor=None)
    do_return_credit(use, actor=None)
    holding.refresh_from_db()
    assert holding.sessions_used == 0


def test_unlimited_packages_never_run_out_before_expiry(cast):
    client = cast.alpha.client.membership
    do_give_package(
        _package(cast.alpha.workspace, sessions=None, validity_days=7),
        client,
        actor=None,
        starts_on=DAY,
    )
    for _ in range(20):
        do_use_credit(client, day=DAY + timedelta(days=6), kind="one_to_one", actor=None)
    with pytest.raises(ValidationError):
        do_use_credit(client, day=DAY + timedelta(days=7), kind="one_to_one", actor=None)


# Properties ---------------------------------------------------------------------------

credit = st.builds(
    Credit,
    id=st.integers(1, 50),
    kind=st.sampled_from(["one_to_one", "group"]),
    starts_on=st.dates(date(2026, 1, 1), date(2026, 3, 1)),
    expires_on=st.dates(date(2026, 3, 1), date(2026, 9, 1)),
    sessions=st.none() | st.integers(1, 5),
    used=st.integers(0, 5),
)


@given(credits=st.lists(credit, max_size=8), day=st.dates(date(2026, 1, 1), date(2026, 9, 1)))
def test_the_chosen_credit_covers_the_day_and_expires_no_later_than_any_other(credits, day):
    chosen = credit_to_use(credits, day, "one_to_one")
    covering = [c for c in credits if c.covers(day, "one_to_one")]
    if chosen is None:
        assert not covering
    else:
        assert chosen.covers(day, "one_to_one")
        assert all(chosen.expires_on <= c.expires_on for c in covering)


@given(start=st.dates(), days=st.integers(1, 3650))
def test_a_package_is_usable_for_exactly_its_validity(start, days):
    try:
        last = expiry(start, days)
    except OverflowError:
        return
    assert (last - start).days + 1 == days


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    steps=st.lists(st.tuples(st.booleans(), st.integers(0, 60)), max_size=25),
    sizes=st.lists(st.none() | st.integers(1, 4), min_size=1, max_size=3),
)
def test_credits_never_go_negative_nor_beyond_what_was_included(cast, steps, sizes):
    CreditUse.objects.all().delete()
    PackageHolding.objects.all().delete()
    ws, client = cast.alpha.workspace, cast.alpha.client.membership
    for n, size in enumerate(sizes):
        package = _package(ws, sessions=size, validity_days=30 + 10 * n, name=f"P{n}")
        do_give_package(package, client, actor=None, starts_on=DAY)
    uses: list[CreditUse] = []
    for take, offset in steps:
        if take or not uses:
            with contextlib.suppress(ValidationError):
                uses.append(
                    do_use_credit(
                        client, day=DAY + timedelta(days=offset), kind="one_to_one", actor=None
                    )
                )
        else:
            do_return_credit(uses.pop(offset % len(uses)), actor=None)
        for holding in PackageHolding.objects.filter(client=client):
            assert holding.sessions_used >= 0
            assert holding.sessions is None or holding.sessions_used <= holding.sessions
            open_uses = CreditUse.objects.filter(holding=holding, returned_at__isnull=True)
            assert open_uses.count() == holding.sessions_used
