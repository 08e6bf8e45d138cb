"""Session requests: a client asks for a time, the coach accepts, proposes another or declines.

An accepted session takes a credit from the client's packages; cancelling before
the workspace's cut-off gives it back.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class SessionStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    PROPOSED = "proposed", _("Another time proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class SessionRequest(models.Model):
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    client = models.ForeignKey(
        "tenancy.Membership", on_delete=models.PROTECT, related_name="session_requests"
    )
    coach = models.ForeignKey(
        "tenancy.Membership", on_delete=models.PROTECT, related_name="sessions_to_give"
    )
    starts_at = models.DateTimeField(_("when"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"),
        default=60,
        validators=[MinValueValidator(15), MaxValueValidator(240)],
    )
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        max_length=16, choices=SessionStatus.choices, default=SessionStatus.REQUESTED
    )
    # The coach's counter-proposal, waiting for the client's answer.
    proposed_starts_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=300, blank=True)
    credit_use = models.OneToOneField(
        "billing.CreditUse", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Whether the cancellation gave the credit back (before the cut-off).
    credit_returned = models.BooleanField(default=False)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["workspace", "coach", "status"]),
            models.Index(fields=["workspace", "client", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.client_id} with {self.coach_id} at {self.starts_at:%Y-%m-%d %H:%M}"
