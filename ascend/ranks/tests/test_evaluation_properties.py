"""Property tests of criteria evaluation, through the daily job and after a visit.

Rules: a client earns the next rank when the visits since entering their rank
reach ``min_visits`` and the days in it reach ``min_days`` (either left empty is
not required; a rank with neither is promoted by hand only); visits before the
rank began don't count, so after a demotion the count starts again from the new
start; the next rank is the next in the ladder's current order, so reordering
the ranks changes where a promotion lands; the top rank has no next.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ascend.ranks import evaluation
from ascend.ranks.actions import do_demote, do_reorder_ranks
from ascend.ranks.models import Eligibility, RankHolding

from .ranks_world import add_visits, hold, make_category

pytestmark = pytest.mark.django_db

PROPERTY = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
criterion = st.one_of(st.none(), st.integers(min_value=0, max_value=12))


@contextmanager
def rolled_back() -> Iterator[None]:
    """Each example in its own transaction, undone after, on the test's database."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def current(client) -> RankHolding:  # type: ignore[no-untyped-def]
    return RankHolding.objects.select_related("rank").get(client=client, ended_at__isnull=True)


@PROPERTY
@given(
    min_visits=criterion,
    min_days=criterion,
    visits=st.integers(min_value=0, max_value=14),
    days=st.integers(min_value=0, max_value=14),
    before=st.integers(min_value=0, max_value=5),
    automatic=st.booleans(),
)
def test_the_next_rank_is_earned_exactly_at_the_boundaries(
    cast, min_visits, min_days, visits, days, before, automatic
):
    with rolled_back():
        client = cast.alpha.client.membership
        _category, (white, yellow) = make_category(
            cast.alpha.workspace,
            criteria=[(min_visits, min_days), (None, None)],
            auto_promote=automatic,
        )
        hold(client, white, days_ago=days)
        add_visits(client, before, days_ago=days + 1)  # before the rank began: not counted
        add_visits(client, visits)
        evaluation.run_daily()
        earned = (min_visits is not None or min_days is not None) and (
            (min_visits is None or visits >= min_visits) and (min_days is None or days >= min_days)
        )
        if automatic:
            assert current(client).rank == (yellow if earned else white)
            assert not Eligibility.objects.exists()
        else:
            assert current(client).rank == white
            assert Eligibility.objects.filter(holding__client=client).exists() == earned
            if earned:
                assert Eligibility.objects.get().next_rank == yellow


@PROPERTY
@given(
    min_visits=st.integers(min_value=1, max_value=8),
    old_visits=st.integers(min_value=0, max_value=12),
    new_visits=st.integers(min_value=0, max_value=12),
)
def test_after_a_demotion_visits_count_again_from_the_new_start(
    cast, min_visits, old_visits, new_visits
):
    with rolled_back():
        client = cast.alpha.client.membership
        category, (white, yellow, _orange) = make_category(
            cast.alpha.workspace,
            criteria=[(min_visits, None), (min_visits, None), (None, None)],
            auto_promote=True,
        )
        hold(client, yellow, days_ago=60)
        add_visits(client, old_visits, days_ago=10)
        do_demote(client, category, actor=cast.alpha.admin.user, note="Back to basics")
        assert current(client).rank == white
        add_visits(client, new_visits)
        evaluation.run_daily(timezone.now() + timedelta(seconds=1))
        assert current(client).rank == (yellow if new_visits >= min_visits else white)


@PROPERTY
@given(order=st.permutations(range(4)), held=st.integers(min_value=0, max_value=3))
def test_reordering_the_ladder_changes_where_a_promotion_lands(cast, order, held):
    with rolled_back():
        client = cast.alpha.client.membership
        category, ranks = make_category(
            cast.alpha.workspace, criteria=[(1, None)] * 4, auto_promote=True
        )
        do_reorder_ranks(category, [ranks[i].id for i in order], actor=None)
        ladder = [ranks[i] for i in order]
        hold(client, ladder[held], days_ago=3)
        add_visits(client, 2)
        evaluation.evaluate_client(client.id)
        expected = ladder[held + 1] if held + 1 < len(ladder) else ladder[held]
        assert current(client).rank == expected
