from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ascend.messaging.access import (
    group_cohorts,
    may_post,
    may_see_staff_notes,
    people_to_write_to,
)
from ascend.messaging.actions import do_start_cohort_conversation, do_start_conversation
from ascend.messaging.models import Conversation, ConversationKind
from ascend.messaging.testing import coached_cohort, coaching_conversation
from ascend.programs.models import Enrollment
from ascend.programs.testing import make_cohort, make_program


def _ids(queryset):
    return set(queryset.values_list("pk", flat=True))


def test_a_client_may_write_to_their_coach_only(cast):
    alpha = cast.alpha
    coached_cohort(alpha)
    assert _ids(people_to_write_to(alpha.client.membership)) == {alpha.coach.membership.pk}


def test_a_coach_may_write_to_the_clients_of_their_cohorts(cast):
    alpha = cast.alpha
    coached_cohort(alpha)
    expected = {alpha.client.membership.pk, alpha.other_client.membership.pk}
    assert _ids(people_to_write_to(alpha.coach.membership)) == expected
    assert _ids(people_to_write_to(alpha.other_coach.membership)) == set()


def test_an_admin_may_write_to_any_client(cast):
    alpha = cast.alpha
    people = _ids(people_to_write_to(alpha.admin.membership))
    assert {alpha.client.membership.pk, alpha.other_client.membership.pk} <= people
    assert alpha.coach.membership.pk not in people


@pytest.mark.parametrize("role", ["auditor", "operator", "supervisor", "attendant"])
def test_staff_without_messaging_write_to_nobody(cast, role):
    coached_cohort(cast.alpha)
    assert not people_to_write_to(getattr(cast.alpha, role).membership).exists()


def test_clients_write_to_each_other_only_when_workspace_and_cohort_allow(cast):
    alpha = cast.alpha
    cohort = coached_cohort(alpha)
    client = alpha.client.membership
    assert alpha.other_client.membership.pk not in _ids(people_to_write_to(client))
    cohort.peer_messaging_enabled = True
    cohort.save()
    client.workspace.refresh_from_db()
    assert alpha.other_client.membership.pk not in _ids(people_to_write_to(client))
    alpha.workspace.peer_messaging_enabled = True
    alpha.workspace.save()
    client.refresh_from_db()
    client.workspace.refresh_from_db()
    assert alpha.other_client.membership.pk in _ids(people_to_write_to(client))


def test_messaging_off_in_a_cohort_closes_the_client_coach_path(cast):
    alpha = cast.alpha
    cohort = coached_cohort(alpha)
    cohort.messaging_enabled = False
    cohort.save()
    assert not people_to_write_to(alpha.client.membership).exists()
    assert not group_cohorts(alpha.client.membership).exists()


def test_writing_to_someone_not_allowed_is_refused_and_creates_nothing(cast):
    alpha = cast.alpha
    coached_cohort(alpha)
    with pytest.raises(ValidationError) as error:
        do_start_conversation(alpha.client.membership, recipient=alpha.other_coach.membership)
    assert error.value.error_dict["recipient"][0].code == "recipient_not_allowed"
    assert not Conversation.objects.exists()


def test_another_workspace_is_never_reachable(cast):
    coached_cohort(cast.alpha)
    with pytest.raises(ValidationError):
        do_start_conversation(cast.alpha.admin.membership, recipient=cast.beta.client.membership)


def test_writing_twice_continues_the_same_conversation(cast):
    coached_cohort(cast.alpha)
    first = coaching_conversation(cast.alpha)
    again = do_start_conversation(
        cast.alpha.coach.membership, recipient=cast.alpha.client.membership
    )
    assert first.pk == again.pk
    assert first.kind == ConversationKind.COACHING
    assert first.coach_id == cast.alpha.coach.membership.pk


def test_the_cohort_group_seats_its_coach_and_active_clients(cast):
    alpha = cast.alpha
    cohort = coached_cohort(alpha)
    group = do_start_cohort_conversation(alpha.coach.membership, cohort=cohort)
    seated = set(group.participants.values_list("member", flat=True))
    assert seated == {
        alpha.coach.membership.pk,
        alpha.client.membership.pk,
        alpha.other_client.membership.pk,
    }
    assert may_post(alpha.client.membership, group)
    Enrollment.objects.filter(client=alpha.client.membership).update(ended_at="2026-01-01T00:00Z")
    assert not may_post(alpha.client.membership, group)


def test_a_client_cannot_open_another_cohorts_group(cast):
    alpha = cast.alpha
    coached_cohort(alpha)
    other = make_cohort(make_program(alpha.workspace, title="Other"), alpha.other_coach.membership)
    with pytest.raises(ValidationError):
        do_start_cohort_conversation(alpha.client.membership, cohort=other)


@pytest.mark.parametrize(
    "role, posts, notes",
    [
        ("client", True, False),
        ("other_client", False, False),
        ("coach", True, True),
        ("other_coach", False, False),
        ("head_coach", True, True),
        ("auditor", False, True),
        ("admin", True, True),
        ("operator", False, False),
    ],
)
def test_who_posts_and_who_reads_staff_notes(cast, role, posts, notes):
    coached_cohort(cast.alpha)
    talk = coaching_conversation(cast.alpha)
    member = getattr(cast.alpha, role).membership
    assert may_post(member, talk) is posts
    assert may_see_staff_notes(member, talk) is notes


def test_nobody_from_another_workspace_posts_or_reads_notes(cast):
    coached_cohort(cast.alpha)
    talk = coaching_conversation(cast.alpha)
    for role in ["admin", "auditor", "coach", "client"]:
        member = getattr(cast.beta, role).membership
        assert not may_post(member, talk)
        assert not may_see_staff_notes(member, talk)


def test_a_client_invited_to_a_coach_may_write_to_them_without_a_cohort(cast):
    from ascend.crm.actions import client_types
    from ascend.crm.models import Contact

    alpha = cast.alpha
    Contact.objects.create(
        workspace=alpha.workspace,
        full_name="Alpha Client",
        email=alpha.client.email,
        client_type=client_types(alpha.workspace)[-1],
        coach=alpha.other_coach.membership,
        member=alpha.client.membership,
        source="invitation",
    )
    assert _ids(people_to_write_to(alpha.client.membership)) == {alpha.other_coach.membership.pk}
    assert alpha.client.membership.pk in _ids(people_to_write_to(alpha.other_coach.membership))
