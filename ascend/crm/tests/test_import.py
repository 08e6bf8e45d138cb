"""CSV import: upload → preview with per-row errors → confirm creates the valid rows only,
with no email; large files are created by a task in chunks, with a progress bar."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ascend.crm import imports
from ascend.crm.models import Contact, ContactSource, ImportJob, ImportStatus
from ascend.crm.tasks import import_contacts
from ascend.notifications.models import OutboundEmail

from .crm_world import contact

pytestmark = pytest.mark.django_db

GOOD = (
    "Name,Email,Phone,Client type,Coach email\n"
    "Ana Lima,ana@example.com,555-0101,Prospect,coach@alpha.test\n"
    "Ben Ode,BEN@example.com,,,\n"
)


def _upload(client, text: str | bytes, portal: str = "team/crm"):
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        f"/{portal}/import/", {"file": SimpleUploadedFile("contacts.csv", data, "text/csv")}
    )


def test_the_page_documents_the_columns(cast):
    page = cast.client_for(cast.alpha.admin).get("/team/crm/import/").content.decode()
    for column in ("name", "email", "phone", "client type", "coach email"):
        assert f"<code>{column}</code>" in page


def test_a_preview_creates_nothing_and_confirming_creates_the_rows_without_email(cast):
    admin = cast.client_for(cast.alpha.admin)
    response = _upload(admin, GOOD)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/team/crm/import/{job.pk}/"
    assert not Contact.objects.exists()
    page = admin.get(response.url).content.decode()
    assert "ana@example.com" in page and "Import 2 contacts" in page
    response = admin.post(f"/team/crm/import/{job.pk}/confirm/")
    assert response.status_code == 302
    ana, ben = Contact.objects.order_by("full_name")
    assert ana.client_type.name == "Prospect" and ana.coach == cast.alpha.coach.membership
    assert ana.phone == "555-0101" and ana.source == ContactSource.IMPORT
    assert ben.email == "ben@example.com" and ben.client_type.name == "Lead"
    assert ben.coach is None
    assert not OutboundEmail.objects.exists()
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_count == 2
    assert "2 contacts were added" in admin.get(f"/team/crm/import/{job.pk}/").content.decode()


def test_confirming_twice_creates_the_rows_once(cast):
    admin = cast.client_for(cast.alpha.admin)
    _upload(admin, GOOD)
    job = ImportJob.objects.get()
    admin.post(f"/team/crm/import/{job.pk}/confirm/")
    admin.post(f"/team/crm/import/{job.pk}/confirm/")
    assert Contact.objects.count() == 2


def test_each_bad_row_gets_its_reason_and_only_the_good_rows_are_imported(cast):
    contact(cast.alpha.workspace, "taken@example.com")
    text = (
        "name,email,client type,coach email\n"
        ",nameless@example.com,,\n"
        "Bad Email,not-an-email,,\n"
        "First,twice@example.com,,\n"
        "Second,twice@example.com,,\n"
        "Taken,taken@example.com,,\n"
        "Typed,typed@example.com,Whale,\n"
        "Coached,coached@example.com,,nobody@example.com\n"
        "Too Many,many@example.com,Lead,,extra\n"
        "Fine,fine@example.com,lead,\n"
    )
    admin = cast.client_for(cast.alpha.admin)
    _upload(admin, text)
    job = ImportJob.objects.get()
    errors = {row["line"]: row["errors"] for row in job.rows}
    assert errors == {
        2: ["name_missing"],
        3: ["email_invalid"],
        4: [],
        5: ["email_twice"],
        6: ["email_taken"],
        7: ["type_unknown"],
        8: ["coach_unknown"],
        9: ["malformed"],
        10: [],
    }
    assert job.total_rows == 9 and job.valid_rows == 2  # "First" and "Fine"
    page = admin.get(f"/team/crm/import/{job.pk}/").content.decode()
    for message in ("The name is missing.", "isn&#x27;t a valid address",
                    "on an earlier row", "already in your contacts", "isn&#x27;t on your list",
                    "No coach of this workspace", "more values than the header"):  # fmt: skip
        assert message in page
    assert "7 rows have problems" in page
    admin.post(f"/team/crm/import/{job.pk}/confirm/")
    assert set(Contact.objects.values_list("email", flat=True)) == {
        "taken@example.com", "twice@example.com", "fine@example.com"
    }  # fmt: skip


def test_a_semicolon_file_with_a_byte_order_mark_is_read(cast):
    text = "\ufeffNAME;E-mail;Phone\nZoë Ruiz;zoe@example.com;+34 600\n"
    admin = cast.client_for(cast.alpha.admin)
    _upload(admin, text.encode("utf-8"))
    row = ImportJob.objects.get().rows[0]
    assert (row["full_name"], row["email"], row["phone"], row["errors"]) == (
        "Zoë Ruiz", "zoe@example.com", "+34 600", []
    )  # fmt: skip


def test_a_spreadsheet_file_in_windows_encoding_is_read(cast):
    _upload(
        cast.client_for(cast.alpha.admin), "name,email\nJosé,jose@example.com\n".encode("cp1252")
    )
    assert ImportJob.objects.get().rows[0]["full_name"] == "José"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "file is empty"),
        ("phone,notes\n555,hi\n", "at least “name” and “email”"),
        ("name,email\n", "no contacts"),
    ],
)
def test_a_file_that_cannot_be_used_is_refused_at_the_field(cast, text, message):
    response = _upload(cast.client_for(cast.alpha.admin), text)
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_file_errors"' in page and message in page
    assert not ImportJob.objects.exists()


def test_a_coachs_import_makes_every_row_their_contact(cast):
    coach = cast.client_for(cast.alpha.coach)
    _upload(coach, "name,email,coach email\nAna,ana@example.com,other.coach@alpha.test\n",
            portal="coach/contacts")  # fmt: skip
    job = ImportJob.objects.get()
    assert job.coach == cast.alpha.coach.membership and job.rows[0]["errors"] == []
    coach.post(f"/coach/contacts/import/{job.pk}/confirm/")
    assert Contact.objects.get().coach == cast.alpha.coach.membership
    other = cast.client_for(cast.alpha.other_coach)
    assert other.get(f"/coach/contacts/import/{job.pk}/").status_code == 404


def _big_file(n: int) -> str:
    return "name,email\n" + "".join(f"Person {i},p{i}@example.com\n" for i in range(n))


def test_a_large_file_is_imported_by_the_task_in_chunks_with_a_progress_bar(
    cast, django_capture_on_commit_callbacks
):
    admin = cast.client_for(cast.alpha.admin)
    _upload(admin, _big_file(450))
    job = ImportJob.objects.get()
    assert job.valid_rows == 450
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        admin.post(f"/team/crm/import/{job.pk}/confirm/")
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED and not Contact.objects.exists()
    page = admin.get(f"/team/crm/import/{job.pk}/").content.decode()
    assert '<progress class="meter"' in page and 'hx-trigger="every 2s"' in page
    # One chunk of 200, as a worker cut off after its first chunk would leave it.
    assert imports.import_chunk(job.pk) is True
    job.refresh_from_db()
    assert job.processed == 200 and Contact.objects.count() == 200
    fragment = admin.get(f"/team/crm/import/{job.pk}/progress/").content.decode()
    assert 'value="200"' in fragment and "44%" in fragment
    for callback in callbacks:
        callback()  # the queued task carries on from row 201
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.processed == 450
    assert Contact.objects.count() == 450 and job.created_count == 450
    fragment = admin.get(f"/team/crm/import/{job.pk}/progress/").content.decode()
    assert "hx-trigger" not in fragment and "450 contacts were added" in fragment
    assert not OutboundEmail.objects.exists()


def test_the_task_is_safe_to_run_twice_and_skips_emails_taken_since_the_preview(cast):
    admin = cast.client_for(cast.alpha.admin)
    _upload(admin, _big_file(250))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)
    contact(cast.alpha.workspace, "p7@example.com")
    assert import_contacts(job.pk) == 249
    assert import_contacts(job.pk) == 249
    job.refresh_from_db()
    assert job.skipped_count == 1 and Contact.objects.count() == 250
