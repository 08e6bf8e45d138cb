"""Every change to programs, cohorts, enrolments, milestones and habit check-ins."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ascend.activity.actions import record_event
from ascend.activity.verbs import Verb
from ascend.lib.errors import field_error
from ascend.tenancy.models import Membership

from . import rules
from .models import (
    CheckIn,
    Cohort,
    CohortKind,
    Enrollment,
    EnrollmentSource,
    Habit,
    Milestone,
    MilestoneCompletion,
    OffTrackSpell,
    Program,
    ProgramStatus,
)
from .progress import habit_rule, today_for

# Lazy: built at import, these must still be translated into each reader's language.
REFUSAL_MESSAGES = {
    rules.CLOSED: gettext_lazy("This cohort is closed for enrolment."),
    rules.STARTED: gettext_lazy(
        "This cohort has already started: a fixed cohort takes no one from its start date."
    ),
    rules.FULL: gettext_lazy("This cohort is full."),
    rules.NOT_PUBLISHED: gettext_lazy("The program isn't published yet."),
}


def workspace_today(workspace) -> date:  # type: ignore[no-untyped-def]
    """The date in the workspace's own time zone (cohort dates are the workspace's calendar)."""
    return rules.client_today(workspace.time_zone, timezone.now())


def refusal_message(code: str) -> str:
    return str(REFUSAL_MESSAGES[code])


# Programs --------------------------------------------------------------------------------


def has_active_enrollments(program: Program) -> bool:
    return Enrollment.objects.filter(program=program, ended_at__isnull=True).exists()


def check_content_unlocked(program: Program) -> None:
    """A program with enrolled clients has its content locked; new cohorts may still be added."""
    if has_active_enrollments(program):
        raise ValidationError(
            _(
                "Clients are enrolled in this program, so its content is locked. You can still "
                "add cohorts; to change the content, make a new program."
            ),
            code="program_locked",
        )


@transaction.atomic
def do_create_program(workspace, *, actor, **fields: Any) -> Program:  # type: ignore[no-untyped-def]
    program = Program(workspace=workspace, **fields)
    program.full_clean()
    program.save()
    record_event(workspace, Verb.PROGRAM_CREATED, actor=actor, target=program)
    return program


@transaction.atomic
def do_update_program(program: Program, *, actor, **fields: Any) -> Program:  # type: ignore[no-untyped-def]
    """Change a program's content; refused while clients are enrolled (publishing is allowed)."""
    content_changes = {
        k: v for k, v in fields.items() if getattr(program, k) != v and k != "status"
    }
    if content_changes:
        check_content_unlocked(program)
    for key, value in fields.items():
        setattr(program, key, value)
    program.full_clean()
    program.save()
    record_event(program.workspace, Verb.PROGRAM_UPDATED, actor=actor, target=program)
    return program


@transaction.atomic
def do_set_program_status(program: Program, status: str, *, actor) -> Program:  # type: ignore[no-untyped-def]
    """Publish or unpublish; unpublishing keeps current clients enrolled but stops new ones."""
    program.status = ProgramStatus(status)
    program.save(update_fields=["status", "updated_at"])
    record_event(
        program.workspace,
        Verb.PROGRAM_UPDATED,
        actor=actor,
        target=program,
        data={"status": program.status},
    )
    return program


@transaction.atomic
def do_archive_program(program: Program, *, actor) -> Program:  # type: ignore[no-untyped-def]
    """Delete a program from the lists. Refused while enrolments are active; history stays."""
    if has_active_enrollments(program):
        raise ValidationError(
            _(
                "This program has active enrolments and can't be deleted. "
                "Unenrol its clients first."
            ),
            code="program_has_enrollments",
        )
    program.archived_at = timezone.now()
    program.save(update_fields=["archived_at"])
    Cohort.objects.filter(program=program).update(is_open=False)
    record_event(program.workspace, Verb.PROGRAM_DELETED, actor=actor, target=program)
    return program


@transaction.atomic
def do_save_milestone(
    program: Program,
    *,
    actor,
    milestone: Milestone | None = None,  # type: ignore[no-untyped-def]
    title: str,
    due_after_days: int,
) -> Milestone:
    """Add or change a milestone; refused while the program's content is locked."""
    check_content_unlocked(program)
    milestone = milestone or Milestone(workspace=program.workspace, program=program)
    milestone.title, milestone.due_after_days = title, due_after_days
    # A program of N days runs from day 0 to day N − 1 after the client's start.
    if due_after_days is not None and due_after_days >= program.duration_days:
        raise field_error(
            "due_after_days",
            ngettext(
                "The program lasts %(days)d day: pick day 0.",
                "The program lasts %(days)d days: pick a day from 0 to %(last)d.",
                program.duration_days,
            )
            % {"days": program.duration_days, "last": program.duration_days - 1},
            "beyond_program",
        )
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def do_save_habit(
    program: Program,
    *,
    actor,
    habit: Habit | None = None,
    title: str,  # type: ignore[no-untyped-def]
    schedule: str,
    weekdays: str = "",
    interval_days: int | None = None,
    duration_days: int | None = None,
) -> Habit:
    """Add or change a habit; its schedule must produce at least one due date."""
    check_content_unlocked(program)
    habit = habit or Habit(workspace=program.workspace, program=program)
    habit.title, habit.schedule = title, schedule
    habit.weekdays = "".join(sorted(set(weekdays))) if schedule == "weekdays" else ""
    habit.interval_days = interval_days if schedule == "every_n_days" else None
    habit.duration_days = duration_days
    if schedule == "weekdays" and not habit.weekdays:
        raise field_error("weekdays", _("Choose at least one weekday."), "no_weekdays")
    if schedule == "every_n_days" and not interval_days:
        raise field_error("interval_days", _("Say every how many days."), "no_interval")
    habit.full_clean()
    if not rules.habit_due_dates(habit_rule(habit), date(2024, 1, 1), program.duration_days):
        raise field_error("duration_days", _("This habit would never be due."), "never_due")
    habit.save()
    return habit


