from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
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
    # What a client pays for it at checkout (0: free, the order still records it).
    price = models.DecimalField(_("price"), max_digits=10, decimal_places=2, default=0)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="plan_price_not_negative"),
        ]

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


class PackageKind(models.TextChoices):
    ONE_TO_ONE = "one_to_one", _("One-to-one")
    GROUP = "group", _("Group")


class Package(models.Model):
    """Coaching sessions sold together: a number of sessions (or unlimited) valid for some days.

    Owned by the workspace, or by one coach (on that coach's list).
    """

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=PackageKind.choices, default=PackageKind.ONE_TO_ONE
    )
    # None: unlimited sessions until the package expires.
    sessions = models.PositiveIntegerField(
        _("sessions included"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for unlimited sessions until it expires."),
    )
    price = models.DecimalField(_("price"), max_digits=10, decimal_places=2, default=0)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    validity_days = models.PositiveIntegerField(
        _("valid for (days)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("Counted from the day it is given."),
    )
    coach = models.ForeignKey(
        "tenancy.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="own_packages",
        verbose_name=_("coach"),
        help_text=_("Empty: a package of the whole workspace."),
    )
    is_active = models.BooleanField(_("on offer"), default=True)
    # The package's payment link: /pay/<token>/.
    payment_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="package_price_not_negative"),
            models.CheckConstraint(
                condition=Q(validity_days__gte=1), name="package_valid_at_least_a_day"
            ),
            models.CheckConstraint(
                condition=Q(sessions__isnull=True) | Q(sessions__gte=1),
                name="package_sessions_positive_or_unlimited",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class HoldingSource(models.TextChoices):
    INVITATION = "invitation", _("With the invitation")
    STAFF = "staff", _("Given by staff")
    PURCHASE = "purchase", _("Bought")


class PackageHolding(models.Model):
    """A package a client holds: its sessions, how many are used, and when it expires.

    The numbers are copied from the package when given, so changing the package later
    changes nothing for clients who hold it.
    """

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    client = models.ForeignKey(
        "tenancy.Membership", on_delete=models.PROTECT, related_name="package_holdings"
    )
    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="holdings")
    kind = models.CharField(max_length=16, choices=PackageKind.choices)
    sessions = models.PositiveIntegerField(null=True, blank=True)  # None: unlimited
    sessions_used = models.PositiveIntegerField(default=0)
    starts_on = models.DateField()
    expires_on = models.DateField()
    source = models.CharField(max_length=16, choices=HoldingSource.choices)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["expires_on", "id"]
        constraints = [
            # Credits never go negative, and never above what the package includes.
            models.CheckConstraint(
                condition=Q(sessions__isnull=True) | Q(sessions_used__lte=F("sessions")),
                name="holding_used_within_included",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__gte=F("starts_on")), name="holding_expires_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.package} · {self.client_id}"

    @property
    def sessions_left(self) -> int | None:
        return None if self.sessions is None else self.sessions - self.sessions_used


class CreditUse(models.Model):
    """One session taken from a holding; giving it back keeps the row with ``returned_at``."""

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    holding = models.ForeignKey(PackageHolding, on_delete=models.PROTECT, related_name="uses")
    session_on = models.DateField()
    used_at = models.DateTimeField(auto_now_add=True)
    returned_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(workspace="workspace")

    def __str__(self) -> str:
        return f"{self.holding_id} on {self.session_on}"


class OrderKind(models.TextChoices):
    PACKAGE = "package", _("Package")
    MEMBERSHIP = "membership", _("Membership")
    COURSE = "course", _("Course product")


class OrderStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for payment")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class Order(models.Model):
    """One purchase: a package (through its payment link), a membership or a course product.

    Paying it is idempotent: only the change from pending to paid fulfils it, once.
    """

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    kind = models.CharField(max_length=16, choices=OrderKind.choices)
    # The reference in links and in the provider's metadata; unguessable.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    package = models.ForeignKey(
        Package, on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    plan = models.ForeignKey(
        MembershipPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    product = models.ForeignKey(
        "courses.Product", on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    buyer_name = models.CharField(_("name"), max_length=150)
    buyer_email = models.EmailField(_("email"))
    # The member who bought, when they already were one (memberships are bought signed in).
    client = models.ForeignKey(
        "tenancy.Membership", on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3)
    provider = models.CharField(max_length=20)
    provider_ref = models.CharField(max_length=255, blank=True)
    status = models.CharField(
        max_length=16, choices=OrderStatus.choices, default=OrderStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    marked_paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What fulfilling it did, for the order page ("invitation sent", "package added"…).
    outcome = models.CharField(max_length=200, blank=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="package") & Q(package__isnull=False))
                | (Q(kind="membership") & Q(plan__isnull=False))
                | (Q(kind="course") & Q(product__isnull=False)),
                name="order_names_what_it_buys",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="order_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.buyer_email} · {self.amount} {self.currency}"


class WebhookEvent(models.Model):
    """A provider's webhook event, recorded once by its id (deliveries are at least once)."""

    provider = models.CharField(max_length=20)
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=100)
    workspace = models.ForeignKey(
        "tenancy.Workspace", on_delete=models.CASCADE, null=True, blank=True
    )
    order = models.ForeignKey(Order, on_delete=models.SET_NULL, null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="webhook_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id}"
