from __future__ import annotations

import zoneinfo
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from .roles import Role


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a time zone."), params={"value": value})


TIME_ZONE_CHOICES = sorted((tz, tz.replace("_", " ")) for tz in zoneinfo.available_timezones())

slug_validator = RegexValidator(
    r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$",
    _("Use 1–40 lowercase letters, digits or hyphens, not starting or ending with a hyphen."),
)


class RankTerm(models.TextChoices):
    BELTS = "belts", _("Belts")
    RANKINGS = "rankings", _("Rankings")
    CHALLENGES = "challenges", _("Challenges")
    CUSTOM = "custom", _("Our own word")


class Workspace(models.Model):
    """A coaching business: the tenant every other row belongs to."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("address"), max_length=40, unique=True, validators=[slug_validator])
    custom_domain = models.CharField(
        _("custom domain"), max_length=253, unique=True, null=True, blank=True
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    default_language = models.CharField(
        _("default language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    ranks_enabled = models.BooleanField(
        _("ranks switched on"),
        default=False,
        help_text=_("Belts, rankings or challenges: promote clients through ranks."),
    )
    rank_term = models.CharField(
        _("word for ranks"), max_length=16, choices=RankTerm.choices, default=RankTerm.BELTS
    )
    rank_term_custom = models.CharField(_("your own word for ranks"), max_length=40, blank=True)
    rank_term_custom_one = models.CharField(
        _("…and for one of them"),
        max_length=40,
        blank=True,
        help_text=_("The singular, as in “Add a …”, e.g. “cinturón” for “Cinturones”."),
    )
    # Messaging (DESIGN.md "Messaging and the coach inbox").
    peer_messaging_enabled = models.BooleanField(
        _("clients may write to each other"),
        default=False,
        help_text=_("Only clients of the same program, in cohorts that allow it."),
    )
    response_target_hours = models.PositiveSmallIntegerField(
        _("response target (hours)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
        help_text=_("Every client message is answered within this time."),
    )
    response_goal_hours = models.PositiveSmallIntegerField(
        _("response goal (hours)"),
        default=9,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
        help_text=_("What coaches aim for; no longer than the target."),
    )
    attachment_max_mb = models.PositiveSmallIntegerField(
        _("largest attachment (MB)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    attachment_types = models.CharField(
        _("attachment types allowed"),
        max_length=300,
        default="pdf,png,jpg,jpeg,gif,webp,txt,csv,doc,docx,xls,xlsx,mp3,m4a,mp4",
        help_text=_("File name endings, separated by commas."),
    )
    unread_email_minutes = models.PositiveSmallIntegerField(
        _("email about unread messages after (minutes)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(1440)],
    )
    audit_sample_per_week = models.PositiveSmallIntegerField(
        _("replies sampled for audit per coach and week"),
        default=5,
        validators=[MaxValueValidator(100)],
    )
    # Sessions (issue #5): cancelling an accepted session this long before it starts gives
    # its package credit back; later, the session counts as used.
    session_cancel_cutoff_hours = models.PositiveSmallIntegerField(
        _("free cancellation until (hours before a session)"),
        default=24,
        validators=[MaxValueValidator(720)],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.custom_domain:
            self.custom_domain = self.custom_domain.strip().lower().rstrip(".")
        if self.rank_term == RankTerm.CUSTOM and not self.rank_term_custom.strip():
            raise ValidationError({"rank_term_custom": _("Write the word you use for ranks.")})
        goal, target = self.response_goal_hours, self.response_target_hours
        if goal and target and goal > target:
            raise ValidationError(
                {"response_goal_hours": _("The goal can't be longer than the target.")}
            )
        types = {t.strip().lower().lstrip(".") for t in self.attachment_types.split(",")}
        self.attachment_types = ",".join(sorted(t for t in types if t))

    @property
    def attachment_extensions(self) -> frozenset[str]:
        return frozenset(t for t in self.attachment_types.split(",") if t)

    @property
    def rank_word(self) -> str:
        """The workspace's own word for ranks, as shown in pages, emails and reports."""
        if self.rank_term == RankTerm.CUSTOM:
            return self.rank_term_custom
        return str(RankTerm(self.rank_term).label)

    @property
    def rank_word_one(self) -> str:
        """One rank in the workspace's words, for sentences: "belt", or its own singular."""
        from django.utils.translation import pgettext

        built_in = {
            RankTerm.BELTS: pgettext("one of the workspace's ranks", "belt"),
            RankTerm.RANKINGS: pgettext("one of the workspace's ranks", "ranking"),
            RankTerm.CHALLENGES: pgettext("one of the workspace's ranks", "challenge"),
        }
        if self.rank_term == RankTerm.CUSTOM:
            return self.rank_term_custom_one or self.rank_term_custom
        return built_in[RankTerm(self.rank_term)]

    @property
    def host(self) -> str:
        if self.custom_domain:
            return self.custom_domain
        return f"{self.slug}.{settings.ASCEND_BASE_DOMAIN}"


class Membership(models.Model):
    """A person's place in a workspace: the roles they hold there.

    Removing a member keeps the row (and everything they did) and stamps
    ``removed_at``; only active memberships grant access.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    is_owner = models.BooleanField(default=False)
    is_admin = models.BooleanField(default=False)
    is_coach = models.BooleanField(default=False)
    is_head_coach = models.BooleanField(default=False)
    is_supervisor = models.BooleanField(default=False)
    is_attendant = models.BooleanField(default=False)
    is_auditor = models.BooleanField(default=False)
    is_operator = models.BooleanField(default=False)
    is_client = models.BooleanField(default=False)
    team_leader = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_coaches",
        verbose_name=_("head coach"),
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["user__full_name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="membership_once"),
            models.CheckConstraint(
                condition=~(Q(is_coach=True) & Q(is_client=True)),
                name="membership_coach_not_client",
            ),
            models.CheckConstraint(
                condition=Q(is_head_coach=False) | Q(is_coach=True),
                name="membership_head_coach_is_coach",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.workspace}"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(role for role in Role if getattr(self, f"is_{role.value}"))

    def set_roles(self, roles: Iterable[Role]) -> None:
        chosen = set(roles)
        for role in Role:
            setattr(self, f"is_{role.value}", role in chosen)

    @property
    def roles_display(self) -> list[str]:
        from .roles import role_labels

        return role_labels(self.roles)

    @property
    def is_staff_member(self) -> bool:
        return bool(self.roles - {Role.CLIENT})


def role_filter(role: Role) -> Q:
    """The query condition "holds this role"."""
    return Q(**{f"is_{role.value}": True})
