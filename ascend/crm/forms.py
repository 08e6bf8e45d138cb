"""Forms of the CRM pages, the invitation, the onboarding and the coach's tools."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ascend.accounts.forms import TIME_ZONES
from ascend.billing.models import Package

from .models import ClientType, ContactStatus


def coach_label(membership: Any) -> str:
    return f"{membership.user} ({membership.user.email})"


def package_label(package: Package) -> str:
    sessions = package.sessions if package.sessions else _("unlimited")
    price = f"{package.price} {package.currency}"
    return f"{package.name} · {package.get_kind_display()} · {sessions} · {price}"


class ContactFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or email")}),
    )
    coach = forms.ModelChoiceField(
        label=_("Coach"), queryset=None, required=False, empty_label=_("All coaches")
    )
    client_type = forms.ModelChoiceField(
        label=_("Client type"), queryset=None, required=False, empty_label=_("All types")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *ContactStatus.choices],
    )

    def __init__(self, *args, types, coaches=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["client_type"].queryset = types
        if coaches is None:
            del self.fields["coach"]
        else:
            self.fields["coach"].queryset = coaches
            self.fields["coach"].label_from_instance = lambda m: str(m.user)


class ContactForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    client_type = forms.ModelChoiceField(label=_("Client type"), queryset=ClientType.objects.none())
    coach = forms.ModelChoiceField(
        label=_("Coach"), queryset=None, required=False, empty_label=_("No coach yet")
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea)

    def __init__(self, *args, types, coaches=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["client_type"].queryset = types
        self.fields["client_type"].empty_label = None
        if coaches is None:
            del self.fields["coach"]
        else:
            self.fields["coach"].queryset = coaches
            self.fields["coach"].label_from_instance = coach_label


class InviteForm(forms.Form):
    """Invite a client. Admins pick the coach; the package list is that coach's list,
    refreshed with htmx when the coach changes. Any package of the workspace is
    accepted by the form, so one off the list gets the action's reason at the field."""

    full_name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    client_type = forms.ModelChoiceField(label=_("Client type"), queryset=ClientType.objects.none())
    coach = forms.ModelChoiceField(label=_("Coach"), queryset=None, empty_label=_("Choose a coach"))
    package = forms.ModelChoiceField(
        label=_("Package"),
        queryset=Package.objects.none(),
        required=False,
        help_text=_(
            "Optional, one per invitation. Nothing is charged: it is recorded on the client."
        ),
    )
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional: a few words for the email."),
    )

    def __init__(  # type: ignore[no-untyped-def]
        self, *args, types, packages, offered, coaches=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["client_type"].queryset = types
        self.fields["client_type"].empty_label = None
        package = self.fields["package"]
        package.queryset = packages
        package.label_from_instance = package_label
        package.widget.choices = [("", _("No package"))] + [
            (p.pk, package_label(p)) for p in offered
        ]
        if coaches is None:
            del self.fields["coach"]
        else:
            coach = self.fields["coach"]
            coach.queryset = coaches
            coach.label_from_instance = coach_label
            coach.widget.attrs.update(
                {
                    "hx-get": reverse("crm:invite_packages"),
                    "hx-target": "#id_package",
                    "hx-swap": "innerHTML",
                    "hx-trigger": "change",
                }
            )
            package.help_text = _(
                "Optional, one per invitation, from the coach's list (the workspace's one-to-one "
                "packages and the coach's own). Nothing is charged: it is recorded on the client."
            )


class ClientTypeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Up to 5 MB, comma, semicolon or tab separated, with a header row."),
    )


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    due_on = forms.DateField(
        label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown: **bold**, *italic*, lists and links."),
    )
    shared = forms.BooleanField(
        label=_("Share with the client"),
        required=False,
        help_text=_("Unticked, the note stays private to coaches and admins."),
    )


class GreetingForm(forms.Form):
    text = forms.CharField(
        label=_("Greeting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Shown on your clients' dashboards. Markdown: **bold**, *italic*, lists and links. "
            "Leave it empty to show no greeting."
        ),
    )


# Onboarding steps ---------------------------------------------------------------------------


class ProfileStepForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        help_text=_("Optional: for your coach, if they need to call you."),
    )


class GoalsStepForm(forms.Form):
    goals = forms.CharField(
        label=_("Your goals"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What would you like to change? Your coach reads this before you start."),
    )


class TimeZoneStepForm(forms.Form):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        choices=[("", _("Use the workspace's time zone"))] + [(tz, tz) for tz in TIME_ZONES],
        help_text=_("Dates and reminders are shown in this time zone."),
    )


class ConsentStepForm(forms.Form):
    consent = forms.BooleanField(
        label=_("I agree that my coach and this workspace keep what I share here to coach me."),
        required=False,
    )


ONBOARDING_FORMS: dict[str, type[forms.Form]] = {
    "profile": ProfileStepForm,
    "goals": GoalsStepForm,
    "time_zone": TimeZoneStepForm,
    "consent": ConsentStepForm,
}
