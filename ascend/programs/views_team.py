"""Team portal pages for programs, cohorts, coaches, clients and progress (owners and admins)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext
from django.views.decorators.http import require_POST

from ascend.billing import actions as billing_actions
from ascend.billing.models import MembershipPlan, Subscription
from ascend.lib.csv_export import csv_response
from ascend.lib.forms import apply_validation_error
from ascend.tenancy.access import capability_required
from ascend.tenancy.actions import do_change_roles
from ascend.tenancy.capabilities import Cap
from ascend.tenancy.models import Membership
from ascend.tenancy.queries import members, members_with_role
from ascend.tenancy.roles import Role

from . import actions, queries
from .actions_clients import do_add_client
from .forms import (
    WEEKDAY_SHORT,
    AddClientForm,
    AddCoachForm,
    AssignCohortForm,
    ClientFilterForm,
    CohortFilterForm,
    CohortForm,
    EnrollForm,
    HabitForm,
    MilestoneForm,
    ProgramForm,
    SubscribeForm,
)
from .models import CheckIn, Cohort, Enrollment, Habit, Milestone, MilestoneCompletion, Program
from .progress import progress_for

PAGE_SIZE = 25
CSV_BATCH = 500
ACTIVE_DAYS = 30


def _status(form: Any) -> int:
    return 422 if form.errors else 200


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode() + "&" if query else ""


# One door to every object ------------------------------------------------------------------


def access_program(member: Membership, program_id: int) -> Program:
    """A program of the member's workspace that is not deleted, or 404."""
    program = queries.programs(member.workspace).filter(pk=program_id).first()
    if program is None:
        raise Http404
    return program


def access_cohort(member: Membership, cohort_id: int) -> Cohort:
    cohort = queries.cohorts(member.workspace).filter(pk=cohort_id).first()
    if cohort is None:
        raise Http404
    return cohort


def access_program_item(program: Program, model: type[Milestone | Habit], item_id: int) -> Any:
    item = model.objects.filter(program=program, pk=item_id).first()
    if item is None:
        raise Http404
    return item


def access_coach(member: Membership, membership_id: int) -> Membership:
    coach = members_with_role(member.workspace, Role.COACH).filter(pk=membership_id).first()
    if coach is None:
        raise Http404
    return coach


def clients_of(workspace: Any) -> QuerySet[Membership]:
    return members(workspace).filter(is_client=True)


def access_client(member: Membership, membership_id: int) -> Membership:
    client = clients_of(member.workspace).filter(pk=membership_id).first()
    if client is None:
        raise Http404
    return client


def access_enrollment(member: Membership, enrollment_id: int) -> Enrollment:
    enrollment = (
        Enrollment.objects.filter(workspace=member.workspace, pk=enrollment_id)
        .select_related("program", "client__user", "workspace", "cohort")
        .first()
    )
    if enrollment is None:
        raise Http404
    return enrollment


def access_subscription(member: Membership, subscription_id: int) -> Subscription:
    subscription = (
        Subscription.objects.filter(workspace=member.workspace, pk=subscription_id)
        .select_related("plan", "client__user", "workspace")
        .first()
    )
    if subscription is None:
        raise Http404
    return subscription


def coaches_of(workspace: Any) -> QuerySet[Membership]:
    return members_with_role(workspace, Role.COACH)


# Programs ----------------------------------------------------------------------------------


@capability_required(Cap.PROGRAMS_MANAGE)
def program_list(request: HttpRequest) -> HttpResponse:
    programs = queries.programs(request.workspace).annotate(
        client_count=Count(
            "enrollments__client",
            filter=Q(enrollments__ended_at__isnull=True),
            distinct=True,
        )
    )
    return render(request, "programs/team/program_list.html", {"programs": programs})


