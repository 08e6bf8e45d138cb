"""Forms of the team portal's program pages. They read input; the actions decide the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ascend.tenancy.models import Membership

from .models import Cohort, CohortKind, HabitSchedule, ProgramStatus

WEEKDAY_CHOICES = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]

WEEKDAY_SHORT = [
    ("0", _("Mon")),
    ("1", _("Tue")),
    ("2", _("Wed")),
    ("3", _("Thu")),
    ("4", _("Fri")),
    ("5", _("Sat")),
    ("6", _("Sun")),
]


def person_label(membership: Membership) -> str:
    return f"{membership.user} ({membership.user.email})"


class ProgramForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    duration_days = forms.IntegerField(
        label=_("Length in days"),
        min_value=1,
        max_value=3650,
        help_text=_("How long the program runs from each client's start date."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ProgramStatus.choices,
        help_text=_("Clients can be enrolled only in a published program."),
    )


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_after_days = forms.IntegerField(
        label=_("Due after (days)"),
        min_value=0,
        help_text=_("Days after the client's start date."),
    )


class HabitForm(forms.Form):
    title = forms.CharField(label=_("Habit"), max_length=200)
    schedule = forms.ChoiceField(label=_("Schedule"), choices=HabitSchedule.choices)
    weekdays = forms.MultipleChoiceField(
        label=_("Weekdays"),
        choices=WEEKDAY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For “On chosen weekdays”."),
    )
    interval_days = forms.IntegerField(
        label=_("Every how many days"),
        min_value=1,
        max_value=365,
        required=False,
        help_text=_("For “Every few days”."),
    )
    duration_days = forms.IntegerField(
        label=_("For how many days"),
        min_value=1,
        max_value=3650,
        required=False,
        help_text=_("Leave empty to keep the habit until the program ends."),
    )

    def action_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "schedule": data["schedule"],
            "weekdays": "".join(data["weekdays"]),
            "interval_days": data["interval_days"],
            "duration_days": data["duration_days"],
        }


class CohortForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    coach = forms.ModelChoiceField(label=_("Coach"), queryset=Membership.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind"), choices=CohortKind.choices, widget=forms.RadioSelect, initial="rolling"
    )
    start_date = forms.DateField(
        label=_("Start date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For a fixed cohort: enrolment closes on this date."),
    )
    capacity = forms.IntegerField(
        label=_("Capacity"), min_value=1, required=False, help_text=_("Leave empty for no limit.")
    )
    is_open = forms.BooleanField(label=_("Open for enrolment"), required=False, initial=True)
    messaging_enabled = forms.BooleanField(label=_("Messaging"), required=False, initial=True)
    peer_messaging_enabled = forms.BooleanField(
        label=_("Clients may write to each other"),
        required=False,
        help_text=_("Also needs the workspace setting."),
    )
    appointments_enabled = forms.BooleanField(label=_("Appointments"), required=False)
    booking_url = forms.URLField(
        label=_("Booking page"),
        required=False,
        assume_scheme="https",
        help_text=_("Where clients book an appointment, e.g. your scheduler's page."),
    )

    FIELDS = [
        "name",
        "coach",
        "kind",
        "start_date",
        "capacity",
        "is_open",
        "messaging_enabled",
        "peer_messaging_enabled",
        "appointments_enabled",
        "booking_url",
    ]

    def __init__(self, *args, coaches=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if coaches is not None:
            self.fields["coach"].queryset = coaches
        self.fields["coach"].label_from_instance = lambda m: str(m.user)

    @classmethod
    def initial_for(cls, cohort: Cohort) -> dict:
        return {name: getattr(cohort, name) for name in cls.FIELDS}


class CohortFilterForm(forms.Form):
    program = forms.ModelChoiceField(
        label=_("Program"), queryset=None, required=False, empty_label=_("All programs")
    )
    coach = forms.ModelChoiceField(
        label=_("Coach"), queryset=None, required=False, empty_label=_("All coaches")
    )

    def __init__(self, *args, programs, coaches, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["coach"].queryset = coaches
        self.fields["coach"].label_from_instance = lambda m: str(m.user)


class ClientFilterForm(CohortFilterForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)

    field_order = ["q", "program", "coach"]


class AddCoachForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("Member"),
        queryset=Membership.objects.none(),
        help_text=_("A team member who isn't a coach yet. Clients can't become coaches."),
    )

    def __init__(self, *args, candidates=None, shown=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        if candidates is not None:
            field.queryset = candidates
        field.label_from_instance = person_label
        if shown is not None:
            # Every non-coach member is accepted (so a client posted gets the rule's reason),
            # but only staff are offered: a client list could run to thousands.
            field.widget.choices = [("", "---------")] + [(m.pk, person_label(m)) for m in shown]


class AddClientForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("Email"))


class EnrollForm(forms.Form):
    cohort = forms.ModelChoiceField(label=_("Cohort"), queryset=Cohort.objects.none())

    def __init__(self, *args, cohorts=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if cohorts is not None:
            self.fields["cohort"].queryset = cohorts
        self.fields["cohort"].label_from_instance = lambda c: (
            f"{c.program} · {c.name} ({c.coach.user})"
        )


class AssignCohortForm(EnrollForm):
    pass


class SubscribeForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Membership"), queryset=None)

    def __init__(self, *args, plans, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
