"""Reads for the messaging pages, each a fixed number of queries however many rows there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.db.models import (
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership

from .models import Conversation, ConversationKind, Message, Participant

PREVIEW_CHARS = 140


class InboxState(StrEnum):
    """The inbox tabs: who is waiting, and how they stand against the goal and target."""

    WAITING = "waiting"
    ALL = "all"
    OVERDUE = "overdue"
    GOAL = "goal"
    TARGET = "target"


def last_message_preview() -> Subquery:
    """The start of the conversation's latest message, read in the same query."""
    latest = Message.objects.filter(conversation=OuterRef("pk")).order_by("-created_at", "-id")
    return Subquery(
        latest.annotate(preview=Substr("body", 1, PREVIEW_CHARS)).values("preview")[:1],
        output_field=CharField(),
    )


def unread_of(member_ref: OuterRef | int) -> Coalesce:
    """A member's unread count in the conversation (0 when they have no seat)."""
    seat = Participant.objects.filter(conversation=OuterRef("pk"), member=member_ref)
    return Coalesce(Subquery(seat.values("unread_count")[:1], output_field=IntegerField()), 0)


def with_people(conversations: QuerySet[Conversation]) -> QuerySet[Conversation]:
    """Everything a list row shows to name the conversation: client, coach, cohort, seats."""
    return conversations.select_related("client__user", "coach__user", "cohort").prefetch_related(
        Prefetch(
            "participants",
            queryset=Participant.objects.select_related("member__user").order_by("joined_at", "id"),
        )
    )


def conversations_of(member: Membership) -> QuerySet[Conversation]:
    """The member's own conversations (where they have a seat), latest activity first,
    with their unread count and the last message's start."""
    seated = Participant.objects.filter(member=member).values("conversation")
    return (
        with_people(Conversation.objects.filter(workspace=member.workspace, pk__in=seated))
        .annotate(unread=unread_of(member.pk), preview=last_message_preview())
        .order_by("-last_message_at", "-id")
    )


# The coach inbox -------------------------------------------------------------------------


def inbox_scope(member: Membership, *, team: bool = False) -> QuerySet[Conversation]:
    """The conversations an inbox may list, before any filter.

    On the team portal: every coaching and cohort conversation for admins (all
    coaches' inboxes) and auditors (read-only, to pick replies to audit). On the
    coach portal: the coach's own, and for a head coach also those of the coaches
    they lead (``Membership.team_leader``). Nobody else has an inbox.
    """
    conversations = Conversation.objects.filter(
        workspace=member.workspace,
        kind__in=[ConversationKind.COACHING, ConversationKind.COHORT],
    )
    if team:
        if can(member, Cap.INBOXES_ALL) or can(member, Cap.MESSAGES_AUDIT):
            return conversations
        return conversations.none()
    if not can(member, Cap.MESSAGES_CLIENTS):
        return conversations.none()
    mine = Q(coach=member)
    if can(member, Cap.INBOXES_OF_LED_COACHES):
        mine |= Q(coach__team_leader=member)
    return conversations.filter(mine)


def inbox_coaches(member: Membership, *, team: bool = False) -> QuerySet[Membership]:
    """The coaches whose conversations the inbox may show, for its coach filter."""
    coaches = Membership.objects.filter(
        workspace=member.workspace, is_coach=True, removed_at__isnull=True
    ).select_related("user")
    if not team:
        led = Q(pk=member.pk)
        if can(member, Cap.INBOXES_OF_LED_COACHES):
            led |= Q(team_leader=member)
        coaches = coaches.filter(led)
    return coaches.order_by("user__full_name", "user__email")


def _state_filter(
    state: InboxState, now: datetime, *, goal_hours: int, target_hours: int
) -> Q | None:
    """The same boundaries as ``rules.urgency``: within goal while waited ≤ goal, within
    target while waited ≤ target, overdue after."""
    goal_edge = now - timedelta(hours=goal_hours)
    target_edge = now - timedelta(hours=target_hours)
    if state == InboxState.ALL:
        return None
    if state == InboxState.GOAL:
        return Q(waiting_since__gte=goal_edge)
    if state == InboxState.TARGET:
        return Q(waiting_since__lt=goal_edge, waiting_since__gte=target_edge)
    if state == InboxState.OVERDUE:
        return Q(waiting_since__lt=target_edge)
    return Q(waiting_since__isnull=False)


