"""Learner access: giving, changing and removing it, the access email, and fixing a bounced address.

DESIGN.md "Course portal" and issue #7 (Access, Learners page, Failed email).
A learner is a client member of the workspace; ``LearnerAccess`` is unique per
learner and product. Every write here runs in a transaction, records an activity
event, and sends its email only once the transaction commits (``send_email``).
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django.utils.translation import gettext as _

from ascend.accounts.models import User
from ascend.activity.actions import record_event
from ascend.activity.verbs import Verb
from ascend.crm.client_records import ensure_client_contact
from ascend.crm.models import Contact, ContactSource
from ascend.lib.errors import field_error
from ascend.lib.urls import workspace_url
from ascend.notifications.outbox import recipient_language, send_email
from ascend.tenancy.models import Membership, Workspace
from ascend.tenancy.roles import Role

from .models import AccessSource, EmailCorrection, LearnerAccess, Product

# How long the link in an access email works: long enough for someone who opens
# their email a few weeks late, and it stops working once they set a password.
ACCESS_LINK_DAYS = 30
LEARNER_HOME_PATH = "/me/courses/"

CONTACT_SOURCES = {
    AccessSource.MANUAL: ContactSource.MANUAL,
    AccessSource.IMPORT: ContactSource.IMPORT,
    AccessSource.PURCHASE: ContactSource.PURCHASE,
}


# Rules ---------------------------------------------------------------------------------------


def expiry_from_date(day: date, time_zone: str) -> datetime:
    """The moment access given "until <day>" ends.

    Rule: the access lasts through the whole of that day in the workspace's time
    zone, so it ends at the following midnight there.
    """
    tz = zoneinfo.ZoneInfo(time_zone or "UTC")
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)


def expiry_day(expires_at: datetime | None, time_zone: str) -> date | None:
    """The last day of access in the workspace's time zone (``expiry_from_date`` reversed)."""
    if expires_at is None:
        return None
    tz = zoneinfo.ZoneInfo(time_zone or "UTC")
    return (expires_at.astimezone(tz) - timedelta(microseconds=1)).date()


def default_expiry(product: Product, now: datetime) -> datetime | None:
    """A product's access lasts ``access_days`` from the moment it is given; empty: no end."""
    if product.access_days:
        return now + timedelta(days=product.access_days)
    return None


def check_expiry(expires_at: datetime | None, now: datetime) -> None:
    """An expiry must be in the future (None means no end)."""
    if expires_at is not None and expires_at <= now:
        raise field_error(
            "expires_at",
            _("The access would already be over: choose a date in the future."),
            "expires_in_past",
        )


def normalize_email(email: str) -> str:
    """Trimmed, lower-cased and checked; a bad address is an ``email_invalid`` error."""
    email = User.objects.normalize_email((email or "").strip()).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise field_error(
            "email", _("Write a valid email address, like name@example.com."), "email_invalid"
        ) from None
    return email


def learner_home_path() -> str:
    """The learner's "My courses" page."""
    try:
        return reverse("learn:home")
    except NoReverseMatch:
        return LEARNER_HOME_PATH


# The access link -------------------------------------------------------------------------------


class AccessLinkTokenGenerator(PasswordResetTokenGenerator):
    """Django's password-reset tokens with a salt of their own and a longer life.

    The token hashes the password and the last sign-in, so it stops working once
    the learner sets a password or signs in: single use in effect. A reset token
    can't be used as an access token, nor the reverse.
    """

    key_salt = "ascend.courses.access_link"

    def check_token(self, user: Any, token: str | None) -> bool:
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(
                self._make_token_with_timestamp(user, ts, secret),  # type: ignore[attr-defined]
                token,
            ):
                break
        else:
            return False
        age = self._num_seconds(self._now()) - ts  # type: ignore[attr-defined]
        return 0 <= age <= ACCESS_LINK_DAYS * 24 * 3600


access_link_tokens = AccessLinkTokenGenerator()


def access_link_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("course_access:link", args=[uid, access_link_tokens.make_token(user)])


def _open_products(learner: Membership, now: datetime) -> list[str]:
    accesses = LearnerAccess.objects.filter(
        learner=learner, removed_at__isnull=True
    ).select_related("product")
    return [a.product.name for a in accesses if a.is_open(now)]


def _send_access_email(
    learner: Membership,
    products: list[str],
    expires_at: datetime | None,
    request: Any = None,
) -> None:
    """The email with the portal link: set a password on the first visit, else sign in."""
    workspace = learner.workspace
    user = learner.user
    language = recipient_language(workspace, user)
    expires_on = ""
    if expires_at is not None:
        with translation.override(language), timezone.override(workspace.time_zone or "UTC"):
            expires_on = formats.date_format(timezone.localtime(expires_at), "DATE_FORMAT")
    send_email(
        workspace=workspace,
        to=user.email,
        user=user,
        language=language,
        template="course_access",
        context={
            "recipient_name": user.get_short_name(),
            "products": ", ".join(products),
            "access_url": workspace_url(workspace, access_link_path(user), request),
            "expires_on": expires_on,
            "has_password": "yes" if user.has_usable_password() else "",
        },
    )


