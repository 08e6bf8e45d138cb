"""Message audits: an auditor grades a coach's reply; the coach acknowledges and follows up."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class Grade(models.TextChoices):
    OUTSTANDING = "outstanding", _("Outstanding")
    SUGGESTION = "suggestion", _("Suggestion")
    NEEDS_IMPROVEMENT = "needs_improvement", _("Needs improvement")


# The colour each grade is shown in (DESIGN.md): green, blue, yellow.
GRADE_COLOURS = {
    Grade.OUTSTANDING: "green",
    Grade.SUGGESTION: "blue",
    Grade.NEEDS_IMPROVEMENT: "yellow",
}


class Audit(models.Model):
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    message = models.OneToOneField(
        "messaging.Message", on_delete=models.CASCADE, related_name="audit"
    )
    conversation = models.ForeignKey(
        "messaging.Conversation", on_delete=models.CASCADE, related_name="audits"
    )
    # The coach who wrote the reply, and the auditor who graded it.
    coach = models.ForeignKey("tenancy.Membership", on_delete=models.PROTECT, related_name="+")
    auditor = models.ForeignKey("tenancy.Membership", on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices)
    feedback = models.TextField(_("feedback"))
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    # The coach's first message in the conversation within 24 h of the audit, if any.
    followed_up_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["workspace", "coach", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_grade_display()} · {self.message_id}"

    @property
    def colour(self) -> str:
        return GRADE_COLOURS[Grade(self.grade)]
