"""Forms of the Learners page, the CSV import, the access link and the course payment link."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _

from ascend.billing.forms import CheckoutForm

from .models import Product

EXPIRY_HELP = _("Optional: access lasts through this day. Empty: the product's usual length.")


class DateInput(forms.DateInput):
    input_type = "date"


class _ProductsMixin:
    def _set_products(self, products: Any) -> None:
        self.fields["product"].queryset = products  # type: ignore[attr-defined]


class GiveAccessForm(_ProductsMixin, forms.Form):
    """Give a person access by hand (the Learners page)."""

    full_name = forms.CharField(label=_("Name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Email"),
        error_messages={"invalid": _("Write a valid email address, like name@example.com.")},
    )
    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    expires_on = forms.DateField(
        label=_("Access until"), required=False, widget=DateInput, help_text=EXPIRY_HELP
    )
    send = forms.BooleanField(label=_("Send the access email now"), required=False, initial=True)

    def __init__(self, *args: Any, products: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_products(products)


class AddProductForm(_ProductsMixin, forms.Form):
    """Give a learner one more product (the learner's page)."""

    product = forms.ModelChoiceField(label=_("Product"), queryset=Product.objects.none())
    expires_on = forms.DateField(
        label=_("Access until"), required=False, widget=DateInput, help_text=EXPIRY_HELP
    )

    def __init__(self, *args: Any, products: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_products(products)


class ExpiryForm(forms.Form):
    expires_on = forms.DateField(
        label=_("Access until"),
        required=False,
        widget=DateInput,
        help_text=_("Empty: the access has no end."),
    )


class CorrectEmailForm(forms.Form):
    email = forms.EmailField(
        label=_("The right address"),
        error_messages={"invalid": _("Write a valid email address, like name@example.com.")},
        help_text=_("The old address is kept in the history, and the access email goes here."),
    )


class LearnerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    product = forms.ModelChoiceField(
        label=_("Product"),
        queryset=Product.objects.none(),
        required=False,
        empty_label=_("Every product"),
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("newest", _("Newest first")), ("oldest", _("Oldest first"))],
    )
    failed = forms.ChoiceField(
        label=_("Email"),
        required=False,
        choices=[("", _("Any address")), ("on", _("Failed email only"))],
    )

    def __init__(self, *args: Any, products: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products  # type: ignore[attr-defined]
        self.fields["q"].widget.attrs["placeholder"] = _("Name or email")


class ImportLearnersForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))
    send = forms.BooleanField(
        label=_("Send access emails"),
        required=False,
        initial=True,
        help_text=_(
            "Off: the learners get access without an email; send it later from their page."
        ),
    )


class ConfirmImportForm(forms.Form):
    """The checked file comes back with the confirmation and is checked again."""

    data = forms.CharField(widget=forms.HiddenInput, strip=False)
    send = forms.BooleanField(required=False, widget=forms.HiddenInput)


class SetLearnerPasswordForm(SetPasswordForm):
    """The access link's first visit: choose a password (Django's rules and validators)."""


class CourseCheckoutForm(CheckoutForm):
    """A product bought through its payment link: who buys, and how they pay."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["buyer_email"].help_text = _(
            "Your receipt and your access to the course are sent here."
        )
