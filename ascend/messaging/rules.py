"""The messaging rules, as pure functions (DESIGN.md "Messaging and the coach inbox")."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


@dataclass(frozen=True)
class Run:
    """A client's waiting run: ``start`` is their first unanswered message, ``end`` the reply."""

    start: datetime
    end: datetime | None

    @property
    def seconds(self) -> int | None:
        return None if self.end is None else int((self.end - self.start).total_seconds())


def waiting_runs(messages: Iterable[tuple[datetime, bool]]) -> list[Run]:
    """The waiting runs of a conversation, from its messages as (sent at, sent by the client).

    Rule: a run starts at the first client message sent while no run is open, and
    ends at the next message from the staff side; the client's later messages in
    the same run change nothing, so each run gives one figure. Staff messages sent
    while nobody waits start nothing. The last run may still be open.
    """
    runs: list[Run] = []
    open_start: datetime | None = None
    for sent_at, from_client in sorted(messages, key=lambda m: m[0]):
        if from_client and open_start is None:
            open_start = sent_at
        elif not from_client and open_start is not None:
            runs.append(Run(open_start, sent_at))
            open_start = None
    if open_start is not None:
        runs.append(Run(open_start, None))
    return runs


def median(values: Sequence[float]) -> float | None:
    """The middle value, or the mean of the two middle values; None for no values."""
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return None
    middle = n // 2
    return float(ordered[middle]) if n % 2 else (ordered[middle - 1] + ordered[middle]) / 2


class Urgency(StrEnum):
    """How a waiting conversation stands against the workspace's goal and target."""

    WITHIN_GOAL = "goal"
    WITHIN_TARGET = "target"
    OVERDUE = "overdue"


def urgency(waited: timedelta, *, goal_hours: int, target_hours: int) -> Urgency:
    """Within goal while the wait is at most the goal; within target while at most the
    target; overdue after it. Answered runs are judged the same way by their figure."""
    if waited <= timedelta(hours=goal_hours):
        return Urgency.WITHIN_GOAL
    if waited <= timedelta(hours=target_hours):
        return Urgency.WITHIN_TARGET
    return Urgency.OVERDUE


def time_left(waiting_since: datetime, now: datetime, *, target_hours: int) -> timedelta:
    """Time left before the response target; negative once overdue."""
    return waiting_since + timedelta(hours=target_hours) - now


def attachment_refusal(name: str, size: int, *, allowed: frozenset[str], max_mb: int) -> str | None:
    """Why a file can't be attached ("type" or "size"), or None when it may.

    Rule: its name ends in an allowed type (case-insensitive) and it is no larger
    than the workspace's limit in megabytes (1 MB = 1,048,576 bytes); empty files
    are refused as a size problem too.
    """
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in allowed:
        return "type"
    if size <= 0 or size > max_mb * 1024 * 1024:
        return "size"
    return None


def followed_up(audited_at: datetime, coach_messages: Iterable[datetime]) -> datetime | None:
    """The coach's first message in the conversation within 24 h after an audit, if any."""
    deadline = audited_at + timedelta(hours=24)
    in_time = [t for t in coach_messages if audited_at <= t <= deadline]
    return min(in_time) if in_time else None
