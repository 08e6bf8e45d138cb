"""Demo belts: a Karate category, five belts, ten students with a year of visits.

Ranks are switched on with the word "Belts". The five demo clients and five more
students are spread over White … Black, each with the belts they held before
(graded by hand, one by mass promotion) and their visits — two or three classes a
week — drawn from ``random.Random(SEED)`` relative to today, so the same story
shows every time. Four students meet their next belt's criteria: the daily
evaluation marks them eligible and tells the admins, the operators and them.

The category, belts and settings go through the actions. The history is written
directly, as the programs demo does: nobody can have held a belt since last
year on the demo's first day. Loading is idempotent: once Karate exists,
nothing is added or changed.
"""

from __future__ import annotations

import random
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django_scopes import scope

from ascend.accounts.models import User
from ascend.crm.client_records import ensure_client_contact
from ascend.tenancy.actions import do_update_workspace
from ascend.tenancy.models import Membership, RankTerm, Workspace
from ascend.tenancy.roles import Role

from .actions import do_save_category, do_save_rank, workspace_today
from .models import PromotionKind, Rank, RankCategory, RankHolding, Visit

SEED = 20250112
CATEGORY = "Karate"
# name, colour, visits needed, days needed (the black belt is the top: no criteria)
BELTS = [
    ("White", "#f4f4f4", 10, 30),
    ("Yellow", "#f2c94c", 20, 60),
    ("Orange", "#f2994a", 30, 90),
    ("Green", "#27ae60", 40, 120),
    ("Black", "#1f2328", None, None),
]
CLASSES = ["Kids karate", "Adult karate", "Kata and sparring", "Open mat"]
EXTRA_STUDENTS = [
    ("client6@demo.ascend.test", "Mateo Student"),
    ("client7@demo.ascend.test", "Sofía Student"),
    ("client8@demo.ascend.test", "Ethan Student"),
    ("client9@demo.ascend.test", "Aiko Student"),
    ("client10@demo.ascend.test", "Rafael Student"),
]


@dataclass(frozen=True)
class Path:
    """A student's way up: days held of each belt from White, the last is the current one."""

    email: str
    days: tuple[int, ...]
    visits_now: int  # visits since entering the current belt
    mass_at: int | None = None  # index of the belt reached by mass promotion


PATHS = [
    Path("client1@demo.ascend.test", (45, 75, 110, 130), 44, mass_at=2),  # Green, eligible
    Path("client2@demo.ascend.test", (40, 70, 100), 34),  # Orange, eligible
    Path("client3@demo.ascend.test", (35,), 12),  # White, eligible
    Path("client4@demo.ascend.test", (50, 80, 60), 18),  # Orange
    Path("client5@demo.ascend.test", (35, 65, 95, 125, 40), 14),  # Black
    Path("client6@demo.ascend.test", (20,), 6),  # White, new
    Path("client7@demo.ascend.test", (40, 90), 15),  # Yellow, days met, visits not
    Path("client8@demo.ascend.test", (45, 70), 24, mass_at=1),  # Yellow, eligible
    Path("client9@demo.ascend.test", (60, 90, 120, 80), 25),  # Green
    Path("client10@demo.ascend.test", (300,), 8),  # White for long, few visits
]


def demo_loaded(workspace: Workspace) -> bool:
    return RankCategory.objects.filter(workspace=workspace, name=CATEGORY).exists()


@transaction.atomic
def load_demo_ranks(workspace: Workspace, *, password: str, seed: int = SEED) -> bool:
    """Add the demo belts to the workspace; returns False (and does nothing) if present."""
    with scope(workspace=workspace):
        if demo_loaded(workspace):
            return False
        rng = random.Random(seed)
        members = _students(workspace, password)
        owner = members["owner@demo.ascend.test"].user
        grader = members["admin@demo.ascend.test"].user
        operator = members["operator@demo.ascend.test"].user
        do_update_workspace(workspace, actor=owner, ranks_enabled=True, rank_term=RankTerm.BELTS)
        category = do_save_category(
            workspace,
            actor=owner,
            name=CATEGORY,
            auto_promote=False,
            notify_roles=[Role.ADMIN.value, Role.OPERATOR.value],
            notify_client=True,
        )
        ranks = [
            do_save_rank(
                category, actor=owner, name=name, colour=colour, min_visits=visits, min_days=days
            )
            for name, colour, visits, days in BELTS
        ]
        today = workspace_today(workspace)
        tz = zoneinfo.ZoneInfo(workspace.time_zone)
        for path in PATHS:
            _live_path(members[path.email], path, ranks, today, tz, grader, operator, rng)
    # Who is eligible now, and the notices they and the staff get, as on any other day.
    from .evaluation import run_daily

    run_daily()
    return True


def _students(workspace: Workspace, password: str) -> dict[str, Membership]:
    for email, name in EXTRA_STUDENTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, password, full_name=name)
        membership, made = Membership.objects.get_or_create(workspace=workspace, user=user)
        if made:
            membership.set_roles({Role.CLIENT})
            membership.save()
            ensure_client_contact(membership)
    return {
        m.user.email: m
        for m in Membership.objects.filter(workspace=workspace).select_related("user")
    }


def _moment(day: date, hour: int, tz: zoneinfo.ZoneInfo) -> datetime:
    return datetime.combine(day, time(hour=hour), tzinfo=tz)


def _live_path(  # type: ignore[no-untyped-def]
    client: Membership,
    path: Path,
    ranks: list[Rank],
    today: date,
    tz: zoneinfo.ZoneInfo,
    grader,
    operator,
    rng: random.Random,
) -> None:
    """Write the student's belts and visits, oldest first, ending on the current belt today."""
    start = today - timedelta(days=sum(path.days))
    visits: list[Visit] = []
    for index, held in enumerate(path.days):
        rank = ranks[index]
        current = index == len(path.days) - 1
        end = today if current else start + timedelta(days=held)
        kind = PromotionKind.MASS if index == path.mass_at else PromotionKind.MANUAL
        RankHolding.objects.create(
            workspace=client.workspace,
            client=client,
            category=rank.category,
            rank=rank,
            started_on=start,
            # A grading happens in the evening class; the next belt counts from then.
            started_at=datetime.combine(start, time.min, tzinfo=tz),
            ended_at=None if current else datetime.combine(end, time.min, tzinfo=tz),
            kind=kind,
            by=grader,
            note="" if index == 0 else rng.choice(["Grading", "Strong kata", "Ready"]),
        )
        # Earlier belts were earned (their criteria and a few classes more); the current
        # one has the visits the path says. Classes on days of the belt before today.
        days = [start + timedelta(days=d) for d in range((end - start).days)]
        count = path.visits_now if current else (rank.min_visits or 0) + rng.randint(0, 8)
        for day in sorted(rng.sample(days, min(count, len(days)))):
            visits.append(
                Visit(
                    workspace=client.workspace,
                    client=client,
                    occurred_at=_moment(day, rng.choice([17, 18, 19]), tz),
                    class_name=rng.choice(CLASSES),
                    recorded_by=operator,
                )
            )
        start = end
    Visit.objects.bulk_create(visits)
