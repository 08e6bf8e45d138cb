"""The programs API: programs and their content, cohorts, enrolments, ticks and progress.

Each endpoint applies the rule of the page that does the same thing:

- owners and admins (``Cap.PROGRAMS_MANAGE``, ``Cap.CLIENTS_VIEW_ALL``) read and
  change everything of the workspace;
- a coach (``Cap.CLIENTS_VIEW_OWN``) reads the cohorts they teach, their programs
  and their clients' enrolments and progress; a head coach also those of the
  coaches they lead (``Membership.team_leader``);
- a client reads their own enrolments and progress and ticks their own
  milestones and check-ins;
- anyone else is refused with 403; an object the person may not see is a 404,
  exactly like a missing one.

Every write goes through ``ascend.programs.actions``; their refusals come back as
422 with the field and a stable code.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import reduce
from operator import or_
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import AfterValidator, Field

from ascend.api.helpers import get_or_404 as _get
from ascend.api.helpers import person_out as _person
from ascend.api.helpers import referenced as _referenced
from ascend.api.helpers import require as _require
from ascend.api.schemas import ErrorOut
from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership

from . import actions, queries
from .models import Cohort, Enrollment, Habit, Milestone, Program, ProgramStatus
from .progress import EnrollmentProgress, progress_for

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
# Beyond any real id or offset, and inside what every database accepts as an integer.
MAX_INT = 2**31 - 1

router = Router()


def _no_nul(value: str) -> str:
    # PostgreSQL refuses NUL characters in text; say so instead of failing on save.
    if "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
Id = Annotated[int, Field(ge=1, le=MAX_INT)]
# Numbers a person types: their own rules say what is too small; this only keeps them storable.
Int = Annotated[int, Field(ge=-MAX_INT, le=MAX_INT)]


# Schemas -----------------------------------------------------------------------------------


class Ref(Schema):
    id: int
    title: str


class PersonRef(Schema):
    id: int  # the membership's id in this workspace
    name: str
    email: str


class MilestoneOut(Schema):
    id: int
    title: str
    due_after_days: int


class HabitOut(Schema):
    id: int
    title: str
    schedule: str
    weekdays: list[int]
    interval_days: int | None
    duration_days: int | None


class ProgramOut(Schema):
    id: int
    title: str
    description: str
    duration_days: int
    status: str
    locked: bool = Field(description="Clients are enrolled: milestones and habits can't change.")
    active_enrollments: int
    cohorts: int
    created_at: datetime
    updated_at: datetime


class ProgramDetailOut(ProgramOut):
    milestones: list[MilestoneOut]
    habits: list[HabitOut]


class ProgramIn(Schema):
    title: Text = Field(..., max_length=200)
    description: Text = ""
    duration_days: Int = Field(..., description="How long the program runs from each start.")


class ProgramPatch(Schema):
    title: Text | None = Field(None, max_length=200)
    description: Text | None = None
    duration_days: Int | None = None


class MilestoneIn(Schema):
    title: Text = Field(..., max_length=200)
    due_after_days: Int = Field(..., description="Days after the client's start date.")


class MilestonePatch(Schema):
    title: Text | None = Field(None, max_length=200)
    due_after_days: Int | None = None


Weekday = Annotated[int, Field(ge=0, le=6, description="Monday = 0 … Sunday = 6")]
Schedule = Literal["daily", "weekdays", "every_n_days"]


class HabitIn(Schema):
    title: Text = Field(..., max_length=200)
    schedule: Schedule
    weekdays: list[Weekday] = Field(default_factory=list, max_length=7)
    interval_days: Int | None = None
    duration_days: Int | None = Field(None, description="Empty: until the program ends.")


class HabitPatch(Schema):
    title: Text | None = Field(None, max_length=200)
    schedule: Schedule | None = None
    weekdays: list[Weekday] | None = Field(None, max_length=7)
    interval_days: Int | None = None
    duration_days: Int | None = None


class CohortOut(Schema):
    id: int
    program: Ref
    coach: PersonRef
    name: str
    kind: str
    start_date: date | None
    capacity: int | None
    is_open: bool
    messaging_enabled: bool
    peer_messaging_enabled: bool
    appointments_enabled: bool
    booking_url: str
    active_enrollments: int
    created_at: datetime


Kind = Literal["fixed", "rolling"]


class CohortIn(Schema):
    program: Id
    coach: Id = Field(..., description="The coach's membership id.")
    name: Text = Field(..., max_length=200)
    kind: Kind
    start_date: date | None = None
    capacity: Int | None = None
    is_open: bool = True
    messaging_enabled: bool = True
    peer_messaging_enabled: bool = False
    appointments_enabled: bool = False
    booking_url: Text = Field("", max_length=200)


class CohortPatch(Schema):
    coach: Id | None = None
    name: Text | None = Field(None, max_length=200)
    kind: Kind | None = None
    start_date: date | None = None
    capacity: Int | None = None
    is_open: bool | None = None
    messaging_enabled: bool | None = None
    peer_messaging_enabled: bool | None = None
    appointments_enabled: bool | None = None
    booking_url: Text | None = Field(None, max_length=200)


class ProgressSummary(Schema):
    percent: int
    done: int
    total: int
    milestones_done: int
    off_track: bool


class EnrollmentOut(Schema):
    id: int
    program: Ref
    cohort: Ref
    client: PersonRef
    coach: PersonRef
    start_date: date
    source: str
    subscription_id: int | None
    enrolled_at: datetime
    ended_at: datetime | None
    active: bool
    progress: ProgressSummary


class EnrollmentIn(Schema):
    cohort: Id
    client: Id = Field(..., description="The client's membership id.")


class MilestoneStateOut(Schema):
    id: int
    title: str
    due_date: date
    completed: bool


class HabitStateOut(Schema):
    id: int
    title: str
    schedule: str
    due_dates: list[date]
    checked: list[date]
    due_so_far: int
    done: int
    off_track: bool


class ProgressOut(ProgressSummary):
    enrollment_id: int
    today: date = Field(description="Today in the client's time zone.")
    milestones: list[MilestoneStateOut]
    habits: list[HabitStateOut]


class DoneIn(Schema):
    done: bool


class EnrollmentFilter(Schema):
    program: Int | None = None
    cohort: Int | None = None
    client: Int | None = Field(None, description="The client's membership id.")
    active: bool | None = None
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_INT)


class CohortFilter(Schema):
    program: Int | None = None
    coach: Int | None = Field(None, description="The coach's membership id.")


# Who sees what -----------------------------------------------------------------------------


def _member(request: HttpRequest) -> Membership:
    return request.membership  # type: ignore[attr-defined,no-any-return]


def _coached_by(member: Membership, prefix: str = "") -> Q:
    """Cohorts the member teaches and, for a head coach, those the coaches they lead teach."""
    condition = Q(**{f"{prefix}coach": member})
    if member.is_head_coach:
        condition |= Q(**{f"{prefix}coach__team_leader": member})
    return condition


def visible_cohorts(member: Membership) -> QuerySet[Cohort]:
    """Every cohort for owners and admins; a coach's own and led ones; nobody else's (403)."""
    qs = queries.cohorts(member.workspace)
    if can(member, Cap.CLIENTS_VIEW_ALL) or can(member, Cap.PROGRAMS_MANAGE):
        return qs
    if can(member, Cap.CLIENTS_VIEW_OWN):
        return qs.filter(_coached_by(member))
    raise PermissionDenied


def visible_programs(member: Membership) -> QuerySet[Program]:
    """Every program (drafts too) for managers; for coaches, programs of cohorts they see."""
    qs = queries.programs(member.workspace)
    if can(member, Cap.PROGRAMS_MANAGE):
        return qs
    if can(member, Cap.CLIENTS_VIEW_OWN):
        taught = Cohort.objects.filter(_coached_by(member), workspace=member.workspace)
        return qs.filter(id__in=taught.values("program_id"))
    raise PermissionDenied


def visible_enrollments(member: Membership) -> QuerySet[Enrollment]:
    """All for owners and admins; a coach's (and led coaches') clients; a client's own."""
    qs = Enrollment.objects.filter(workspace=member.workspace)
    if can(member, Cap.CLIENTS_VIEW_ALL):
        return qs
    parts = []
    if can(member, Cap.CLIENTS_VIEW_OWN):
        parts.append(_coached_by(member, "cohort__"))
    if can(member, Cap.PORTAL_CLIENT):
        parts.append(Q(client=member))
    if not parts:
        raise PermissionDenied
    return qs.filter(reduce(or_, parts))


