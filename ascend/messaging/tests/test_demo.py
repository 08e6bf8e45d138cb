"""The demo conversations, audits and packages loaded by ``manage.py seed_demo``."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from ascend.billing.models import PackageHolding
from ascend.messaging.models import Conversation, ConversationKind, Message, StaffNote
from ascend.messaging.rules import Urgency, urgency
from ascend.quality.models import Audit, Grade
from ascend.tenancy.models import Workspace

pytestmark = pytest.mark.django_db


@pytest.fixture
def workspace() -> Workspace:
    call_command("seed_demo", stdout=StringIO())
    return Workspace.objects.get()


def test_the_demo_tells_a_true_story_of_messages_audits_and_packages(workspace):
    from django.utils import timezone

    kinds = set(Conversation.objects.values_list("kind", flat=True))
    assert kinds == {ConversationKind.COACHING, ConversationKind.PEER, ConversationKind.COHORT}
    assert StaffNote.objects.exists()
    # Some clients wait within the goal, some within the target, one is overdue.
    now = timezone.now()
    states = {
        urgency(
            now - c.waiting_since,
            goal_hours=workspace.response_goal_hours,
            target_hours=workspace.response_target_hours,
        )
        for c in Conversation.objects.filter(waiting_since__isnull=False)
    }
    assert states == {Urgency.WITHIN_GOAL, Urgency.WITHIN_TARGET, Urgency.OVERDUE}
    # Audits of each grade, one still to acknowledge, over several months of replies.
    assert set(Audit.objects.values_list("grade", flat=True)) == set(Grade.values)
    assert Audit.objects.filter(acknowledged_at__isnull=True).count() == 1
    months = {
        (m.created_at.year, m.created_at.month) for m in Message.objects.filter(is_coach_reply=True)
    }
    assert len(months) >= 4
    assert PackageHolding.objects.filter(sessions_used__gt=0).exists()
    # Loading again changes nothing.
    before = (Message.objects.count(), Audit.objects.count(), PackageHolding.objects.count())
    call_command("seed_demo", stdout=StringIO())
    after = (Message.objects.count(), Audit.objects.count(), PackageHolding.objects.count())
    assert before == after
