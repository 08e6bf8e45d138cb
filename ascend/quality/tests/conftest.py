"""Fixtures of the audit and quality tests.

``talk`` is the conversation between ``cast.alpha.client`` and ``cast.alpha.coach`` (the
coach's cohort has both alpha clients; the head coach leads the coach). ``reply`` is one
answer of the coach in it, sent an hour ago.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ascend.messaging.models import Conversation, Message
from ascend.messaging.testing import coached_cohort, coaching_conversation, say
from ascend.programs.models import Cohort


@pytest.fixture
def cohort(cast) -> Cohort:
    return coached_cohort(cast.alpha)


@pytest.fixture
def talk(cast, cohort) -> Conversation:
    return coaching_conversation(cast.alpha)


@pytest.fixture
def reply(cast, talk) -> Message:
    now = timezone.now()
    say(talk, cast.alpha.client, "How many sets today?", now - timedelta(hours=2))
    return say(talk, cast.alpha.coach, "Three sets of ten.", now - timedelta(hours=1))
