"""Client records: contacts and their types, client invitations, onboarding, tasks and notes.

DESIGN.md "Invitations, CRM, packages, payments" and seed 002. A contact is anyone
the business knows (a lead, a prospect…); inviting a contact gives them a client
portal; accepting makes them a client member, and the contact row keeps pointing
at them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

DEFAULT_CLIENT_TYPES = ["Lead", "Prospect", "Contact", "Client"]


class ClientType(models.Model):
    """One entry of the workspace's list of client types (Lead, Prospect, Contact, Client…)."""

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=60)
    position = models.PositiveSmallIntegerField(default=0)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="client_type_name_once")
        ]

    def __str__(self) -> str:
        return self.name


class ContactStatus(models.TextChoices):
    CONTACT = "contact", _("Contact")
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Active client")
    ARCHIVED = "archived", _("Archived")


class ContactSource(models.TextChoices):
    MANUAL = "manual", _("Added by hand")
    IMPORT = "import", _("Imported")
    INVITATION = "invitation", _("Invited")
    PURCHASE = "purchase", _("Bought a package")


class Contact(models.Model):
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    full_name = models.CharField(_("name"), max_length=150)
    # Stored lower-case: one contact per address and workspace.
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    client_type = models.ForeignKey(
        ClientType, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("client type")
    )
    coach = models.ForeignKey(
        "tenancy.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("coach"),
    )
    member = models.OneToOneField(
        "tenancy.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ContactStatus.choices, default=ContactStatus.CONTACT
    )
    source = models.CharField(max_length=16, choices=ContactSource.choices)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Empty when the system added it (an import's task, a purchase).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["full_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "email"], name="contact_email_once")
        ]
        indexes = [models.Index(fields=["workspace", "coach", "status"])]

    def __str__(self) -> str:
        return self.full_name or self.email


class ClientInvitation(models.Model):
    """An invitation to a client portal, sent under the workspace's name.

    Like team invitations, the link's token is stored only as a hash; it works once,
    until ``expires_at``, and not after being revoked or replaced by a resend. An
    invitation waiting for a payment (``awaiting_payment``) is sent when it is paid.
    """

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="invitations")
    coach = models.ForeignKey(
        "tenancy.Membership", on_delete=models.PROTECT, related_name="+", verbose_name=_("coach")
    )
    package = models.ForeignKey(
        "billing.Package",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("package"),
    )
    message = models.TextField(_("message"), blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    sent_count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_client_invitation_per_contact",
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact} ({self.created_at:%Y-%m-%d})"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class OnboardingStep(models.TextChoices):
    PROFILE = "profile", _("Profile")
    GOALS = "goals", _("Goals")
    TIME_ZONE = "time_zone", _("Time zone")
    CONSENT = "consent", _("Consent")
    DONE = "done", _("Done")


ONBOARDING_ORDER = [
    OnboardingStep.PROFILE,
    OnboardingStep.GOALS,
    OnboardingStep.TIME_ZONE,
    OnboardingStep.CONSENT,
    OnboardingStep.DONE,
]


class ClientProfile(models.Model):
    """What a client tells us while onboarding, and how far they got."""

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    member = models.OneToOneField(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="client_profile"
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    goals = models.TextField(_("your goals"), blank=True)
    consent_at = models.DateTimeField(null=True, blank=True)
    step = models.CharField(
        max_length=16, choices=OnboardingStep.choices, default=OnboardingStep.PROFILE
    )
    onboarded_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(workspace="workspace")

    def __str__(self) -> str:
        return f"profile of {self.member_id}"


class CoachGreeting(models.Model):
    """The greeting a coach writes for their clients' dashboards."""

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    coach = models.OneToOneField(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="greeting"
    )
    text = models.TextField(_("greeting"))
    text_html = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(workspace="workspace")

    def __str__(self) -> str:
        return self.text[:60]


class ClientTask(models.Model):
    """Something the coach asks the client to do, by a date; the client ticks it."""

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    client = models.ForeignKey("tenancy.Membership", on_delete=models.CASCADE, related_name="tasks")
    coach = models.ForeignKey("tenancy.Membership", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("task"), max_length=200)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["done_at", "due_on", "id"]

    def __str__(self) -> str:
        return self.title


class ClientNote(models.Model):
    """A coach's note about a client: private to the coach, or shared with the client."""

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    client = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="coach_notes"
    )
    coach = models.ForeignKey("tenancy.Membership", on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("note"))
    body_html = models.TextField()
    shared = models.BooleanField(_("shared with the client"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.body[:60]


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Waiting for confirmation")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Done")


class ImportJob(models.Model):
    """A CSV file of contacts, parsed and checked, waiting to be confirmed or being imported.

    ``rows`` holds every parsed row with its error codes (see ``crm.imports``);
    confirming creates the valid rows only, in chunks, counting them in
    ``processed`` so a task run twice, or cut off halfway, carries on where it was.
    """

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # A coach's own import: every row becomes their contact (the coach column is ignored).
    coach = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    file_name = models.CharField(max_length=255, blank=True)
    rows = models.JSONField(default=list)
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=16, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name or f"import {self.pk}"

    @property
    def percent(self) -> int:
        if not self.valid_rows:
            return 100
        return min(100, round(100 * self.processed / self.valid_rows))
