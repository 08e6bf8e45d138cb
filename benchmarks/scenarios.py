"""Benchmark scenarios: each builds data of a given size and returns the request to time."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.test import Client
from django.urls import reverse

from ascend.programs.actions import do_enroll
from ascend.programs.models import CheckIn, Enrollment, Habit, HabitSchedule
from ascend.programs.testing import make_cohort, make_program
from ascend.tenancy.models import Workspace
from ascend.tenancy.roles import Role
from ascend.testing import MODEL_BACKEND, host_of, make_person

_counter = itertools.count()


@dataclass
class Scenario:
    title: str
    unit: str
    sizes: list[int]
    build: Callable[[int], Callable[[], object]]


def _workspace() -> Workspace:
    n = next(_counter)
    return Workspace.objects.create(slug=f"bench{n}", name=f"Bench {n}")


def _signed_in(person) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_HOST=host_of(person.workspace))
    client.force_login(person.user, backend=MODEL_BACKEND)
    return client


def _client_with_habits(habits: int, days_in: int = 60):  # type: ignore[no-untyped-def]
    workspace = _workspace()
    coach = make_person(workspace, {Role.COACH}, f"coach@{workspace.slug}.test")
    client = make_person(workspace, {Role.CLIENT}, f"client@{workspace.slug}.test")
    program = make_program(workspace, days=90, habits=0, milestones=6)
    for n in range(habits):
        Habit.objects.create(
            workspace=workspace,
            program=program,
            title=f"Habit {n}",
            schedule=HabitSchedule.DAILY,
            position=n,
        )
    enrollment = do_enroll(make_cohort(program, coach.membership), client.membership, actor=None)
    start = enrollment.start_date - timedelta(days=days_in)
    Enrollment.objects.filter(pk=enrollment.pk).update(start_date=start)
    CheckIn.objects.bulk_create(
        CheckIn(
            workspace=workspace,
            enrollment=enrollment,
            habit=habit,
            due_date=start + timedelta(days=d),
        )
        for habit in program.habits.all()
        for d in range(0, days_in, 2)
    )
    return client, enrollment


def client_dashboard(habits: int) -> Callable[[], object]:
    person, _enrollment = _client_with_habits(habits)
    browser = _signed_in(person)
    return lambda: _ok(browser.get("/me/"))


def client_program_page(habits: int) -> Callable[[], object]:
    person, enrollment = _client_with_habits(habits)
    browser = _signed_in(person)
    url = reverse("programs:client_program", args=[enrollment.pk])
    return lambda: _ok(browser.get(url))


def ranks_daily(clients: int) -> Callable[[], object]:
    """The ranks' daily evaluation on a quiet day: everyone ranked, nobody due a change.

    Each client holds a Karate belt (eligible-and-notify; one in twenty already
    eligible) and every other client a Judo belt (automatic); each has a few
    visits, short of their next belt.
    """
    from django.utils import timezone

    from ascend.accounts.models import User
    from ascend.ranks.evaluation import run_daily
    from ascend.ranks.models import Eligibility, Rank, RankCategory, RankHolding, Visit
    from ascend.tenancy.models import Membership

    workspace = _workspace()
    workspace.ranks_enabled = True
    workspace.save(update_fields=["ranks_enabled"])
    ladders = []
    for name, auto in (("Karate", False), ("Judo", True)):
        category = RankCategory.objects.create(
            workspace=workspace, name=name, auto_promote=auto, notify_roles=["admin"]
        )
        ladders.append(
            Rank.objects.bulk_create(
                Rank(
                    workspace=workspace,
                    category=category,
                    name=f"Belt {n}",
                    position=n,
                    min_visits=50,
                    min_days=90,
                )
                for n in range(5)
            )
        )
    users = User.objects.bulk_create(
        User(email=f"kid{n}@{workspace.slug}.test", full_name=f"Kid {n}", password="!")
        for n in range(clients)
    )
    members = Membership.objects.bulk_create(
        Membership(workspace=workspace, user=user, is_client=True) for user in users
    )
    now = timezone.now()
    started = now - timedelta(days=30)
    holdings = RankHolding.objects.bulk_create(
        RankHolding(
            workspace=workspace,
            client=member,
            category=ladder[0].category,
            rank=ladder[n % 4],
            started_on=started.date(),
            started_at=started,
            kind="manual",
        )
        for n, member in enumerate(members)
        for ladder in (ladders if n % 2 == 0 else ladders[:1])
    )
    Eligibility.objects.bulk_create(
        Eligibility(workspace=workspace, holding=h, next_rank=ladders[0][4], notified_at=now)
        for h in holdings[::20]
        if h.category_id == ladders[0][0].category_id
    )
    Visit.objects.bulk_create(
        Visit(workspace=workspace, client=member, occurred_at=now - timedelta(days=d))
        for member in members
        for d in (1, 3, 8)
    )
    run_daily()  # settle: the job now finds nothing to change
    return run_daily


def _waiting_conversations(count: int):  # type: ignore[no-untyped-def]
    """A coach with ``count`` clients, each with a conversation of two messages, all waiting."""
    from django.utils import timezone

    from ascend.accounts.models import User
    from ascend.messaging.models import Conversation, ConversationKind, Message, Participant
    from ascend.tenancy.models import Membership

    workspace = _workspace()
    coach = make_person(workspace, {Role.COACH}, f"coach@{workspace.slug}.test")
    users = User.objects.bulk_create(
        User(email=f"c{n}@{workspace.slug}.test", full_name=f"Client {n}", password="!")
        for n in range(count)
    )
    clients = Membership.objects.bulk_create(
        Membership(workspace=workspace, user=user, is_client=True) for user in users
    )
    now = timezone.now()
    conversations = Conversation.objects.bulk_create(
        Conversation(
            workspace=workspace,
            kind=ConversationKind.COACHING,
            key=f"coaching:{client.pk}:{coach.membership.pk}",
            client=client,
            coach=coach.membership,
            last_message_at=now - timedelta(minutes=n),
            waiting_since=now - timedelta(hours=n % 30, minutes=n),
        )
        for n, client in enumerate(clients)
    )
    Participant.objects.bulk_create(
        Participant(workspace=workspace, conversation=c, member=m, unread_count=1)
        for c in conversations
        for m in (c.client, coach.membership)
    )
    Message.objects.bulk_create(
        Message(
            workspace=workspace,
            conversation=c,
            author=author,
            body="How should I train this week?",
            body_html="<p>How should I train this week?</p>",
            created_at=now - timedelta(hours=n),
            is_coach_reply=author == coach.membership,
        )
        for c in conversations
        for n, author in enumerate((coach.membership, c.client))
    )
    return coach, workspace


def coach_inbox(conversations: int) -> Callable[[], object]:
    coach, _workspace_ = _waiting_conversations(conversations)
    browser = _signed_in(coach)
    url = reverse("messaging:coach_inbox")
    return lambda: _ok(browser.get(url))


def response_and_quality_figures(runs: int) -> Callable[[], object]:
    """The month's figures for a workspace whose coaches answered ``runs`` waiting runs."""
    from django.utils import timezone

    from ascend.messaging.figures import response_figures
    from ascend.messaging.models import Conversation, Message, ResponseRun
    from ascend.quality.figures import quality_figures

    coach, workspace = _waiting_conversations(max(1, runs // 10))
    conversations = list(Conversation.objects.filter(workspace=workspace))
    first = Message.objects.filter(workspace=workspace).first()
    now = timezone.now()
    ResponseRun.objects.bulk_create(
        ResponseRun(
            workspace=workspace,
            conversation=conversations[n % len(conversations)],
            coach=coach.membership,
            first_message=first,
            started_at=now - timedelta(hours=n % 48 + 1),
            answered_at=now - timedelta(minutes=n % 50),
            seconds=(n * 37) % 86400,
        )
        for n in range(runs)
    )
    return lambda: (response_figures(workspace), quality_figures(workspace))


def _ok(response):  # type: ignore[no-untyped-def]
    if response.status_code != 200:
        raise SystemExit(f"{response.request['PATH_INFO']} answered {response.status_code}")
    return response


ALL = [
    Scenario("Client dashboard (/me/) as habits grow", "habits", [10, 100], client_dashboard),
    Scenario("Client program page as habits grow", "habits", [10, 100], client_program_page),
    Scenario(
        "Ranks daily evaluation, nothing to change", "ranked clients", [1000, 10000], ranks_daily
    ),
    Scenario("Coach inbox (/coach/inbox/)", "waiting conversations", [50, 500], coach_inbox),
    Scenario(
        "Response-time and quality figures",
        "answered runs",
        [1000, 10000],
        response_and_quality_figures,
    ),
]
