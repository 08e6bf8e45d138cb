"""The course portal: products, courses, modules, lessons, learner access and progress.

DESIGN.md "Course portal" and seed 003. A **product** is what a learner is given
or buys; it opens its courses, each made of ordered modules of ordered lessons.
A learner is a client member of the workspace; ``LearnerAccess`` says which
products they may open and until when. Lessons may be released some days after
the learner's access starts (drip, ``rules.release_date``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

MAX_RELEASE_DAYS = 3650


class CommentModeration(models.TextChoices):
    AUTOMATIC = "automatic", _("Automatic: comments are published at once")
    MANUAL = "manual", _("Manual: comments wait for approval")


ga_id_validator = RegexValidator(
    r"^G-[A-Z0-9]{4,20}$", _("A measurement id looks like G-XXXXXXXXXX.")
)
pixel_id_validator = RegexValidator(r"^[0-9]{5,20}$", _("A pixel id is 5–20 digits."))
domain_validator = RegexValidator(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
    _("Write a domain name such as help.example.com."),
)


class PortalSettings(models.Model):
    """The course portal's settings: comment moderation and the integrations.

    One row per workspace, made on first use (``queries.portal_settings``). Each
    integration is rendered into learner pages only when set, and the content
    security policy then allows exactly its hosts.
    """

    workspace = models.OneToOneField(
        "tenancy.Workspace", on_delete=models.CASCADE, related_name="portal_settings"
    )
    comment_moderation = models.CharField(
        _("comment moderation"),
        max_length=16,
        choices=CommentModeration.choices,
        default=CommentModeration.MANUAL,
    )
    helpdesk_domain = models.CharField(
        _("help-desk domain"), max_length=253, blank=True, validators=[domain_validator]
    )
    helpdesk_secret = models.CharField(
        _("help-desk shared secret"),
        max_length=200,
        blank=True,
        help_text=_("Signs the single sign-on link that takes learners to the help desk."),
    )
    analytics_measurement_id = models.CharField(
        _("analytics measurement id"), max_length=24, blank=True, validators=[ga_id_validator]
    )
    ad_pixel_id = models.CharField(
        _("ad pixel id"), max_length=20, blank=True, validators=[pixel_id_validator]
    )

    objects = ScopedManager(workspace="workspace")

    def __str__(self) -> str:
        return f"portal settings · {self.workspace_id}"

    @property
    def helpdesk_enabled(self) -> bool:
        return bool(self.helpdesk_domain and self.helpdesk_secret)


class Product(models.Model):
    """What a learner is given or buys: it opens its courses."""

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    price = models.DecimalField(
        _("price"), max_digits=10, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    # How long a purchase or a grant lasts by default; empty: no end.
    access_days = models.PositiveIntegerField(
        _("access lasts (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RELEASE_DAYS)],
        help_text=_("Leave empty for access with no end."),
    )
    is_active = models.BooleanField(_("on sale"), default=True)
    # The public payment link's reference (/buy/<token>/); unguessable.
    payment_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="product_name_once"),
            models.CheckConstraint(condition=Q(price__gte=0), name="product_price_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


class Course(models.Model):
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="courses", verbose_name=_("product")
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(default=0)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Module(models.Model):
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(_("title"), max_length=150)
    position = models.PositiveIntegerField(default=0)
    release_after_days = models.PositiveIntegerField(
        _("released after (days)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_RELEASE_DAYS)],
        help_text=_("Days after the learner's access starts; empty: at once."),
    )

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Lesson(models.Model):
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(_("title"), max_length=150)
    # Shown embedded; only YouTube, Vimeo and Wistia addresses (``rules.embed_url``).
    video_url = models.URLField(_("video address"), blank=True)
    # Markdown, rendered and cleaned by nh3 when shown (lib.markup).
    body = models.TextField(_("text"), blank=True)
    position = models.PositiveIntegerField(default=0)
    release_after_days = models.PositiveIntegerField(
        _("released after (days)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_RELEASE_DAYS)],
        help_text=_("Days after the learner's access starts; empty: with its module."),
    )
    comments_enabled = models.BooleanField(_("comments on"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


def lesson_file_path(instance: LessonFile, filename: str) -> str:
    return f"lessons/{instance.workspace_id}/{uuid.uuid4().hex}/{filename}"


class LessonFile(models.Model):
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=lesson_file_path, max_length=300)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class AccessSource(models.TextChoices):
    MANUAL = "manual", _("Given by hand")
    IMPORT = "import", _("Imported")
    PURCHASE = "purchase", _("Bought")


class LearnerAccess(models.Model):
    """A learner's access to one product, from ``starts_at`` until ``expires_at`` (if any).

    Removing access stamps ``removed_at`` and keeps the row, its progress and
    dates; giving it again reopens the same row. ``first_accessed_at`` and
    ``last_accessed_at`` are the learner's first and latest visit to the product.
    """

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    learner = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="course_accesses"
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="accesses")
    source = models.CharField(max_length=16, choices=AccessSource.choices)
    starts_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("access until"), null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    order = models.ForeignKey(
        "billing.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    first_accessed_at = models.DateTimeField(null=True, blank=True)
    last_accessed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["learner", "product"], name="access_once_per_product")
        ]
        indexes = [models.Index(fields=["workspace", "product", "removed_at"])]

    def __str__(self) -> str:
        return f"{self.learner_id} · {self.product_id}"

    def is_open(self, now=None) -> bool:  # type: ignore[no-untyped-def]
        now = now or timezone.now()
        return self.removed_at is None and (self.expires_at is None or self.expires_at > now)


class LessonProgress(models.Model):
    """What a learner did with a lesson: viewed (first and last time), completed."""

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    learner = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    first_viewed_at = models.DateTimeField(default=timezone.now)
    last_viewed_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "lesson"], name="progress_once_per_lesson")
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} · {self.lesson_id}"


class CommentState(models.TextChoices):
    IN_REVIEW = "in_review", pgettext_lazy("comment state", "In review")
    APPROVED = "approved", pgettext_lazy("comment state", "Approved")
    REJECTED = "rejected", pgettext_lazy("comment state", "Rejected")
    SPAM = "spam", pgettext_lazy("comment state", "Spam")


class Comment(models.Model):
    """A comment on a lesson; a staff reply has a ``parent`` and is approved at once."""

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="lesson_comments"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    body = models.TextField(_("comment"), max_length=5000)
    state = models.CharField(
        max_length=16, choices=CommentState.choices, default=CommentState.IN_REVIEW
    )
    created_at = models.DateTimeField(default=timezone.now)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["workspace", "state", "created_at"])]

    def __str__(self) -> str:
        return self.body[:40]


class LessonRating(models.Model):
    """One learner's 1–5 stars for a lesson; rating again changes it."""

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="ratings")
    learner = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="lesson_ratings"
    )
    stars = models.PositiveSmallIntegerField(
        _("stars"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lesson", "learner"], name="rating_once_per_lesson"),
            models.CheckConstraint(
                condition=Q(stars__gte=1) & Q(stars__lte=5), name="rating_one_to_five"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lesson_id} · {self.stars}"


class Announcement(models.Model):
    """Written by staff, shown to learners while enabled until each learner dismisses it."""

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    # Empty: every learner; else only learners with access to this product.
    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="announcements",
        verbose_name=_("product"),
    )
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("text"), blank=True)
    is_enabled = models.BooleanField(_("shown to learners"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class AnnouncementDismissal(models.Model):
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="dismissals"
    )
    learner = models.ForeignKey("tenancy.Membership", on_delete=models.CASCADE, related_name="+")
    dismissed_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "learner"], name="announcement_dismissed_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id} · {self.learner_id}"


class EmailCorrection(models.Model):
    """A learner's address corrected by staff (after a bounce): the old one is kept here."""

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    learner = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="email_corrections"
    )
    old_email = models.EmailField()
    new_email = models.EmailField()
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    corrected_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["-corrected_at", "-id"]

    def __str__(self) -> str:
        return f"{self.old_email} → {self.new_email}"