@capability_required(Cap.PROGRAMS_MANAGE)
def program_create(request: HttpRequest) -> HttpResponse:
    form = ProgramForm(request.POST or None, initial={"status": "draft", "duration_days": 30})
    if request.method == "POST" and form.is_valid():
        try:
            program = actions.do_create_program(
                request.workspace, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("%(title)s was created. Add its milestones, habits and a cohort.")
                % {"title": program},
            )
            return redirect("programs:team_program", program.pk)
    return render(request, "programs/team/program_form.html", {"form": form}, status=_status(form))


def habit_summary(habit: Habit) -> str:
    """The habit's schedule as people say it: "Mon, Wed, Fri · for 30 days"."""
    if habit.schedule == "weekdays":
        names = dict(WEEKDAY_SHORT)
        when = ", ".join(str(names[d]) for d in habit.weekdays)
    elif habit.schedule == "every_n_days":
        when = npgettext(
            "habit schedule", "Every %(n)d day", "Every %(n)d days", habit.interval_days or 1
        ) % {"n": habit.interval_days or 1}
    else:
        when = _("Every day")
    if habit.duration_days:
        length = ngettext("for %(n)d day", "for %(n)d days", habit.duration_days) % {
            "n": habit.duration_days
        }
    else:
        length = _("until the program ends")
    return f"{when} · {length}"


def _with_summary(habit: Habit) -> Habit:
    habit.summary = habit_summary(habit)  # type: ignore[attr-defined]
    return habit


def _program_context(request: HttpRequest, program: Program, **extra: Any) -> dict[str, Any]:
    try:
        actions.check_content_unlocked(program)
        lock_message = ""
    except ValidationError as error:
        lock_message = " ".join(error.messages)
    context = {
        "program": program,
        "locked": bool(lock_message),
        "lock_message": lock_message,
        "milestones": program.milestones.all(),
        "habits": [_with_summary(h) for h in program.habits.all()],
        "cohorts": queries.cohorts(request.workspace, program=program),
        "milestone_form": MilestoneForm(prefix="milestone"),
        "habit_form": HabitForm(prefix="habit", initial={"schedule": "daily"}),
    }
    context.update(extra)
    return context


@capability_required(Cap.PROGRAMS_MANAGE)
def program_detail(request: HttpRequest, program_id: int) -> HttpResponse:
    program = access_program(request.membership, program_id)
    return render(request, "programs/team/program_detail.html", _program_context(request, program))


