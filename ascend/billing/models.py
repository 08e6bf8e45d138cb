from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class MembershipPlan(models.Model):
    """A membership a client subscribes to; subscribing opens each of its programs."""

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    programs = models.ManyToManyField(
        "programs.Program", related_name="plans", verbose_name=_("programs")
    )
    is_active = models.BooleanField(_("on sale"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Subscription(models.Model):
    """A client's membership. Ending it keeps the row, as history."""

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    plan = models.ForeignKey(MembershipPlan, on_delete=models.PROTECT, related_name="subscriptions")
    client = models.ForeignKey(
        "tenancy.Membership", on_delete=models.PROTECT, related_name="subscriptions"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "client"],
                condition=Q(ended_at__isnull=True),
                name="one_active_subscription_per_plan",
            )
        ]

    def __str__(self) -> str:
        return f"{self.client.user} · {self.plan}"