@transaction.atomic
def do_delete_program_item(item: Milestone | Habit, *, actor) -> None:  # type: ignore[no-untyped-def]
    check_content_unlocked(item.program)
    item.delete()


# Cohorts ---------------------------------------------------------------------------------


def check_is_coach(membership: Membership | None) -> None:
    if membership is None or not membership.is_active or not membership.is_coach:
        raise field_error("coach", _("Choose a coach of this workspace."), "not_a_coach")


@transaction.atomic
def do_save_cohort(
    program: Program, *, actor, cohort: Cohort | None = None, **fields: Any
) -> Cohort:  # type: ignore[no-untyped-def]
    """Create or change a cohort.

    Rules: exactly one coach, who holds the coach role; a fixed cohort has a start
    date, and a new one can't start in the past; the capacity can't drop below
    the clients already enrolled; appointments need a booking page.
    """
    creating = cohort is None
    cohort = cohort or Cohort(workspace=program.workspace, program=program)
    previous_start = cohort.start_date
    for key, value in fields.items():
        setattr(cohort, key, value)
    check_is_coach(cohort.coach if cohort.coach_id else None)
    if cohort.kind == CohortKind.FIXED:
        if cohort.start_date is None:
            raise field_error(
                "start_date", _("A fixed cohort needs a start date."), "start_date_required"
            )
        today = workspace_today(program.workspace)
        if cohort.start_date < today and (creating or cohort.start_date != previous_start):
            raise field_error(
                "start_date", _("The start date can't be in the past."), "start_date_past"
            )
    else:
        cohort.start_date = None
    if cohort.appointments_enabled and not cohort.booking_url:
        raise field_error(
            "booking_url",
            _("Add the booking page's address, or switch appointments off."),
            "booking_url_required",
        )
    if not creating and cohort.capacity is not None:
        enrolled = Enrollment.objects.filter(cohort=cohort, ended_at__isnull=True).count()
        if cohort.capacity < enrolled:
            raise field_error(
                "capacity",
                _("%(n)d clients are already enrolled: the capacity can't be lower.")
                % {"n": enrolled},
                "capacity_below_enrolled",
            )
    cohort.full_clean()
    cohort.save()
    record_event(
        program.workspace,
        Verb.COHORT_CREATED if creating else Verb.COHORT_UPDATED,
        actor=actor,
        target=cohort,
    )
    return cohort


# Enrolments ------------------------------------------------------------------------------


def cohort_facts(cohort: Cohort, active_enrollments: int | None = None) -> rules.CohortFacts:
    if active_enrollments is None:
        active_enrollments = Enrollment.objects.filter(cohort=cohort, ended_at__isnull=True).count()
    return rules.CohortFacts(
        kind=cohort.kind,
        start_date=cohort.start_date,
        capacity=cohort.capacity,
        is_open=cohort.is_open and cohort.program.archived_at is None,
        active_enrollments=active_enrollments,
        program_published=cohort.program.status == ProgramStatus.PUBLISHED,
    )


def check_may_be_client(client: Membership) -> None:
    """Only a client of the workspace enrols; a coach of the workspace never does."""
    if client.is_coach:
        raise field_error(
            "client",
            _(
                "A coach of this workspace cannot enrol as a client. To take part as a "
                "client, the person needs a separate account."
            ),
            "coach_cannot_enrol",
        )
    if not client.is_client or not client.is_active:
        raise field_error(
            "client", _("Only clients of this workspace can be enrolled."), "not_a_client"
        )


