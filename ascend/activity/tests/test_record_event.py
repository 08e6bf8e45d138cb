from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from ascend.activity.actions import record_event
from ascend.activity.verbs import Verb

pytestmark = pytest.mark.django_db


def test_an_event_remembers_who_did_what_to_what(cast):
    target = cast.alpha.workspace

    event = record_event(
        cast.alpha.workspace,
        Verb.WORKSPACE_UPDATED,
        actor=cast.alpha.owner.user,
        target=target,
        data={"name": "Alpha"},
    )

    event.refresh_from_db()
    assert event.actor == cast.alpha.owner.user
    assert event.verb == Verb.WORKSPACE_UPDATED
    assert (event.target_type, event.target_id, event.target_label) == (
        "tenancy.workspace",
        str(target.pk),
        "Alpha",
    )
    assert event.data == {"name": "Alpha"}


def test_the_target_label_survives_the_target_being_deleted(cast):
    membership = cast.alpha.other_coach.membership
    event = record_event(
        cast.alpha.workspace, Verb.MEMBER_REMOVED, actor=cast.alpha.owner.user, target=membership
    )
    label = str(membership)

    membership.delete()

    event.refresh_from_db()
    assert event.target_label == label


def test_an_anonymous_or_missing_actor_is_recorded_as_the_system(cast):
    first = record_event(cast.alpha.workspace, Verb.MEMBER_JOINED, actor=AnonymousUser())
    second = record_event(cast.alpha.workspace, Verb.MEMBER_JOINED, actor=None)

    assert first.actor is None
    assert second.actor is None
    assert first.data == {}