@capability_required(Cap.PROGRAMS_MANAGE)
def program_edit(request: HttpRequest, program_id: int) -> HttpResponse:
    program = access_program(request.membership, program_id)
    initial = {f: getattr(program, f) for f in ("title", "description", "duration_days", "status")}
    form = ProgramForm(request.POST or None, initial=initial)
    locked = actions.has_active_enrollments(program)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_program(program, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            program.refresh_from_db()
            apply_validation_error(form, error)
        else:
            messages.success(request, _("%(title)s was saved.") % {"title": program})
            return redirect("programs:team_program", program.pk)
    return render(
        request,
        "programs/team/program_form.html",
        {"form": form, "program": program, "locked": locked},
        status=_status(form),
    )


@require_POST
@capability_required(Cap.PROGRAMS_MANAGE)
def program_delete(request: HttpRequest, program_id: int) -> HttpResponse:
    program = access_program(request.membership, program_id)
    try:
        actions.do_archive_program(program, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("programs:team_program", program.pk)
    messages.success(
        request, _("%(title)s was deleted. Its history stays on record.") % {"title": program}
    )
    return redirect("programs:team_programs")


# Milestones and habits (htmx fragments on the program page) ---------------------------------

ITEM_KINDS: dict[str, dict[str, Any]] = {
    "milestone": {"model": Milestone, "form": MilestoneForm, "section": "milestones"},
    "habit": {"model": Habit, "form": HabitForm, "section": "habits"},
}


def _item_initial(kind: str, item: Milestone | Habit) -> dict[str, Any]:
    if kind == "milestone":
        return {"title": item.title, "due_after_days": item.due_after_days}
    return {
        "title": item.title,
        "schedule": item.schedule,
        "weekdays": list(item.weekdays),
        "interval_days": item.interval_days,
        "duration_days": item.duration_days,
    }


def _save_item(kind: str, program: Program, form: Any, item: Any, actor: Any) -> Any:
    if kind == "milestone":
        return actions.do_save_milestone(
            program,
            actor=actor,
            milestone=item,
            title=form.cleaned_data["title"],
            due_after_days=form.cleaned_data["due_after_days"],
        )
    return actions.do_save_habit(program, actor=actor, habit=item, **form.action_fields())


def _section_response(
    request: HttpRequest, program: Program, kind: str, status: int = 200, **extra: Any
) -> HttpResponse:
    """The program page, or only the milestones/habits section for htmx.

    htmx swaps only 2xx answers, so a fragment carrying a mistake is sent as 200;
    the full page keeps the 422.
    """
    section = ITEM_KINDS[kind]["section"]
    context = _program_context(request, program, **extra)
    if request.htmx:
        return render(request, f"programs/team/_{section}.html", context)
    return render(request, "programs/team/program_detail.html", context, status=status)


def _item_view(
    request: HttpRequest, program_id: int, kind: str, item_id: int | None
) -> HttpResponse:
    program = access_program(request.membership, program_id)
    spec = ITEM_KINDS[kind]
    item = access_program_item(program, spec["model"], item_id) if item_id else None
    if request.method != "POST":
        if item is None:
            return redirect("programs:team_program", program.pk)
        form = spec["form"](prefix=f"{kind}-{item.pk}", initial=_item_initial(kind, item))
        return _section_response(
            request, program, kind, editing=item, edit_form=form, edit_kind=kind
        )
    prefix = f"{kind}-{item.pk}" if item else kind
    form = spec["form"](request.POST, prefix=prefix)
    if form.is_valid():
        try:
            _save_item(kind, program, form, item, request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
    if form.errors:
        extra = (
            {"editing": item, "edit_form": form, "edit_kind": kind}
            if item
            else {f"{kind}_form": form}
        )
        return _section_response(request, program, kind, status=422, **extra)
    if request.htmx:
        return _section_response(request, program, kind)
    messages.success(request, _("Saved."))
    return redirect("programs:team_program", program.pk)


@capability_required(Cap.PROGRAMS_MANAGE)
def milestone_add(request: HttpRequest, program_id: int) -> HttpResponse:
    return _item_view(request, program_id, "milestone", None)


@capability_required(Cap.PROGRAMS_MANAGE)
def milestone_edit(request: HttpRequest, program_id: int, item_id: int) -> HttpResponse:
    return _item_view(request, program_id, "milestone", item_id)


@capability_required(Cap.PROGRAMS_MANAGE)
def habit_add(request: HttpRequest, program_id: int) -> HttpResponse:
    return _item_view(request, program_id, "habit", None)


@capability_required(Cap.PROGRAMS_MANAGE)
def habit_edit(request: HttpRequest, program_id: int, item_id: int) -> HttpResponse:
    return _item_view(request, program_id, "habit", item_id)


def _item_delete(request: HttpRequest, program_id: int, kind: str, item_id: int) -> HttpResponse:
    program = access_program(request.membership, program_id)
    item = access_program_item(program, ITEM_KINDS[kind]["model"], item_id)
    try:
        actions.do_delete_program_item(item, actor=request.user)
    except ValidationError as error:
        if request.htmx:
            return _section_response(request, program, kind, item_error=" ".join(error.messages))
        messages.error(request, " ".join(error.messages))
        return redirect("programs:team_program", program.pk)
    if request.htmx:
        return _section_response(request, program, kind)
    messages.success(request, _("%(title)s was removed.") % {"title": item.title})
    return redirect("programs:team_program", program.pk)


@require_POST
@capability_required(Cap.PROGRAMS_MANAGE)
def milestone_delete(request: HttpRequest, program_id: int, item_id: int) -> HttpResponse:
    return _item_delete(request, program_id, "milestone", item_id)


@require_POST
@capability_required(Cap.PROGRAMS_MANAGE)
def habit_delete(request: HttpRequest, program_id: int, item_id: int) -> HttpResponse:
    return _item_delete(request, program_id, "habit", item_id)


# Cohorts -----------------------------------------------------------------------------------


@capability_required(Cap.PROGRAMS_MANAGE)
def cohort_list(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    programs = queries.programs(workspace)
    coaches = coaches_of(workspace)
    filters = CohortFilterForm(request.GET or None, programs=programs, coaches=coaches)
    program = coach = None
    if filters.is_valid():
        program, coach = filters.cleaned_data["program"], filters.cleaned_data["coach"]
    cohorts = queries.cohorts(workspace, program=program, coach=coach)
    return render(
        request,
        "programs/team/cohort_list.html",
        {"cohorts": cohorts, "filters": filters, "programs": programs},
    )


def _cohort_form_page(
    request: HttpRequest, program: Program, cohort: Cohort | None
) -> HttpResponse:
    initial = CohortForm.initial_for(cohort) if cohort else {"kind": "rolling", "is_open": True,
                                                             "messaging_enabled": True}  # fmt: skip
    form = CohortForm(request.POST or None, initial=initial, coaches=coaches_of(request.workspace))
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.do_save_cohort(
                program, actor=request.user, cohort=cohort, **form.cleaned_data
            )
        except ValidationError as error:
            if cohort is not None:
                cohort.refresh_from_db()
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Cohort %(name)s was saved.") % {"name": saved.name})
            return redirect("programs:team_program", program.pk)
    return render(
        request,
        "programs/team/cohort_form.html",
        {"form": form, "program": program, "cohort": cohort},
        status=_status(form),
    )


@capability_required(Cap.PROGRAMS_MANAGE)
def cohort_create(request: HttpRequest, program_id: int) -> HttpResponse:
    return _cohort_form_page(request, access_program(request.membership, program_id), None)


@capability_required(Cap.PROGRAMS_MANAGE)
def cohort_edit(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = access_cohort(request.membership, cohort_id)
    return _cohort_form_page(request, cohort.program, cohort)


# Coaches -----------------------------------------------------------------------------------


def _coach_candidates(workspace: Any) -> QuerySet[Membership]:
    return members(workspace).filter(is_coach=False)


@capability_required(Cap.PROGRAMS_MANAGE)
def coach_list(request: HttpRequest) -> HttpResponse:
    live = Q(coached_cohorts__program__archived_at__isnull=True)
    coaches = coaches_of(request.workspace).annotate(
        cohort_count=Count("coached_cohorts", filter=live, distinct=True),
        client_count=Count(
            "coached_cohorts__enrollments__client",
            filter=live & Q(coached_cohorts__enrollments__ended_at__isnull=True),
            distinct=True,
        ),
    )
    candidates = _coach_candidates(request.workspace)
    form = AddCoachForm(
        request.POST or None, candidates=candidates, shown=candidates.filter(is_client=False)
    )
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["member"]
        try:
            do_change_roles(
                target,
                [r.value for r in target.roles] + [Role.COACH.value],
                actor_membership=request.membership,
            )
        except ValidationError as error:
            # The roles rules speak of "roles"; here the choice is the member.
            if hasattr(error, "error_dict"):
                error = ValidationError([e for errs in error.error_dict.values() for e in errs])
            form.add_error("member", error)
        else:
            messages.success(request, _("%(name)s is now a coach.") % {"name": target.user})
            return redirect("programs:team_coach", target.pk)
    return render(
        request,
        "programs/team/coach_list.html",
        {
            "coaches": coaches,
            "form": form,
            "invite_url": reverse("tenancy:invite") + "?role=coach",
        },
        status=_status(form),
    )


def most_active_clients(coach: Membership, *, days: int = ACTIVE_DAYS, limit: int = 10) -> list:
    """The coach's active enrolments ranked by check-ins plus milestones in the last ``days``."""
    since = timezone.now() - timedelta(days=days)

    def recent(model: Any, stamp: str) -> Any:
        counted = (
            model.objects.filter(enrollment=OuterRef("pk"), **{f"{stamp}__gte": since})
            .order_by()
            .values("enrollment")
            .annotate(n=Count("id"))
            .values("n")
        )
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))

    return list(
        Enrollment.objects.filter(cohort__coach=coach, ended_at__isnull=True)
        .select_related("client__user", "program", "cohort")
        .annotate(
            recent_check_ins=recent(CheckIn, "checked_at"),
            recent_milestones=recent(MilestoneCompletion, "completed_at"),
        )
        .annotate(activity=Coalesce("recent_check_ins", 0) + Coalesce("recent_milestones", 0))
        .order_by("-activity", "client__user__full_name")[:limit]
    )


@capability_required(Cap.PROGRAMS_MANAGE)
def coach_detail(request: HttpRequest, membership_id: int) -> HttpResponse:
    coach = access_coach(request.membership, membership_id)
    taught = queries.cohorts(request.workspace, coach=coach)
    others = queries.cohorts(request.workspace).exclude(coach=coach)
    form = AssignCohortForm(request.POST or None, cohorts=others)
    if request.method == "POST" and form.is_valid():
        cohort = form.cleaned_data["cohort"]
        try:
            actions.do_save_cohort(cohort.program, actor=request.user, cohort=cohort, coach=coach)
        except ValidationError as error:
            apply_validation_error(form, error)
            if form.errors.get("coach"):
                form.add_error("cohort", form.errors.pop("coach"))
        else:
            messages.success(
                request,
                _("%(coach)s now coaches %(cohort)s.") % {"coach": coach.user, "cohort": cohort},
            )
            return redirect("programs:team_coach", coach.pk)
    return render(
        request,
        "programs/team/coach_detail.html",
        {
            "coach": coach,
            "cohorts": taught,
            "active_clients": most_active_clients(coach),
            "active_days": ACTIVE_DAYS,
            "form": form,
        },
        status=_status(form),
    )


# Clients -----------------------------------------------------------------------------------


def _filtered_clients(request: HttpRequest) -> tuple[QuerySet[Membership], ClientFilterForm]:
    workspace = request.workspace
    filters = ClientFilterForm(
        request.GET or None, programs=queries.programs(workspace), coaches=coaches_of(workspace)
    )
    qs = clients_of(workspace)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["q"]:
            qs = qs.filter(
                Q(user__full_name__icontains=data["q"]) | Q(user__email__icontains=data["q"])
            )
        active = Q(enrollments__ended_at__isnull=True)
        if data["program"]:
            qs = qs.filter(active & Q(enrollments__program=data["program"]))
        if data["coach"]:
            qs = qs.filter(active & Q(enrollments__cohort__coach=data["coach"]))
        qs = qs.distinct()
    return qs, filters


@capability_required(Cap.CLIENTS_VIEW_ALL)
def client_list(request: HttpRequest) -> HttpResponse:
    qs, filters = _filtered_clients(request)
    qs = qs.prefetch_related(
        Prefetch(
            "enrollments",
            queryset=Enrollment.objects.filter(ended_at__isnull=True).select_related(
                "program", "cohort__coach__user"
            ),
            to_attr="active_enrollments",
        )
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programs/team/client_list.html",
        {
            "page_obj": page,
            "filters": filters,
            "filtering": bool(
                request.GET.get("q") or request.GET.get("program") or request.GET.get("coach")
            ),  # fmt: skip
            "querystring_without_page": _query_without_page(request),
        },
    )


@capability_required(Cap.CLIENTS_VIEW_ALL)
def client_add(request: HttpRequest) -> HttpResponse:
    form = AddClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client = do_add_client(request.workspace, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s was added as a client. Enrol them in a cohort below.")
                % {"name": client.user},
            )
            return redirect("programs:team_client", client.pk)
    return render(request, "programs/team/client_add.html", {"form": form}, status=_status(form))


def _enrollable_cohorts(workspace: Any) -> QuerySet[Cohort]:
    return queries.cohorts(workspace)


def _plans(workspace: Any) -> QuerySet[MembershipPlan]:
    return MembershipPlan.objects.filter(workspace=workspace)


def _client_page(
    request: HttpRequest,
    client: Membership,
    *,
    enroll_form: EnrollForm | None = None,
    subscribe_form: SubscribeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    workspace = request.workspace
    enrollments = list(queries.client_enrollments(client))
    progress = progress_for(enrollments)
    subscriptions = (
        Subscription.objects.filter(client=client)
        .select_related("plan")
        .order_by("ended_at", "-started_at")
    )
    return render(
        request,
        "programs/team/client_detail.html",
        {
            "client": client,
            "rows": [progress[e.id] for e in enrollments],
            "enroll_form": enroll_form or EnrollForm(cohorts=_enrollable_cohorts(workspace)),
            "subscribe_form": subscribe_form
            or SubscribeForm(plans=_plans(workspace).filter(is_active=True)),
            "subscriptions": subscriptions,
        },
        status=status,
    )


@capability_required(Cap.CLIENTS_VIEW_ALL)
def client_detail(request: HttpRequest, membership_id: int) -> HttpResponse:
    return _client_page(request, access_client(request.membership, membership_id))


@require_POST
@capability_required(Cap.CLIENTS_VIEW_ALL)
def client_enroll(request: HttpRequest, membership_id: int) -> HttpResponse:
    client = access_client(request.membership, membership_id)
    form = EnrollForm(request.POST, cohorts=_enrollable_cohorts(request.workspace))
    if form.is_valid():
        cohort = form.cleaned_data["cohort"]
        try:
            actions.do_enroll(cohort, client, actor=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s was enrolled in %(cohort)s.")
                % {"name": client.user, "cohort": cohort.name},
            )
            return redirect("programs:team_client", client.pk)
    return _client_page(request, client, enroll_form=form, status=422)


@require_POST
@capability_required(Cap.CLIENTS_VIEW_ALL)
def enrollment_end(request: HttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = access_enrollment(request.membership, enrollment_id)
    try:
        actions.do_unenroll(enrollment, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s was unenrolled from %(program)s. Their progress stays on record.")
            % {"name": enrollment.client.user, "program": enrollment.program},
        )
    return redirect("programs:team_client", enrollment.client_id)


@require_POST
@capability_required(Cap.CLIENTS_VIEW_ALL)
def client_subscribe(request: HttpRequest, membership_id: int) -> HttpResponse:
    client = access_client(request.membership, membership_id)
    form = SubscribeForm(request.POST, plans=_plans(request.workspace))
    if form.is_valid():
        plan = form.cleaned_data["plan"]
        try:
            billing_actions.do_subscribe(plan, client, actor=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s now has the %(plan)s membership.")
                % {"name": client.user, "plan": plan},
            )
            return redirect("programs:team_client", client.pk)
    return _client_page(request, client, subscribe_form=form, status=422)


@require_POST
@capability_required(Cap.CLIENTS_VIEW_ALL)
def subscription_end(request: HttpRequest, subscription_id: int) -> HttpResponse:
    subscription = access_subscription(request.membership, subscription_id)
    try:
        billing_actions.do_unsubscribe(subscription, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The %(plan)s membership ended. Its history stays on record.")
            % {"plan": subscription.plan},
        )
    return redirect("programs:team_client", subscription.client_id)


# Progress ----------------------------------------------------------------------------------


def _filtered_enrollments(request: HttpRequest) -> tuple[QuerySet[Enrollment], ClientFilterForm]:
    workspace = request.workspace
    filters = ClientFilterForm(
        request.GET or None, programs=queries.programs(workspace), coaches=coaches_of(workspace)
    )
    qs = Enrollment.objects.filter(workspace=workspace, ended_at__isnull=True)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["q"]:
            qs = qs.filter(
                Q(client__user__full_name__icontains=data["q"])
                | Q(client__user__email__icontains=data["q"])
            )
        if data["program"]:
            qs = qs.filter(program=data["program"])
        if data["coach"]:
            qs = qs.filter(cohort__coach=data["coach"])
    qs = (
        queries.enrollments_with_content(qs)
        .select_related("cohort")
        .order_by("client__user__full_name", "client__user__email", "program__title", "id")
    )
    return qs, filters


@capability_required(Cap.CLIENTS_VIEW_ALL)
def progress_table(request: HttpRequest) -> HttpResponse:
    qs, filters = _filtered_enrollments(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    progress = progress_for(page.object_list)
    query = _query_without_page(request)
    return render(
        request,
        "programs/team/progress.html",
        {
            "page_obj": page,
            "rows": [progress[e.id] for e in page.object_list],
            "filters": filters,
            "querystring_without_page": query,
            "csv_query": query.rstrip("&"),
        },
    )


def progress_csv_rows(qs: QuerySet[Enrollment]) -> Iterator[list[Any]]:
    """The progress table as rows, read in batches so memory and queries stay bounded."""
    yield [
        _("Client"),
        _("Email"),
        _("Program"),
        _("Cohort"),
        _("Coach"),
        _("Start date"),
        _("Progress %"),
        _("Off track"),
    ]
    last_key = 0
    ids = list(qs.values_list("id", flat=True))
    while last_key < len(ids):
        batch_ids = ids[last_key : last_key + CSV_BATCH]
        last_key += CSV_BATCH
        by_id = {e.id: e for e in qs.filter(id__in=batch_ids)}
        batch = [by_id[i] for i in batch_ids if i in by_id]
        progress = progress_for(batch)
        for enrollment in batch:
            entry = progress[enrollment.id]
            yield [
                enrollment.client.user.full_name,
                enrollment.client.user.email,
                enrollment.program.title,
                enrollment.cohort.name,
                str(enrollment.cohort.coach.user),
                enrollment.start_date.isoformat(),
                entry.percent,
                _("yes") if entry.off_track else _("no"),
            ]


@capability_required(Cap.CLIENTS_VIEW_ALL)
def progress_export(request: HttpRequest) -> StreamingHttpResponse:
    qs, _filters = _filtered_enrollments(request)
    return csv_response(request.workspace, lambda: progress_csv_rows(qs), "client-progress")


def clients_csv_rows(qs: QuerySet[Membership]) -> Iterator[list[Any]]:
    """The clients list as rows, read in chunks with their active programs."""
    yield [_("Client"), _("Email"), _("Client since"), _("Active programs")]
    active = Prefetch(
        "enrollments",
        queryset=Enrollment.objects.filter(ended_at__isnull=True).select_related("program"),
        to_attr="active_enrollments",
    )
    for client in qs.prefetch_related(active).iterator(chunk_size=CSV_BATCH):
        yield [
            client.user.full_name,
            client.user.email,
            client.joined_at.date().isoformat(),
            "; ".join(e.program.title for e in client.active_enrollments),
        ]


@capability_required(Cap.CLIENTS_VIEW_ALL)
def clients_export(request: HttpRequest) -> StreamingHttpResponse:
    qs, _filters = _filtered_clients(request)
    return csv_response(request.workspace, lambda: clients_csv_rows(qs), "clients")
