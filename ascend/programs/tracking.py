"""Keeping each habit's off-track spells in step with its check-ins."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from ascend.activity.actions import record_event
from ascend.activity.verbs import Verb

from . import rules
from .models import CheckIn, Enrollment, Habit, OffTrackSpell


def update_off_track(
    enrollment: Enrollment,
    habit: Habit,
    *,
    due: list[date],
    today: date,
    actor: Any = None,
    checked: set[date] | None = None,
    open_spell: OffTrackSpell | None | bool = False,
) -> bool:
    """Open a spell when the habit goes off track, close it when it is back on track.

    Each change is recorded once in the activity log ("habit off track", "back on
    track"); the notices for an open spell are the daily job's (``notices``).
    ``checked`` and ``open_spell`` may be passed in by callers that loaded them in bulk.
    """
    if checked is None:
        checked = set(
            CheckIn.objects.filter(enrollment=enrollment, habit=habit).values_list(
                "due_date", flat=True
            )
        )
    if open_spell is False:
        open_spell = OffTrackSpell.objects.filter(
            enrollment=enrollment, habit=habit, ended_at__isnull=True
        ).first()
    off = enrollment.is_active and rules.is_off_track(due, checked, today)
    data = {
        "habit": habit.title,
        "client": str(enrollment.client.user),
        "enrollment": enrollment.pk,
    }
    if off and open_spell is None:
        try:
            with transaction.atomic():
                OffTrackSpell.objects.create(
                    workspace=enrollment.workspace, enrollment=enrollment, habit=habit
                )
        except IntegrityError:
            return True  # another run opened it at the same moment
        record_event(
            enrollment.workspace, Verb.HABIT_OFF_TRACK, actor=None, target=habit, data=data
        )
    elif not off and open_spell is not None:
        closed = OffTrackSpell.objects.filter(pk=open_spell.pk, ended_at__isnull=True).update(
            ended_at=timezone.now()
        )
        if closed:
            record_event(
                enrollment.workspace, Verb.HABIT_BACK_ON_TRACK, actor=actor, target=habit, data=data
            )
    return off
