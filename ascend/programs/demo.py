"""Demo programs for the demo workspace: two programs, three cohorts, five clients with histories.

Everything is placed relative to today and drawn from ``random.Random(SEED)``, so the
pages show something true on the first run (a cohort five weeks in, one starting
next week, a rolling one; check-ins mostly done, a few habits off track, some
milestones ticked) and the same story every time. Loading is idempotent: once the
demo programs exist, nothing is added or changed.

Content, cohorts, plans, subscriptions and ticks go through the actions. Only what
the rules forbid doing today is written directly — enrolments that started in the
past — since a demo needs a history that no one could create on its first day.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from ascend.activity.actions import record_event
from ascend.activity.verbs import Verb
from ascend.billing.actions import do_save_plan, do_subscribe
from ascend.billing.models import MembershipPlan
from ascend.tenancy.models import Membership, Workspace

from . import rules
from .actions import (
    do_create_program,
    do_save_cohort,
    do_save_habit,
    do_save_milestone,
    do_set_check_in,
    do_set_milestone_done,
    do_set_program_status,
)
from .models import Cohort, CohortKind, Enrollment, EnrollmentSource, Program, ProgramStatus
from .notices import reconcile_off_track
from .progress import habit_rule

SEED = 20240317
STRENGTH = "12-week strength reset"
MORNINGS = "Mindful mornings"
PLAN = "All-access membership"


@dataclass(frozen=True)
class History:
    """How a demo client has kept up: chance of each check-in, when they stopped, milestones."""

    email: str
    program: str
    cohort: str
    days_in: int | None  # rolling cohorts: how many days ago they started
    keep_up: float  # chance of checking in on each due date
    stopped_days_ago: int = 0  # nothing checked in since (puts habits off track)
    lapsed_habits: tuple[str, ...] = ()  # only these habits stopped; empty: all of them
    milestone_chance: float = 0.9


HISTORIES = [
    History("client1@demo.ascend.test", STRENGTH, "Autumn group", None, 0.93),
    History(
        "client2@demo.ascend.test",
        STRENGTH,
        "Autumn group",
        None,
        0.8,
        stopped_days_ago=9,
        milestone_chance=0.5,
    ),
    History("client3@demo.ascend.test", MORNINGS, "Morning circle", 12, 0.9),
    History(
        "client4@demo.ascend.test",
        MORNINGS,
        "Morning circle",
        20,
        0.85,
        stopped_days_ago=5,
        lapsed_habits=("Journal one page",),
        milestone_chance=0.6,
    ),
]
SUBSCRIBER = "client5@demo.ascend.test"


def demo_loaded(workspace: Workspace) -> bool:
    return Program.objects.filter(workspace=workspace, title=STRENGTH).exists()


@transaction.atomic
def load_demo_programs(workspace: Workspace, *, seed: int = SEED) -> bool:
    """Add the demo programs to the workspace; returns False (and does nothing) if present."""
    with scope(workspace=workspace):
        if demo_loaded(workspace):
            return False
        rng = random.Random(seed)
        members = {
            m.user.email: m
            for m in Membership.objects.filter(workspace=workspace).select_related("user")
        }
        actor = members["owner@demo.ascend.test"].user
        today = rules.client_today(workspace.time_zone, timezone.now())
        strength = _strength_program(workspace, actor)
        mornings = _mornings_program(workspace, actor)
        coach1, coach2 = members["coach1@demo.ascend.test"], members["coach2@demo.ascend.test"]
        cohorts = {
            # Started five weeks ago: made directly, as no one may create a cohort in the past.
            "Autumn group": Cohort.objects.create(
                workspace=workspace,
                program=strength,
                coach=coach1,
                name="Autumn group",
                kind=CohortKind.FIXED,
                start_date=today - timedelta(weeks=5),
                capacity=12,
                is_open=False,
                appointments_enabled=True,
                booking_url="https://cal.example.com/carlos-coach/check-in",
            ),
            "Winter group": do_save_cohort(
                strength,
                actor=actor,
                coach=coach2,
                name="Winter group",
                kind=CohortKind.FIXED,
                start_date=today + timedelta(days=7),
                capacity=10,
            ),
            "Morning circle": do_save_cohort(
                mornings,
                actor=actor,
                coach=coach2,
                name="Morning circle",
                kind=CohortKind.ROLLING,
                appointments_enabled=True,
                booking_url="https://cal.example.com/chloe-coach/intro",
            ),
        }
        for history in HISTORIES:
            cohort = cohorts[history.cohort]
            start = cohort.start_date or today - timedelta(days=history.days_in or 0)
            enrollment = _past_enrollment(cohort, members[history.email], start, actor)
            _live_history(enrollment, history, today, rng)
        plan = do_save_plan(
            workspace,
            actor=actor,
            name=PLAN,
            description="Both programs, with a coach for each.",
            programs=[strength, mornings],
        )
        do_subscribe(plan, members[SUBSCRIBER], actor=actor, rng=rng)
        reconcile_off_track(timezone.now())
        return True


def _strength_program(workspace: Workspace, actor) -> Program:  # type: ignore[no-untyped-def]
    program = do_create_program(
        workspace,
        actor=actor,
        title=STRENGTH,
        description=(
            "Twelve weeks to move well and get stronger: three full-body sessions a week, "
            "daily walks and a weekly weigh-in, with your coach checking in along the way."
        ),
        duration_days=84,
    )
    for title, day in [
        ("Book a movement screen with your coach", 3),
        ("Log your first full-body session", 7),
        ("Deadlift your body weight for 5 reps", 42),
        ("Retest your 5-rep maxes", 82),
    ]:
        do_save_milestone(program, actor=actor, title=title, due_after_days=day)
    do_save_habit(program, actor=actor, title="Walk 8,000 steps", schedule="daily")
    do_save_habit(
        program, actor=actor, title="Full-body session", schedule="weekdays", weekdays="024"
    )
    do_save_habit(
        program, actor=actor, title="Weekly weigh-in", schedule="every_n_days", interval_days=7
    )
    do_save_habit(
        program, actor=actor, title="Mobility, 10 minutes", schedule="daily", duration_days=28
    )
    do_set_program_status(program, ProgramStatus.PUBLISHED, actor=actor)
    return program


def _mornings_program(workspace: Workspace, actor) -> Program:  # type: ignore[no-untyped-def]
    program = do_create_program(
        workspace,
        actor=actor,
        title=MORNINGS,
        description=(
            "A calmer start to the day in 30 days: a short meditation every morning, a page "
            "of journalling on weekdays and a screen-free first hour every other day."
        ),
        duration_days=30,
    )
    for title, day in [
        ("Choose your wake-up time", 1),
        ("Ten mornings in a row", 10),
        ("Write your own morning plan", 28),
    ]:
        do_save_milestone(program, actor=actor, title=title, due_after_days=day)
    do_save_habit(program, actor=actor, title="Meditate 10 minutes", schedule="daily")
    do_save_habit(
        program, actor=actor, title="Journal one page", schedule="weekdays", weekdays="01234"
    )
    do_save_habit(
        program,
        actor=actor,
        title="Screen-free first hour",
        schedule="every_n_days",
        interval_days=2,
    )
    do_set_program_status(program, ProgramStatus.PUBLISHED, actor=actor)
    return program


def _past_enrollment(cohort: Cohort, client: Membership, start: date, actor) -> Enrollment:  # type: ignore[no-untyped-def]
    """An enrolment that began before today (the rules refuse those, so it is written here)."""
    enrollment = Enrollment.objects.create(
        workspace=cohort.workspace,
        cohort=cohort,
        program=cohort.program,
        client=client,
        start_date=start,
        source=EnrollmentSource.MANUAL,
        enrolled_by=actor,
        # The start is behind them: no "starting tomorrow" notice is due.
        start_notice_sent_at=timezone.now(),
    )
    record_event(
        cohort.workspace,
        Verb.CLIENT_ENROLLED,
        actor=actor,
        target=enrollment,
        data={
            "program": cohort.program.title,
            "cohort": cohort.name,
            "client": str(client.user),
            "start_date": start.isoformat(),
        },
    )
    return enrollment


def _live_history(
    enrollment: Enrollment, history: History, today: date, rng: random.Random
) -> None:
    """Tick the client's check-ins and milestones as they would have, through the actions."""
    program = enrollment.program
    user = enrollment.client.user
    stop = today - timedelta(days=history.stopped_days_ago)
    for habit in program.habits.order_by("position", "id"):
        due = rules.habit_due_dates(habit_rule(habit), enrollment.start_date, program.duration_days)
        lapsed = history.stopped_days_ago and (
            not history.lapsed_habits or habit.title in history.lapsed_habits
        )
        done_by = stop if lapsed else today
        # Newest first: ticking oldest first would open and close off-track spells on the way.
        for day in reversed([d for d in due if d < done_by]):
            if rng.random() < history.keep_up:
                do_set_check_in(enrollment, habit, day, True, actor=user)
    for milestone in program.milestones.order_by("due_after_days", "id"):
        if enrollment.start_date + timedelta(days=milestone.due_after_days) > today:
            break
        if rng.random() < history.milestone_chance:
            do_set_milestone_done(enrollment, milestone, True, actor=user)


def plan_for_demo(workspace: Workspace) -> MembershipPlan | None:
    return MembershipPlan.objects.filter(workspace=workspace, name=PLAN).first()
