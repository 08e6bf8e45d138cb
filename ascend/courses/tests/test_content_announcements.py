"""The announcements page: write, enable or disable with one button, edit, delete."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ascend.courses import actions_content as actions
from ascend.courses.models import Announcement, AnnouncementDismissal
from ascend.testing import assert_flat_queries, assert_num_queries

from .course_world import product

pytestmark = pytest.mark.django_db


@pytest.fixture
def note(cast):
    return actions.do_save_announcement(cast.alpha.workspace, actor=None, title="Live Q&A")


def _dismiss(note: Announcement, *learners) -> None:  # type: ignore[no-untyped-def]
    for person in learners:
        AnnouncementDismissal.objects.create(
            workspace=note.workspace, announcement=note, learner=person.membership
        )


def _urls(note: Announcement) -> list[str]:
    return [
        reverse("courses:announcements"),
        reverse("courses:announcement_new"),
        reverse("courses:announcement_edit", args=[note.pk]),
        reverse("courses:announcement_delete", args=[note.pk]),
    ]


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_owners_and_admins_open_the_announcement_pages(cast, note, role):
    client = cast.client_for(getattr(cast.alpha, role))
    for url in _urls(note):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["supervisor", "attendant", "coach", "client"])
def test_other_roles_are_refused_the_announcement_pages(cast, note, role):
    client = cast.client_for(getattr(cast.alpha, role))
    for url in _urls(note):
        assert client.get(url).status_code == 403, url
    toggle = reverse("courses:announcement_toggle", args=[note.pk])
    assert client.post(toggle).status_code == 403
    assert client.post(_urls(note)[3]).status_code == 403
    note.refresh_from_db()
    assert not note.is_enabled


def test_another_workspace_is_refused_with_404(cast, note):
    client = cast.client_for(cast.beta.owner, workspace=cast.alpha.workspace)
    for url in _urls(note):
        assert client.get(url).status_code == 404, url
    own = cast.client_for(cast.beta.admin)
    for url in _urls(note)[2:]:
        assert own.get(url).status_code == 404, url
    assert own.post(reverse("courses:announcement_toggle", args=[note.pk])).status_code == 404
    assert own.post(_urls(note)[3]).status_code == 404
    assert Announcement.objects.filter(pk=note.pk, is_enabled=False).exists()


def test_the_list_is_empty_at_first_and_says_what_to_do(cast):
    page = cast.client_for(cast.alpha.admin).get(reverse("courses:announcements"))
    assert "No announcements yet" in page.content.decode()


def test_an_announcement_is_written_hidden_and_enabled_with_one_button(cast):
    made = product(cast.alpha.workspace, "Yoga")
    client = cast.client_for(cast.alpha.admin)
    response = client.post(
        reverse("courses:announcement_new"),
        {"title": "New module", "body": "Week **5** is out", "product": made.pk},
    )
    assert response["Location"] == "/team/courses/announcements/"
    note = Announcement.objects.get()
    assert (note.product, note.is_enabled, note.created_by) == (made, False, cast.alpha.admin.user)
    page = client.get(reverse("courses:announcements")).content.decode()
    assert "Hidden" in page and "Yoga" in page and 'type="submit">Enable<span' in page
    toggle = reverse("courses:announcement_toggle", args=[note.pk])
    response = client.post(toggle)
    assert response["Location"] == f"/team/courses/announcements/#announcement-{note.pk}"
    note.refresh_from_db()
    assert note.is_enabled
    page = client.get(reverse("courses:announcements")).content.decode()
    assert "Shown" in page and "Disable" in page
    client.post(toggle)
    note.refresh_from_db()
    assert not note.is_enabled


def test_the_list_shows_state_audience_and_how_many_dismissed(cast, note):
    _dismiss(note, cast.alpha.client, cast.alpha.other_client)
    actions.do_toggle_announcement(note, actor=None)
    actions.do_save_announcement(cast.beta.workspace, actor=None, title="Beta news")
    page = cast.client_for(cast.alpha.admin).get(reverse("courses:announcements")).content.decode()
    row = page.split(f'data-testid="announcement-{note.pk}"')[1].split("</tr>")[0]
    assert "Every learner" in row and "Shown" in row and "2 learners" in row and "Disable" in row
    assert "Beta news" not in page


def test_the_list_runs_a_fixed_number_of_queries(cast, note):
    client = cast.client_for(cast.alpha.admin)
    url = reverse("courses:announcements")
    made = product(cast.alpha.workspace)

    def grow() -> None:
        for n in range(5):
            more = actions.do_save_announcement(
                cast.alpha.workspace, actor=None, title=f"News {n}", product=made
            )
            _dismiss(more, cast.alpha.client)

    client.get(url)
    assert_flat_queries(lambda: client.get(url), grow)
    # workspace, session, user, membership, the announcements, the workspace menu
    with assert_num_queries(6):
        client.get(url)


def test_a_bad_announcement_says_why_and_keeps_the_text(cast):
    response = cast.client_for(cast.alpha.admin).post(
        reverse("courses:announcement_new"), {"title": " ", "body": "Kept"}
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "An announcement needs a title." in page and "Kept" in page
    assert not Announcement.objects.exists()


def test_another_workspaces_product_cannot_be_chosen(cast):
    theirs = product(cast.beta.workspace, "Theirs")
    response = cast.client_for(cast.alpha.admin).post(
        reverse("courses:announcement_new"), {"title": "Hi", "product": theirs.pk}
    )
    assert response.status_code == 422
    assert not Announcement.objects.exists()


def test_editing_keeps_the_state_and_previews_sanitised_text(cast, note):
    actions.do_toggle_announcement(note, actor=None)
    client = cast.client_for(cast.alpha.admin)
    url = reverse("courses:announcement_edit", args=[note.pk])
    preview = client.post(url, {"title": "Q&A", "body": "<script>x()</script>**Friday**",
                                "preview": "1"}).content.decode()  # fmt: skip
    assert "<strong>Friday</strong>" in preview and "<script>x()" not in preview
    note.refresh_from_db()
    assert note.title == "Live Q&A"
    client.post(url, {"title": "Q&A on Friday", "body": "At 6 pm"})
    note.refresh_from_db()
    assert (note.title, note.body, note.is_enabled) == ("Q&A on Friday", "At 6 pm", True)


def test_deleting_asks_once_and_says_what_goes(cast, note):
    actions.do_toggle_announcement(note, actor=None)
    _dismiss(note, cast.alpha.client)
    client = cast.client_for(cast.alpha.admin)
    url = reverse("courses:announcement_delete", args=[note.pk])
    page = client.get(url).content.decode()
    assert "learners stop seeing it at once" in page
    assert "the record of 1 learner who dismissed it" in page
    assert client.post(url)["Location"] == "/team/courses/announcements/"
    assert not Announcement.objects.exists()
