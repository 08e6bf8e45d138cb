"""A small CRM world for the API tests, the same in both workspaces.

In each workspace: the cast's client is the coach's client (their contact record,
accepted) and the other client the other coach's; the coach has a lead of their own,
the other coach one too, and the team a contact with no coach. The admin invited Nia
for the coach and the other coach invited Ola. The coach gave the client a task and
wrote them a shared and a private note; the other coach did the same for the other
client. A one-to-one package of the workspace is on every coach's list; a group
package of the other coach is on no one else's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.test import Client

from ascend.billing.models import Package, PackageKind
from ascend.crm.actions_client import do_add_client_note, do_add_task
from ascend.crm.models import ClientInvitation, ClientNote, ClientTask, Contact, ContactStatus
from ascend.testing import Cast, Crew, Person

from .crm_world import contact, invite, package

SHARED = "Great week: keep the *walks* going"
PRIVATE = "Private: she sounded tired, ask about sleep"

# The people of the permission matrix; "beta" is a member of the other workspace.
MATRIX = ["client", "other_client", "coach", "other_coach", "admin", "auditor", "beta"]


@dataclass
class Side:
    client_contact: Contact  # the cast's client, the coach's
    other_client_contact: Contact  # the other client, the other coach's
    own: Contact  # the coach's lead
    theirs: Contact  # the other coach's lead
    team: Contact  # no coach
    invitation: ClientInvitation  # Nia, by the admin, for the coach
    other_invitation: ClientInvitation  # Ola, by the other coach
    task: ClientTask  # the client's
    shared: ClientNote  # the client's
    private: ClientNote  # the client's
    other_task: ClientTask  # the other client's
    other_private: ClientNote  # the other client's
    package: Package  # one-to-one, the workspace's
    group: Package  # a group package of the other coach


def linked(crew: Crew, who: str, coach: str) -> Contact:
    """The person as the coach's client, as an accepted invitation leaves them."""
    person = getattr(crew, who)
    row = contact(crew.workspace, person.email, coach=getattr(crew, coach).membership,
                  full_name=str(person.user))  # fmt: skip
    Contact.objects.filter(pk=row.pk).update(member=person.membership, status=ContactStatus.ACTIVE)
    row.refresh_from_db()
    return row


def make_side(crew: Crew) -> Side:
    ws = crew.workspace
    client_contact = linked(crew, "client", "coach")
    other_client_contact = linked(crew, "other_client", "other_coach")
    coach, other_coach = crew.coach.membership, crew.other_coach.membership
    client, other_client = crew.client.membership, crew.other_client.membership
    return Side(
        client_contact=client_contact,
        other_client_contact=other_client_contact,
        own=contact(ws, f"lee@{ws.slug}.example", coach=coach, full_name="Lee Lead"),
        theirs=contact(ws, f"tom@{ws.slug}.example", coach=other_coach, full_name="Tom Theirs"),
        team=contact(ws, f"tia@{ws.slug}.example", full_name="Tia Team"),
        invitation=invite(crew, f"nia@{ws.slug}.example"),
        other_invitation=invite(
            crew,
            f"ola@{ws.slug}.example",
            by="other_coach",
            coach="other_coach",
            full_name="Ola Invited",
        ),  # fmt: skip
        task=do_add_task(client, actor=coach, title="Walk 20 minutes", due_on=date(2030, 1, 15)),
        shared=do_add_client_note(client, actor=coach, body=SHARED, shared=True),
        private=do_add_client_note(client, actor=coach, body=PRIVATE),
        other_task=do_add_task(other_client, actor=other_coach, title="Stretch"),
        other_private=do_add_client_note(other_client, actor=other_coach, body="Theirs"),
        package=package(ws, "Ten sessions"),
        group=package(ws, "Group of six", kind=PackageKind.GROUP, coach=other_coach),
    )


@dataclass
class World:
    alpha: Side
    beta: Side


def make_world(cast: Cast) -> World:
    return World(alpha=make_side(cast.alpha), beta=make_side(cast.beta))


def person(cast: Cast, who: str, *, beta: str = "admin") -> Person:
    """A person of the matrix: alpha's by role, or ``beta``'s role in the other workspace."""
    return getattr(cast.beta, beta) if who == "beta" else getattr(cast.alpha, who)


def client_of(cast: Cast, who: str, *, beta: str = "admin") -> Client:
    """A session on the person's own workspace host (beta's people sign in to beta)."""
    return cast.client_for(person(cast, who, beta=beta))
