"""Forms of the team portal's ranks pages. They read input; the actions decide the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from ascend.tenancy.roles import STAFF_ROLES, Role

from .models import Rank, RankCategory

# The staff roles a category can tell of eligibility, in the order of the roles table.
STAFF_ROLE_CHOICES = [(r.value, r.label) for r in Role if r in STAFF_ROLES]


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, help_text=_("For example: Karate."))
    auto_promote = forms.BooleanField(
        label=_("Promote automatically"),
        required=False,
        help_text=_(
            "On: a client who meets the criteria moves up at once. "
            "Off: they are marked eligible and the people below are told."
        ),
    )
    notify_roles = forms.MultipleChoiceField(
        label=_("Staff told when a client becomes eligible"),
        choices=STAFF_ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notify_client = forms.BooleanField(
        label=_("Tell the client when they become eligible"), required=False
    )

    @staticmethod
    def initial_for(category: RankCategory) -> dict[str, Any]:
        return {
            "name": category.name,
            "auto_promote": category.auto_promote,
            "notify_roles": list(category.notify_roles),
            "notify_client": category.notify_client,
        }


class ColourInput(forms.TextInput):
    input_type = "color"


class RankForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    colour = forms.RegexField(
        label=_("Colour"),
        regex=r"^#[0-9a-fA-F]{6}$",
        initial="#9aa4b2",
        widget=ColourInput,
        error_messages={"invalid": _("Use a colour like #1f6feb.")},
    )
    min_visits = forms.IntegerField(
        label=_("Visits needed"),
        required=False,
        min_value=0,
        help_text=_("Visits in this rank before the next one. Leave empty for no visit count."),
    )
    min_days = forms.IntegerField(
        label=_("Days needed"),
        required=False,
        min_value=0,
        help_text=_("Days in this rank before the next one. Leave empty for no waiting time."),
    )

    def __init__(self, *args: Any, one_word: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if one_word:
            self.fields["name"].label = _("Name of the %(one)s") % {"one": one_word}
        # The browser refuses a negative number too; the server says why.
        for name in ("min_visits", "min_days"):
            self.fields[name].error_messages["min_value"] = _("Use zero or more.")

    @staticmethod
    def initial_for(rank: Rank) -> dict[str, Any]:
        return {
            "name": rank.name,
            "colour": rank.colour,
            "min_visits": rank.min_visits,
            "min_days": rank.min_days,
        }


class ReorderForm(forms.Form):
    """The ladder's new order as rank ids, bottom first (from a drag or a script)."""

    order = forms.CharField(max_length=2000)

    def clean_order(self) -> list[int]:
        parts = [p.strip() for p in self.cleaned_data["order"].split(",") if p.strip()]
        if not all(p.isdigit() for p in parts):
            raise forms.ValidationError(
                _("The new order must list each rank of the category once."), code="order_clash"
            )
        return [int(p) for p in parts]


class AssignRankForm(forms.Form):
    rank = forms.ModelChoiceField(queryset=Rank.objects.none(), empty_label=None)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(
        self, *args: Any, ranks: QuerySet[Rank] | list[Rank], one_word: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["rank"]
        if isinstance(ranks, list):
            # Ranks already loaded for the page: choices without another query.
            field.queryset = Rank.objects.filter(pk__in=[r.pk for r in ranks])
            field.choices = [(r.pk, r.name) for r in ranks]
        else:
            field.queryset = ranks
        field.label = capfirst(one_word)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class HoldingDateForm(forms.Form):
    started_on = forms.DateField(
        label=_("Since"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=200,
        help_text=_("Kept with the change, for the history."),
    )


class ReportFilterForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=RankCategory.objects.none(), required=False
    )
    rank = forms.ModelChoiceField(label="", queryset=Rank.objects.none(), required=False)
    since = forms.DateField(
        label=_("Promoted from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label=_("Promoted until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(
        self,
        *args: Any,
        categories: list[RankCategory],
        one_word: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        ranks = [r for c in categories for r in c.ranks.all()]
        category = self.fields["category"]
        category.queryset = RankCategory.objects.filter(pk__in=[c.pk for c in categories])
        category.choices = [("", _("All categories"))] + [(c.pk, c.name) for c in categories]
        rank = self.fields["rank"]
        rank.label = capfirst(one_word)
        rank.queryset = Rank.objects.filter(pk__in=[r.pk for r in ranks])
        label = len(categories) > 1
        rank.choices = [("", pgettext("every rank", "All"))] + [
            (r.pk, f"{r.category.name} · {r.name}" if label else r.name) for r in ranks
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end of the period is before its start."))
        return data
