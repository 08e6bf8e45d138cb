"""The programs' rules, each a pure function stating the rule it applies.

Dates here are the client's own calendar dates: "today" is the date in the
client's time zone (``client_today``), and every due date is a plain date
counted from the client's start date.
"""

from __future__ import annotations

import random
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

OFF_TRACK_MISSES = 3

T = TypeVar("T")


@dataclass(frozen=True)
class HabitRule:
    """The parts of a habit that decide its due dates."""

    schedule: str  # "daily" | "weekdays" | "every_n_days"
    weekdays: str = ""  # digits, Monday = 0
    interval_days: int | None = None
    duration_days: int | None = None  # None: until the program ends


def client_today(time_zone: str, now: datetime) -> date:
    """The client's calendar date at the instant ``now`` (an aware datetime)."""
    return now.astimezone(zoneinfo.ZoneInfo(time_zone)).date()


def program_end(start: date, program_days: int) -> date:
    """The first day after the program: a program of N days runs from start to start + N − 1."""
    return start + timedelta(days=program_days)


def habit_due_dates(rule: HabitRule, start: date, program_days: int) -> list[date]:
    """Every date the habit is due for a client who started on ``start``.

    The habit runs from the start date for its own number of days, or until the
    program ends when it has none, and never past the program's end. Daily: every
    day. Chosen weekdays: those weekdays. Every N days: the start date, then every
    N days after it.
    """
    end = program_end(start, program_days)
    if rule.duration_days is not None:
        end = min(end, start + timedelta(days=rule.duration_days))
    if rule.schedule == "daily":
        step, keep = 1, None
    elif rule.schedule == "weekdays":
        step, keep = 1, {int(d) for d in rule.weekdays}
    elif rule.schedule == "every_n_days":
        step, keep = max(1, rule.interval_days or 1), None
    else:
        raise ValueError(rule.schedule)
    dates = []
    day = start
    while day < end:
        if keep is None or day.weekday() in keep:
            dates.append(day)
        day += timedelta(days=step)
    return dates


def is_off_track(due_dates: Sequence[date], checked: Iterable[date], today: date) -> bool:
    """A habit is off track when its last 3 due dates before today were all missed.

    Only due dates strictly before today count (today can still be done); fewer
    than 3 past due dates can't be off track. A late check-in on any of those 3
    dates puts the habit back on track.
    """
    past = [d for d in due_dates if d < today]
    if len(past) < OFF_TRACK_MISSES:
        return False
    done = set(checked)
    return not any(d in done for d in past[-OFF_TRACK_MISSES:])


def may_check_in(due_dates: Sequence[date], due_date: date, today: date) -> bool:
    """A check-in is allowed on a due date of the habit that is today or earlier (late is fine)."""
    return due_date <= today and due_date in set(due_dates)


def progress_percent(done: int, total: int) -> int:
    """Progress = done items / all items, as a whole percent rounded down.

    Rounding down keeps 100 % for "everything done". A program with nothing to
    do shows 0 %.
    """
    if total <= 0:
        return 0
    return min(100, (100 * max(0, done)) // total)


# Why an enrolment is refused; the codes are stable (API), the messages are in actions.
CLOSED = "cohort_closed"
STARTED = "cohort_started"
FULL = "cohort_full"
NOT_PUBLISHED = "program_not_published"


@dataclass(frozen=True)
class CohortFacts:
    kind: str  # "fixed" | "rolling"
    start_date: date | None
    capacity: int | None
    is_open: bool
    active_enrollments: int
    program_published: bool = True


def enrolment_refusal(cohort: CohortFacts, today: date) -> str | None:
    """Why a cohort can't take a new client today, or None when it can.

    Rules: the program must be published; the cohort must be open; a fixed cohort
    closes enrolment on its start date (enrolling the day before is the last
    chance); a cohort with a capacity is full at that many active enrolments.
    """
    if not cohort.program_published:
        return NOT_PUBLISHED
    if not cohort.is_open:
        return CLOSED
    if cohort.kind == "fixed" and cohort.start_date is not None and today >= cohort.start_date:
        return STARTED
    if cohort.capacity is not None and cohort.active_enrollments >= cohort.capacity:
        return FULL
    return None


def enrolment_start(cohort: CohortFacts, today: date) -> date:
    """A fixed cohort's clients start on its start date; a rolling cohort's on enrolment."""
    if cohort.kind == "fixed" and cohort.start_date is not None:
        return cohort.start_date
    return today


def choose_cohort(candidates: Sequence[T], rng: random.Random | None = None) -> T | None:
    """Subscribing places the client in one of the open cohorts with room, chosen at random."""
    if not candidates:
        return None
    return (rng or random).choice(list(candidates))
