"""Support requests: a learner asks (from a lesson or the portal), an attendant answers.

DESIGN.md "Course portal" and seed 003. A request is a thread of messages; once
staff have answered, the learner may rate the answer 1–5. The rating counts for
the staff member who answered last (``answered_by``), in the reports.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager


class RequestStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("support request status", "Waiting for an answer")
    ANSWERED = "answered", pgettext_lazy("support request status", "Answered")
    CLOSED = "closed", pgettext_lazy("support request status", "Closed")


class SupportRequest(models.Model):
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    learner = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="support_requests"
    )
    # Asked from a lesson page; empty when asked from the portal.
    lesson = models.ForeignKey(
        "courses.Lesson",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_requests",
        verbose_name=_("lesson"),
    )
    subject = models.CharField(_("subject"), max_length=150)
    status = models.CharField(
        max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    answered_by = models.ForeignKey(
        "tenancy.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="answered_support_requests",
    )
    created_at = models.DateTimeField(default=timezone.now)
    first_answered_at = models.DateTimeField(null=True, blank=True)
    last_message_at = models.DateTimeField(default=timezone.now)
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rated_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["-last_message_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | (Q(rating__gte=1) & Q(rating__lte=5)),
                name="support_rating_one_to_five",
            )
        ]
        indexes = [models.Index(fields=["workspace", "status", "last_message_at"])]

    def __str__(self) -> str:
        return self.subject


class SupportMessage(models.Model):
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey("tenancy.Membership", on_delete=models.CASCADE, related_name="+")
    # Written by staff (an answer) or by the learner.
    from_staff = models.BooleanField(default=False)
    body = models.TextField(_("message"), max_length=10000)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:40]