# Giving access -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Given:
    """What ``give_access`` did: ``changed`` is False when the learner already had it open."""

    access: LearnerAccess
    changed: bool


def _learner_for(
    workspace: Workspace, email: str, full_name: str, *, actor: Any, source: str
) -> Membership:
    """The client membership for this email: the account and membership made when missing.

    Rule: coach and client are exclusive, so an active coach of this workspace is refused.
    A new account has no usable password: the learner chooses one from the access link.
    """
    user = User.objects.filter(email__iexact=email).first()
    membership = Membership.objects.filter(workspace=workspace, user=user).first() if user else None
    if membership is not None and membership.is_active and membership.is_coach:
        raise field_error(
            "email",
            _(
                "%(email)s is a coach of this workspace, and a coach can't also be a learner "
                "here. To take a course, they need a separate account."
            )
            % {"email": email},
            "is_coach",
        )
    if user is None:
        user = User.objects.create_user(email, None, full_name=full_name.strip()[:150])
    elif not user.full_name and full_name.strip():
        user.full_name = full_name.strip()[:150]
        user.save(update_fields=["full_name"])
    if membership is None:
        membership = Membership(workspace=workspace, user=user)
    if not membership.is_active or not membership.is_client:
        roles = set(membership.roles) if membership.is_active else set()
        membership.set_roles(roles | {Role.CLIENT})
        membership.removed_at = None
        membership.full_clean(validate_unique=False)
        membership.save()
    ensure_client_contact(membership, actor=actor, source=CONTACT_SOURCES[AccessSource(source)])
    return membership


@transaction.atomic
def give_access(
    workspace: Workspace,
    *,
    actor: Any,
    email: str,
    full_name: str,
    product: Product,
    expires_at: datetime | None = None,
    source: str,
    order: Any = None,
    send: bool = True,
    request: Any = None,
) -> Given:
    """``do_give_access`` that also says whether anything changed (for imports)."""
    now = timezone.now()
    email = normalize_email(email)
    if product.workspace_id != workspace.pk:
        raise field_error("product", _("There is no such product here."), "not_found")
    check_expiry(expires_at, now)
    learner = _learner_for(workspace, email, full_name, actor=actor, source=source)
    access = (
        LearnerAccess.objects.select_for_update().filter(learner=learner, product=product).first()
    )
    if access is not None and access.is_open(now):
        return Given(access, changed=False)
    until = expires_at if expires_at is not None else default_expiry(product, now)
    reopened = access is not None
    if access is None:
        access = LearnerAccess(workspace=workspace, learner=learner, product=product, starts_at=now)
    # Reopening keeps the first start (drip dates, progress) and the first/last visits.
    access.source = source
    access.expires_at = until
    access.removed_at = None
    access.granted_by = actor if getattr(actor, "is_authenticated", False) else None
    access.order = order
    access.full_clean(validate_unique=False)
    access.save()
    record_event(
        workspace,
        Verb.COURSE_ACCESS_GIVEN,
        actor=actor,
        target=access,
        data={
            "product": product.name,
            "learner": learner.user.email,
            "source": str(source),
            "expires_at": until.isoformat() if until else None,
            "reopened": reopened,
            "order": order.pk if order is not None else None,
        },
    )
    if send:
        _send_access_email(learner, [product.name], until, request)
    return Given(access, changed=True)


@transaction.atomic
def do_give_access(
    workspace: Workspace,
    *,
    actor: Any,
    email: str,
    full_name: str,
    product: Product,
    expires_at: datetime | None = None,
    source: str,
    order: Any = None,
    send: bool = True,
    request: Any = None,
) -> LearnerAccess:
    """Give a person access to a product, making them a learner (client) if needed.

    Rules: the account (without a usable password yet) and the client membership are
    made when missing; an active coach of this workspace is refused (``is_coach``);
    the person gets a CRM contact. One access per learner and product: giving it
    again to a removed or ended one reopens it with a new expiry; to an open one
    changes nothing and sends nothing (a purchase delivered twice gives one access
    and one email). The expiry defaults to ``product.access_days`` from now; one in
    the past is refused (``expires_in_past``) with nothing written. The access email
    with the portal link goes out once the transaction commits (unless ``send`` is off).
    """
    return give_access(
        workspace,
        actor=actor,
        email=email,
        full_name=full_name,
        product=product,
        expires_at=expires_at,
        source=source,
        order=order,
        send=send,
        request=request,
    ).access


def _not_removed(access: LearnerAccess) -> None:
    if access.removed_at is not None:
        raise field_error(
            "access",
            _("This access was removed: give the product again instead."),
            "access_removed",
        )