def access_program(member: Membership, program_id: int) -> Program:
    return _get(visible_programs(member), program_id)  # type: ignore[no-any-return]


def access_managed_program(member: Membership, program_id: int) -> Program:
    if not can(member, Cap.PROGRAMS_MANAGE):
        raise PermissionDenied
    return _get(queries.programs(member.workspace), program_id)  # type: ignore[no-any-return]


def access_cohort(member: Membership, cohort_id: int) -> Cohort:
    return _get(visible_cohorts(member), cohort_id)  # type: ignore[no-any-return]


def access_enrollment(member: Membership, enrollment_id: int) -> Enrollment:
    qs = queries.enrollments_with_content(visible_enrollments(member))
    return _get(qs, enrollment_id)  # type: ignore[no-any-return]


# Shaping answers ---------------------------------------------------------------------------


def _program_out(p: Program) -> dict:
    active = getattr(p, "active_count", None)
    if active is None:
        active = Enrollment.objects.filter(program=p, ended_at__isnull=True).count()
    cohorts = getattr(p, "cohort_count", None)
    if cohorts is None:
        cohorts = Cohort.objects.filter(program=p).count()
    return {
        "id": p.id,
        "title": p.title,
        "description": p.description,
        "duration_days": p.duration_days,
        "status": p.status,
        "locked": active > 0,
        "active_enrollments": active,
        "cohorts": cohorts,
        "created_at": p.created_at,
        "updated_at": p.updated_at,
    }


