"""Fixtures of the messaging tests: ``talk`` is the conversation between ``cast.alpha.client``
and ``cast.alpha.coach``, in the coach's ``cohort`` (both alpha clients enrolled)."""

from __future__ import annotations

import pytest

from ascend.messaging.models import Conversation
from ascend.messaging.testing import coached_cohort, coaching_conversation
from ascend.programs.models import Cohort


@pytest.fixture
def cohort(cast) -> Cohort:
    return coached_cohort(cast.alpha)


@pytest.fixture
def talk(cast, cohort) -> Conversation:
    return coaching_conversation(cast.alpha)
