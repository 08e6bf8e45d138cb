from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from ascend.ranks import rules
from ascend.ranks.rules import Criteria

counts = st.one_of(st.none(), st.integers(0, 50))


def test_visits_only_days_only_and_both():
    assert rules.criteria_met(Criteria(10, None), visits=10, days=0)
    assert not rules.criteria_met(Criteria(10, None), visits=9, days=999)
    assert rules.criteria_met(Criteria(None, 30), visits=0, days=30)
    assert not rules.criteria_met(Criteria(None, 30), visits=99, days=29)
    assert rules.criteria_met(Criteria(10, 30), visits=10, days=30)
    assert not rules.criteria_met(Criteria(10, 30), visits=10, days=29)


def test_a_rank_without_criteria_is_promoted_by_hand_only():
    assert Criteria(None, None).manual_only
    assert not rules.criteria_met(Criteria(None, None), visits=10_000, days=10_000)


@given(counts, counts, st.integers(0, 60), st.integers(0, 60))
def test_met_exactly_when_every_set_criterion_is_reached(min_visits, min_days, visits, days):
    criteria = Criteria(min_visits, min_days)
    expected = (not criteria.manual_only
                and (min_visits is None or visits >= min_visits)
                and (min_days is None or days >= min_days))  # fmt: skip
    assert rules.criteria_met(criteria, visits=visits, days=days) is expected


@given(counts, counts, st.integers(0, 60), st.integers(0, 60))
def test_one_more_visit_or_day_never_undoes_eligibility(min_visits, min_days, visits, days):
    criteria = Criteria(min_visits, min_days)
    if rules.criteria_met(criteria, visits=visits, days=days):
        assert rules.criteria_met(criteria, visits=visits + 1, days=days)
        assert rules.criteria_met(criteria, visits=visits, days=days + 1)


def test_days_in_rank_counts_whole_days_and_never_goes_negative():
    start = date(2026, 3, 1)
    assert rules.days_in_rank(start, start) == 0
    assert rules.days_in_rank(start, start + timedelta(days=30)) == 30
    assert rules.days_in_rank(start, start - timedelta(days=2)) == 0


def test_next_and_previous_follow_the_ladder_order():
    ladder = ["white", "yellow", "orange"]
    assert rules.next_in_ladder(ladder, "white") == "yellow"
    assert rules.next_in_ladder(ladder, "orange") is None
    assert rules.previous_in_ladder(ladder, "yellow") == "white"
    assert rules.previous_in_ladder(ladder, "white") is None


@given(st.permutations(["white", "yellow", "orange", "green"]))
def test_after_any_reorder_next_is_the_following_entry(ladder):
    for index, rank in enumerate(ladder[:-1]):
        assert rules.next_in_ladder(ladder, rank) == ladder[index + 1]


def test_progress_shows_only_the_criteria_that_apply_capped_at_the_target():
    assert rules.progress_towards(Criteria(10, None), visits=12, days=3) == {"visits": (10, 10)}
    assert rules.progress_towards(Criteria(10, 30), visits=4, days=3) == {
        "visits": (4, 10),
        "days": (3, 30),
    }
    assert rules.progress_towards(Criteria(None, None), visits=4, days=3) == {}


def test_a_workspace_with_its_own_word_names_one_rank_in_its_own_singular():
    from ascend.tenancy.models import Workspace

    workspace = Workspace(
        rank_term="custom", rank_term_custom="Cinturones", rank_term_custom_one="cinturón"
    )
    assert (workspace.rank_word, workspace.rank_word_one) == ("Cinturones", "cinturón")
    assert Workspace(rank_term="custom", rank_term_custom="Grades").rank_word_one == "Grades"
    assert Workspace(rank_term="belts").rank_word_one == "belt"
