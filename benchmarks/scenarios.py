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


def _ok(response):  # type: ignore[no-untyped-def]
    if response.status_code != 200:
        raise SystemExit(f"{response.request['PATH_INFO']} answered {response.status_code}")
    return response


ALL = [
    Scenario("Client dashboard (/me/) as habits grow", "habits", [10, 100], client_dashboard),
    Scenario("Client program page as habits grow", "habits", [10, 100], client_program_page),
]