@transaction.atomic
def do_change_access_expiry(
    access: LearnerAccess, *, actor: Any, expires_at: datetime | None
) -> LearnerAccess:
    """Change when an access ends (None: no end); a date in the past is refused."""
    _not_removed(access)
    check_expiry(expires_at, timezone.now())
    before = access.expires_at
    access.expires_at = expires_at
    access.save(update_fields=["expires_at"])
    record_event(
        access.workspace,
        Verb.COURSE_ACCESS_CHANGED,
        actor=actor,
        target=access,
        data={
            "product": access.product.name,
            "from": before.isoformat() if before else None,
            "to": expires_at.isoformat() if expires_at else None,
        },
    )
    return access


@transaction.atomic
def do_remove_access(access: LearnerAccess, *, actor: Any) -> LearnerAccess:
    """Close a learner's access to a product now; the row, dates and progress are kept."""
    _not_removed(access)
    access.removed_at = timezone.now()
    access.save(update_fields=["removed_at"])
    record_event(
        access.workspace,
        Verb.COURSE_ACCESS_REMOVED,
        actor=actor,
        target=access,
        data={"product": access.product.name, "learner": access.learner.user.email},
    )
    return access


@transaction.atomic
def do_send_access_link(learner: Membership, *, actor: Any, request: Any = None) -> None:
    """Send the access email again, naming every product the learner can open now.

    Refused when the learner has no open access (``no_open_access``): the link
    would lead to an empty portal.
    """
    products = _open_products(learner, timezone.now())
    if not products:
        raise field_error(
            "learner",
            _("%(name)s has no open access: give a product first.") % {"name": learner.user},
            "no_open_access",
        )
    _send_access_email(learner, products, None, request)
    record_event(
        learner.workspace,
        Verb.COURSE_ACCESS_SENT,
        actor=actor,
        target=learner,
        data={"to": learner.user.email, "products": products},
    )


@transaction.atomic
def do_send_learner_password_reset(learner: Membership, *, actor: Any, request: Any = None) -> None:
    """Send the learner Django's password-reset link, as "Forgot your password?" does."""
    user = learner.user
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse(
        "accounts:password_reset_confirm", args=[uid, default_token_generator.make_token(user)]
    )
    send_email(
        workspace=learner.workspace,
        to=user.email,
        user=user,
        template="password_reset",
        context={
            "recipient_name": user.get_short_name(),
            "reset_url": workspace_url(learner.workspace, path, request),
        },
    )
    record_event(
        learner.workspace,
        Verb.COURSE_ACCESS_SENT,
        actor=actor,
        target=learner,
        data={"to": user.email, "kind": "password_reset"},
    )


@transaction.atomic
def do_correct_learner_email(
    learner: Membership, new_email: str, *, actor: Any, request: Any = None
) -> EmailCorrection:
    """Fix a learner's address (typically after a bounce) and send their access to the new one.

    Rules: the old address is kept in ``EmailCorrection``; the account's email and
    the CRM contact's change; an address another account uses is refused
    (``email_taken``), as is the same address (``email_unchanged``). The account is
    shared by every workspace its person belongs to, so a person who is also
    elsewhere, or on this team, corrects it themselves (``not_only_here``). The
    access email goes to the new address when the learner has an open access.
    """
    email = normalize_email(new_email)
    user = User.objects.select_for_update().get(pk=learner.user_id)
    old = user.email
    if email == old.lower():
        raise field_error("email", _("This is already the learner's address."), "email_unchanged")
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise field_error(
            "email", _("Another account already uses %(email)s.") % {"email": email}, "email_taken"
        )
    others = Membership.objects.filter(user=user).exclude(pk=learner.pk)
    if learner.is_staff_member or others.exists():
        raise field_error(
            "email",
            _(
                "This person also belongs to a team or another workspace: they change "
                "their address on their own account."
            ),
            "not_only_here",
        )
    if (
        Contact.objects.filter(workspace=learner.workspace, email=email)
        .exclude(member=learner)
        .exists()
    ):
        raise field_error(
            "email",
            _("Another contact of your CRM has %(email)s.") % {"email": email},
            "email_taken",
        )
    correction = EmailCorrection.objects.create(
        workspace=learner.workspace,
        learner=learner,
        old_email=old,
        new_email=email,
        corrected_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    user.email = email
    user.save(update_fields=["email"])
    learner.user = user
    Contact.objects.filter(workspace=learner.workspace, member=learner).update(email=email)
    record_event(
        learner.workspace,
        Verb.LEARNER_EMAIL_CORRECTED,
        actor=actor,
        target=learner,
        data={"from": old, "to": email},
    )
    products = _open_products(learner, timezone.now())
    if products:
        _send_access_email(learner, products, None, request)
    return correction