def _habit_out(h: Habit) -> dict:
    return {
        "id": h.id,
        "title": h.title,
        "schedule": h.schedule,
        "weekdays": [int(d) for d in h.weekdays],
        "interval_days": h.interval_days,
        "duration_days": h.duration_days,
    }


def _milestone_out(m: Milestone) -> dict:
    return {"id": m.id, "title": m.title, "due_after_days": m.due_after_days}


def _program_detail(member: Membership, program_id: int) -> dict:
    program = _get(
        visible_programs(member).prefetch_related("milestones", "habits"),
        program_id,
    )
    return {
        **_program_out(program),
        "milestones": [_milestone_out(m) for m in program.milestones.all()],
        "habits": [_habit_out(h) for h in program.habits.all()],
    }


def _cohort_out(c: Cohort) -> dict:
    active = getattr(c, "active_count", None)
    if active is None:
        active = Enrollment.objects.filter(cohort=c, ended_at__isnull=True).count()
    return {
        "id": c.id,
        "program": {"id": c.program.id, "title": c.program.title},
        "coach": _person(c.coach),
        "name": c.name,
        "kind": c.kind,
        "start_date": c.start_date,
        "capacity": c.capacity,
        "is_open": c.is_open,
        "messaging_enabled": c.messaging_enabled,
        "peer_messaging_enabled": c.peer_messaging_enabled,
        "appointments_enabled": c.appointments_enabled,
        "booking_url": c.booking_url,
        "active_enrollments": active,
        "created_at": c.created_at,
    }


def _summary(entry: EnrollmentProgress) -> dict:
    return {
        "percent": entry.percent,
        "done": entry.done,
        "total": entry.total,
        "milestones_done": entry.milestones_done,
        "off_track": entry.off_track,
    }


def _enrollment_out(e: Enrollment, entry: EnrollmentProgress) -> dict:
    return {
        "id": e.id,
        "program": {"id": e.program.id, "title": e.program.title},
        "cohort": {"id": e.cohort.id, "title": e.cohort.name},
        "client": _person(e.client),
        "coach": _person(e.cohort.coach),
        "start_date": e.start_date,
        "source": e.source,
        "subscription_id": e.subscription_id,
        "enrolled_at": e.enrolled_at,
        "ended_at": e.ended_at,
        "active": e.is_active,
        "progress": _summary(entry),
    }


def enrollments_out(enrollments: list[Enrollment]) -> list[dict]:
    """Enrolments with their progress summary, in a fixed number of queries."""
    progress = progress_for(enrollments)
    return [_enrollment_out(e, progress[e.id]) for e in enrollments]


