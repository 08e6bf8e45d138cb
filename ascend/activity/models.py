from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from .verbs import Verb


class Event(models.Model):
    """One typed thing that happened in a workspace: who did what to what, and when."""

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # No choices here: apps add verbs without a migration; record_event accepts only Verb members.
    verb = models.CharField(_("type"), max_length=64)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["workspace", "verb", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.verb_label}: {self.target_label}"

    @property
    def verb_label(self) -> str:
        try:
            return str(Verb(self.verb).label)
        except ValueError:
            return self.verb
