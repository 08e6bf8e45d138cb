from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #1f6feb."))


class RankCategory(models.Model):
    """A ladder of ranks (e.g. Karate belts), with how promotions happen and who hears of them."""

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=120)
    auto_promote = models.BooleanField(
        _("promote automatically"),
        default=False,
        help_text=_(
            "When a client meets the criteria: promote them at once, or mark them "
            "eligible and tell the people chosen below."
        ),
    )
    # Staff role values (see tenancy.roles.Role) told when a client becomes eligible.
    notify_roles = models.JSONField(_("staff told of eligibility"), default=list, blank=True)
    notify_client = models.BooleanField(_("tell the client"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "name"],
                condition=Q(archived_at__isnull=True),
                name="rank_category_name_once",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Rank(models.Model):
    """One step of a category. ``position`` orders the ladder: the next rank is the next position.

    Criteria: visits since entering the rank, days in the rank, both, or neither
    (promotion by hand only).
    """

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    category = models.ForeignKey(RankCategory, on_delete=models.CASCADE, related_name="ranks")
    name = models.CharField(_("name"), max_length=120)
    colour = models.CharField(
        _("colour"), max_length=7, default="#9aa4b2", validators=[colour_validator]
    )
    position = models.PositiveSmallIntegerField(_("order"))
    min_visits = models.PositiveIntegerField(
        _("visits needed"),
        null=True,
        blank=True,
        help_text=_(
            "Visits since entering this rank before the next one. Empty: no visit criterion."
        ),
    )
    min_days = models.PositiveIntegerField(
        _("days needed"),
        null=True,
        blank=True,
        help_text=_("Days in this rank before the next one. Empty: no time criterion."),
    )

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["category", "position"]
        constraints = [
            models.UniqueConstraint(fields=["category", "position"], name="rank_position_once"),
        ]

    def __str__(self) -> str:
        return self.name


class Visit(models.Model):
    """One attendance: a client came to a class or session. Corrections keep who and when."""

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    client = models.ForeignKey(
        "tenancy.Membership", on_delete=models.PROTECT, related_name="visits"
    )
    occurred_at = models.DateTimeField(_("when"), db_index=True)
    class_name = models.CharField(_("class"), max_length=120, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    corrected_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    correction_note = models.CharField(_("reason"), max_length=200, blank=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["client", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.client.user} · {self.occurred_at:%Y-%m-%d}"


class PromotionKind(models.TextChoices):
    AUTOMATIC = "automatic", _("Automatic")
    MANUAL = "manual", _("By hand")
    MASS = "mass", _("Mass promotion")


class RankHolding(models.Model):
    """A client holding a rank of a category from ``started_on`` until ``ended_at``.

    The open holding (no ``ended_at``) is the client's current rank; closed ones are
    the history. Started dates are the workspace's calendar days.
    """

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    client = models.ForeignKey(
        "tenancy.Membership", on_delete=models.PROTECT, related_name="rank_holdings"
    )
    category = models.ForeignKey(RankCategory, on_delete=models.CASCADE, related_name="holdings")
    rank = models.ForeignKey(Rank, on_delete=models.PROTECT, related_name="holdings")
    started_on = models.DateField(_("since"))
    started_at = models.DateTimeField(_("counted from"))
    ended_at = models.DateTimeField(null=True, blank=True)
    kind = models.CharField(max_length=16, choices=PromotionKind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "category"],
                condition=Q(ended_at__isnull=True),
                name="one_current_rank_per_category",
            )
        ]

    def __str__(self) -> str:
        return f"{self.client.user} · {self.rank}"


class Eligibility(models.Model):
    """A client meeting the criteria for the next rank (categories without auto-promotion).

    One per holding; ``notified_at`` is stamped when the notices go out, so each
    eligibility is announced once however often the evaluation runs.
    """

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    holding = models.OneToOneField(
        RankHolding, on_delete=models.CASCADE, related_name="eligibility"
    )
    next_rank = models.ForeignKey(Rank, on_delete=models.CASCADE, related_name="+")
    detected_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(workspace="workspace")

    def __str__(self) -> str:
        return f"{self.holding.client.user} → {self.next_rank}"


class HoldingDateChange(models.Model):
    """An admin's correction of when a client entered a rank, kept as history."""

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    holding = models.ForeignKey(RankHolding, on_delete=models.CASCADE, related_name="date_changes")
    before = models.DateField()
    after = models.DateField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=200, blank=True)

    objects = ScopedManager(workspace="workspace")

    def __str__(self) -> str:
        return f"{self.before} → {self.after}"
