from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Program(models.Model):
    """A coaching program: milestones and habits a client works through from their start date."""

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    duration_days = models.PositiveIntegerField(
        _("length in days"),
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("How long the program runs from each client's start date."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ProgramStatus.choices, default=ProgramStatus.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_days__gte=1) & Q(duration_days__lte=3650),
                name="program_duration_in_range",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    due_after_days = models.PositiveIntegerField(
        _("due after (days)"), help_text=_("Days after the client's start date.")
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["due_after_days", "position", "id"]

    def __str__(self) -> str:
        return self.title


class HabitSchedule(models.TextChoices):
    DAILY = "daily", _("Every day")
    WEEKDAYS = "weekdays", _("On chosen weekdays")
    EVERY_N_DAYS = "every_n_days", _("Every few days")


class Habit(models.Model):
    """Something the client does on a schedule; each due date gets at most one check-in."""

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="habits")
    title = models.CharField(_("title"), max_length=200)
    schedule = models.CharField(_("schedule"), max_length=16, choices=HabitSchedule.choices)
    # Monday = 0 … Sunday = 6, as digits, e.g. "024" for Monday, Wednesday, Friday.
    weekdays = models.CharField(_("weekdays"), max_length=7, blank=True)
    interval_days = models.PositiveSmallIntegerField(
        _("every how many days"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    duration_days = models.PositiveIntegerField(
        _("for how many days"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("Leave empty to keep the habit until the program ends."),
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(schedule="every_n_days") | Q(interval_days__gte=1),
                name="habit_interval_when_every_n_days",
            ),
            models.CheckConstraint(
                condition=~Q(schedule="weekdays") | ~Q(weekdays=""),
                name="habit_weekdays_when_weekdays",
            ),
            models.CheckConstraint(
                condition=Q(duration_days__isnull=True) | Q(duration_days__gte=1),
                name="habit_duration_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CohortKind(models.TextChoices):
    FIXED = "fixed", _("Fixed start date")
    ROLLING = "rolling", _("Rolling: each client starts on enrolment")


class Cohort(models.Model):
    """A group of clients going through one program with exactly one coach."""

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="cohorts")
    coach = models.ForeignKey(
        "tenancy.Membership",
        on_delete=models.PROTECT,
        related_name="coached_cohorts",
        verbose_name=_("coach"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=CohortKind.choices)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no limit."),
    )
    is_open = models.BooleanField(_("open for enrolment"), default=True)
    messaging_enabled = models.BooleanField(_("messaging"), default=True)
    # Clients of the cohort may write to other clients of the same program (when the
    # workspace allows it too).
    peer_messaging_enabled = models.BooleanField(
        _("clients may write to each other"), default=False
    )
    appointments_enabled = models.BooleanField(_("appointments"), default=False)
    booking_url = models.URLField(_("booking page"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["program__title", "start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="fixed") | Q(start_date__isnull=False),
                name="cohort_fixed_has_start_date",
            ),
            models.CheckConstraint(
                condition=Q(appointments_enabled=False) | ~Q(booking_url=""),
                name="cohort_appointments_need_booking_url",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="cohort_capacity_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EnrollmentSource(models.TextChoices):
    MANUAL = "manual", _("Added by staff")
    MEMBERSHIP = "membership", _("Membership")


class Enrollment(models.Model):
    """A client's place in a cohort. Unenrolling stamps ``ended_at``; the row and history stay."""

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrollments")
    # Kept beside the cohort so the database can guard "one active enrolment per program".
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="enrollments")
    client = models.ForeignKey(
        "tenancy.Membership", on_delete=models.PROTECT, related_name="enrollments"
    )
    start_date = models.DateField(_("start date"))
    source = models.CharField(max_length=16, choices=EnrollmentSource.choices)
    subscription = models.ForeignKey(
        "billing.Subscription",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrollments",
    )
    enrolled_at = models.DateTimeField(auto_now_add=True)
    enrolled_by = models.ForeignKey(
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
    start_notice_sent_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["-enrolled_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "program"],
                condition=Q(ended_at__isnull=True),
                name="one_active_enrollment_per_program",
            )
        ]

    def __str__(self) -> str:
        return f"{self.client.user} · {self.cohort}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class MilestoneCompletion(models.Model):
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="completions")
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "milestone"], name="one_completion_per_milestone"
            )
        ]

    def __str__(self) -> str:
        return f"{self.milestone} ✓"


class CheckIn(models.Model):
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="check_ins")
    habit = models.ForeignKey(Habit, on_delete=models.CASCADE, related_name="+")
    due_date = models.DateField()
    checked_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "habit", "due_date"], name="one_check_in_per_due_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.habit} · {self.due_date}"


class OffTrackSpell(models.Model):
    """A run of missed due dates that put one habit of one enrolment off track.

    Open while ``ended_at`` is empty; the notices for it are sent once, stamped in
    ``notified_at``, however often the daily job runs.
    """

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="off_track_spells"
    )
    habit = models.ForeignKey(Habit, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "habit"],
                condition=Q(ended_at__isnull=True),
                name="one_open_off_track_spell",
            )
        ]

    def __str__(self) -> str:
        return f"{self.habit} off track"
