"""Forms of the team portal's membership pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PackageKind


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
    price = forms.DecimalField(
        label=_("Price"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        initial=0,
        help_text=_("What a client pays at checkout; 0 or empty: free."),
    )
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        required=False,
        initial="USD",
        help_text=_("A code like USD, EUR, BRL."),
    )
    is_active = forms.BooleanField(label=_("On sale"), required=False, initial=True)

    def __init__(self, *args, programs, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["programs"].queryset = programs


class PackageForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=PackageKind.choices)
    sessions = forms.IntegerField(
        label=_("Sessions included"),
        required=False,
        min_value=1,
        help_text=_("Leave empty for unlimited sessions until it expires."),
    )
    price = forms.DecimalField(label=_("Price"), min_value=0, max_digits=10, decimal_places=2)
    currency = forms.CharField(
        label=_("Currency"), max_length=3, initial="USD", help_text=_("A code like USD, EUR, BRL.")
    )
    validity_days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=3650,
        initial=90,
        help_text=_("Counted from the day the client receives it."),
    )
    coach = forms.ModelChoiceField(
        label=_("Coach"),
        queryset=None,
        required=False,
        empty_label=_("The whole workspace"),
        help_text=_("A coach's package appears on that coach's list."),
    )
    is_active = forms.BooleanField(label=_("On offer"), required=False, initial=True)

    def __init__(self, *args, coaches, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches
        self.fields["coach"].label_from_instance = lambda m: str(m.user)


class GivePackageForm(forms.Form):
    client = forms.ModelChoiceField(label=_("Client"), queryset=None)
    starts_on = forms.DateField(
        label=_("Starts on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: today."),
    )

    def __init__(self, *args, clients, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients
        self.fields["client"].label_from_instance = lambda m: f"{m.user} · {m.user.email}"


def _provider_choices(providers) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(key, str(provider.label)) for key, provider in providers.items()]


class PayWithForm(forms.Form):
    """The way to pay: one of the providers this installation offers."""

    provider = forms.ChoiceField(
        label=_("How to pay"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how to pay.")},
    )

    def __init__(self, *args, providers, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        choices = _provider_choices(providers)
        self.fields["provider"].choices = choices
        if choices and "provider" not in self.initial:
            self.initial["provider"] = choices[0][0]


class CheckoutForm(PayWithForm):
    """A package bought through its payment link: who buys, and how they pay."""

    buyer_name = forms.CharField(label=_("Your name"), max_length=150)
    buyer_email = forms.EmailField(
        label=_("Your email"),
        help_text=_("Your receipt and your invitation are sent here."),
        error_messages={"invalid": _("Write a valid email address, like name@example.com.")},
    )

    field_order = ["buyer_name", "buyer_email", "provider"]
