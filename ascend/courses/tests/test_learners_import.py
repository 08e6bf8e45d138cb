"""/team/learners/import/: a CSV of name, email, product, expires, checked before anything is saved.

Rules: each row's problems are shown (bad email, unknown product, past or unreadable
expiry, a coach's email, a repeated row); checking writes nothing; confirming gives
access to the good rows only, with or without the access emails; a learner who
already has the product is left as they are.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ascend.accounts.models import User
from ascend.activity.models import Event
from ascend.activity.verbs import Verb
from ascend.courses.models import AccessSource, LearnerAccess
from ascend.courses.tests.course_world import give, product
from ascend.notifications.models import OutboundEmail

pytestmark = pytest.mark.django_db
URL = "/team/learners/import/"


@pytest.fixture
def products(cast):  # type: ignore[no-untyped-def]
    ws = cast.alpha.workspace
    return product(ws, "Strength Academy"), product(ws, "Mobility")


def csv_file(cast, extra: str = "") -> SimpleUploadedFile:  # type: ignore[no-untyped-def]
    future = (timezone.localdate() + timedelta(days=60)).isoformat()
    past = (timezone.localdate() - timedelta(days=5)).isoformat()
    text = (
        "Name;Email;Product;Expires\n"
        f"Ana Alves;ana@example.com;strength academy;{future}\n"
        "Bo Berg;bo@example.com;Mobility;\n"
        "Bad Email;not-an-email;Mobility;\n"
        "Unknown;cy@example.com;Yoga;\n"
        f"Past;dee@example.com;Mobility;{past}\n"
        "Garbled;eve@example.com;Mobility;31/12/2027\n"
        f"Coach;{cast.alpha.coach.email};Mobility;\n"
        "Twice;bo@example.com;Mobility;\n"
        f"Already;{cast.alpha.client.email};Mobility;\n" + extra
    )
    return SimpleUploadedFile("learners.csv", text.encode("utf-8-sig"), "text/csv")


def preview(cast, send: bool = True):  # type: ignore[no-untyped-def]
    data = {"file": csv_file(cast)}
    if send:
        data["send"] = "on"
    return cast.client_for(cast.alpha.owner).post(URL, data)


def test_the_preview_lists_each_rows_problems_and_writes_nothing(cast, products):
    give(cast.alpha.client.membership, products[1])
    users_before = User.objects.count()

    response = preview(cast)

    assert response.status_code == 200
    rows = {row.line: row for row in response.context["rows"]}
    assert rows[2].errors == [] and rows[3].errors == []
    assert rows[4].errors == ["email_invalid"]
    assert rows[5].errors == ["product_unknown"]
    assert rows[6].errors == ["expires_in_past"]
    assert rows[7].errors == ["expires_invalid"]
    assert rows[8].errors == ["is_coach"]
    assert rows[9].errors == ["twice"]
    assert rows[10].errors == [] and rows[10].already
    assert response.context["checked"].to_give == 2
    content = response.content.decode()
    assert "No product has this name." in content and "Give 2 accesses" in content
    assert User.objects.count() == users_before
    assert LearnerAccess.objects.count() == 1
    assert not OutboundEmail.objects.exists()


def test_confirming_imports_the_good_rows_only_and_sends_their_emails(cast, products):
    give(cast.alpha.client.membership, products[1])
    confirm = preview(cast).context["confirm_form"]

    response = cast.client_for(cast.alpha.owner).post(
        f"{URL}confirm/", {"data": confirm.initial["data"], "send": "True"}
    )

    assert response.status_code == 302
    given = LearnerAccess.objects.filter(source=AccessSource.IMPORT)
    assert sorted(given.values_list("learner__user__email", flat=True)) == [
        "ana@example.com", "bo@example.com"
    ]  # fmt: skip
    ana = given.get(learner__user__email="ana@example.com")
    assert ana.product == products[0] and ana.expires_at is not None
    assert OutboundEmail.objects.filter(template="course_access").count() == 2
    event = Event.objects.get(verb=Verb.LEARNERS_IMPORTED)
    assert event.data == {"given": 2, "unchanged": 1, "refused": 6, "emails": True}


def test_importing_without_emails_sends_none(cast, products):
    confirm = preview(cast, send=False).context["confirm_form"]

    cast.client_for(cast.alpha.owner).post(f"{URL}confirm/", {"data": confirm.initial["data"]})

    assert LearnerAccess.objects.filter(source=AccessSource.IMPORT).count() == 3
    assert not OutboundEmail.objects.exists()


def test_importing_the_same_file_twice_gives_nothing_new(cast, products):
    confirm = preview(cast).context["confirm_form"]
    client = cast.client_for(cast.alpha.owner)

    client.post(f"{URL}confirm/", {"data": confirm.initial["data"], "send": "True"})
    client.post(f"{URL}confirm/", {"data": confirm.initial["data"], "send": "True"})

    assert LearnerAccess.objects.count() == 3
    assert OutboundEmail.objects.filter(template="course_access").count() == 3


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", b"empty"),
        (b"\n\n  \n", b"The file is empty."),
        (b"name,email\nAna,ana@example.com\n", b"at least"),
        (b"x" * (1024 * 1024 + 1), b"larger than 1 MB"),
    ],
)
def test_a_file_that_cant_be_used_is_refused_at_the_field(cast, products, content, message):
    upload = SimpleUploadedFile("bad.csv", content, "text/csv")

    response = cast.client_for(cast.alpha.owner).post(URL, {"file": upload})

    assert response.status_code == 422
    assert message in response.content
    assert not LearnerAccess.objects.exists()


@pytest.mark.parametrize("role", ["attendant", "coach", "client"])
def test_roles_without_the_capability_are_refused(cast, products, role):
    person = getattr(cast.alpha, role)

    assert cast.client_for(person).get(URL).status_code == 403
    assert (
        cast.client_for(person).post(f"{URL}confirm/", {"data": "email,product\n"}).status_code
        == 403
    )


def test_a_member_of_another_workspace_is_refused(cast, products):
    client = cast.client_for(cast.beta.owner, workspace=cast.alpha.workspace)

    assert client.get(URL).status_code == 404


def test_a_tampered_confirmation_is_checked_again(cast, products):
    data = f"email,product\n{cast.alpha.coach.email},Mobility\nzed@example.com,Mobility\n"

    cast.client_for(cast.alpha.owner).post(f"{URL}confirm/", {"data": data})

    assert list(LearnerAccess.objects.values_list("learner__user__email", flat=True)) == [
        "zed@example.com"
    ]


def test_the_upload_page_explains_the_columns(cast, products):
    response = cast.client_for(cast.alpha.supervisor).get(URL)

    assert response.status_code == 200
    assert b'data-testid="import-columns"' in response.content
