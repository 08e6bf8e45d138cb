"""Reads for audits: the auditors' sampled queue, and the audits a coach has received."""

from __future__ import annotations

import zoneinfo
from datetime import timedelta

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber, TruncWeek
from django.utils import timezone

from ascend.messaging.models import Message
from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership

from .models import Audit

QUEUE_WEEKS = 4


def coach_replies(workspace) -> QuerySet[Message]:  # type: ignore[no-untyped-def]
    return Message.objects.filter(workspace=workspace, is_coach_reply=True)


def audit_queue(
    auditor: Membership, *, coach_id: int | None = None, weeks: int = QUEUE_WEEKS
) -> QuerySet[Message]:
    """The replies waiting for an audit, oldest first.

    Rule: each coach's replies of each week (Monday to Sunday in the workspace's
    time zone) are sampled at random, up to the workspace's rate per week; the
    sample is fixed once drawn (``Message.sample_key``), so auditing a reply
    takes it off the queue without bringing another in. The last four weeks count.
    """
    workspace = auditor.workspace
    tz = zoneinfo.ZoneInfo(workspace.time_zone)
    since = timezone.now() - timedelta(weeks=weeks)
    replies = coach_replies(workspace).filter(created_at__gte=since)
    if coach_id is not None:
        replies = replies.filter(author_id=coach_id)
    sampled = (
        replies.annotate(
            week=TruncWeek("created_at", tzinfo=tz),
            pick=Window(
                RowNumber(),
                partition_by=[F("author_id"), F("week")],
                order_by=[F("sample_key").asc(), F("id").asc()],
            ),
        )
        .filter(pick__lte=workspace.audit_sample_per_week)
        .values("pk")
    )
    return (
        Message.objects.filter(pk__in=sampled, audit__isnull=True)
        .select_related("author__user", "conversation__client__user", "conversation__cohort")
        .order_by("created_at", "id")
    )


def audits_received(coach: Membership) -> QuerySet[Audit]:
    """The audits of a coach's replies, newest first, with what the page shows."""
    return Audit.objects.filter(workspace=coach.workspace, coach=coach).select_related(
        "auditor__user", "message", "conversation__client__user", "conversation__cohort"
    )


def _audits_shown(workspace) -> QuerySet[Audit]:  # type: ignore[no-untyped-def]
    return Audit.objects.filter(workspace=workspace).select_related(
        "coach__user",
        "auditor__user",
        "message",
        "conversation__client__user",
        "conversation__cohort",
    )


def recent_audits(auditor: Membership, *, mine: bool) -> QuerySet[Audit]:
    """The latest audits, by this auditor or by anyone, newest first."""
    audits = _audits_shown(auditor.workspace)
    return audits.filter(auditor=auditor) if mine else audits


def unacknowledged_first(audits: QuerySet[Audit]) -> QuerySet[Audit]:
    return audits.order_by(F("acknowledged_at").asc(nulls_first=True), "-created_at", "-id")


def audits_of_led_coaches(leader: Membership) -> QuerySet[Audit]:
    """The audits of the replies of the coaches a head coach leads (read-only for them)."""
    return _audits_shown(leader.workspace).filter(coach__team_leader=leader)


def workspace_coaches(workspace) -> QuerySet[Membership]:  # type: ignore[no-untyped-def]
    """The workspace's active coaches, and anyone else who has sent coach replies (a coach
    removed since, whose past figures still count)."""
    replied = Message.objects.filter(author=OuterRef("pk"), is_coach_reply=True)
    return (
        Membership.objects.filter(workspace=workspace)
        .filter(Q(is_coach=True, removed_at__isnull=True) | Q(Exists(replied)))
        .select_related("user")
        .order_by("user__full_name", "user__email", "id")
    )


def coaches_in_view(member: Membership) -> QuerySet[Membership]:
    """Whose quality a coach sees in the coach portal: their own, and a head coach's led
    coaches too."""
    condition = Q(pk=member.pk)
    if can(member, Cap.INBOXES_OF_LED_COACHES):
        condition |= Q(team_leader=member, is_coach=True, removed_at__isnull=True)
    return (
        Membership.objects.filter(workspace=member.workspace)
        .filter(condition)
        .select_related("user")
        .order_by("user__full_name", "user__email", "id")
    )
