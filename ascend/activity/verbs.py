"""The typed events of the activity log. Apps add their verbs here, one label each."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    MEMBER_INVITED = "member.invited", _("Team member invited")
    MEMBER_INVITATION_RESENT = "member.invitation_resent", _("Team invitation resent")
    MEMBER_INVITATION_REVOKED = "member.invitation_revoked", _("Team invitation revoked")
    MEMBER_JOINED = "member.joined", _("Team member joined")
    MEMBER_ROLES_CHANGED = "member.roles_changed", _("Roles changed")
    MEMBER_REMOVED = "member.removed", _("Member removed")
    WORKSPACE_UPDATED = "workspace.updated", _("Workspace settings changed")
    EMAIL_TEMPLATE_CHANGED = "email_template.changed", _("Email template changed")
    API_TOKEN_CREATED = "api_token.created", _("API token created")
    API_TOKEN_REVOKED = "api_token.revoked", _("API token revoked")
    PROGRAM_CREATED = "program.created", _("Program created")
    PROGRAM_UPDATED = "program.updated", _("Program changed")
    PROGRAM_DELETED = "program.deleted", _("Program deleted")
    COHORT_CREATED = "cohort.created", _("Cohort created")
    COHORT_UPDATED = "cohort.updated", _("Cohort changed")
    CLIENT_ADDED = "client.added", _("Client added")
    CLIENT_ENROLLED = "client.enrolled", _("Client enrolled")
    PROGRAM_STARTED = "program.started", _("Program started")
    CLIENT_UNENROLLED = "client.unenrolled", _("Client unenrolled")
    MILESTONE_COMPLETED = "milestone.completed", _("Milestone completed")
    HABIT_OFF_TRACK = "habit.off_track", _("Habit off track")
    HABIT_BACK_ON_TRACK = "habit.back_on_track", _("Habit back on track")
    SUBSCRIBED = "membership.subscribed", _("Membership started")
    UNSUBSCRIBED = "membership.unsubscribed", _("Membership ended")
    RANK_CATEGORY_SAVED = "rank.category_saved", _("Rank category changed")
    RANK_ASSIGNED = "rank.assigned", _("Rank assigned")
    RANK_PROMOTED = "rank.promoted", _("Promoted")
    RANK_DEMOTED = "rank.demoted", _("Demoted")
    RANK_ELIGIBLE = "rank.eligible", _("Eligible for promotion")
    RANK_DATE_CHANGED = "rank.date_changed", _("Promotion date corrected")
    VISIT_RECORDED = "visit.recorded", _("Visit recorded")
    VISIT_CORRECTED = "visit.corrected", _("Visit corrected")
    NOT_ENROLLED_NO_COHORT = "membership.not_enrolled", _("Not enrolled: no open cohort")
    CONVERSATION_STARTED = "conversation.started", _("Conversation started")
    STAFF_NOTE_ADDED = "conversation.staff_note", _("Staff note added")
    MESSAGE_AUDITED = "message.audited", _("Message audited")
    AUDIT_ACKNOWLEDGED = "audit.acknowledged", _("Audit feedback acknowledged")
