"""Builders for the audit and quality tests (the fixtures are in ``conftest.py``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from ascend.messaging.models import Conversation, Message
from ascend.messaging.testing import say
from ascend.quality.actions import do_audit_message
from ascend.quality.models import Audit, Grade
from ascend.testing import Crew

HX = {"HTTP_HX_REQUEST": "true"}


def exchange(crew: Crew, conversation: Conversation, count: int, start: datetime) -> list[Message]:
    """``count`` questions of the client each answered by the coach an hour later, a day apart."""
    replies = []
    for i in range(count):
        day = start + timedelta(days=i)
        say(conversation, crew.client, f"Question {i}", day)
        replies.append(say(conversation, crew.coach, f"Answer {i}", day + timedelta(hours=1)))
    return replies


def audit(
    crew: Crew, message: Message, grade: str = Grade.NEEDS_IMPROVEMENT, feedback: str = "Be warmer."
) -> Audit:
    return do_audit_message(
        message, auditor=crew.auditor.membership, grade=grade, feedback=feedback
    )
