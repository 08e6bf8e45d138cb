from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from ascend.programs import rules
from ascend.programs.rules import CohortFacts, HabitRule

START = date(2026, 3, 2)  # a Monday

schedules = st.one_of(
    st.just(HabitRule("daily")),
    st.sets(st.integers(0, 6), min_size=1).map(
        lambda days: HabitRule("weekdays", weekdays="".join(map(str, sorted(days))))
    ),
    st.integers(1, 30).map(lambda n: HabitRule("every_n_days", interval_days=n)),
)
with_duration = st.tuples(schedules, st.one_of(st.none(), st.integers(1, 200))).map(
    lambda pair: HabitRule(pair[0].schedule, pair[0].weekdays, pair[0].interval_days, pair[1])
)


def test_a_daily_habit_is_due_every_day_of_the_program():
    dates = rules.habit_due_dates(HabitRule("daily"), START, 7)
    assert dates == [START + timedelta(days=n) for n in range(7)]


def test_a_weekday_habit_is_due_on_those_weekdays_only():
    dates = rules.habit_due_dates(HabitRule("weekdays", weekdays="04"), START, 14)
    assert [d.weekday() for d in dates] == [0, 4, 0, 4]


def test_an_every_n_days_habit_starts_on_the_start_date():
    dates = rules.habit_due_dates(HabitRule("every_n_days", interval_days=3), START, 10)
    assert dates == [START, START + timedelta(3), START + timedelta(6), START + timedelta(9)]


def test_a_habit_with_its_own_length_stops_early_but_never_outlasts_the_program():
    assert len(rules.habit_due_dates(HabitRule("daily", duration_days=5), START, 30)) == 5
    assert len(rules.habit_due_dates(HabitRule("daily", duration_days=50), START, 30)) == 30


@given(with_duration, st.integers(1, 400), st.dates(date(2020, 1, 1), date(2030, 1, 1)))
def test_due_dates_are_sorted_unique_and_inside_the_program(rule, days, start):
    dates = rules.habit_due_dates(rule, start, days)
    assert dates == sorted(set(dates))
    assert all(start <= d < start + timedelta(days=days) for d in dates)
    if rule.duration_days is not None:
        assert all(d < start + timedelta(days=rule.duration_days) for d in dates)


def test_three_missed_due_dates_in_a_row_put_a_habit_off_track():
    due = [START + timedelta(n) for n in range(5)]
    today = START + timedelta(5)
    assert rules.is_off_track(due, [due[0], due[1]], today)
    assert not rules.is_off_track(due, [due[3]], today)


def test_today_does_not_count_as_missed_yet():
    due = [START + timedelta(n) for n in range(4)]
    assert not rules.is_off_track(due, [due[0]], START + timedelta(3))
    assert rules.is_off_track(due, [due[0]], START + timedelta(4))


def test_fewer_than_three_past_due_dates_are_never_off_track():
    due = [START, START + timedelta(7)]
    assert not rules.is_off_track(due, [], START + timedelta(30))


@given(st.lists(st.booleans(), min_size=0, max_size=40), st.integers(0, 45))
def test_off_track_means_exactly_the_last_three_past_due_dates_were_missed(done_flags, today_n):
    due = [START + timedelta(n) for n in range(len(done_flags))]
    checked = [d for d, done in zip(due, done_flags, strict=True) if done]
    today = START + timedelta(today_n)
    past = [d for d in due if d < today]
    expected = len(past) >= 3 and not any(d in checked for d in past[-3:])
    assert rules.is_off_track(due, checked, today) is expected


@given(st.lists(st.booleans(), min_size=3, max_size=40))
def test_a_late_check_in_on_the_last_missed_date_puts_it_back_on_track(done_flags):
    due = [START + timedelta(n) for n in range(len(done_flags))]
    checked = [d for d, done in zip(due, done_flags, strict=True) if done]
    today = due[-1] + timedelta(1)
    assert not rules.is_off_track(due, [*checked, due[-1]], today)


def test_check_ins_are_allowed_late_but_never_in_the_future_or_off_schedule():
    due = rules.habit_due_dates(HabitRule("weekdays", weekdays="0"), START, 21)
    today = START + timedelta(8)
    assert rules.may_check_in(due, START, today)
    assert not rules.may_check_in(due, START + timedelta(14), today)
    assert not rules.may_check_in(due, START + timedelta(1), today)


@given(st.integers(0, 500), st.integers(0, 500))
def test_progress_is_a_whole_percent_and_100_only_when_all_is_done(done, total):
    value = rules.progress_percent(min(done, total), total)
    assert 0 <= value <= 100
    assert (value == 100) is (total > 0 and done >= total)


def test_progress_examples():
    assert rules.progress_percent(1, 3) == 33
    assert rules.progress_percent(2, 3) == 66
    assert rules.progress_percent(0, 0) == 0


def facts(**changes) -> CohortFacts:
    base = {"kind": "rolling", "start_date": None, "capacity": None, "is_open": True,
            "active_enrollments": 0}  # fmt: skip
    return CohortFacts(**{**base, **changes})


def test_a_fixed_cohort_refuses_enrolment_from_its_start_date():
    cohort = facts(kind="fixed", start_date=START)
    assert rules.enrolment_refusal(cohort, START - timedelta(1)) is None
    assert rules.enrolment_refusal(cohort, START) == rules.STARTED
    assert rules.enrolment_start(cohort, START - timedelta(5)) == START


def test_a_full_closed_or_unpublished_cohort_refuses():
    assert rules.enrolment_refusal(facts(capacity=2, active_enrollments=2), START) == rules.FULL
    assert rules.enrolment_refusal(facts(capacity=2, active_enrollments=1), START) is None
    assert rules.enrolment_refusal(facts(is_open=False), START) == rules.CLOSED
    assert rules.enrolment_refusal(facts(program_published=False), START) == rules.NOT_PUBLISHED


def test_a_rolling_cohorts_client_starts_on_enrolment():
    assert rules.enrolment_start(facts(), START) == START


def test_choosing_a_cohort_picks_one_of_the_candidates_at_random():
    picks = {rules.choose_cohort(["a", "b", "c"], random.Random(seed)) for seed in range(30)}
    assert picks == {"a", "b", "c"}
    assert rules.choose_cohort([]) is None


@given(st.datetimes(datetime(2020, 1, 1), datetime(2030, 1, 1), timezones=st.just(UTC)),
       st.sampled_from(["America/New_York", "Europe/Madrid", "America/Sao_Paulo",
                        "Pacific/Kiritimati", "Pacific/Pago_Pago", "UTC"]))  # fmt: skip
def test_client_today_is_the_local_date_across_time_zones_and_dst(now, tz):
    import zoneinfo

    local = now.astimezone(zoneinfo.ZoneInfo(tz))
    assert rules.client_today(tz, now) == local.date()
    assert abs((rules.client_today(tz, now) - now.date()).days) <= 1


def test_new_york_evening_is_still_the_same_day_there_across_the_dst_change():
    # 2026-03-08 is the spring-forward day in New York: 03:30 UTC is 23:30 the day before.
    assert rules.client_today("America/New_York", datetime(2026, 3, 8, 3, 30, tzinfo=UTC)) == date(
        2026, 3, 7
    )
    assert rules.client_today("America/New_York", datetime(2026, 3, 9, 3, 30, tzinfo=UTC)) == date(
        2026, 3, 8
    )
