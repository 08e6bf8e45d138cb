"""Giving access from a CSV file: read and check it, preview every row, then import the good ones.

Columns (header names, any case): ``name``, ``email``, ``product`` (the product's
name), ``expires`` (optional, YYYY-MM-DD: access lasts through that day).
Commas, semicolons or tabs separate the values; a UTF-8 byte-order mark is fine.
Checking writes nothing; importing gives access to the rows without problems, each
through ``actions_access.give_access``, with or without the access emails.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ascend.activity.actions import record_event
from ascend.activity.verbs import Verb
from ascend.crm.imports import _decode, _dialect, _header_key
from ascend.lib.errors import field_error
from ascend.tenancy.models import Membership, Workspace

from .actions_access import expiry_from_date, give_access
from .models import AccessSource, LearnerAccess, Product

MAX_BYTES = 1024 * 1024
MAX_ROWS = 5000

COLUMNS = {
    "name": "full_name",
    "full name": "full_name",
    "email": "email",
    "e mail": "email",
    "email address": "email",
    "product": "product",
    "product name": "product",
    "expires": "expires",
    "expires on": "expires",
    "expiry": "expires",
    "access until": "expires",
}

# Error codes of a row; their messages are shown in the viewer's language.
ERRORS = {
    "email_invalid": gettext_lazy("The email isn't a valid address."),
    "product_missing": gettext_lazy("The product is missing."),
    "product_unknown": gettext_lazy("No product has this name."),
    "expires_invalid": gettext_lazy("The expiry date isn't a date like 2027-01-31."),
    "expires_in_past": gettext_lazy("The expiry date is in the past."),
    "is_coach": gettext_lazy("This is a coach of this workspace; a coach can't be a learner here."),
    "twice": gettext_lazy("The same email and product are on an earlier row."),
    "malformed": gettext_lazy("This row has more values than the header has columns."),
}


@dataclass
class Row:
    line: int
    full_name: str
    email: str
    product_name: str
    expires: str
    errors: list[str] = field(default_factory=list)
    product: Product | None = None
    expires_at: datetime | None = None
    already: bool = False  # the learner has this product open: importing changes nothing

    @property
    def messages(self) -> list[str]:
        return [str(ERRORS[code]) for code in self.errors]


@dataclass
class Checked:
    rows: list[Row]

    @property
    def good(self) -> list[Row]:
        return [row for row in self.rows if not row.errors]

    @property
    def bad(self) -> list[Row]:
        return [row for row in self.rows if row.errors]

    @property
    def to_give(self) -> int:
        return sum(1 for row in self.good if not row.already)


@dataclass(frozen=True)
class Imported:
    given: int  # accesses given or reopened
    unchanged: int  # learners who already had the product open
    refused: int  # rows with problems (or refused when importing), left out


def decode_file(data: bytes) -> str:
    """The file's text; refuses files that are too large or empty."""
    if len(data) > MAX_BYTES:
        raise field_error("file", _("The file is larger than 1 MB: split it in parts."), "too_big")
    text = _decode(data)
    if not text.strip():
        raise field_error("file", _("The file is empty."), "empty")
    return text


def check_learners_csv(text: str, workspace: Workspace, now: datetime | None = None) -> Checked:
    """Every row of the file, checked against the workspace; nothing is written.

    Rules: a valid email; a product of the workspace by its name (any case); the
    expiry, if any, a date (YYYY-MM-DD) whose day is not over; not the email of an
    active coach (coach and client are exclusive); the same email and product only
    once. A learner who already has the product open is fine: importing changes
    nothing for them. Raises a ``ValidationError`` on ``file`` when the file itself
    can't be used.
    """
    now = now or timezone.now()
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise field_error("file", _("This file can't be read as CSV."), "unreadable") from None
    fields = [COLUMNS.get(_header_key(name)) for name in header]
    if "email" not in fields or "product" not in fields:
        raise field_error(
            "file",
            _("The first row must name the columns, with at least “email” and “product”."),
            "columns_missing",
        )
    by_name = {p.name.strip().lower(): p for p in Product.objects.filter(workspace=workspace)}
    rows: list[Row] = []
    try:
        for line, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise field_error(
                    "file",
                    _("The file has more than %(n)d rows: split it in parts.") % {"n": MAX_ROWS},
                    "too_many_rows",
                )
            rows.append(_check_row(line, values, fields, by_name, workspace.time_zone, now))
    except csv.Error:
        raise field_error("file", _("This file can't be read as CSV."), "unreadable") from None
    _check_against_database(rows, workspace, now)
    return Checked(rows)


