"""Builders for messaging tests: a cohort whose coach and clients may talk."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from ascend.programs.models import Cohort, Enrollment, EnrollmentSource
from ascend.programs.testing import make_cohort, make_program
from ascend.tenancy.models import Membership

from .actions import do_send_message, do_start_conversation
from .models import Conversation, Message


def enrol(cohort: Cohort, client: Membership) -> Enrollment:
    return Enrollment.objects.create(
        workspace=cohort.workspace,
        cohort=cohort,
        program=cohort.program,
        client=client,
        start_date=timezone.localdate(),
        source=EnrollmentSource.MANUAL,
    )


def coached_cohort(crew, *, peers: bool = False) -> Cohort:  # type: ignore[no-untyped-def]
    """A cohort of ``crew.coach`` with ``crew.client`` and ``crew.other_client`` enrolled.

    ``peers`` lets the two clients write to each other (workspace and cohort).
    """
    program = make_program(crew.workspace, habits=0, milestones=0)
    cohort = make_cohort(program, crew.coach.membership)
    if peers:
        cohort.peer_messaging_enabled = True
        cohort.save(update_fields=["peer_messaging_enabled"])
        crew.workspace.peer_messaging_enabled = True
        crew.workspace.save(update_fields=["peer_messaging_enabled"])
    enrol(cohort, crew.client.membership)
    enrol(cohort, crew.other_client.membership)
    return cohort


def coaching_conversation(crew) -> Conversation:  # type: ignore[no-untyped-def]
    """The conversation between ``crew.client`` and ``crew.coach`` (needs ``coached_cohort``)."""
    return do_start_conversation(crew.client.membership, recipient=crew.coach.membership)


def say(
    conversation: Conversation, author, body: str = "Hello", at: datetime | None = None
) -> Message:  # type: ignore[no-untyped-def]
    """Send a message as a Person or a Membership, reloading the conversation's waiting state."""
    member = getattr(author, "membership", author)
    conversation.refresh_from_db()
    return do_send_message(conversation, author=member, body=body, sent_at=at)
