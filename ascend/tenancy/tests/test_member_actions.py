from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ascend.activity.models import Event
from ascend.tenancy.actions import do_change_roles, do_remove_member, do_set_team_leader

pytestmark = pytest.mark.django_db


def test_changing_roles_is_recorded_with_before_and_after(cast):
    target = cast.alpha.operator.membership
    do_change_roles(target, ["operator", "auditor"], actor_membership=cast.alpha.admin.membership)
    target.refresh_from_db()
    assert target.is_auditor and target.is_operator
    event = Event.objects.get(verb="member.roles_changed")
    assert event.data == {"before": ["operator"], "after": ["auditor", "operator"]}


def test_a_coach_cannot_be_given_the_client_role(cast):
    with pytest.raises(ValidationError) as caught:
        do_change_roles(
            cast.alpha.coach.membership,
            ["coach", "client"],
            actor_membership=cast.alpha.owner.membership,
        )
    assert caught.value.error_dict["roles"][0].code == "coach_client_exclusive"


def test_an_admin_cannot_touch_an_owner_or_grant_ownership(cast):
    admin = cast.alpha.admin.membership
    with pytest.raises(ValidationError):
        do_change_roles(cast.alpha.owner.membership, ["admin"], actor_membership=admin)
    with pytest.raises(ValidationError):
        do_change_roles(cast.alpha.operator.membership, ["owner"], actor_membership=admin)
    with pytest.raises(ValidationError):
        do_remove_member(cast.alpha.owner.membership, actor_membership=admin)


def test_the_last_owner_stays(cast):
    owner = cast.alpha.owner.membership
    with pytest.raises(ValidationError) as caught:
        do_change_roles(owner, ["admin"], actor_membership=owner)
    assert caught.value.code == "last_owner"
    do_change_roles(cast.alpha.admin.membership, ["owner"], actor_membership=owner)
    do_change_roles(owner, ["admin"], actor_membership=owner)
    owner.refresh_from_db()
    assert not owner.is_owner


def test_removing_keeps_the_row_and_ends_access(cast):
    target = cast.alpha.coach.membership
    do_remove_member(target, actor_membership=cast.alpha.admin.membership)
    target.refresh_from_db()
    assert target.removed_at is not None
    assert Event.objects.filter(verb="member.removed", target_id=str(target.pk)).exists()


def test_nobody_removes_themselves(cast):
    admin = cast.alpha.admin.membership
    with pytest.raises(ValidationError) as caught:
        do_remove_member(admin, actor_membership=admin)
    assert caught.value.code == "remove_self"


def test_a_coach_is_led_only_by_a_head_coach_of_the_same_workspace(cast):
    coach = cast.alpha.other_coach.membership
    with pytest.raises(ValidationError):
        do_set_team_leader(
            coach, cast.beta.head_coach.membership, actor_membership=cast.alpha.owner.membership
        )
    with pytest.raises(ValidationError):
        do_set_team_leader(
            coach, cast.alpha.coach.membership, actor_membership=cast.alpha.owner.membership
        )
    do_set_team_leader(
        coach, cast.alpha.head_coach.membership, actor_membership=cast.alpha.owner.membership
    )
    assert coach.team_leader == cast.alpha.head_coach.membership
