"""Forms of the audit and quality pages. They read input; the actions decide the rules."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ascend.tenancy.models import Membership

from .actions import MAX_FEEDBACK
from .models import Grade
from .presenting import add_months

# A quality page covers at most this many months at once (the chart stays readable).
MAX_MONTHS = 36
DEFAULT_MONTHS = 6


class AuditForm(forms.Form):
    """A grade and the feedback for the coach. Each reply's form has its own prefix
    (``m<message id>``) so several forms on one page keep their ids apart."""

    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices, widget=forms.RadioSelect)
    feedback = forms.CharField(
        label=_("Feedback for the coach"),
        max_length=MAX_FEEDBACK,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, message_id: int, **kwargs: Any) -> None:
        super().__init__(*args, prefix=f"m{message_id}", **kwargs)
        # The action gives its own, clearer messages for a missing grade or feedback.
        self.fields["grade"].error_messages["required"] = _("Choose a grade.")
        self.fields["feedback"].error_messages["required"] = _("Write the feedback for the coach.")


def coach_choices(coaches: list[Membership], everyone: str) -> list[tuple[str, str]]:
    return [("", everyone)] + [(str(c.pk), str(c.user)) for c in coaches]


class CoachFilterForm(forms.Form):
    coach = forms.ChoiceField(label=_("Coach"), required=False)

    def __init__(self, *args: Any, coaches: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coach"].choices = coach_choices(coaches, str(_("All coaches")))


class MonthField(forms.DateField):
    """A month typed as YYYY-MM (``<input type="month">``), read as its first day."""

    input_formats = ["%Y-%m"]
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")

    def to_python(self, value: Any) -> date | None:
        day = super().to_python(value)
        return date(day.year, day.month, 1) if day else None


class QualityFilterForm(forms.Form):
    since = MonthField(label=_("From month"), required=False)
    until = MonthField(label=_("To month"), required=False)
    coach = forms.ChoiceField(label=_("Coach"), required=False)

    def __init__(
        self, *args: Any, coaches: list[Membership] | None, this_month: date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.this_month = this_month
        if coaches is None:  # a coach's own page: no choice of coach
            del self.fields["coach"]
        else:
            self.fields["coach"].choices = coach_choices(coaches, str(_("All coaches")))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The last month is before the first."))
        elif since and until and add_months(since, MAX_MONTHS) <= until:
            self.add_error("until", _("Choose at most %(n)d months at once.") % {"n": MAX_MONTHS})
        return data

    def months(self) -> tuple[date, date]:
        """The chosen months (first days), or the last six up to this one."""
        if not self.is_valid():
            return add_months(self.this_month, 1 - DEFAULT_MONTHS), self.this_month
        since, until = self.cleaned_data.get("since"), self.cleaned_data.get("until")
        until = until or max(self.this_month, since or self.this_month)
        since = since or add_months(until, 1 - DEFAULT_MONTHS)
        # Only the first month given, long ago: show the most the page allows from it.
        return since, min(until, add_months(since, MAX_MONTHS - 1))
