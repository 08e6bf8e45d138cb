"""How conversations read on a page: their title, and how long someone has been waiting."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ascend.tenancy.models import Membership, Workspace

from . import rules
from .models import Conversation, ConversationKind, Participant


def short_duration(span: timedelta) -> str:
    """A duration as people say it: "45 min", "7 h", "3 d" (rounded down, at least 1 min)."""
    minutes = max(1, int(abs(span).total_seconds() // 60))
    if minutes < 60:
        return ngettext("%(n)d min", "%(n)d min", minutes) % {"n": minutes}
    hours = minutes // 60
    if hours < 48:
        return ngettext("%(n)d h", "%(n)d h", hours) % {"n": hours}
    days = hours // 24
    return ngettext("%(n)d d", "%(n)d d", days) % {"n": days}


@dataclass(frozen=True)
class Waiting:
    """A conversation waiting for its coach, against the workspace's goal and target."""

    since: datetime
    waited: timedelta
    left: timedelta
    urgency: rules.Urgency

    @property
    def waited_text(self) -> str:
        return _("waiting %(time)s") % {"time": short_duration(self.waited)}

    @property
    def left_text(self) -> str:
        if self.left < timedelta(0):
            return _("overdue by %(time)s") % {"time": short_duration(self.left)}
        return _("%(time)s left") % {"time": short_duration(self.left)}

    @property
    def text(self) -> str:
        """ "Waiting 5 h — 19 h left" or "Waiting 30 h — overdue by 6 h"."""
        return _("Waiting %(waited)s — %(left)s") % {
            "waited": short_duration(self.waited),
            "left": self.left_text,
        }

    @property
    def css(self) -> str:
        return f"badge--{self.urgency.value}"


def waiting_of(conversation: Conversation, workspace: Workspace, now: datetime) -> Waiting | None:
    if conversation.waiting_since is None:
        return None
    waited = now - conversation.waiting_since
    return Waiting(
        since=conversation.waiting_since,
        waited=waited,
        left=rules.time_left(
            conversation.waiting_since, now, target_hours=workspace.response_target_hours
        ),
        urgency=rules.urgency(
            waited,
            goal_hours=workspace.response_goal_hours,
            target_hours=workspace.response_target_hours,
        ),
    )


def _name(member: Membership | None) -> str:
    return str(member.user) if member is not None else _("Someone")


def conversation_title(
    conversation: Conversation, viewer: Membership, seats: Iterable[Participant] = ()
) -> str:
    """The other people: the cohort's name for a group; the coach for the client and the
    client for staff; for two clients, the other one (both, for a staff member looking in)."""
    if conversation.kind == ConversationKind.COHORT and conversation.cohort is not None:
        return conversation.cohort.name
    if conversation.kind == ConversationKind.COACHING:
        if viewer.pk == conversation.client_id:
            return _name(conversation.coach)
        return _name(conversation.client)
    others = [_name(s.member) for s in seats if s.member_id != viewer.pk]
    return " & ".join(others) if others else _("Conversation")