@transaction.atomic
def do_enroll(
    cohort: Cohort,
    client: Membership,
    *,
    actor,
    source: str = EnrollmentSource.MANUAL,  # type: ignore[no-untyped-def]
    subscription=None,
) -> Enrollment:
    """Enrol a client into a cohort.

    Rules: ``check_may_be_client``; ``rules.enrolment_refusal`` (closed, started
    fixed cohort, full, unpublished); one active enrolment per program. The
    cohort row is locked, so two enrolments racing for the last place can't both win.
    """
    check_may_be_client(client)
    cohort = Cohort.objects.select_for_update().select_related("program").get(pk=cohort.pk)
    today = rules.client_today(client.user.time_zone or cohort.workspace.time_zone, timezone.now())
    facts = cohort_facts(cohort)
    refusal = rules.enrolment_refusal(facts, today)
    if refusal:
        raise field_error("cohort", refusal_message(refusal), refusal)
    if Enrollment.objects.filter(
        client=client, program=cohort.program, ended_at__isnull=True
    ).exists():
        raise field_error(
            "client",
            _("This client is already enrolled in %(program)s.") % {"program": cohort.program},
            "already_enrolled",
        )
    enrollment = Enrollment(
        workspace=cohort.workspace,
        cohort=cohort,
        program=cohort.program,
        client=client,
        start_date=rules.enrolment_start(facts, today),
        source=source,
        subscription=subscription,
        enrolled_by=actor if getattr(actor, "pk", None) else None,
    )
    try:
        with transaction.atomic():
            enrollment.save()
    except IntegrityError:
        raise field_error(
            "client",
            _("This client is already enrolled in %(program)s.") % {"program": cohort.program},
            "already_enrolled",
        ) from None
    record_event(
        cohort.workspace,
        Verb.CLIENT_ENROLLED,
        actor=actor,
        target=enrollment,
        data={
            "program": cohort.program.title,
            "cohort": cohort.name,
            "client": str(client.user),
            "start_date": enrollment.start_date.isoformat(),
        },
    )
    from .notices import notify_enrolled

    notify_enrolled(enrollment)
    return enrollment


@transaction.atomic
def do_unenroll(enrollment: Enrollment, *, actor) -> Enrollment:  # type: ignore[no-untyped-def]
    """End an enrolment; its milestones, check-ins and dates stay as history."""
    if not enrollment.is_active:
        raise ValidationError(_("This enrolment has already ended."), code="already_ended")
    enrollment.ended_at = timezone.now()
    enrollment.ended_by = actor if getattr(actor, "pk", None) else None
    enrollment.save(update_fields=["ended_at", "ended_by"])
    OffTrackSpell.objects.filter(enrollment=enrollment, ended_at__isnull=True).update(
        ended_at=F("started_at")
    )
    record_event(
        enrollment.workspace,
        Verb.CLIENT_UNENROLLED,
        actor=actor,
        target=enrollment,
        data={"program": enrollment.program.title, "client": str(enrollment.client.user)},
    )
    return enrollment


# Milestones and check-ins ----------------------------------------------------------------


def check_active(enrollment: Enrollment) -> None:
    if not enrollment.is_active:
        raise ValidationError(
            _("This enrolment has ended; its record can't change."), code="enrollment_ended"
        )


@transaction.atomic
def do_set_milestone_done(
    enrollment: Enrollment, milestone: Milestone, done: bool, *, actor
) -> bool:  # type: ignore[no-untyped-def]
    """Tick or untick a milestone of the client's program; ticking twice changes nothing."""
    check_active(enrollment)
    if milestone.program_id != enrollment.program_id:
        raise ValidationError(_("That milestone belongs to another program."), code="wrong_program")
    existing = MilestoneCompletion.objects.filter(enrollment=enrollment, milestone=milestone)
    if done and not existing.exists():
        MilestoneCompletion.objects.get_or_create(
            workspace=enrollment.workspace, enrollment=enrollment, milestone=milestone
        )
        record_event(
            enrollment.workspace,
            Verb.MILESTONE_COMPLETED,
            actor=actor,
            target=milestone,
            data={"client": str(enrollment.client.user), "enrollment": enrollment.pk},
        )
    elif not done:
        existing.delete()
    return done


@transaction.atomic
def do_set_check_in(
    enrollment: Enrollment, habit: Habit, due_date: date, done: bool, *, actor
) -> bool:  # type: ignore[no-untyped-def]
    """Tick or untick one due date of a habit.

    Rules (``rules.may_check_in``): only the habit's due dates, today or earlier in
    the client's time zone — late is fine, the future is not. A late check-in that
    ends an off-track run records "back on track".
    """
    check_active(enrollment)
    if habit.program_id != enrollment.program_id:
        raise ValidationError(_("That habit belongs to another program."), code="wrong_program")
    due = rules.habit_due_dates(
        habit_rule(habit), enrollment.start_date, enrollment.program.duration_days
    )
    today = today_for(enrollment)
    if not rules.may_check_in(due, due_date, today):
        code = "future_date" if due_date > today else "not_due"
        message = (
            _("You can't tick a day that hasn't come yet.")
            if code == "future_date"
            else _("This habit isn't due on that day.")
        )
        raise field_error("due_date", message, code)
    if done:
        CheckIn.objects.get_or_create(
            workspace=enrollment.workspace, enrollment=enrollment, habit=habit, due_date=due_date
        )
    else:
        CheckIn.objects.filter(enrollment=enrollment, habit=habit, due_date=due_date).delete()
    from .tracking import update_off_track

    update_off_track(enrollment, habit, due=due, today=today, actor=actor)
    return done
