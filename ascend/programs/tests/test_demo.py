"""The demo programs loaded by ``manage.py seed_demo``.

Rules: two published programs (a fixed cohort under way and one starting next
week; a rolling cohort), milestones and habits of every schedule, the demo's
coaches, the five demo clients enrolled with histories relative to today (some
off track, some milestones done), a membership opening both programs with one
subscriber; the same story every time, and loading twice changes nothing.
"""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from ascend.activity.models import Event
from ascend.billing.models import MembershipPlan, Subscription
from ascend.messaging.models import Conversation
from ascend.notifications.models import OutboundEmail
from ascend.programs import demo
from ascend.programs.models import (
    CheckIn,
    Cohort,
    Enrollment,
    Habit,
    Milestone,
    MilestoneCompletion,
    OffTrackSpell,
    Program,
)
from ascend.programs.progress import progress_for
from ascend.programs.queries import enrollments_with_content
from ascend.tenancy.models import Workspace
from ascend.testing import MODEL_BACKEND

pytestmark = pytest.mark.django_db

MODELS = [
    Program,
    Milestone,
    Habit,
    Cohort,
    Enrollment,
    CheckIn,
    MilestoneCompletion,
    OffTrackSpell,
    MembershipPlan,
    Subscription,
    Event,
    OutboundEmail,
]


@pytest.fixture
def workspace() -> Workspace:
    call_command("seed_demo", stdout=StringIO())
    return Workspace.objects.get()


def snapshot() -> dict:
    return {
        model.__name__: sorted(
            repr(tuple(v for k, v in row.items() if k not in {"id"}))
            for row in model.objects.values(
                *[
                    f.attname
                    for f in model._meta.concrete_fields
                    if f.get_internal_type() not in {"DateTimeField"}
                ]
            )
        )
        for model in MODELS
    }


def progress_by_email() -> dict[tuple[str, str], object]:
    enrollments = enrollments_with_content(Enrollment.objects.all())
    return {
        (p.enrollment.client.user.email, p.enrollment.program.title): p
        for p in progress_for(enrollments).values()
    }


def test_two_published_programs_with_every_kind_of_cohort(workspace):
    programs = {p.title: p for p in Program.objects.filter(workspace=workspace)}
    assert set(programs) == {demo.STRENGTH, demo.MORNINGS}
    assert {p.status for p in programs.values()} == {"published"}
    today = timezone.localdate()
    strength = {c.name: c for c in Cohort.objects.filter(program=programs[demo.STRENGTH])}
    assert strength["Autumn group"].kind == "fixed"
    assert today - strength["Autumn group"].start_date >= timedelta(weeks=4)
    assert strength["Winter group"].kind == "fixed"
    assert timedelta(days=5) <= strength["Winter group"].start_date - today <= timedelta(days=8)
    (rolling,) = Cohort.objects.filter(program=programs[demo.MORNINGS])
    assert rolling.kind == "rolling" and rolling.is_open
    coaches = set(Cohort.objects.values_list("coach__user__email", flat=True))
    assert coaches == {"coach1@demo.ascend.test", "coach2@demo.ascend.test"}


def test_milestones_and_habits_of_every_schedule(workspace):
    for program in Program.objects.all():
        assert program.milestones.count() >= 3
        assert {h.schedule for h in program.habits.all()} == {"daily", "weekdays", "every_n_days"}
    assert Habit.objects.filter(duration_days__isnull=False).exists()


def test_the_five_clients_have_histories_some_off_track(workspace):
    progress = progress_by_email()
    clients = {email for email, _ in progress}
    assert clients == {f"client{n}@demo.ascend.test" for n in range(1, 6)}
    started = [p for p in progress.values() if p.enrollment.start_date < p.today]
    assert len(started) == 4
    for entry in started:
        due = sum(len(h.due_so_far) for h in entry.habits)
        checked = sum(len(h.checked) for h in entry.habits)
        assert checked >= due / 2, "check-ins mostly done"
        assert entry.milestones_done >= 1
        assert 0 < entry.percent < 100
    off_track = {key for key, p in progress.items() if p.off_track}
    assert off_track == {
        ("client2@demo.ascend.test", demo.STRENGTH),
        ("client4@demo.ascend.test", demo.MORNINGS),
    }
    assert OffTrackSpell.objects.filter(ended_at__isnull=True).count() >= 2
    assert Event.objects.filter(verb="habit.off_track").count() == OffTrackSpell.objects.count()
    assert not Event.objects.filter(verb="habit.back_on_track").exists()


def test_a_membership_opens_both_programs_and_one_client_subscribed(workspace):
    plan = MembershipPlan.objects.get()
    assert set(plan.programs.values_list("title", flat=True)) == {demo.STRENGTH, demo.MORNINGS}
    subscription = Subscription.objects.get()
    assert subscription.client.user.email == demo.SUBSCRIBER
    placed = Enrollment.objects.filter(subscription=subscription)
    # The started cohort is closed: the subscriber is placed in next week's and the rolling one.
    assert set(placed.values_list("cohort__name", flat=True)) == {"Winter group", "Morning circle"}
    assert OutboundEmail.objects.filter(template="program_enrolled").count() == 2


def test_loading_twice_changes_nothing(workspace):
    first = snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert snapshot() == first
    assert demo.load_demo_programs(workspace) is False
    assert snapshot() == first


def test_the_same_story_every_time(workspace):
    first = sorted(
        (e, t, p.percent, p.off_track, p.milestones_done)
        for (e, t), p in progress_by_email().items()
    )
    Event.objects.all().delete()
    OutboundEmail.objects.all().delete()
    for model in [Subscription, MembershipPlan, OffTrackSpell, CheckIn, MilestoneCompletion]:
        model.objects.all().delete()
    Conversation.objects.all().delete()  # the demo's cohort group holds on to its cohort
    Enrollment.objects.all().delete()
    Cohort.objects.all().delete()
    Program.objects.all().delete()
    assert demo.load_demo_programs(workspace) is True
    again = sorted(
        (e, t, p.percent, p.off_track, p.milestones_done)
        for (e, t), p in progress_by_email().items()
    )
    assert again == first


def test_the_client_sees_their_progress_through_the_api(workspace, client):
    from ascend.accounts.models import User

    client.defaults["HTTP_HOST"] = "alpha.localhost"
    client.force_login(User.objects.get(email="client1@demo.ascend.test"), backend=MODEL_BACKEND)
    listing = client.get("/api/v1/enrollments").json()
    assert [e["program"]["title"] for e in listing] == [demo.STRENGTH]
    assert listing[0]["progress"]["percent"] > 0
    assert listing[0]["coach"]["email"] == "coach1@demo.ascend.test"
