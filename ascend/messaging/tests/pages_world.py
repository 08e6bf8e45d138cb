"""Builders for the messaging page tests (the ``cohort`` and ``talk`` fixtures are in
conftest.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from ascend.messaging.models import Conversation, ConversationKind, Message, Participant
from ascend.messaging.testing import enrol
from ascend.programs.models import Cohort
from ascend.tenancy.models import Membership
from ascend.tenancy.roles import Role
from ascend.testing import Person, make_person

HX = {"HTTP_HX_REQUEST": "true"}


def page_of(person: Person, conversation: Conversation) -> str:
    """The conversation's page in the person's portal."""
    from ascend.messaging.links import conversation_url

    return conversation_url(person.membership, conversation)


def new_client(cohort: Cohort, name: str) -> Person:
    """Another client of the cohort (so its coach may write to them)."""
    slug = name.lower().replace(" ", ".")
    person = make_person(
        cohort.workspace, {Role.CLIENT}, f"{slug}@{cohort.workspace.slug}.test", name
    )
    enrol(cohort, person.membership)
    return person


def bulk_conversations(
    coach: Membership,
    client: Membership,
    count: int,
    *,
    start: int = 0,
    now: datetime | None = None,
) -> None:
    """``count`` waiting coaching conversations of the coach, with seats and one message each,
    written in a handful of queries (keys are unique; the client may repeat)."""
    now = now or timezone.now()
    workspace = coach.workspace
    conversations = Conversation.objects.bulk_create(
        [
            Conversation(
                workspace=workspace,
                kind=ConversationKind.COACHING,
                key=f"bulk:{coach.pk}:{start + i}",
                client=client,
                coach=coach,
                last_message_at=now - timedelta(minutes=i),
                waiting_since=now - timedelta(minutes=30 + i),
            )
            for i in range(count)
        ]
    )
    if not all(c.pk for c in conversations):  # backends that don't return ids
        conversations = list(
            Conversation.objects.filter(key__startswith=f"bulk:{coach.pk}:").order_by("id")
        )[-count:]
    Participant.objects.bulk_create(
        [
            Participant(workspace=workspace, conversation=c, member=m, unread_count=n)
            for c in conversations
            for m, n in ((coach, 1), (client, 0))
        ]
    )
    Message.objects.bulk_create(
        [
            Message(
                workspace=workspace,
                conversation=c,
                author=client,
                body=f"Question {i}",
                body_html=f"<p>Question {i}</p>",
                created_at=c.waiting_since,
            )
            for i, c in enumerate(conversations)
        ]
    )
