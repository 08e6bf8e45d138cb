"""The capability table: the one place that says which role may do what.

Views, API endpoints and queries ask ``can(membership, Cap.X)``; nothing else
compares role names. ``tests/test_capabilities.py`` walks every role ×
capability pair against the table written out by hand.
"""

from __future__ import annotations

from enum import StrEnum

from .models import Membership
from .roles import Role

# One letter per role keeps the table readable as a grid.
OW, AD, CO, HC, SU, AT, AU, OP, CL = (
    Role.OWNER,
    Role.ADMIN,
    Role.COACH,
    Role.HEAD_COACH,
    Role.SUPERVISOR,
    Role.ATTENDANT,
    Role.AUDITOR,
    Role.OPERATOR,
    Role.CLIENT,
)


class Cap(StrEnum):
    # Workspace
    WORKSPACE_DELETE = "workspace.delete"
    WORKSPACE_BILLING = "workspace.billing"
    WORKSPACE_TRANSFER_OWNERSHIP = "workspace.transfer_ownership"
    WORKSPACE_SETTINGS = "workspace.settings"
    # Team
    MEMBERS_VIEW = "members.view"
    MEMBERS_INVITE = "members.invite"
    MEMBERS_CHANGE_ROLES = "members.change_roles"
    MEMBERS_REMOVE = "members.remove"
    # Email and activity
    OUTBOX_VIEW = "outbox.view"
    EMAIL_TEMPLATES_EDIT = "email_templates.edit"
    ACTIVITY_VIEW_ALL = "activity.view_all"
    # Portals
    PORTAL_TEAM = "portal.team"
    PORTAL_COACH = "portal.coach"
    PORTAL_CLIENT = "portal.client"
    # Coaching
    PROGRAMS_MANAGE = "programs.manage"
    CLIENTS_VIEW_ALL = "clients.view_all"
    CLIENTS_VIEW_OWN = "clients.view_own"
    MESSAGES_CLIENTS = "messages.clients"
    INBOXES_OF_LED_COACHES = "messages.led_inboxes"
    INBOXES_ALL = "messages.all_inboxes"
    MESSAGES_AUDIT = "messages.audit"
    QUALITY_ALL = "quality.all_coaches"
    # Ranks
    RANKS_MANAGE = "ranks.manage"
    VISITS_RECORD = "visits.record"
    # Course side
    COURSES_MANAGE = "courses.manage"
    COURSES_TEAM = "courses.team"
    COURSES_LEARNERS = "courses.learners"
    COURSES_PROGRESS = "courses.progress"
    COURSES_REPORTS = "courses.reports"
    COURSES_COMMENTS = "courses.comments"
    COURSES_SUPPORT = "courses.support"
    COURSES_LEARN = "courses.learn"
    # Pay
    EARNINGS_ALL = "earnings.all"
    EARNINGS_OWN = "earnings.own"
    # Integrations
    API_TOKENS = "api.tokens"


CAPABILITIES: dict[Cap, frozenset[Role]] = {
    Cap.WORKSPACE_DELETE: frozenset({OW}),
    Cap.WORKSPACE_BILLING: frozenset({OW}),
    Cap.WORKSPACE_TRANSFER_OWNERSHIP: frozenset({OW}),
    Cap.WORKSPACE_SETTINGS: frozenset({OW, AD}),
    Cap.MEMBERS_VIEW: frozenset({OW, AD}),
    Cap.MEMBERS_INVITE: frozenset({OW, AD}),
    Cap.MEMBERS_CHANGE_ROLES: frozenset({OW, AD}),
    Cap.MEMBERS_REMOVE: frozenset({OW, AD}),
    Cap.OUTBOX_VIEW: frozenset({OW, AD}),
    Cap.EMAIL_TEMPLATES_EDIT: frozenset({OW, AD}),
    Cap.ACTIVITY_VIEW_ALL: frozenset({OW, AD, SU}),
    Cap.PORTAL_TEAM: frozenset({OW, AD, SU, AT, AU, OP}),
    Cap.PORTAL_COACH: frozenset({CO, HC}),
    Cap.PORTAL_CLIENT: frozenset({CL}),
    Cap.PROGRAMS_MANAGE: frozenset({OW, AD}),
    Cap.CLIENTS_VIEW_ALL: frozenset({OW, AD}),
    Cap.CLIENTS_VIEW_OWN: frozenset({CO, HC}),
    Cap.MESSAGES_CLIENTS: frozenset({OW, AD, CO, HC}),
    Cap.INBOXES_OF_LED_COACHES: frozenset({HC}),
    Cap.INBOXES_ALL: frozenset({OW, AD}),
    Cap.MESSAGES_AUDIT: frozenset({AU}),
    # Every coach's communication quality: admins, and auditors who grade the replies.
    Cap.QUALITY_ALL: frozenset({OW, AD, AU}),
    Cap.RANKS_MANAGE: frozenset({OW, AD}),
    Cap.VISITS_RECORD: frozenset({OW, AD, OP}),
    Cap.COURSES_MANAGE: frozenset({OW, AD}),
    Cap.COURSES_TEAM: frozenset({OW, AD, SU}),
    Cap.COURSES_LEARNERS: frozenset({OW, AD, SU}),
    Cap.COURSES_PROGRESS: frozenset({OW, AD, SU}),
    Cap.COURSES_REPORTS: frozenset({OW, AD, SU, AT}),
    Cap.COURSES_COMMENTS: frozenset({OW, AD, SU, AT}),
    # Attendants answer learners' support requests (seed 003), as do supervisors and admins.
    Cap.COURSES_SUPPORT: frozenset({OW, AD, SU, AT}),
    # Learners are the workspace's clients: their courses live in the client portal.
    Cap.COURSES_LEARN: frozenset({CL}),
    Cap.EARNINGS_ALL: frozenset({OW, AD}),
    Cap.EARNINGS_OWN: frozenset({CO, HC}),
    Cap.API_TOKENS: frozenset({OW, AD, CO, HC, SU, AT, AU, OP, CL}),
}


def roles_allow(roles: frozenset[Role], cap: Cap) -> bool:
    """A set of roles may do what any one of its roles may do."""
    return bool(roles & CAPABILITIES[cap])


def can(membership: Membership | None, cap: Cap) -> bool:
    """Whether this active membership grants the capability (no membership grants nothing)."""
    if membership is None or not membership.is_active:
        return False
    return roles_allow(membership.roles, cap)