def _check_row(
    line: int,
    values: list[str],
    fields: list[str | None],
    by_name: dict[str, Product],
    time_zone: str,
    now: datetime,
) -> Row:
    data: dict[str, str] = {}
    for name, value in zip(fields, values, strict=False):
        if name and name not in data:
            data[name] = value.strip()
    row = Row(
        line=line,
        full_name=data.get("full_name", "")[:150],
        email=data.get("email", "").lower(),
        product_name=data.get("product", ""),
        expires=data.get("expires", ""),
    )
    if len(values) > len(fields):
        row.errors.append("malformed")
    try:
        validate_email(row.email)
    except ValidationError:
        row.errors.append("email_invalid")
    if not row.product_name:
        row.errors.append("product_missing")
    else:
        row.product = by_name.get(row.product_name.lower())
        if row.product is None:
            row.errors.append("product_unknown")
    if row.expires:
        try:
            day = date.fromisoformat(row.expires)
        except ValueError:
            row.errors.append("expires_invalid")
        else:
            row.expires_at = expiry_from_date(day, time_zone)
            if row.expires_at <= now:
                row.errors.append("expires_in_past")
    return row


def _check_against_database(rows: list[Row], workspace: Workspace, now: datetime) -> None:
    """Coaches' emails, repeated rows, and who already has the product open: three queries."""
    emails = sorted({row.email for row in rows if row.email})
    coaches = set(
        Membership.objects.filter(
            workspace=workspace, is_coach=True, removed_at__isnull=True, user__email__in=emails
        ).values_list("user__email", flat=True)
    )
    open_pairs = {
        (a.learner.user.email, a.product_id)
        for a in LearnerAccess.objects.filter(
            workspace=workspace,
            learner__user__email__in=emails,
            learner__removed_at__isnull=True,
            removed_at__isnull=True,
        ).select_related("learner__user")
        if a.is_open(now)
    }
    seen: set[tuple[str, int]] = set()
    for row in rows:
        if row.email in coaches:
            row.errors.append("is_coach")
        if row.product is None or "email_invalid" in row.errors:
            continue
        pair = (row.email, row.product.pk)
        if pair in seen:
            row.errors.append("twice")
        seen.add(pair)
        row.already = pair in open_pairs


def import_learners(
    workspace: Workspace, text: str, *, actor: Any, send: bool, request: Any = None
) -> Imported:
    """Check the file again and give access to every good row; the rest are left out.

    Each row is given in a savepoint of its own, so a row refused at this moment
    (someone became a coach since the preview) leaves the others imported.
    """
    checked = check_learners_csv(text, workspace)
    given = unchanged = 0
    refused = len(checked.bad)
    with transaction.atomic():
        for row in checked.good:
            assert row.product is not None
            try:
                with transaction.atomic():
                    outcome = give_access(
                        workspace,
                        actor=actor,
                        email=row.email,
                        full_name=row.full_name,
                        product=row.product,
                        expires_at=row.expires_at,
                        source=AccessSource.IMPORT,
                        send=send,
                        request=request,
                    )
            except ValidationError:
                refused += 1
                continue
            if outcome.changed:
                given += 1
            else:
                unchanged += 1
        record_event(
            workspace,
            Verb.LEARNERS_IMPORTED,
            actor=actor,
            data={"given": given, "unchanged": unchanged, "refused": refused, "emails": send},
        )
    return Imported(given, unchanged, refused)
