from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TIME_ZONE_CHOICES, Membership, Workspace
from .roles import INVITABLE_STAFF_ROLES, Role

STAFF_ROLE_CHOICES = [(r.value, r.label) for r in Role if r in INVITABLE_STAFF_ROLES]
ALL_ROLE_CHOICES = [(r.value, r.label) for r in Role]


class InviteStaffForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    full_name = forms.CharField(label=_("Name"), max_length=150, required=False)
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=STAFF_ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role.")},
    )


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=ALL_ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role.")},
    )
    team_leader = forms.ModelChoiceField(
        label=_("Head coach"),
        queryset=Membership.objects.none(),
        required=False,
        help_text=_("For coaches: the head coach who supervises their inbox and audits."),
    )

    def __init__(self, *args, leaders=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if leaders is not None:
            self.fields["team_leader"].queryset = leaders
            self.fields["team_leader"].label_from_instance = lambda m: str(m.user)


class WorkspaceSettingsForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES)

    class Meta:
        model = Workspace
        fields = [
            "name",
            "time_zone",
            "default_language",
            "custom_domain",
            "ranks_enabled",
            "rank_term",
            "rank_term_custom",
            "rank_term_custom_one",
            "peer_messaging_enabled",
            "response_target_hours",
            "response_goal_hours",
            "attachment_max_mb",
            "attachment_types",
            "unread_email_minutes",
            "audit_sample_per_week",
            "session_cancel_cutoff_hours",
        ]
        help_texts = {
            "custom_domain": _(
                "Optional, e.g. coaching.example.com. Point its DNS at Ascend first."
            ),
        }
