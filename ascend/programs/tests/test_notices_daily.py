"""The programs' notices and the daily job (``manage.py programs_daily``, the Celery task).

Rules: the client hears once that they are enrolled; a fixed cohort's clients
hear once, the day before it starts in their own time zone; a habit going off
track tells the client and the coach once per spell, and a late check-in puts
it back on track; a subscriber who could not be placed is reported to the
admins once. Running the job twice, or twice at once, sends nothing twice.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from ascend.activity.models import Event
from ascend.billing.actions import do_subscribe
from ascend.billing.models import MembershipPlan
from ascend.notifications.models import OutboundEmail
from ascend.programs import notices
from ascend.programs.actions import do_enroll, do_set_check_in
from ascend.programs.models import Enrollment, OffTrackSpell
from ascend.programs.tasks import run_daily as run_daily_task

from .api_world import make_cohort, make_enrollment, make_program

pytestmark = pytest.mark.django_db


def emails(template: str) -> list[str]:
    return sorted(OutboundEmail.objects.filter(template=template).values_list("to", flat=True))


def events(verb: str) -> int:
    return Event.objects.filter(verb=verb).count()


@pytest.fixture
def program(cast):
    program = make_program(cast.alpha.workspace, title="Strength reset", days=28)
    program.habits.create(workspace=program.workspace, title="Walk 20 minutes", schedule="daily")
    return program


def test_the_client_hears_once_that_they_are_enrolled(cast, program):
    cohort = make_cohort(program, cast.alpha.coach.membership)
    enrollment = do_enroll(cohort, cast.alpha.client.membership, actor=cast.alpha.admin.user)
    assert emails("program_enrolled") == [cast.alpha.client.email]
    email = OutboundEmail.objects.get(template="program_enrolled")
    assert f"/me/programs/{enrollment.id}/" in email.body
    assert events("client.enrolled") == 1
    notices.run_daily()
    notices.run_daily()
    assert emails("program_enrolled") == [cast.alpha.client.email]


# Fixed cohorts starting tomorrow -----------------------------------------------------------

# 20:00 UTC on 10 March 2027: 09:00 on the 11th in Auckland (UTC+13), noon on the 10th
# in Los Angeles (UTC−8, before its DST change on the 14th).
NOW = datetime(2027, 3, 10, 20, 0, tzinfo=UTC)


@pytest.fixture
def two_zones(cast, program):
    """A client in Auckland and one in Los Angeles, both in cohorts starting 12 March."""
    start = date(2027, 3, 12)
    auckland = _enrol_fixed(cast, program, cast.alpha.client, start, "Pacific/Auckland")
    los_angeles = _enrol_fixed(cast, program, cast.alpha.other_client, start, "America/Los_Angeles")
    return auckland, los_angeles


def _enrol_fixed(cast, program, person, start: date, time_zone: str) -> Enrollment:  # type: ignore[no-untyped-def]
    person.user.time_zone = time_zone
    person.user.save(update_fields=["time_zone"])
    cohort = make_cohort(
        program,
        cast.alpha.coach.membership,
        name=f"{time_zone} group",
        kind="fixed",
        start_date=start,
    )
    enrollment = make_enrollment(cohort, person.membership)
    Enrollment.objects.filter(pk=enrollment.pk).update(start_date=start)
    return Enrollment.objects.get(pk=enrollment.pk)


def test_a_fixed_cohort_starting_tomorrow_is_announced_in_the_clients_own_time_zone(
    cast, two_zones
):
    auckland, los_angeles = two_zones
    # At NOW it is the 11th in Auckland: tomorrow is the start. Los Angeles is a day behind.
    assert notices.run_daily(NOW)["start_notices"] == 1
    assert emails("cohort_starting") == [cast.alpha.client.email]
    # A day later it is the 11th in Los Angeles; Auckland has already been told.
    assert notices.run_daily(NOW + timedelta(days=1))["start_notices"] == 1
    assert emails("cohort_starting") == sorted(
        [cast.alpha.client.email, cast.alpha.other_client.email]
    )
    assert Enrollment.objects.filter(start_notice_sent_at__isnull=True).count() == 0


def test_the_start_notice_is_sent_once_however_often_the_job_runs(cast, two_zones):
    for _ in range(3):
        notices.run_daily(NOW)
    notices.run_daily(NOW + timedelta(hours=5))
    assert emails("cohort_starting") == [cast.alpha.client.email]


def test_no_start_notice_for_rolling_cohorts_ended_enrolments_or_far_starts(cast, program):
    rolling = make_cohort(program, cast.alpha.coach.membership)
    enrollment = make_enrollment(rolling, cast.alpha.client.membership)
    Enrollment.objects.filter(pk=enrollment.pk).update(start_date=date(2027, 3, 11))
    later = _enrol_fixed(cast, program, cast.alpha.other_client, date(2027, 3, 20), "UTC")
    notices.run_daily(NOW)
    assert emails("cohort_starting") == []
    Enrollment.objects.filter(pk=later.pk).update(
        start_date=date(2027, 3, 11), ended_at=timezone.now()
    )
    notices.run_daily(NOW)
    assert emails("cohort_starting") == []


# Habits off track and back on track --------------------------------------------------------


@pytest.fixture
def lapsed(cast, program):
    """The client started ten days ago and never checked in: the walk is off track."""
    cohort = make_cohort(program, cast.alpha.coach.membership)
    return make_enrollment(cohort, cast.alpha.client.membership, days_ago=10)


def test_a_habit_off_track_tells_the_client_and_the_coach_once(cast, lapsed):
    first = notices.run_daily()
    assert first["off_track_changes"] == 1 and first["off_track_notices"] == 1
    assert emails("habit_off_track_client") == [cast.alpha.client.email]
    assert emails("habit_off_track_coach") == [cast.alpha.coach.email]
    assert "Walk 20 minutes" in OutboundEmail.objects.get(template="habit_off_track_coach").body
    assert events("habit.off_track") == 1
    second = notices.run_daily()
    assert second == {"start_notices": 0, "off_track_changes": 0, "off_track_notices": 0}
    assert OutboundEmail.objects.filter(template__startswith="habit_off_track").count() == 2
    assert events("habit.off_track") == 1


def test_a_late_check_in_puts_the_habit_back_on_track_and_the_job_agrees(cast, lapsed):
    notices.run_daily()
    habit = lapsed.program.habits.get()
    yesterday = timezone.localdate() - timedelta(days=1)
    do_set_check_in(lapsed, habit, yesterday, True, actor=cast.alpha.client.user)
    assert OffTrackSpell.objects.get().ended_at is not None
    assert events("habit.back_on_track") == 1
    notices.run_daily()
    assert events("habit.back_on_track") == 1
    assert events("habit.off_track") == 1
    assert OutboundEmail.objects.filter(template__startswith="habit_off_track").count() == 2


def test_going_off_track_again_is_a_new_spell_with_new_notices(cast, lapsed):
    notices.run_daily()
    habit = lapsed.program.habits.get()
    yesterday = timezone.localdate() - timedelta(days=1)
    do_set_check_in(lapsed, habit, yesterday, True, actor=None)
    do_set_check_in(lapsed, habit, yesterday, False, actor=None)  # changed their mind
    notices.run_daily()
    assert OffTrackSpell.objects.count() == 2
    assert emails("habit_off_track_client") == [cast.alpha.client.email] * 2


def test_the_job_judges_off_track_on_the_day_it_runs_for(cast, program):
    """A client who checked in every day so far is on track now, off track 4 days later."""
    cohort = make_cohort(program, cast.alpha.coach.membership)
    enrollment = make_enrollment(cohort, cast.alpha.client.membership, days_ago=10)
    habit = program.habits.get()
    for n in range(11):
        do_set_check_in(
            enrollment, habit, enrollment.start_date + timedelta(days=n), True, actor=None
        )
    assert notices.run_daily()["off_track_changes"] == 0
    assert notices.run_daily(timezone.now() + timedelta(days=4))["off_track_notices"] == 1
    assert emails("habit_off_track_client") == [cast.alpha.client.email]


def test_an_ended_enrolment_is_never_off_track(cast, lapsed):
    Enrollment.objects.filter(pk=lapsed.pk).update(ended_at=timezone.now())
    notices.run_daily()
    assert not OffTrackSpell.objects.exists()
    assert emails("habit_off_track_client") == []


def test_two_runs_interleaved_send_each_notice_once(cast, two_zones, monkeypatch):
    """A second run starts while the first is sending: claims keep every notice single."""
    other = make_program(cast.alpha.workspace, title="Mindful mornings")
    other.habits.create(workspace=other.workspace, title="Breathe", schedule="daily")
    cohort = make_cohort(other, cast.alpha.other_coach.membership)
    make_enrollment(cohort, cast.alpha.client.membership, days_ago=10)
    real_send = notices.send_email
    nested = {"done": False}

    def send_then_run_again(**kwargs):  # type: ignore[no-untyped-def]
        email = real_send(**kwargs)
        if not nested["done"]:
            nested["done"] = True
            notices.run_daily(NOW)
        return email

    monkeypatch.setattr(notices, "send_email", send_then_run_again)
    notices.run_daily(NOW)
    assert emails("cohort_starting") == [cast.alpha.client.email]
    assert emails("habit_off_track_client") == [cast.alpha.client.email]
    assert emails("habit_off_track_coach") == [cast.alpha.other_coach.email]
    assert events("habit.off_track") == 1


# Not enrolled for lack of an open cohort ---------------------------------------------------


def test_admins_hear_once_when_a_subscriber_could_not_be_placed(cast, program):
    plan = MembershipPlan.objects.create(workspace=cast.alpha.workspace, name="All access")
    plan.programs.set([program])  # no cohort at all
    do_subscribe(plan, cast.alpha.client.membership, actor=cast.alpha.admin.user)
    assert emails("program_not_enrolled") == sorted(
        [cast.alpha.owner.email, cast.alpha.admin.email]
    )
    body = OutboundEmail.objects.filter(template="program_not_enrolled").first().body
    assert f"/team/programs/{program.id}/" in body
    assert events("membership.not_enrolled") == 1
    assert not Enrollment.objects.exists()
    notices.run_daily()
    notices.run_daily()
    assert len(emails("program_not_enrolled")) == 2


# The command and the task ------------------------------------------------------------------


def test_the_command_runs_the_job_once_and_reports(cast, lapsed):
    out = StringIO()
    call_command("programs_daily", stdout=out)
    assert "off-track notices: 1" in out.getvalue()
    call_command("programs_daily", stdout=out)
    assert emails("habit_off_track_client") == [cast.alpha.client.email]


def test_the_celery_task_runs_the_same_job(cast, lapsed):
    assert run_daily_task.delay().get()["off_track_notices"] == 1
    assert run_daily_task.delay().get()["off_track_notices"] == 0


def test_the_job_is_on_the_beat_schedule_once_a_day(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["programs-daily"]
    assert entry["task"] == run_daily_task.name
    assert entry["schedule"] == timedelta(days=1)


# Twice at once, for real -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_send_each_notice_once(cast):
    program = make_program(cast.alpha.workspace, title="Race", days=28)
    program.habits.create(workspace=program.workspace, title="Stretch", schedule="daily")
    program.habits.create(workspace=program.workspace, title="Read", schedule="daily")
    cohort = make_cohort(program, cast.alpha.coach.membership)
    make_enrollment(cohort, cast.alpha.client.membership, days_ago=10)
    make_enrollment(cohort, cast.alpha.other_client.membership, days_ago=10)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait(timeout=10)
            notices.run_daily()
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    # Two clients × two habits: four spells, each told to the client and the coach once.
    assert OffTrackSpell.objects.count() == 4
    assert len(emails("habit_off_track_client")) == 4
    assert len(emails("habit_off_track_coach")) == 4
    assert events("habit.off_track") == 4
