"""The coach communication area: at the top of the staff's conversation page, never on any
client page (list, conversation, polling fragment)."""

from __future__ import annotations

import pytest

from ascend.messaging.actions import do_add_staff_note
from ascend.messaging.models import StaffNote
from ascend.messaging.testing import say

from .pages_world import HX, page_of

pytestmark = pytest.mark.django_db

SECRET = "Knee injury: keep the plan gentle"


@pytest.fixture
def noted(cast, talk):
    alpha = cast.alpha
    say(talk, alpha.client, "How hard this week?")
    do_add_staff_note(talk, author=alpha.coach.membership, body=f"**{SECRET}**")
    say(talk, alpha.coach, "Let's go easy")
    return talk


@pytest.mark.parametrize("key", ["coach", "head_coach", "auditor", "admin"])
def test_staff_see_the_notes_at_the_top_of_the_page(cast, noted, key):
    person = getattr(cast.alpha, key)
    page = cast.client_for(person).get(page_of(person, noted)).content.decode()
    area = page.index("Coach communication area")
    assert area < page.index('id="messages"')
    assert f"<strong>{SECRET}</strong>" in page  # sanitised markdown
    assert "Alpha Coach" in page[area : page.index('id="messages"')]  # the coaches in it


def test_a_note_is_never_on_a_client_page(cast, noted):
    alpha = cast.alpha
    http = cast.client_for(alpha.client)
    pages = [
        http.get("/me/messages/"),
        http.get(f"/me/messages/{noted.pk}/"),
        http.get(f"/me/messages/{noted.pk}/new/?after=0"),
        http.post(f"/me/messages/{noted.pk}/", {"body": "Thanks", "after": "0"}, **HX),
    ]
    for response in pages:
        assert response.status_code == 200
        body = response.content.decode()
        assert SECRET not in body and "Coach communication area" not in body
        assert "staff-area" not in body and "notes-area" not in body


def test_a_coach_adds_a_note_and_sees_it(cast, talk):
    alpha = cast.alpha
    response = cast.client_for(alpha.coach).post(
        f"/coach/messages/{talk.pk}/notes/", {"note-body": "Prefers mornings"}
    )
    assert response.status_code == 302 and response.url.endswith("#notes")
    note = StaffNote.objects.get()
    assert note.author == alpha.coach.membership and note.body == "Prefers mornings"


def test_a_note_with_htmx_returns_the_notes_area_with_a_cleared_form(cast, talk):
    alpha = cast.alpha
    response = cast.client_for(alpha.admin).post(
        f"/team/messages/{talk.pk}/notes/", {"note-body": "Paid for 3 months"}, **HX
    )
    page = response.content.decode()
    assert response.status_code == 200 and page.startswith('<div id="notes-area">')
    assert "<p>Paid for 3 months</p>" in page and "Paid for 3 months</textarea>" not in page


def test_an_empty_note_is_refused_next_to_the_field(cast, talk):
    response = cast.client_for(cast.alpha.coach).post(
        f"/coach/messages/{talk.pk}/notes/", {"note-body": " "}, **HX
    )
    assert response.status_code == 200
    assert 'id="id_note-body_errors"><li>Write something first.' in response.content.decode()
    assert not StaffNote.objects.exists()


@pytest.mark.parametrize(
    ("key", "path", "status"),
    [("client", "/coach/messages/{}/notes/", 403),
     ("other_coach", "/coach/messages/{}/notes/", 404),
     ("supervisor", "/team/messages/{}/notes/", 403), ("beta", "/team/messages/{}/notes/", 404)],
)  # fmt: skip
def test_others_cannot_write_notes(cast, talk, key, path, status):
    person = cast.beta.admin if key == "beta" else getattr(cast.alpha, key)
    response = cast.client_for(person, cast.alpha.workspace).post(
        path.format(talk.pk), {"note-body": "sneaky"}
    )
    assert response.status_code == status
    assert not StaffNote.objects.exists()


def test_the_note_time_is_shown_in_the_viewers_time_zone(cast, talk):
    from datetime import UTC, datetime

    alpha = cast.alpha
    note = do_add_staff_note(talk, author=alpha.coach.membership, body="Timed")
    StaffNote.objects.filter(pk=note.pk).update(created_at=datetime(2026, 1, 5, 12, 0, tzinfo=UTC))
    alpha.coach.user.time_zone = "America/New_York"
    alpha.coach.user.save(update_fields=["time_zone"])
    page = cast.client_for(alpha.coach).get(page_of(alpha.coach, talk)).content.decode()
    assert 'datetime="2026-01-05T07:00:00-05:00"' in page
