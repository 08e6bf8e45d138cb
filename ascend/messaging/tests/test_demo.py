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


def test_the_demo_has_every_kind_of_conversation(workspace):
    kinds = set(Conversation.objects.values_list("kind", flat=True))
    assert kinds == {ConversationKind.COACHING, ConversationKind.PEER, ConversationKind.COHORT}
    assert StaffNote.objects.exists()


def test_some_clients_wait_within_goal_some_within_target_and_one_is_overdue(workspace):
    from django.utils import timezone

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


def test_the_demo_has_audits_of_each_grade_one_awaiting_acknowledgement(workspace):
    assert set(Audit.objects.values_list("grade", flat=True)) == set(Grade.values)
    assert Audit.objects.filter(acknowledged_at__isnull=True).count() == 1


def test_the_demo_has_packages_with_sessions_used(workspace):
    assert PackageHolding.objects.filter(sessions_used__gt=0).exists()


def test_loading_twice_changes_nothing(workspace):
    before = (Message.objects.count(), Audit.objects.count(), PackageHolding.objects.count())
    call_command("seed_demo", stdout=StringIO())
    after = (Message.objects.count(), Audit.objects.count(), PackageHolding.objects.count())
    assert before == after
