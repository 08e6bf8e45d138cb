"""The client portal's program pages: my enrolments, a program, ticking milestones and habits.

Every lookup goes through ``access.access_enrollment`` (the client's own
enrolments only); every write through ``actions``. Ticking answers an htmx
request with the changed row and the progress bar (out of band), and a plain
form POST with a redirect back to the page, so it works without JavaScript.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from ascend.tenancy.access import capability_required
from ascend.tenancy.capabilities import Cap

from . import rules
from .access import access_enrollment
from .actions import do_set_check_in, do_set_milestone_done
from .models import Enrollment, Habit, HabitSchedule, Milestone
from .progress import EnrollmentProgress, HabitState, MilestoneState, progress_for
from .queries import client_enrollments

# The habit grid shows this many weeks at a time, so long programs stay usable.
WINDOW_WEEKS = 2


# Dates as people say them ------------------------------------------------------------------


def due_phrase(due: date, today: date) -> str:
    """ "due today", "due tomorrow", "due in 3 days", "1 day late", "3 days late"."""
    days = (due - today).days
    if days == 0:
        return _("due today")
    if days == 1:
        return _("due tomorrow")
    if days > 1:
        return ngettext("due in %(n)d day", "due in %(n)d days", days) % {"n": days}
    return ngettext("%(n)d day late", "%(n)d days late", -days) % {"n": -days}


def start_phrase(start: date, today: date) -> str:
    days = (start - today).days
    if days == 0:
        return _("started today")
    if days == 1:
        return _("starts tomorrow")
    if days > 1:
        return ngettext("starts in %(n)d day", "starts in %(n)d days", days) % {"n": days}
    return ngettext("started %(n)d day ago", "started %(n)d days ago", -days) % {"n": -days}


WEEKDAY_NAMES = [
    gettext_lazy("Mon"),
    gettext_lazy("Tue"),
    gettext_lazy("Wed"),
    gettext_lazy("Thu"),
    gettext_lazy("Fri"),
    gettext_lazy("Sat"),
    gettext_lazy("Sun"),
]


def schedule_phrase(habit: Habit) -> str:
    if habit.schedule == HabitSchedule.WEEKDAYS:
        return ", ".join(str(WEEKDAY_NAMES[int(d)]) for d in habit.weekdays)
    if habit.schedule == HabitSchedule.EVERY_N_DAYS and (habit.interval_days or 1) > 1:
        n = habit.interval_days or 1
        return ngettext("every %(n)d day", "every %(n)d days", n) % {"n": n}
    return _("every day")


# What the templates show -------------------------------------------------------------------


@dataclass
class MilestoneRow:
    state: MilestoneState
    phrase: str
    late: bool
    editable: bool
    error: str = ""


def milestone_rows(progress: EnrollmentProgress) -> list[MilestoneRow]:
    editable = progress.enrollment.is_active
    return [
        MilestoneRow(
            state=m,
            # An ended enrolment is late for nothing: its open milestones just weren't done.
            phrase=due_phrase(m.due_date, progress.today) if editable else _("not done"),
            late=editable and not m.completed and m.due_date < progress.today,
            editable=editable,
        )
        for m in progress.milestones
    ]


@dataclass
class Window:
    """The weeks of the habit grid on show, and where the earlier and later weeks are."""

    monday: date
    days: list[date]
    earlier: date | None
    later: date | None
    is_default: bool

    @property
    def last_day(self) -> date:
        return self.days[-1] if self.days else self.monday


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_window(progress: EnrollmentProgress, requested: str | None) -> Window:
    """Two weeks of the program: last week and this one by default, or the ones asked for.

    Only days within the program are shown; the weeks asked for are kept inside it.
    """
    enrollment = progress.enrollment
    start = enrollment.start_date
    end = rules.program_end(start, enrollment.program.duration_days)  # first day after
    span = timedelta(weeks=WINDOW_WEEKS)
    first = monday_of(start)
    last = max(first, monday_of(end - timedelta(days=1)) - span + timedelta(weeks=1))
    default = min(max(monday_of(progress.today) - timedelta(weeks=WINDOW_WEEKS - 1), first), last)
    monday = default
    if requested:
        try:
            monday = min(max(monday_of(date.fromisoformat(requested)), first), last)
        except ValueError:
            monday = default
    days = [
        monday + timedelta(days=i)
        for i in range(WINDOW_WEEKS * 7)
        if start <= monday + timedelta(days=i) < end
    ]
    return Window(
        monday=monday,
        days=days,
        earlier=max(monday - span, first) if monday > first else None,
        later=min(monday + span, last) if monday < last else None,
        is_default=monday == default,
    )


@dataclass
class Cell:
    day: date
    due: bool
    checked: bool
    tickable: bool
    future: bool


@dataclass
class HabitRow:
    state: HabitState
    schedule: str
    cells: list[Cell]
    done_so_far: int
    due_so_far: int
    error: str = ""


def habit_row(state: HabitState, window: Window, active: bool) -> HabitRow:
    due = set(state.due_dates)
    cells = [
        Cell(
            day=day,
            due=day in due,
            checked=day in state.checked,
            tickable=active and day in due and day <= state.today,
            future=day > state.today,
        )
        for day in window.days
    ]
    so_far = state.due_so_far
    return HabitRow(
        state=state,
        schedule=schedule_phrase(state.habit),
        cells=cells,
        done_so_far=sum(1 for d in so_far if d in state.checked),
        due_so_far=len(so_far),
    )


@dataclass
class EnrollmentCard:
    """An enrolment as the client's lists show it."""

    progress: EnrollmentProgress
    milestones: list[MilestoneRow] = field(default_factory=list)

    @property
    def enrollment(self) -> Enrollment:
        return self.progress.enrollment

    @property
    def done(self) -> list[MilestoneRow]:
        return [m for m in self.milestones if m.state.completed]

    @property
    def in_progress(self) -> list[MilestoneRow]:
        return [m for m in self.milestones if not m.state.completed]

    @property
    def start(self) -> str:
        return start_phrase(self.enrollment.start_date, self.progress.today)


