"""The course portal's settings form. It reads input; ``do_save_portal_settings`` decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CommentModeration, PortalSettings


class PortalSettingsForm(forms.Form):
    comment_moderation = forms.ChoiceField(
        label=_("Comment moderation"),
        choices=CommentModeration.choices,
        widget=forms.RadioSelect,
    )
    helpdesk_domain = forms.CharField(
        label=_("Help-desk domain"),
        required=False,
        max_length=300,
        help_text=_("Where your help desk lives, e.g. yourschool.freshdesk.com."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    # Write-only: never rendered back into the page (render_value=False).
    helpdesk_secret = forms.CharField(
        label=_("Shared secret"),
        required=False,
        max_length=200,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=False),
    )
    remove_helpdesk_secret = forms.BooleanField(
        label=_("Remove the saved shared secret (turns the help desk link off)"), required=False
    )
    analytics_measurement_id = forms.CharField(
        label=_("Analytics measurement id"),
        required=False,
        max_length=24,
        help_text=_("Google Analytics 4: G- followed by letters and digits. Empty: no analytics."),
        widget=forms.TextInput(attrs={"placeholder": "G-XXXXXXXXXX", "spellcheck": "false"}),
    )
    ad_pixel_id = forms.CharField(
        label=_("Ad pixel id"),
        required=False,
        max_length=20,
        help_text=_("Meta (Facebook) pixel: its 5–20 digits. Empty: no pixel."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, saved: PortalSettings, **kwargs: Any) -> None:
        initial = {
            "comment_moderation": saved.comment_moderation,
            "helpdesk_domain": saved.helpdesk_domain,
            "analytics_measurement_id": saved.analytics_measurement_id,
            "ad_pixel_id": saved.ad_pixel_id,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.secret_saved = bool(saved.helpdesk_secret)
        if self.secret_saved:
            self.fields["helpdesk_secret"].help_text = _(
                "A secret is saved (••••••••). Leave empty to keep it; type a new one to "
                "replace it."
            )
        else:
            self.fields["helpdesk_secret"].help_text = _(
                "From your help desk's single sign-on settings (JWT). At least 16 characters."
            )
            del self.fields["remove_helpdesk_secret"]
