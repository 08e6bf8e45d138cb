"""Shared test cast: two workspaces with a person per role in each, and query-count helpers.

Use the ``cast`` fixture: ``cast.alpha.coach`` is the coach of workspace alpha,
``cast.beta.owner`` the owner of workspace beta; ``cast.client_for(person)``
gives a Django test client signed in as them on their workspace's host.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from ascend.accounts.models import User
from ascend.tenancy.models import Membership, Workspace
from ascend.tenancy.roles import Role

PASSWORD = "correct-horse-battery"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@dataclass
class Person:
    user: User
    membership: Membership
    workspace: Workspace

    @property
    def email(self) -> str:
        return self.user.email


@dataclass
class Crew:
    """One workspace and one person per role in it (``crew.<role>``)."""

    workspace: Workspace
    people: dict[str, Person] = field(default_factory=dict)

    def __getattr__(self, role: str) -> Person:
        try:
            return self.__dict__["people"][role]
        except KeyError:
            raise AttributeError(role) from None

    @property
    def host(self) -> str:
        return host_of(self.workspace)


def host_of(workspace: Workspace) -> str:
    return f"{workspace.slug}.localhost"


def make_workspace(slug: str, name: str | None = None, **fields) -> Workspace:  # type: ignore[no-untyped-def]
    return Workspace.objects.create(slug=slug, name=name or slug.title(), **fields)


def make_person(workspace: Workspace, roles: set[Role], email: str, name: str = "") -> Person:
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email, PASSWORD, full_name=name or email.split("@")[0].replace(".", " ").title()
    )
    with scope(workspace=workspace):
        membership = Membership(workspace=workspace, user=user)
        membership.set_roles(roles)
        membership.save()
    return Person(user=user, membership=membership, workspace=workspace)


ROLE_CAST = {
    "owner": {Role.OWNER},
    "admin": {Role.ADMIN},
    "coach": {Role.COACH},
    "other_coach": {Role.COACH},
    "head_coach": {Role.COACH, Role.HEAD_COACH},
    "supervisor": {Role.SUPERVISOR},
    "attendant": {Role.ATTENDANT},
    "auditor": {Role.AUDITOR},
    "operator": {Role.OPERATOR},
    "client": {Role.CLIENT},
    "other_client": {Role.CLIENT},
}


def make_crew(slug: str) -> Crew:
    workspace = make_workspace(slug)
    crew = Crew(workspace=workspace)
    for key, roles in ROLE_CAST.items():
        crew.people[key] = make_person(
            workspace,
            roles,
            f"{key.replace('_', '.')}@{slug}.test",
            f"{slug.title()} {key.replace('_', ' ').title()}",
        )
    coach = crew.people["coach"].membership
    coach.team_leader = crew.people["head_coach"].membership
    coach.save(update_fields=["team_leader"])
    return crew


@dataclass
class Cast:
    alpha: Crew
    beta: Crew

    def client_for(
        self, person: Person | None = None, workspace: Workspace | None = None
    ) -> Client:
        """A test client on the workspace's host, signed in as the person (anonymous if None)."""
        ws = workspace or (person.workspace if person else self.alpha.workspace)
        client = Client(HTTP_HOST=host_of(ws))
        if person is not None:
            client.force_login(person.user, backend=MODEL_BACKEND)
        return client


@contextmanager
def assert_num_queries(expected: int) -> Iterator[CaptureQueriesContext]:
    """Fail with the SQL listed when the number of queries differs from ``expected``."""
    with CaptureQueriesContext(connection) as ctx:
        yield ctx
    actual = len(ctx.captured_queries)
    if actual != expected:
        lines = "\n".join(f"{i}. {q['sql']}" for i, q in enumerate(ctx.captured_queries, 1))
        raise AssertionError(f"{actual} queries were run, {expected} expected:\n{lines}")


def count_queries(fn: Callable[[], object]) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def assert_flat_queries(fn: Callable[[], object], grow: Callable[[], object]) -> int:
    """Run ``fn``, add rows with ``grow``, run it again: the query count must not change."""
    before, _ = count_queries(fn)
    grow()
    after, sql = count_queries(fn)
    if before != after:
        listing = "\n".join(f"{i}. {q}" for i, q in enumerate(sql, 1))
        raise AssertionError(f"Queries grew with the data: {before} → {after}:\n{listing}")
    return after
