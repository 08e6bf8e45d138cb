"""Forms of the session pages; times are read in the viewer's time zone."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


class LocalTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=LOCAL_MINUTE)


class RequestSessionForm(forms.Form):
    coach = forms.ModelChoiceField(label=_("Coach"), queryset=None)
    starts_at = forms.DateTimeField(label=_("When"), widget=LocalTimeInput())
    duration_minutes = forms.TypedChoiceField(
        label=_("Length"),
        coerce=int,
        choices=[
            (30, _("30 minutes")),
            (45, _("45 minutes")),
            (60, _("1 hour")),
            (90, _("1 hour 30")),
        ],
        initial=60,
    )
    note = forms.CharField(
        label=_("Anything your coach should know"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, coaches: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches
        self.fields["coach"].label_from_instance = lambda m: str(m.user)
        if coaches.count() == 1:
            self.fields["coach"].initial = coaches.first()


class ProposeTimeForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Another time"), widget=LocalTimeInput())


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=300)
