from __future__ import annotations

import zoneinfo

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from ascend.lib.urls import workspace_url
from ascend.notifications.outbox import send_email

from .models import User

TIME_ZONES = sorted(zoneinfo.available_timezones())


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _(
            "That email and password don't match an account. Check both and try again."
        ),
        "inactive": _("This account is switched off. Ask your workspace's admin."),
    }


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the email sent through the outbox in the person's language."""

    def save(self, *args, request=None, **kwargs):  # type: ignore[no-untyped-def,override]
        email = self.cleaned_data["email"]
        for user in self.get_users(email):
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            token = default_token_generator.make_token(user)
            path = reverse("accounts:password_reset_confirm", args=[uid, token])
            send_email(
                workspace=request.workspace,
                to=user.email,
                user=user,
                template="password_reset",
                context={
                    "recipient_name": user.get_short_name(),
                    "reset_url": workspace_url(request.workspace, path, request),
                },
            )


class PreferencesForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        choices=[("", _("Use the workspace's time zone"))] + [(tz, tz) for tz in TIME_ZONES],
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Use the workspace's language"))] + list(settings.LANGUAGES),
    )

    class Meta:
        model = User
        fields = ["full_name", "language", "time_zone"]


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html,
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str = "", **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields[
            "password1"
        ].help_text = password_validation.password_validators_help_text_html()

    def clean(self):  # type: ignore[no-untyped-def]
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords don't match."))
        if p1:
            try:
                password_validation.validate_password(
                    p1, User(email=self.email, full_name=cleaned.get("full_name", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
