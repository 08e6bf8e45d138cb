from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from hypothesis import given
from hypothesis import strategies as st

from ascend.tenancy.models import Membership
from ascend.tenancy.roles import Role, normalize_roles


def test_coach_and_client_together_are_refused_with_the_reason():
    with pytest.raises(ValidationError) as caught:
        normalize_roles(["coach", "client"])
    assert caught.value.code == "coach_client_exclusive"
    assert "cannot also be its client" in caught.value.messages[0]


def test_head_coach_is_always_a_coach():
    assert normalize_roles(["head_coach"]) == {Role.HEAD_COACH, Role.COACH}


def test_unknown_role_and_no_role_are_refused():
    with pytest.raises(ValidationError):
        normalize_roles(["wizard"])
    with pytest.raises(ValidationError):
        normalize_roles([])


@given(st.sets(st.sampled_from([r.value for r in Role]), min_size=1))
def test_any_accepted_set_of_roles_never_mixes_coach_and_client(names):
    try:
        roles = normalize_roles(names)
    except ValidationError:
        assert {"client"} & names and ({"coach", "head_coach"} & names)
        return
    assert not (Role.COACH in roles and Role.CLIENT in roles)
    assert Role.HEAD_COACH not in roles or Role.COACH in roles


@pytest.mark.django_db
def test_the_database_refuses_a_coach_who_is_also_a_client(cast):
    membership = cast.alpha.coach.membership
    Membership.objects.filter(pk=membership.pk)
    with pytest.raises(IntegrityError):
        Membership.objects.filter(pk=membership.pk).update(is_client=True)