def _progress_out(entry: EnrollmentProgress) -> dict:
    return {
        **_summary(entry),
        "enrollment_id": entry.enrollment.id,
        "today": entry.today,
        "milestones": [
            {
                "id": m.milestone.id,
                "title": m.milestone.title,
                "due_date": m.due_date,
                "completed": m.completed,
            }
            for m in entry.milestones
        ],
        "habits": [
            {
                "id": h.habit.id,
                "title": h.habit.title,
                "schedule": h.habit.schedule,
                "due_dates": h.due_dates,
                "checked": sorted(h.checked),
                "due_so_far": len(h.due_so_far),
                "done": len(h.checked),
                "off_track": h.off_track,
            }
            for h in entry.habits
        ],
    }


def _fresh_progress(member: Membership, enrollment_id: int) -> dict:
    enrollment = access_enrollment(member, enrollment_id)
    return _progress_out(progress_for([enrollment])[enrollment.id])


# Programs ----------------------------------------------------------------------------------


@router.get(
    "/programs",
    response={200: list[ProgramOut], **ERRORS},
    tags=["programs"],
    summary="List programs",
)
def list_programs(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Programs of the workspace, drafts included, without archived ones.

    Owners and admins see all; a coach sees the programs of the cohorts they (or
    the coaches they lead) teach; everyone else gets 403.
    """
    return [_program_out(p) for p in visible_programs(_member(request))]


@router.post(
    "/programs",
    response={201: ProgramDetailOut, **ERRORS},
    tags=["programs"],
    summary="Create a program",
)
def create_program(request: HttpRequest, payload: ProgramIn):  # type: ignore[no-untyped-def]
    """A new draft program (owners and admins).

    Refused with 422: a blank title, a length outside 1–3650 days.
    """
    member = _require(request, Cap.PROGRAMS_MANAGE)
    program = actions.do_create_program(
        member.workspace, actor=request.user, **payload.model_dump()
    )
    return Status(201, _program_detail(member, program.id))


@router.get(
    "/programs/{program_id}",
    response={200: ProgramDetailOut, **ERRORS},
    tags=["programs"],
    summary="A program with its milestones and habits",
)
def get_program(request: HttpRequest, program_id: int):  # type: ignore[no-untyped-def]
    """One program, its milestones (by due day) and habits.

    The same people as the list; a program they can't see is a 404.
    """
    return _program_detail(_member(request), program_id)


@router.patch(
    "/programs/{program_id}",
    response={200: ProgramDetailOut, **ERRORS},
    tags=["programs"],
    summary="Change a program",
)
def update_program(request: HttpRequest, program_id: int, payload: ProgramPatch):  # type: ignore[no-untyped-def]
    """Change the title, description or length (owners and admins).

    Refused with 422 ``program_locked`` while clients are enrolled, and for the
    same bad input as creating.
    """
    member = _require(request, Cap.PROGRAMS_MANAGE)
    program = access_managed_program(member, program_id)
    changes = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    actions.do_update_program(program, actor=request.user, **changes)
    return _program_detail(member, program.id)


@router.post(
    "/programs/{program_id}/publish",
    response={200: ProgramDetailOut, **ERRORS},
    tags=["programs"],
    summary="Publish a program",
)
def publish_program(request: HttpRequest, program_id: int):  # type: ignore[no-untyped-def]
    """Publish: its open cohorts take clients from now on (owners and admins)."""
    member = _require(request, Cap.PROGRAMS_MANAGE)
    program = access_managed_program(member, program_id)
    actions.do_set_program_status(program, ProgramStatus.PUBLISHED, actor=request.user)
    return _program_detail(member, program.id)


@router.post(
    "/programs/{program_id}/unpublish",
    response={200: ProgramDetailOut, **ERRORS},
    tags=["programs"],
    summary="Return a program to draft",
)
def unpublish_program(request: HttpRequest, program_id: int):  # type: ignore[no-untyped-def]
    """Back to draft: enrolled clients stay, nobody new can enrol (owners and admins)."""
    member = _require(request, Cap.PROGRAMS_MANAGE)
    program = access_managed_program(member, program_id)
    actions.do_set_program_status(program, ProgramStatus.DRAFT, actor=request.user)
    return _program_detail(member, program.id)


@router.post(
    "/programs/{program_id}/archive",
    response={204: None, **ERRORS},
    tags=["programs"],
    summary="Delete (archive) a program",
)
def archive_program(request: HttpRequest, program_id: int):  # type: ignore[no-untyped-def]
    """Take a program off the lists and close its cohorts; its history stays.

    Owners and admins. Refused with 422 ``program_has_enrollments`` while any
    enrolment is active.
    """
    member = _require(request, Cap.PROGRAMS_MANAGE)
    program = access_managed_program(member, program_id)
    actions.do_archive_program(program, actor=request.user)
    return Status(204, None)


# Milestones and habits ---------------------------------------------------------------------


def _item(model: type[Milestone] | type[Habit], program: Program, item_id: int):  # type: ignore[no-untyped-def]
    return _get(model.objects.filter(program=program), item_id)


@router.post(
    "/programs/{program_id}/milestones",
    response={201: MilestoneOut, **ERRORS},
    tags=["programs"],
    summary="Add a milestone",
)
def create_milestone(request: HttpRequest, program_id: int, payload: MilestoneIn):  # type: ignore[no-untyped-def]
    """Add a milestone due N days after each client's start (owners and admins).

    Refused with 422: ``program_locked`` while clients are enrolled,
    ``beyond_program`` for a day after the program ends, a blank title.
    """
    member = _require(request, Cap.PROGRAMS_MANAGE)
    program = access_managed_program(member, program_id)
    milestone = actions.do_save_milestone(program, actor=request.user, **payload.model_dump())
    return Status(201, _milestone_out(milestone))


@router.patch(
    "/programs/{program_id}/milestones/{milestone_id}",
    response={200: MilestoneOut, **ERRORS},
    tags=["programs"],
    summary="Change a milestone",
)
def update_milestone(  # type: ignore[no-untyped-def]
    request: HttpRequest, program_id: int, milestone_id: int, payload: MilestonePatch
):
    """Change a milestone's title or due day (owners and admins); the same refusals as adding."""
    member = _require(request, Cap.PROGRAMS_MANAGE)
    program = access_managed_program(member, program_id)
    milestone = _item(Milestone, program, milestone_id)
    fields = {"title": milestone.title, "due_after_days": milestone.due_after_days}
    fields.update(
        {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    )
    actions.do_save_milestone(program, actor=request.user, milestone=milestone, **fields)
    return _milestone_out(milestone)


@router.delete(
    "/programs/{program_id}/milestones/{milestone_id}",
    response={204: None, **ERRORS},
    tags=["programs"],
    summary="Remove a milestone",
)
def delete_milestone(request: HttpRequest, program_id: int, milestone_id: int):  # type: ignore[no-untyped-def]
    """Remove a milestone (owners and admins); refused with 422 ``program_locked``."""
    member = _require(request, Cap.PROGRAMS_MANAGE)
    program = access_managed_program(member, program_id)
    actions.do_delete_program_item(_item(Milestone, program, milestone_id), actor=request.user)
    return Status(204, None)


def _habit_fields(payload: dict) -> dict:
    if "weekdays" in payload:
        payload["weekdays"] = "".join(str(d) for d in payload["weekdays"] or [])
    return payload


@router.post(
    "/programs/{program_id}/habits",
    response={201: HabitOut, **ERRORS},
    tags=["programs"],
    summary="Add a habit",
)
def create_habit(request: HttpRequest, program_id: int, payload: HabitIn):  # type: ignore[no-untyped-def]
    """Add a habit: daily, on chosen weekdays or every N days, for N days or to the end.

    Owners and admins. Refused with 422: ``program_locked``; ``no_weekdays`` or
    ``no_interval`` when the schedule lacks them; a length of 0 days
    (``min_value``) or one in which the habit is never due (``never_due``).
    """
    member = _require(request, Cap.PROGRAMS_MANAGE)
    program = access_managed_program(member, program_id)
    habit = actions.do_save_habit(
        program, actor=request.user, **_habit_fields(payload.model_dump())
    )
    return Status(201, _habit_out(habit))


@router.patch(
    "/programs/{program_id}/habits/{habit_id}",
    response={200: HabitOut, **ERRORS},
    tags=["programs"],
    summary="Change a habit",
)
def update_habit(  # type: ignore[no-untyped-def]
    request: HttpRequest, program_id: int, habit_id: int, payload: HabitPatch
):
    """Change a habit (owners and admins); the same refusals as adding.

    Send ``null`` for ``duration_days`` to keep the habit until the program ends.
    """
    member = _require(request, Cap.PROGRAMS_MANAGE)
    program = access_managed_program(member, program_id)
    habit = _item(Habit, program, habit_id)
    fields = {
        "title": habit.title,
        "schedule": habit.schedule,
        "weekdays": habit.weekdays,
        "interval_days": habit.interval_days,
        "duration_days": habit.duration_days,
    }
    changes = payload.model_dump(exclude_unset=True)
    for key in ("title", "schedule", "weekdays"):
        if changes.get(key, "") is None:
            del changes[key]
    fields.update(_habit_fields(changes))
    actions.do_save_habit(program, actor=request.user, habit=habit, **fields)
    return _habit_out(habit)


@router.delete(
    "/programs/{program_id}/habits/{habit_id}",
    response={204: None, **ERRORS},
    tags=["programs"],
    summary="Remove a habit",
)
def delete_habit(request: HttpRequest, program_id: int, habit_id: int):  # type: ignore[no-untyped-def]
    """Remove a habit (owners and admins); refused with 422 ``program_locked``."""
    member = _require(request, Cap.PROGRAMS_MANAGE)
    program = access_managed_program(member, program_id)
    actions.do_delete_program_item(_item(Habit, program, habit_id), actor=request.user)
    return Status(204, None)


# Cohorts -----------------------------------------------------------------------------------


@router.get(
    "/cohorts",
    response={200: list[CohortOut], **ERRORS},
    tags=["cohorts"],
    summary="List cohorts",
)
def list_cohorts(request: HttpRequest, filters: Query[CohortFilter]):  # type: ignore[no-untyped-def]
    """Cohorts of programs not archived, filterable by program and coach.

    Owners and admins see all; a coach sees the cohorts they teach and, as head
    coach, those of the coaches they lead; everyone else gets 403.
    """
    qs = visible_cohorts(_member(request))
    if filters.program is not None:
        qs = qs.filter(program_id=filters.program)
    if filters.coach is not None:
        qs = qs.filter(coach_id=filters.coach)
    return [_cohort_out(c) for c in qs]


@router.get(
    "/cohorts/{cohort_id}",
    response={200: CohortOut, **ERRORS},
    tags=["cohorts"],
    summary="A cohort",
)
def get_cohort(request: HttpRequest, cohort_id: int):  # type: ignore[no-untyped-def]
    """One cohort; the same people as the list, 404 for a cohort they can't see."""
    return _cohort_out(access_cohort(_member(request), cohort_id))


@router.post(
    "/cohorts",
    response={201: CohortOut, **ERRORS},
    tags=["cohorts"],
    summary="Create a cohort",
)
def create_cohort(request: HttpRequest, payload: CohortIn):  # type: ignore[no-untyped-def]
    """A new cohort of a program (owners and admins); cohorts can be added to locked programs.

    Refused with 422: a program or coach not of this workspace (``not_found``,
    ``not_a_coach``), a fixed cohort without a start date or starting in the
    past (``start_date_required``, ``start_date_past``), appointments without a
    booking page (``booking_url_required``), a capacity below 1.
    """
    member = _require(request, Cap.PROGRAMS_MANAGE)
    data = payload.model_dump()
    program = _referenced(queries.programs(member.workspace), data.pop("program"), "program")
    data["coach"] = Membership.objects.filter(workspace=member.workspace, pk=data["coach"]).first()
    cohort = actions.do_save_cohort(program, actor=request.user, **data)
    return Status(201, _cohort_out(access_cohort(member, cohort.id)))


@router.patch(
    "/cohorts/{cohort_id}",
    response={200: CohortOut, **ERRORS},
    tags=["cohorts"],
    summary="Change a cohort",
)
def update_cohort(request: HttpRequest, cohort_id: int, payload: CohortPatch):  # type: ignore[no-untyped-def]
    """Change a cohort (owners and admins): coach, dates, capacity, open or closed, options.

    Refused with 422 as when creating, and ``capacity_below_enrolled`` when the
    capacity would be lower than the clients already enrolled. Send ``null``
    for ``capacity`` to lift the limit.
    """
    member = _require(request, Cap.PROGRAMS_MANAGE)
    cohort = access_cohort(member, cohort_id)
    changes = payload.model_dump(exclude_unset=True)
    nullable = {"capacity", "start_date"}
    changes = {k: v for k, v in changes.items() if v is not None or k in nullable}
    if "coach" in changes:
        changes["coach"] = Membership.objects.filter(
            workspace=member.workspace, pk=changes["coach"]
        ).first()
    actions.do_save_cohort(cohort.program, actor=request.user, cohort=cohort, **changes)
    return _cohort_out(access_cohort(member, cohort.id))


# Enrolments --------------------------------------------------------------------------------


@router.get(
    "/enrollments",
    response={200: list[EnrollmentOut], **ERRORS},
    tags=["enrollments"],
    summary="List enrolments with progress",
)
def list_enrollments(request: HttpRequest, filters: Query[EnrollmentFilter]):  # type: ignore[no-untyped-def]
    """Enrolments with each one's progress, newest first; filter by program, cohort, client.

    Owners and admins see every enrolment; a coach those of their cohorts (a
    head coach also their coaches' cohorts); a client their own; everyone else
    gets 403. Pages of ``limit`` (at most 500) from ``offset``.
    """
    qs = visible_enrollments(_member(request))
    if filters.program is not None:
        qs = qs.filter(program_id=filters.program)
    if filters.cohort is not None:
        qs = qs.filter(cohort_id=filters.cohort)
    if filters.client is not None:
        qs = qs.filter(client_id=filters.client)
    if filters.active is not None:
        qs = qs.filter(ended_at__isnull=filters.active)
    page = queries.enrollments_with_content(qs)[filters.offset : filters.offset + filters.limit]
    return enrollments_out(list(page))


@router.get(
    "/enrollments/{enrollment_id}",
    response={200: EnrollmentOut, **ERRORS},
    tags=["enrollments"],
    summary="An enrolment",
)
def get_enrollment(request: HttpRequest, enrollment_id: int):  # type: ignore[no-untyped-def]
    """One enrolment with its progress; the same people as the list, else 404."""
    return enrollments_out([access_enrollment(_member(request), enrollment_id)])[0]


@router.post(
    "/enrollments",
    response={201: EnrollmentOut, **ERRORS},
    tags=["enrollments"],
    summary="Enrol a client",
)
def create_enrollment(request: HttpRequest, payload: EnrollmentIn):  # type: ignore[no-untyped-def]
    """Enrol a client into a cohort (owners and admins); the client hears by email.

    Refused with 422: a cohort or client not of this workspace (``not_found``),
    a coach (``coach_cannot_enrol``) or someone who isn't a client
    (``not_a_client``), a closed (``cohort_closed``), started fixed
    (``cohort_started``) or full (``cohort_full``) cohort, an unpublished
    program (``program_not_published``), a client already in the program
    (``already_enrolled``).
    """
    member = _require(request, Cap.PROGRAMS_MANAGE)
    cohort = _referenced(queries.cohorts(member.workspace), payload.cohort, "cohort")
    client = _referenced(
        Membership.objects.filter(workspace=member.workspace).select_related("user"),
        payload.client,
        "client",
    )
    enrollment = actions.do_enroll(cohort, client, actor=request.user)
    return Status(201, enrollments_out([access_enrollment(member, enrollment.id)])[0])


@router.post(
    "/enrollments/{enrollment_id}/unenroll",
    response={200: EnrollmentOut, **ERRORS},
    tags=["enrollments"],
    summary="Unenrol a client",
)
def unenroll(request: HttpRequest, enrollment_id: int):  # type: ignore[no-untyped-def]
    """End an enrolment; its milestones, check-ins and dates stay as history.

    Owners and admins. Refused with 422 ``already_ended``.
    """
    member = _require(request, Cap.PROGRAMS_MANAGE)
    enrollment = access_enrollment(member, enrollment_id)
    actions.do_unenroll(enrollment, actor=request.user)
    return enrollments_out([access_enrollment(member, enrollment.id)])[0]


# Ticks and progress ------------------------------------------------------------------------


@router.get(
    "/enrollments/{enrollment_id}/progress",
    response={200: ProgressOut, **ERRORS},
    tags=["progress"],
    summary="A client's progress in one enrolment",
)
def get_progress(request: HttpRequest, enrollment_id: int):  # type: ignore[no-untyped-def]
    """Percent done (milestones + habit check-ins), each milestone and each habit's state.

    A habit is off track when its last 3 due dates before the client's today
    were missed. The same people as the enrolments list, else 404.
    """
    return _fresh_progress(_member(request), enrollment_id)


def _set_milestone(request: HttpRequest, enrollment_id: int, milestone_id: int, done: bool) -> dict:
    member = _member(request)
    enrollment = access_enrollment(member, enrollment_id)
    milestone = _get(Milestone.objects.filter(program_id=enrollment.program_id), milestone_id)
    actions.do_set_milestone_done(enrollment, milestone, done, actor=request.user)
    return _fresh_progress(member, enrollment.id)


@router.put(
    "/enrollments/{enrollment_id}/milestones/{milestone_id}",
    response={200: ProgressOut, **ERRORS},
    tags=["progress"],
    summary="Tick a milestone",
)
def complete_milestone(request: HttpRequest, enrollment_id: int, milestone_id: int):  # type: ignore[no-untyped-def]
    """Mark a milestone done; doing it twice changes nothing. Answers the new progress.

    The client on their own enrolment, or staff who see the enrolment (owners,
    admins, its coach and their head coach); others get 404. Refused with 422
    ``enrollment_ended`` on an ended enrolment.
    """
    return _set_milestone(request, enrollment_id, milestone_id, True)


@router.delete(
    "/enrollments/{enrollment_id}/milestones/{milestone_id}",
    response={200: ProgressOut, **ERRORS},
    tags=["progress"],
    summary="Untick a milestone",
)
def uncomplete_milestone(request: HttpRequest, enrollment_id: int, milestone_id: int):  # type: ignore[no-untyped-def]
    """Mark a milestone not done; the same people and refusals as ticking it."""
    return _set_milestone(request, enrollment_id, milestone_id, False)


def _set_check_in(
    request: HttpRequest, enrollment_id: int, habit_id: int, due_date: date, done: bool
) -> dict:
    member = _member(request)
    enrollment = access_enrollment(member, enrollment_id)
    habit = _get(Habit.objects.filter(program_id=enrollment.program_id), habit_id)
    actions.do_set_check_in(enrollment, habit, due_date, done, actor=request.user)
    return _fresh_progress(member, enrollment.id)


@router.put(
    "/enrollments/{enrollment_id}/habits/{habit_id}/check-ins/{due_date}",
    response={200: ProgressOut, **ERRORS},
    tags=["progress"],
    summary="Check in a habit on a due date",
)
def check_in(request: HttpRequest, enrollment_id: int, habit_id: int, due_date: date):  # type: ignore[no-untyped-def]
    """Tick one due date of a habit (``YYYY-MM-DD``); doing it twice changes nothing.

    Late check-ins are allowed and put a habit back on track; dates after the
    client's today are refused with 422 ``future_date``, dates the habit isn't
    due with ``not_due``, an ended enrolment with ``enrollment_ended``. The
    client on their own enrolment, or staff who see it; others get 404.
    """
    return _set_check_in(request, enrollment_id, habit_id, due_date, True)


@router.delete(
    "/enrollments/{enrollment_id}/habits/{habit_id}/check-ins/{due_date}",
    response={200: ProgressOut, **ERRORS},
    tags=["progress"],
    summary="Undo a habit check-in",
)
def undo_check_in(request: HttpRequest, enrollment_id: int, habit_id: int, due_date: date):  # type: ignore[no-untyped-def]
    """Untick one due date of a habit; the same people and refusals as checking in."""
    return _set_check_in(request, enrollment_id, habit_id, due_date, False)