def enrollment_cards(membership: Any) -> tuple[list[EnrollmentCard], list[EnrollmentCard]]:
    """The client's active enrolments and their ended ones (history), in fixed queries."""
    enrollments = list(client_enrollments(membership).filter(workspace=membership.workspace))
    progress = progress_for(enrollments)
    cards = [EnrollmentCard(progress[e.id], milestone_rows(progress[e.id])) for e in enrollments]
    return [c for c in cards if c.enrollment.is_active], [
        c for c in cards if not c.enrollment.is_active
    ]


# Pages --------------------------------------------------------------------------------------


@capability_required(Cap.PORTAL_CLIENT)
def enrollments(request: HttpRequest) -> HttpResponse:
    active, ended = enrollment_cards(request.membership)  # type: ignore[attr-defined]
    return render(request, "programs/client/enrollments.html", {"active": active, "ended": ended})


def program_context(progress: EnrollmentProgress, window: Window) -> dict[str, Any]:
    active = progress.enrollment.is_active
    return {
        "p": progress,
        "enrollment": progress.enrollment,
        "cohort": progress.enrollment.cohort,
        "milestones": milestone_rows(progress),
        "habits": [habit_row(h, window, active) for h in progress.habits],
        "window": window,
        "start": start_phrase(progress.enrollment.start_date, progress.today),
        "end_date": rules.program_end(
            progress.enrollment.start_date, progress.enrollment.program.duration_days
        )
        - timedelta(days=1),
    }


@capability_required(Cap.PORTAL_CLIENT)
def program(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = access_enrollment(request.membership, enrollment_id)  # type: ignore[attr-defined]
    progress = progress_for([enrollment])[enrollment.id]
    window = week_window(progress, request.GET.get("week"))
    return render(request, "programs/client/program.html", program_context(progress, window))


# Ticking ------------------------------------------------------------------------------------


class MilestoneForm(forms.Form):
    done = forms.BooleanField(required=False)


class CheckInForm(forms.Form):
    due_date = forms.DateField(error_messages={"required": gettext_lazy("Choose a day to tick.")})
    done = forms.BooleanField(required=False)
    week = forms.CharField(required=False)


def error_message(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def back_to_program(enrollment: Enrollment, week: str = "") -> HttpResponse:
    url = reverse("programs:client_program", args=[enrollment.pk])
    if week:
        with contextlib.suppress(ValueError):
            url += f"?week={date.fromisoformat(week).isoformat()}"
    return redirect(url)


def milestone_of(enrollment: Enrollment, milestone_id: int) -> Milestone:
    for milestone in enrollment.program.milestones.all():
        if milestone.pk == milestone_id:
            return milestone
    raise Http404


def habit_of(enrollment: Enrollment, habit_id: int) -> Habit:
    for habit in enrollment.program.habits.all():
        if habit.pk == habit_id:
            return habit
    raise Http404


@require_POST
@capability_required(Cap.PORTAL_CLIENT)
def set_milestone(request: HttpRequest, enrollment_id: int, milestone_id: int) -> HttpResponse:
    """Tick or untick a milestone: the row and the progress bar for htmx, else back to the page."""
    enrollment = access_enrollment(request.membership, enrollment_id)  # type: ignore[attr-defined]
    milestone = milestone_of(enrollment, milestone_id)
    form = MilestoneForm(request.POST)
    form.is_valid()
    error = ""
    try:
        do_set_milestone_done(
            enrollment, milestone, form.cleaned_data.get("done", False), actor=request.user
        )
    except ValidationError as exc:
        error = error_message(exc)
    if not request.htmx:  # type: ignore[attr-defined]
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Saved: %(title)s.") % {"title": milestone.title})
        return back_to_program(enrollment)
    progress = progress_for([enrollment])[enrollment.id]
    row = next(r for r in milestone_rows(progress) if r.state.milestone.pk == milestone.pk)
    row.error = error
    return render(
        request,
        "programs/client/_milestone_response.html",
        {"row": row, "p": progress, "enrollment": enrollment},
    )


@require_POST
@capability_required(Cap.PORTAL_CLIENT)
def set_check_in(request: HttpRequest, enrollment_id: int, habit_id: int) -> HttpResponse:
    """Tick or untick one due date of a habit; refusals (future, not due, ended) say why."""
    enrollment = access_enrollment(request.membership, enrollment_id)  # type: ignore[attr-defined]
    habit = habit_of(enrollment, habit_id)
    form = CheckInForm(request.POST)
    error = ""
    week = request.POST.get("week", "")
    if form.is_valid():
        week = form.cleaned_data["week"]
        try:
            do_set_check_in(
                enrollment,
                habit,
                form.cleaned_data["due_date"],
                form.cleaned_data["done"],
                actor=request.user,
            )
        except ValidationError as exc:
            error = error_message(exc)
    else:
        error = _("Choose a day to tick.")
    if not request.htmx:  # type: ignore[attr-defined]
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Saved: %(title)s.") % {"title": habit.title})
        return back_to_program(enrollment, week)
    progress = progress_for([enrollment])[enrollment.id]
    window = week_window(progress, week)
    state = next(h for h in progress.habits if h.habit.pk == habit.pk)
    row = habit_row(state, window, enrollment.is_active)
    row.error = error
    return render(
        request,
        "programs/client/_habit_response.html",
        {"row": row, "p": progress, "enrollment": enrollment, "window": window},
    )
