"""Forms of the messaging pages. The rules (empty text, file types and sizes, who may write to
whom) live in ``actions`` and ``access``; the forms only carry what was typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ascend.programs.models import Cohort
from ascend.tenancy.models import Membership

from .actions import MAX_FILES
from .queries import InboxState

COHORT_PREFIX = "cohort-"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; their types and sizes are checked by the action."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def _files_field() -> MultipleFileField:
    return MultipleFileField(label=_("Attach files"))


def _body_field(label: Any) -> forms.CharField:
    # Not required here: the action says "Write something first." with its own code.
    return forms.CharField(
        label=label,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown works: **bold**, _italic_, lists and links."),
    )


class ReplyForm(forms.Form):
    body = _body_field(_("Your message"))
    # Named "files" like the input; Django moves declared fields off the class, so the
    # form's own ``files`` (the uploads) is untouched.
    files = _files_field()  # type: ignore[assignment]

    def __init__(self, *args: Any, max_mb: int | None = None, types: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        if max_mb:
            self.fields["files"].help_text = _(
                "Up to %(n)d files of at most %(mb)d MB each: %(types)s."
            ) % {"n": MAX_FILES, "mb": max_mb, "types": types.replace(",", ", ")}
        else:
            self.fields["files"].help_text = _("Up to %(n)d files.") % {"n": MAX_FILES}


class StaffNoteForm(forms.Form):
    prefix = "note"
    body = _body_field(_("Note for the coaching team"))


class NewMessageForm(ReplyForm):
    """Whom to write to: one person, or the group of a cohort (its own choice group)."""

    recipient = forms.CharField(label=_("To"), widget=forms.Select())

    field_order = ["recipient", "body", "files"]

    def __init__(
        self,
        *args: Any,
        people: QuerySet[Membership] | list[Membership],
        cohorts: QuerySet[Cohort] | list[Cohort],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        person_choices = [(str(m.pk), _person_label(m)) for m in people]
        group_choices = [
            (f"{COHORT_PREFIX}{c.pk}", _("Group: %(cohort)s") % {"cohort": c.name}) for c in cohorts
        ]
        choices: list = [("", _("Choose someone…"))]
        if person_choices:
            choices.append((_("People"), person_choices))
        if group_choices:
            choices.append((_("Groups"), group_choices))
        self.fields["recipient"].widget.choices = choices

    def chosen(self) -> tuple[str, int | None]:
        """("person", membership id), ("cohort", cohort id), or ("", None) when unreadable."""
        value = (self.cleaned_data.get("recipient") or "").strip()
        kind = "person"
        if value.startswith(COHORT_PREFIX):
            kind, value = "cohort", value[len(COHORT_PREFIX) :]
        return (kind, int(value)) if value.isdigit() else ("", None)


def _person_label(member: Membership) -> str:
    if member.is_client:
        return str(member.user)
    if member.is_coach:
        return _("%(name)s (coach)") % {"name": member.user}
    return _("%(name)s (team)") % {"name": member.user}


class InboxFilterForm(forms.Form):
    """The inbox's filters, read from the query string (a plain GET form)."""

    state = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            (InboxState.WAITING.value, _("Waiting")),
            (InboxState.OVERDUE.value, _("Overdue")),
            (InboxState.TARGET.value, _("Within target")),
            (InboxState.GOAL.value, _("Within goal")),
            (InboxState.ALL.value, _("All conversations")),
        ],
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    coach = forms.TypedChoiceField(label=_("Coach"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, coaches: list[Membership] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if coaches is None:
            del self.fields["coach"]
        else:
            coach = self.fields["coach"]
            assert isinstance(coach, forms.TypedChoiceField)
            coach.choices = [("", _("All coaches"))] + [(str(c.pk), str(c.user)) for c in coaches]
