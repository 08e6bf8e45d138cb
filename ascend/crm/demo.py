"""Demo CRM: contacts of every client type (imported leads never invited among them), a
pending invitation sent by the admin on behalf of coach1 with the "Ten coaching sessions"
package, client1 as coach1's accepted client, both coaches' greetings, tasks and notes.

Everything goes through the actions, except what only time makes: the accepted
invitation of a client who joined before the CRM existed, and dates moved back."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from ascend.billing.demo import TEN
from ascend.billing.models import Package
from ascend.lib.tokens import new_token
from ascend.programs.actions import workspace_today
from ascend.tenancy.models import Membership, Workspace

from .actions import client_types, do_invite_client, do_save_contact
from .actions_client import do_add_client_note, do_add_task, do_save_greeting, do_tick_task
from .models import (
    ClientInvitation,
    ClientProfile,
    Contact,
    ContactSource,
    ContactStatus,
    OnboardingStep,
)

D = "@demo.ascend.test"
PENDING_EMAIL = "sofia.rossi@example.com"

# name, email, client type, coach (demo login) — as a spreadsheet import leaves them.
LEADS = [
    ("Marta Gómez", "marta.gomez@example.com", "Lead", "coach1"),
    ("Daniel Park", "daniel.park@example.com", "Lead", None),
    ("Fatima Noor", "fatima.noor@example.com", "Prospect", "coach2"),
    ("Liam O'Brien", "liam.obrien@example.com", "Prospect", "coach1"),
    ("Grace Chen", "grace.chen@example.com", "Contact", "coach2"),
    ("Yusuf Demir", "yusuf.demir@example.com", "Contact", None),
]

GREETINGS = {
    "coach1": (
        "Welcome, I'm **Carlos**! I coach strength and steady habits.\n\n"
        "- Write to me any time: I answer within a day.\n"
        "- Tick your tasks as you go; small steps count.\n\n"
        "Looking forward to working with you."
    ),
    "coach2": (
        "Hi, I'm **Chloe**. Mornings, sleep and energy are my thing.\n\n"
        "Start with the tasks I leave you and tell me how your week went."
    ),
}


@transaction.atomic
def load_demo_crm(workspace: Workspace) -> bool:
    """Add the demo contacts, invitations, greetings, tasks and notes; False if present."""
    with scope(workspace=workspace):
        if Contact.objects.filter(workspace=workspace, email=PENDING_EMAIL).exists():
            return False
        members = {
            m.user.email.split("@")[0]: m
            for m in Membership.objects.filter(workspace=workspace).select_related("user")
        }
        if not {"admin", "coach1", "coach2", "client1"} <= set(members):
            return False
        ten = Package.objects.filter(workspace=workspace, name=TEN).first()
        admin, coach1, client1 = members["admin"], members["coach1"], members["client1"]
        types = {t.name: t for t in client_types(workspace)}
        now = timezone.now()
        for n, (name, email, type_name, coach) in enumerate(LEADS):
            lead = do_save_contact(
                workspace,
                actor=admin.user,
                full_name=name,
                email=email,
                client_type=types[type_name],
                coach=members[coach] if coach else None,
                source=ContactSource.IMPORT,
            )
            Contact.objects.filter(pk=lead.pk).update(created_at=now - timedelta(days=40 - n))

        do_invite_client(
            workspace,
            actor=admin,
            full_name="Sofia Rossi",
            email=PENDING_EMAIL,
            client_type=types["Client"],
            coach=coach1,
            package=ten,
            message="Carlos will be your coach. Your ten sessions are ready when you are!",
        )

        # Camila joined through an invitation from Carlos a month ago.
        joined = now - timedelta(days=30)
        camila = do_save_contact(
            workspace,
            actor=coach1.user,
            full_name=str(client1.user),
            email=client1.user.email,
            client_type=types["Client"],
            coach=coach1,
            phone="+1 555 0101",
            source=ContactSource.INVITATION,
        )
        Contact.objects.filter(pk=camila.pk).update(
            member=client1, status=ContactStatus.ACTIVE, created_at=joined - timedelta(days=2)
        )
        _token, digest = new_token()
        ClientInvitation.objects.create(
            workspace=workspace,
            contact=camila,
            coach=coach1,
            invited_by=coach1.user,
            token_hash=digest,
            created_at=joined - timedelta(days=2),
            last_sent_at=joined - timedelta(days=2),
            sent_count=1,
            expires_at=joined + timedelta(days=5),
            accepted_at=joined,
        )
        ClientProfile.objects.get_or_create(
            workspace=workspace,
            member=client1,
            defaults={
                "phone": "+1 555 0101",
                "goals": "Squat my body weight and keep a steady morning routine.",
                "consent_at": joined,
                "step": OnboardingStep.DONE,
                "onboarded_at": joined,
            },
        )

        for login, text in GREETINGS.items():
            do_save_greeting(members[login], actor=members[login].user, text=text)

        today = workspace_today(workspace)
        do_add_task(client1, actor=coach1, title="Log your meals for three days",
                    due_on=today + timedelta(days=1))  # fmt: skip
        do_add_task(client1, actor=coach1, title="Book your next check-in call",
                    due_on=today + timedelta(days=5))  # fmt: skip
        done = do_add_task(client1, actor=coach1, title="Read the warm-up guide",
                           due_on=today - timedelta(days=2))  # fmt: skip
        do_tick_task(done, actor=client1, done=True)
        do_add_client_note(
            client1,
            actor=coach1,
            shared=True,
            body="Great progress on your squats this month. Keep the **pause at the bottom**.",
        )
        do_add_client_note(
            client1,
            actor=coach1,
            body="Mentioned a sore left knee in week two: check in before adding weight.",
        )
        return True
