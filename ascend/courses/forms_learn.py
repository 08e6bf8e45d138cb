"""The learner's forms: a lesson's rating and a comment. The rules are the actions'
(``actions_learn``); the forms only carry the input and show the messages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .actions_learn import COMMENT_MAX


class RatingForm(forms.Form):
    # Checked by ``do_rate_lesson`` so a 0 or a 6 gets its message and code there.
    stars = forms.CharField(label=_("Your rating"), required=False, max_length=3)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX}),
    )
