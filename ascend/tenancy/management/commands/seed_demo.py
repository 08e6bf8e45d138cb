"""Load the demo workspace: a person per role and five clients. Running it twice changes nothing."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django_scopes import scope

from ascend.accounts.models import User
from ascend.tenancy.models import Membership, Workspace
from ascend.tenancy.roles import Role

DEMO_PASSWORD = "ascend-demo"

PEOPLE = [
    ("owner@demo.ascend.test", "Olivia Owner", {Role.OWNER}),
    ("admin@demo.ascend.test", "Adam Admin", {Role.ADMIN}),
    ("headcoach@demo.ascend.test", "Hannah Head", {Role.COACH, Role.HEAD_COACH}),
    ("coach1@demo.ascend.test", "Carlos Coach", {Role.COACH}),
    ("coach2@demo.ascend.test", "Chloe Coach", {Role.COACH}),
    ("auditor@demo.ascend.test", "Aisha Auditor", {Role.AUDITOR}),
    ("operator@demo.ascend.test", "Omar Operator", {Role.OPERATOR}),
    ("supervisor@demo.ascend.test", "Sofía Supervisor", {Role.SUPERVISOR}),
    ("attendant@demo.ascend.test", "André Attendant", {Role.ATTENDANT}),
    ("client1@demo.ascend.test", "Camila Client", {Role.CLIENT}),
    ("client2@demo.ascend.test", "Kenji Client", {Role.CLIENT}),
    ("client3@demo.ascend.test", "Lucía Client", {Role.CLIENT}),
    ("client4@demo.ascend.test", "Noah Client", {Role.CLIENT}),
    ("client5@demo.ascend.test", "Priya Client", {Role.CLIENT}),
]


class Command(BaseCommand):
    help = "Create the demo workspace and its people (idempotent) and print the logins."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        # The demo's emails go out when its transaction commits; the logins are printed
        # after them so they end the output, where `make run` shows them.
        with transaction.atomic():
            workspace, added_programs = self.seed()
        if added_programs:
            self.stdout.write("Added the demo programs, cohorts, enrolments and membership.")
        self.stdout.write(self.style.SUCCESS(f"Demo workspace “{workspace.name}” is ready."))
        self.stdout.write(f"Every demo login uses the password: {DEMO_PASSWORD}")
        for email, _name, roles in PEOPLE:
            self.stdout.write(f"  {email:34} {', '.join(sorted(r.value for r in roles))}")

    def seed(self) -> tuple[Workspace, bool]:
        workspace, _created = Workspace.objects.get_or_create(
            slug=settings.ASCEND_DEFAULT_WORKSPACE,
            defaults={"name": "Summit Coaching", "time_zone": "America/New_York"},
        )
        with scope(workspace=workspace):
            by_email = {}
            for email, name, roles in PEOPLE:
                user = User.objects.filter(email=email).first()
                if user is None:
                    user = User.objects.create_user(email, DEMO_PASSWORD, full_name=name)
                by_email[email] = user
                membership, made = Membership.objects.get_or_create(workspace=workspace, user=user)
                if made:
                    membership.set_roles(roles)
                    membership.save()
            head = Membership.objects.get(
                workspace=workspace, user=by_email["headcoach@demo.ascend.test"]
            )
            Membership.objects.filter(
                workspace=workspace,
                user__email__in=["coach1@demo.ascend.test", "coach2@demo.ascend.test"],
                team_leader__isnull=True,
            ).update(team_leader=head)
        from ascend.programs.demo import load_demo_programs
        from ascend.ranks.demo import load_demo_ranks

        added_programs = bool(load_demo_programs(workspace))
        if load_demo_ranks(workspace, password=DEMO_PASSWORD):
            self.stdout.write("Added the demo belts: Karate, ten students, a year of visits.")
        from ascend.billing.demo import load_demo_packages
        from ascend.messaging.demo import load_demo_messages

        if load_demo_packages(workspace):
            self.stdout.write("Added the demo packages.")

        if load_demo_messages(workspace):
            self.stdout.write("Added the demo conversations, staff notes and audits.")
        from ascend.crm.demo import load_demo_crm

        if load_demo_crm(workspace):
            self.stdout.write("Added the demo contacts, invitations, greetings, tasks and notes.")
        from ascend.courses.demo import load_demo_courses

        if load_demo_courses(workspace, password=DEMO_PASSWORD):
            self.stdout.write("Added the demo course, its learners, comments and support requests.")
        return workspace, added_programs
