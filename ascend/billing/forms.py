"""Forms of the team portal's membership pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PlanForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    programs = forms.ModelMultipleChoiceField(
        label=_("Programs"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Subscribing enrols the client in a cohort of each of these programs."),
        error_messages={"required": _("Choose at least one program.")},
    )
    is_active = forms.BooleanField(label=_("On sale"), required=False, initial=True)

    def __init__(self, *args, programs, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["programs"].queryset = programs
