"""Forms of the support pages: asking, replying, answering, rating, and the queue's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ascend.courses.models import Lesson

from .actions import MESSAGE_MAX_LENGTH, SUBJECT_MAX_LENGTH
from .models import RequestStatus


def lesson_label(lesson: Lesson) -> str:
    return f"{lesson.module.course.product.name} · {lesson.module.title} · {lesson.title}"


class AskForm(forms.Form):
    subject = forms.CharField(
        label=_("Subject"),
        max_length=SUBJECT_MAX_LENGTH,
        help_text=_("In a few words, e.g. “The video of lesson 3 doesn't play”."),
    )
    lesson = forms.ModelChoiceField(
        label=_("About a lesson (optional)"),
        queryset=Lesson.objects.none(),
        required=False,
        empty_label=_("No lesson in particular"),
    )
    body = forms.CharField(
        label=_("Your question"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, lessons: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field: forms.ModelChoiceField = self.fields["lesson"]  # type: ignore[assignment]
        field.queryset = lessons
        field.label_from_instance = lesson_label  # type: ignore[method-assign]


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The learner is emailed a link to read it. Markdown works."),
    )


STARS = [(n, "★" * n) for n in range(1, 6)]


class RatingForm(forms.Form):
    # The action checks the range, so that 0 or 6 get the same message as in the API.
    rating = forms.IntegerField(label=_("How helpful was the answer?"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["rating"].widget.choices = STARS  # type: ignore[attr-defined]


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *RequestStatus.choices],
    )
    answered_by = forms.ChoiceField(label=_("Answered by"), required=False)
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Subject, learner's name or email")}
        ),
    )

    def __init__(self, *args: Any, answerers: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["answered_by"].choices = [  # type: ignore[attr-defined]
            ("", _("Anyone")),
            ("none", _("Not answered yet")),
            *[(str(m.pk), str(m.user)) for m in answerers],
        ]
