"""Walks every role × capability pair against the table written out by hand here."""

from __future__ import annotations

import pytest

from ascend.tenancy.capabilities import CAPABILITIES, Cap, can, roles_allow
from ascend.tenancy.models import Membership
from ascend.tenancy.roles import Role

# Columns: owner admin coach head_coach supervisor attendant auditor operator client
COLUMNS = [
    Role.OWNER, Role.ADMIN, Role.COACH, Role.HEAD_COACH, Role.SUPERVISOR,
    Role.ATTENDANT, Role.AUDITOR, Role.OPERATOR, Role.CLIENT,
]  # fmt: skip
EXPECTED = {
    #                                   OW AD CO HC SU AT AU OP CL
    Cap.WORKSPACE_DELETE:              "x  .  .  .  .  .  .  .  .",
    Cap.WORKSPACE_BILLING:             "x  .  .  .  .  .  .  .  .",
    Cap.WORKSPACE_TRANSFER_OWNERSHIP:  "x  .  .  .  .  .  .  .  .",
    Cap.WORKSPACE_SETTINGS:            "x  x  .  .  .  .  .  .  .",
    Cap.MEMBERS_VIEW:                  "x  x  .  .  .  .  .  .  .",
    Cap.MEMBERS_INVITE:                "x  x  .  .  .  .  .  .  .",
    Cap.MEMBERS_CHANGE_ROLES:          "x  x  .  .  .  .  .  .  .",
    Cap.MEMBERS_REMOVE:                "x  x  .  .  .  .  .  .  .",
    Cap.OUTBOX_VIEW:                   "x  x  .  .  .  .  .  .  .",
    Cap.EMAIL_TEMPLATES_EDIT:          "x  x  .  .  .  .  .  .  .",
    Cap.ACTIVITY_VIEW_ALL:             "x  x  .  .  x  .  .  .  .",
    Cap.PORTAL_TEAM:                   "x  x  .  .  x  x  x  x  .",
    Cap.PORTAL_COACH:                  ".  .  x  x  .  .  .  .  .",
    Cap.PORTAL_CLIENT:                 ".  .  .  .  .  .  .  .  x",
    Cap.PROGRAMS_MANAGE:               "x  x  .  .  .  .  .  .  .",
    Cap.CLIENTS_VIEW_ALL:              "x  x  .  .  .  .  .  .  .",
    Cap.CLIENTS_VIEW_OWN:              ".  .  x  x  .  .  .  .  .",
    Cap.MESSAGES_CLIENTS:              "x  x  x  x  .  .  .  .  .",
    Cap.INBOXES_OF_LED_COACHES:        ".  .  .  x  .  .  .  .  .",
    Cap.INBOXES_ALL:                   "x  x  .  .  .  .  .  .  .",
    Cap.MESSAGES_AUDIT:                ".  .  .  .  .  .  x  .  .",
    Cap.QUALITY_ALL:                   "x  x  .  .  .  .  x  .  .",
    Cap.RANKS_MANAGE:                  "x  x  .  .  .  .  .  .  .",
    Cap.VISITS_RECORD:                 "x  x  .  .  .  .  .  x  .",
    Cap.COURSES_MANAGE:                "x  x  .  .  .  .  .  .  .",
    Cap.COURSES_TEAM:                  "x  x  .  .  x  .  .  .  .",
    Cap.COURSES_LEARNERS:              "x  x  .  .  x  .  .  .  .",
    Cap.COURSES_PROGRESS:              "x  x  .  .  x  .  .  .  .",
    Cap.COURSES_REPORTS:               "x  x  .  .  x  x  .  .  .",
    Cap.COURSES_COMMENTS:              "x  x  .  .  x  x  .  .  .",
    Cap.COURSES_SUPPORT:               "x  x  .  .  x  x  .  .  .",
    Cap.COURSES_LEARN:                 ".  .  .  .  .  .  .  .  x",
    Cap.EARNINGS_ALL:                  "x  x  .  .  .  .  .  .  .",
    Cap.EARNINGS_OWN:                  ".  .  x  x  .  .  .  .  .",
    Cap.API_TOKENS:                    "x  x  x  x  x  x  x  x  x",
}  # fmt: skip


def expected(cap: Cap, role: Role) -> bool:
    return EXPECTED[cap].split()[COLUMNS.index(role)] == "x"


def test_every_capability_is_in_the_hand_written_table():
    assert set(EXPECTED) == set(Cap) == set(CAPABILITIES)


@pytest.mark.parametrize("cap", list(Cap), ids=str)
@pytest.mark.parametrize("role", COLUMNS, ids=str)
def test_role_has_exactly_the_capabilities_of_the_table(role, cap):
    assert roles_allow(frozenset({role}), cap) is expected(cap, role)


def test_a_coach_admin_may_do_what_either_role_may():
    roles = frozenset({Role.COACH, Role.ADMIN})
    assert roles_allow(roles, Cap.MEMBERS_INVITE)
    assert roles_allow(roles, Cap.PORTAL_COACH)
    assert not roles_allow(roles, Cap.WORKSPACE_DELETE)


def test_no_membership_and_removed_membership_grant_nothing():
    from django.utils import timezone

    removed = Membership(is_owner=True, removed_at=timezone.now())
    assert not any(can(None, cap) for cap in Cap)
    assert not any(can(removed, cap) for cap in Cap)
