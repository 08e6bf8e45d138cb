from __future__ import annotations

from django import forms
from django.template import TemplateSyntaxError
from django.utils.translation import gettext_lazy as _

from .rendering import render_source


class TemplateOverrideForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=255)
    body = forms.CharField(label=_("Body"), widget=forms.Textarea(attrs={"rows": 14}))

    def __init__(self, *args, sample=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.sample = sample or {}

    def clean(self):  # type: ignore[no-untyped-def]
        cleaned = super().clean()
        subject, body = cleaned.get("subject"), cleaned.get("body")
        if subject and body:
            try:
                cleaned["preview"] = render_source(subject, body, self.sample)
            except TemplateSyntaxError as error:
                raise forms.ValidationError(
                    _("The template has a mistake: %(error)s"), params={"error": error}
                ) from None
        return cleaned
