"""Progress and habit state of enrolments, computed the same way everywhere.

Due dates come from the rules (no queries); check-ins and completions are read
in one query each for any number of enrolments, so pages stay flat as data grows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from . import rules
from .models import CheckIn, Enrollment, Habit, Milestone, MilestoneCompletion


def habit_rule(habit: Habit) -> rules.HabitRule:
    return rules.HabitRule(habit.schedule, habit.weekdays, habit.interval_days, habit.duration_days)


def client_time_zone(enrollment: Enrollment) -> str:
    """The client's own time zone, else their workspace's."""
    return enrollment.client.user.time_zone or enrollment.workspace.time_zone


def today_for(enrollment: Enrollment, now: datetime | None = None) -> date:
    return rules.client_today(client_time_zone(enrollment), now or timezone.now())


@dataclass
class HabitState:
    habit: Habit
    due_dates: list[date]
    checked: set[date]
    off_track: bool
    today: date

    @property
    def due_so_far(self) -> list[date]:
        """Due dates up to today: the ones the client can tick."""
        return [d for d in self.due_dates if d <= self.today]


@dataclass
class MilestoneState:
    milestone: Milestone
    due_date: date
    completed: bool


@dataclass
class EnrollmentProgress:
    enrollment: Enrollment
    today: date
    milestones: list[MilestoneState] = field(default_factory=list)
    habits: list[HabitState] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(m.completed for m in self.milestones) + sum(len(h.checked) for h in self.habits)

    @property
    def total(self) -> int:
        return len(self.milestones) + sum(len(h.due_dates) for h in self.habits)

    @property
    def percent(self) -> int:
        return rules.progress_percent(self.done, self.total)

    @property
    def off_track(self) -> bool:
        return any(h.off_track for h in self.habits)

    @property
    def milestones_done(self) -> int:
        return sum(m.completed for m in self.milestones)


def progress_for(
    enrollments: Iterable[Enrollment], *, now: datetime | None = None
) -> dict[int, EnrollmentProgress]:
    """Progress of each enrolment, by id.

    The enrolments must come with ``client__user``, ``workspace`` and ``program``
    loaded and the program's ``milestones`` and ``habits`` prefetched (see
    ``queries.enrollments_with_content``). Two queries in all: check-ins and
    milestone completions.
    """
    enrollments = list(enrollments)
    ids = [e.id for e in enrollments]
    checked: dict[tuple[int, int], set[date]] = defaultdict(set)
    for enrollment_id, habit_id, due in CheckIn.objects.filter(enrollment_id__in=ids).values_list(
        "enrollment_id", "habit_id", "due_date"
    ):
        checked[(enrollment_id, habit_id)].add(due)
    completed = set(
        MilestoneCompletion.objects.filter(enrollment_id__in=ids).values_list(
            "enrollment_id", "milestone_id"
        )
    )
    result = {}
    for enrollment in enrollments:
        today = today_for(enrollment, now)
        program = enrollment.program
        entry = EnrollmentProgress(enrollment=enrollment, today=today)
        for milestone in program.milestones.all():
            entry.milestones.append(
                MilestoneState(
                    milestone=milestone,
                    due_date=enrollment.start_date + timedelta(days=milestone.due_after_days),
                    completed=(enrollment.id, milestone.id) in completed,
                )
            )
        for habit in program.habits.all():
            due = rules.habit_due_dates(
                habit_rule(habit), enrollment.start_date, program.duration_days
            )
            done = checked[(enrollment.id, habit.id)] & set(due)
            entry.habits.append(
                HabitState(
                    habit=habit,
                    due_dates=due,
                    checked=done,
                    off_track=enrollment.is_active and rules.is_off_track(due, done, today),
                    today=today,
                )
            )
        result[enrollment.id] = entry
    return result
