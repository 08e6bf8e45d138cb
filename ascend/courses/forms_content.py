"""Forms of the course content pages. They carry what was typed; the rules (titles, prices,
video addresses, drip days, file types and sizes) live in ``actions_content`` so the pages
and the API refuse the same things with the same messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ascend.messaging.forms import MultipleFileField

from .actions_content import MAX_FILES
from .models import MAX_RELEASE_DAYS, Product

MARKDOWN_HELP = _("Markdown works: **bold**, _italic_, lists, links and ### headings.")


def _title_field(label: Any) -> forms.CharField:
    # Not required here: the action says what is missing, with its own code.
    return forms.CharField(label=label, required=False, max_length=300)


def _days_field(help_text: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Released after (days)"),
        required=False,
        min_value=0,
        max_value=MAX_RELEASE_DAYS,
        help_text=help_text,
    )


def _markdown_field(label: Any, rows: int = 12) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=MARKDOWN_HELP,
    )


class ProductForm(forms.Form):
    name = _title_field(_("Name"))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    price = forms.DecimalField(
        label=_("Price"), min_value=0, max_digits=10, decimal_places=2, initial=0
    )
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        initial="USD",
        help_text=_("Three letters, such as USD, EUR or BRL."),
    )
    access_days = forms.IntegerField(
        label=_("Access lasts (days)"),
        required=False,
        min_value=1,
        max_value=MAX_RELEASE_DAYS,
        help_text=_("Leave empty for access with no end."),
    )
    is_active = forms.BooleanField(label=_("On sale"), required=False, initial=True)


class CourseForm(forms.Form):
    title = _title_field(_("Title"))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class ModuleForm(forms.Form):
    title = _title_field(_("Title"))
    release_after_days = _days_field(
        _("Days after the learner's access starts, 0–3650. Empty: at once.")
    )


class LessonForm(forms.Form):
    title = _title_field(_("Title"))
    video_url = forms.CharField(
        label=_("Video address"),
        required=False,
        max_length=500,
        widget=forms.URLInput(),
        help_text=_("An https link to a YouTube, Vimeo or Wistia video. Optional."),
    )
    body = _markdown_field(_("Text"), rows=16)
    release_after_days = _days_field(
        _("Days after the learner's access starts, 0–3650. Empty: with its module.")
    )
    comments_enabled = forms.BooleanField(
        label=_("Learners may comment on this lesson"), required=False, initial=True
    )


class LessonFilesForm(forms.Form):
    files = MultipleFileField(label=_("Add files"))

    def __init__(self, *args: Any, max_mb: int, types: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = _(
            "Up to %(n)d files at a time, at most %(mb)d MB each: %(types)s."
        ) % {"n": MAX_FILES, "mb": max_mb, "types": types.replace(",", ", ")}


class AnnouncementForm(forms.Form):
    title = _title_field(_("Title"))
    body = _markdown_field(_("Text"), rows=8)
    product = forms.ModelChoiceField(
        label=_("Shown to"),
        queryset=Product.objects.none(),
        required=False,
        empty_label=_("Every learner"),
        help_text=_("Choose a product to show it only to its learners."),
    )

    def __init__(self, *args: Any, workspace: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["product"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Product.objects.filter(workspace=workspace).order_by("name", "id")
        field.label_from_instance = lambda p: p.name  # type: ignore[method-assign]
