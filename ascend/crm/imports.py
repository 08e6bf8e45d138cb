"""Importing contacts from a CSV file: read and check it, preview, then create the valid rows.

Columns (header names, any case): name, email, phone, client type, coach email.
Commas, semicolons or tabs separate the values; a UTF-8 byte-order mark (as
spreadsheet programs write it) is fine. No email is ever sent by an import.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ascend.activity.actions import record_event
from ascend.activity.verbs import Verb
from ascend.lib.errors import field_error
from ascend.tenancy.models import Membership, Workspace

from .actions import client_types, normalize_email
from .models import ClientType, Contact, ContactSource, ImportJob, ImportStatus

CHUNK_SIZE = 200
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20000

# Header names people write, lower-cased with spaces, → our field.
COLUMNS = {
    "name": "full_name",
    "full name": "full_name",
    "email": "email",
    "e mail": "email",
    "email address": "email",
    "phone": "phone",
    "phone number": "phone",
    "client type": "client_type",
    "type": "client_type",
    "coach email": "coach_email",
    "coach": "coach_email",
}

# Error codes stored with each row; their messages are shown in the viewer's language.
ERRORS = {
    "name_missing": gettext_lazy("The name is missing."),
    "email_invalid": gettext_lazy("The email isn't a valid address."),
    "email_twice": gettext_lazy("This email is on an earlier row of the file."),
    "email_taken": gettext_lazy("This email is already in your contacts."),
    "type_unknown": gettext_lazy("This client type isn't on your list."),
    "coach_unknown": gettext_lazy("No coach of this workspace has this email."),
    "malformed": gettext_lazy("This row has more values than the header has columns."),
}


@dataclass
class Preview:
    rows: list[dict[str, Any]]

    @property
    def valid(self) -> int:
        return sum(1 for row in self.rows if not row["errors"])


def _header_key(name: str) -> str:
    return " ".join((name or "").strip().lower().replace("_", " ").replace("-", " ").split())


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    first_line = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        # One column only, or nothing to tell by: count the candidates.
        counts = {d: first_line.count(d) for d in ",;\t"}
        delimiter = max(counts, key=lambda d: counts[d])

        class Guessed(csv.excel):
            pass

        Guessed.delimiter = delimiter if counts[delimiter] else ","
        return Guessed


def read_contacts_csv(
    data: bytes, workspace: Workspace, *, coach: Membership | None = None
) -> list[dict[str, Any]]:
    """Every row of the file, checked: its values and its error codes (empty when valid).

    Rules: a name; a valid email, not on an earlier row nor already a contact; the
    client type one of the workspace's (empty: the first on the list); the coach
    email an active coach's (empty: no coach). For a coach's own import
    (``coach``), every row is theirs and the coach column is ignored. Raises a
    ``ValidationError`` on ``file`` when the file itself can't be used.
    """
    if len(data) > MAX_BYTES:
        raise field_error("file", _("The file is larger than 5 MB: split it in parts."), "too_big")
    text = _decode(data)
    if not text.strip():
        raise field_error("file", _("The file is empty."), "empty")
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise field_error("file", _("This file can't be read as CSV."), "unreadable") from None
    fields = [COLUMNS.get(_header_key(name)) for name in header]
    if "full_name" not in fields or "email" not in fields:
        raise field_error(
            "file",
            _("The first row must name the columns, with at least “name” and “email”."),
            "columns_missing",
        )
    types = {t.name.lower(): t for t in client_types(workspace)}
    first_type = next(iter(types.values()))
    coaches = {
        m.user.email.lower(): m
        for m in Membership.objects.filter(
            workspace=workspace, is_coach=True, removed_at__isnull=True
        ).select_related("user")
    }
    rows: list[dict[str, Any]] = []
    emails: list[str] = []
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
            row = _check_row(line, values, fields, types, first_type, coaches, coach)
            rows.append(row)
            emails.append(row["email"])
    except csv.Error:
        raise field_error("file", _("This file can't be read as CSV."), "unreadable") from None
    if not rows:
        raise field_error("file", _("The file has a header but no contacts."), "no_rows")
    taken: set[str] = set()
    for start in range(0, len(emails), 500):
        taken.update(
            Contact.objects.filter(
                workspace=workspace, email__in=emails[start : start + 500]
            ).values_list("email", flat=True)
        )
    seen: set[str] = set()
    for row in rows:
        email = row["email"]
        if "email_invalid" in row["errors"] or not email:
            continue
        if email in seen:
            row["errors"].append("email_twice")
        elif email in taken:
            row["errors"].append("email_taken")
        seen.add(email)
    return rows


def _check_row(
    line: int,
    values: list[str],
    fields: list[str | None],
    types: dict[str, ClientType],
    first_type: ClientType,
    coaches: dict[str, Membership],
    own_coach: Membership | None,
) -> dict[str, Any]:
    found: dict[str, str] = {}
    for field, value in zip(fields, values, strict=False):
        if field and field not in found:
            found[field] = (value or "").strip()
    errors: list[str] = []
    if len(values) > len(fields):
        errors.append("malformed")
    full_name = " ".join(found.get("full_name", "").split())[:150]
    if not full_name:
        errors.append("name_missing")
    email = normalize_email(found.get("email", ""))
    try:
        validate_email(email)
    except ValidationError:
        errors.append("email_invalid")
    type_name = found.get("client_type", "")
    client_type = types.get(type_name.lower()) if type_name else first_type
    if client_type is None:
        errors.append("type_unknown")
    coach_email = found.get("coach_email", "").lower()
    coach = own_coach
    if own_coach is None and coach_email:
        coach = coaches.get(coach_email)
        if coach is None:
            errors.append("coach_unknown")
    return {
        "line": line,
        "full_name": full_name,
        "email": email,
        "phone": found.get("phone", "")[:40],
        "client_type": client_type.pk if client_type else None,
        "client_type_name": client_type.name if client_type else type_name,
        "coach": coach.pk if coach else None,
        "coach_email": coach.user.email if coach else coach_email,
        "errors": errors,
    }


# Actions -------------------------------------------------------------------------------


@transaction.atomic
def do_preview_import(
    workspace: Workspace,
    data: bytes,
    *,
    actor: Any,
    file_name: str = "",
    coach: Membership | None = None,
) -> ImportJob:
    """Read and check a file and keep it for the preview; no contact is created yet."""
    rows = read_contacts_csv(data, workspace, coach=coach)
    return ImportJob.objects.create(
        workspace=workspace,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        coach=coach,
        file_name=(file_name or "")[:255],
        rows=rows,
        total_rows=len(rows),
        valid_rows=sum(1 for row in rows if not row["errors"]),
    )


@transaction.atomic
def do_confirm_import(job: ImportJob, *, actor: Any) -> ImportJob:
    """Create the preview's valid rows; rows with errors are left out.

    Rules: confirmed once (a second click does nothing). A file of up to
    ``CHUNK_SIZE`` valid rows is imported at once, in this transaction; a larger
    one is queued for ``crm.tasks.import_contacts``, which shows its progress.
    """
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PREVIEW).update(
        status=ImportStatus.QUEUED, confirmed_at=timezone.now()
    )
    job.refresh_from_db()
    if not claimed:
        return job
    if job.valid_rows <= CHUNK_SIZE:
        while import_chunk(job.pk):
            pass
        job.refresh_from_db()
    else:
        from .tasks import import_contacts

        job_id = job.pk
        transaction.on_commit(lambda: import_contacts.delay(job_id), robust=True)
    return job


def import_chunk(job_id: int) -> bool:
    """Create the next ``CHUNK_SIZE`` valid rows of a confirmed import; True while more remain.

    The chunk is claimed by moving ``processed`` on with a conditional UPDATE, in
    the same transaction as the contacts it creates: two workers never create the
    same chunk, and a run cut off halfway resumes at the first chunk not committed.
    Emails that became contacts since the preview are skipped and counted.
    """
    with transaction.atomic():
        job = ImportJob.objects.select_related("workspace").get(pk=job_id)
        if job.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
            return False
        valid = [row for row in job.rows if not row["errors"]]
        start = job.processed
        chunk = valid[start : start + CHUNK_SIZE]
        workspace = job.workspace
        types = {t.pk: t for t in ClientType.objects.filter(workspace=workspace)}
        coach_ids = set(
            Membership.objects.filter(
                workspace=workspace, is_coach=True, removed_at__isnull=True
            ).values_list("pk", flat=True)
        )
        taken = set(
            Contact.objects.filter(
                workspace=workspace, email__in=[row["email"] for row in chunk]
            ).values_list("email", flat=True)
        )
        now = timezone.now()
        new = [
            Contact(
                workspace=workspace,
                full_name=row["full_name"],
                email=row["email"],
                phone=row["phone"],
                client_type=types[row["client_type"]],
                coach_id=row["coach"] if row["coach"] in coach_ids else None,
                source=ContactSource.IMPORT,
                created_at=now,
                created_by_id=job.created_by_id,
            )
            for row in chunk
            if row["email"] not in taken and row["client_type"] in types
        ]
        done = start + len(chunk) >= len(valid)
        claimed = ImportJob.objects.filter(pk=job.pk, processed=start).update(
            processed=start + len(chunk),
            created_count=F("created_count") + len(new),
            skipped_count=F("skipped_count") + len(chunk) - len(new),
            status=ImportStatus.DONE if done else ImportStatus.RUNNING,
            finished_at=now if done else None,
        )
        if not claimed:
            return True  # another worker took this chunk: read the job again
        Contact.objects.bulk_create(new, ignore_conflicts=True)
        if done:
            job.refresh_from_db()
            record_event(
                workspace,
                Verb.CONTACTS_IMPORTED,
                actor=job.created_by,
                target=job,
                data={"created": job.created_count, "skipped": job.skipped_count},
            )
        return not done


def error_messages(codes: list[str]) -> list[str]:
    return [str(ERRORS.get(code, code)) for code in codes]
