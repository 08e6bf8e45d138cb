"""Template filters for audits: the follow-up state, grade colours, durations."""

from __future__ import annotations

from django import template

from ascend.quality import presenting
from ascend.quality.models import GRADE_COLOURS, Audit, Grade

register = template.Library()


@register.filter
def follow_up(audit: Audit) -> presenting.FollowUp:
    """``{% with f=audit|follow_up %}{{ f.text }}{% endwith %}``: followed up, missed or pending."""
    return presenting.follow_up(audit)


@register.filter
def grade_colour(grade: str) -> str:
    """The colour a grade is shown in (green, blue, yellow)."""
    try:
        return GRADE_COLOURS[Grade(str(grade))]
    except ValueError:
        return ""


@register.filter
def duration(seconds: float | None) -> str:
    """Seconds as people say them: "3 h 20 min"."""
    return presenting.duration_text(seconds)
