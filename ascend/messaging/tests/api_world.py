"""A small world of conversations for the messaging and audit API tests.

In alpha: the coach's cohort with the client and the other client enrolled (peer
messaging allowed), the conversation between the client and the coach with a
question and the coach's answer, and a staff note on it; the other coach has a
cohort of their own and no part in it. The head coach leads the coach. In beta:
the same shape, so that ids of the other workspace exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from ascend.messaging.actions import do_add_staff_note, do_start_conversation
from ascend.messaging.models import Conversation, Message, StaffNote
from ascend.messaging.testing import coached_cohort, enrol, say
from ascend.programs.models import Cohort
from ascend.programs.testing import make_cohort, make_program
from ascend.tenancy.models import Membership
from ascend.tenancy.roles import Role
from ascend.testing import Cast, Crew, Person, make_person

NOTE = "Private: she mentioned knee pain, keep it light"

# The people of the permission matrix; "beta" is a member of the other workspace.
MATRIX = [
    "client",
    "other_client",
    "coach",
    "other_coach",
    "head_coach",
    "auditor",
    "admin",
    "beta",
]


@dataclass
class Side:
    cohort: Cohort
    other_cohort: Cohort  # the other coach's, without our client
    talk: Conversation  # client ↔ coach
    question: Message  # the client's
    reply: Message  # the coach's answer
    note: StaffNote


def make_side(crew: Crew) -> Side:
    cohort = coached_cohort(crew, peers=True)
    other_cohort = make_cohort(
        make_program(crew.workspace, title="Yoga", habits=0, milestones=0),
        crew.other_coach.membership,
    )
    talk = do_start_conversation(crew.client.membership, recipient=crew.coach.membership)
    now = timezone.now()
    question = say(talk, crew.client, "How many sets today?", now - timedelta(hours=3))
    reply = say(talk, crew.coach, "Three sets of ten.", now - timedelta(hours=2))
    note = do_add_staff_note(talk, author=crew.coach.membership, body=NOTE)
    talk.refresh_from_db()
    return Side(
        cohort=cohort,
        other_cohort=other_cohort,
        talk=talk,
        question=question,
        reply=reply,
        note=note,
    )


@dataclass
class World:
    alpha: Side
    beta: Side


def make_world(cast: Cast) -> World:
    return World(alpha=make_side(cast.alpha), beta=make_side(cast.beta))


def person(cast: Cast, who: str) -> Person:
    """A person of the matrix: alpha's by role, or a member of beta (its admin)."""
    return cast.beta.admin if who == "beta" else getattr(cast.alpha, who)


def client_of(cast: Cast, who: str) -> Client:
    """A session on the person's own workspace host (beta's admin signs in to beta)."""
    return cast.client_for(person(cast, who))


def new_client(cohort: Cohort, n: int) -> Membership:
    """Another client, enrolled in the cohort."""
    member = make_person(
        cohort.workspace, {Role.CLIENT}, f"extra{n}@{cohort.workspace.slug}.test"
    ).membership
    enrol(cohort, member)
    return member