def _search(conversations: QuerySet[Conversation], q: str) -> QuerySet[Conversation]:
    q = q.strip()
    if not q:
        return conversations
    return conversations.filter(
        Q(client__user__full_name__icontains=q)
        | Q(client__user__email__icontains=q)
        | Q(cohort__name__icontains=q)
    )


def inbox_for(
    member: Membership,
    *,
    state: InboxState | str = InboxState.WAITING,
    q: str = "",
    coach_id: int | None = None,
    team: bool = False,
    now: datetime | None = None,
) -> QuerySet[Conversation]:
    """The inbox: conversations waiting for their coach, least time left first.

    Ordering rule: by ``waiting_since`` ascending. Every conversation shares the
    workspace's response target, so the one waiting longest has the least time
    left; conversations nobody waits in (only listed under "all") come last,
    latest activity first; the id breaks ties so pages never shuffle.

    ``state`` narrows to waiting (default), all, overdue, within goal or within
    target; ``q`` searches the client's name and email (and a cohort's name);
    ``coach_id`` keeps one coach's conversations (ignored when that coach is not
    in the viewer's scope, which then simply lists nothing more than the scope).
    Each row carries the coach's unread count and the last message's start.
    """
    now = now or timezone.now()
    workspace = member.workspace
    state = InboxState(state) if state in InboxState._value2member_map_ else InboxState.WAITING
    conversations = inbox_scope(member, team=team)
    condition = _state_filter(
        state,
        now,
        goal_hours=workspace.response_goal_hours,
        target_hours=workspace.response_target_hours,
    )
    if condition is not None:
        conversations = conversations.filter(condition)
    conversations = _search(conversations, q)
    if coach_id is not None:
        conversations = conversations.filter(coach_id=coach_id)
    return (
        conversations.select_related("client__user", "coach__user", "cohort")
        .annotate(unread=unread_of(OuterRef("coach")), preview=last_message_preview())
        .order_by(F("waiting_since").asc(nulls_last=True), "-last_message_at", "-id")
    )


@dataclass(frozen=True)
class InboxCounts:
    waiting: int
    overdue: int


def inbox_counts(
    member: Membership,
    *,
    q: str = "",
    coach_id: int | None = None,
    team: bool = False,
    now: datetime | None = None,
) -> InboxCounts:
    """How many wait, and how many of them are overdue, under the same search (one query)."""
    now = now or timezone.now()
    conversations = _search(inbox_scope(member, team=team), q)
    if coach_id is not None:
        conversations = conversations.filter(coach_id=coach_id)
    edge = now - timedelta(hours=member.workspace.response_target_hours)
    totals = conversations.aggregate(
        waiting=Count("id", filter=Q(waiting_since__isnull=False)),
        overdue=Count("id", filter=Q(waiting_since__lt=edge)),
    )
    return InboxCounts(waiting=totals["waiting"], overdue=totals["overdue"])


# One conversation --------------------------------------------------------------------------


def conversation_messages(
    conversation: Conversation, *, after: int | None = None, with_audits: bool = False
) -> QuerySet[Message]:
    """A conversation's messages in order, with authors and attachments (and, for staff,
    the audit of each reply)."""
    messages = (
        Message.objects.filter(conversation=conversation)
        .select_related("author__user")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )
    if with_audits:
        messages = messages.select_related("audit__auditor__user")
    if after is not None:
        messages = messages.filter(pk__gt=after)
    return messages


def seats(conversation: Conversation) -> list[Participant]:
    return list(
        Participant.objects.filter(conversation=conversation)
        .select_related("member__user")
        .order_by("joined_at", "id")
    )
