"""Support pages: the learner asks from a lesson, an attendant answers, the learner sees the
answer and rates it; who may open what; query counts that stay flat."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ascend.courses.tests.course_world import course_tree
from ascend.notifications.models import OutboundEmail
from ascend.support.models import RequestStatus, SupportRequest
from ascend.testing import assert_flat_queries, assert_num_queries

from .support_world import answer, ask, lessons_for

pytestmark = pytest.mark.django_db


def test_the_whole_story_from_a_lesson_to_a_rated_answer(cast):
    lesson = lessons_for(cast.alpha)[1]
    learner = cast.client_for(cast.alpha.client)

    form = learner.get(f"/me/support/new/?lesson={lesson.pk}")
    assert form.status_code == 200
    assert f'<option value="{lesson.pk}" selected>' in form.content.decode()
    sent = learner.post(
        "/me/support/new/",
        {"subject": "Knee pain", "body": "My knee hurts on lunges.", "lesson": lesson.pk},
    )
    asked = SupportRequest.objects.get()
    assert sent.status_code == 302 and sent["Location"] == f"/me/support/{asked.pk}/"
    assert asked.lesson == lesson

    staff = cast.client_for(cast.alpha.attendant)
    queue = staff.get("/team/support/").content.decode()
    assert "Knee pain" in queue and "Alpha Client" in queue
    page = staff.get(f"/team/support/{asked.pk}/").content.decode()
    assert "My knee hurts on lunges." in page and lesson.title in page
    answered = staff.post(f"/team/support/{asked.pk}/", {"body": "Shorten the **stride**."})
    assert answered.status_code == 302
    asked.refresh_from_db()
    assert asked.status == RequestStatus.ANSWERED
    assert OutboundEmail.objects.filter(template="support_answered", to=cast.alpha.client.email)

    thread = learner.get(f"/me/support/{asked.pk}/").content.decode()
    assert "Shorten the <strong>stride</strong>." in thread
    assert 'data-testid="rating-form"' in thread
    rated = learner.post(f"/me/support/{asked.pk}/rating/", {"rating": "4"})
    assert rated.status_code == 302
    asked.refresh_from_db()
    assert asked.rating == 4
    listing = learner.get("/me/support/").content.decode()
    assert "Knee pain" in listing and "Answered" in listing


@pytest.mark.parametrize("bad", ["6", "0", "x", ""])
def test_a_rating_out_of_range_shows_a_message_and_changes_nothing(cast, bad):
    asked = ask(cast.alpha.client)
    answer(asked, cast.alpha.attendant)
    response = cast.client_for(cast.alpha.client).post(
        f"/me/support/{asked.pk}/rating/", {"rating": bad}
    )
    assert response.status_code == 422
    assert "errorlist" in response.content.decode()
    asked.refresh_from_db()
    assert asked.rating is None


def test_the_rating_form_appears_only_once_the_team_answered(cast):
    asked = ask(cast.alpha.client)
    learner = cast.client_for(cast.alpha.client)
    assert (
        'data-testid="rating-form"' not in learner.get(f"/me/support/{asked.pk}/").content.decode()
    )
    assert learner.post(f"/me/support/{asked.pk}/rating/", {"rating": "5"}).status_code == 422


def test_the_learner_writes_again_and_the_request_opens_for_the_team(cast):
    asked = ask(cast.alpha.client)
    answer(asked, cast.alpha.attendant)
    learner = cast.client_for(cast.alpha.client)
    assert learner.post(f"/me/support/{asked.pk}/", {"body": "Thanks, and…"}).status_code == 302
    asked.refresh_from_db()
    assert asked.status == RequestStatus.OPEN
    empty = learner.post(f"/me/support/{asked.pk}/", {"body": ""})
    assert empty.status_code == 422 and asked.messages.count() == 3


def test_asking_with_missing_fields_keeps_what_was_typed(cast):
    response = cast.client_for(cast.alpha.client).post(
        "/me/support/new/", {"subject": "", "body": "Typed text"}
    )
    assert response.status_code == 422
    assert "Typed text" in response.content.decode()
    assert not SupportRequest.objects.exists()


def test_a_lesson_the_learner_does_not_hold_is_not_offered(cast):
    lessons_for(cast.alpha)
    _, other = course_tree(cast.alpha.workspace, name="Not theirs")
    learner = cast.client_for(cast.alpha.client)
    assert learner.get(f"/me/support/new/?lesson={other[0].pk}").status_code == 404
    assert learner.get("/me/support/new/?lesson=abc").status_code == 404
    posted = learner.post(
        "/me/support/new/", {"subject": "Hi", "body": "Hi", "lesson": other[0].pk}
    )
    assert posted.status_code == 422
    assert not SupportRequest.objects.exists()


def test_a_learner_cannot_open_another_learners_request(cast):
    theirs = ask(cast.alpha.other_client)
    answer(theirs, cast.alpha.attendant)
    learner = cast.client_for(cast.alpha.client)
    assert learner.get(f"/me/support/{theirs.pk}/").status_code == 404
    assert learner.post(f"/me/support/{theirs.pk}/", {"body": "Hi"}).status_code == 404
    assert learner.post(f"/me/support/{theirs.pk}/rating/", {"rating": "1"}).status_code == 404
    assert "The video" not in learner.get("/me/support/").content.decode()
    theirs.refresh_from_db()
    assert theirs.rating is None and theirs.messages.count() == 2


@pytest.mark.parametrize("who", ["owner", "admin", "supervisor", "attendant"])
def test_the_support_team_opens_the_queue_and_threads(cast, who):
    asked = ask(cast.alpha.client)
    client = cast.client_for(getattr(cast.alpha, who))
    assert client.get(reverse("support:queue")).status_code == 200
    assert client.get(f"/team/support/{asked.pk}/").status_code == 200


@pytest.mark.parametrize("who", ["coach", "head_coach", "auditor", "operator", "client"])
def test_others_are_refused_the_staff_pages(cast, who):
    asked = ask(cast.alpha.client)
    client = cast.client_for(getattr(cast.alpha, who))
    assert client.get("/team/support/").status_code == 403
    assert client.get(f"/team/support/{asked.pk}/").status_code == 403
    assert client.post(f"/team/support/{asked.pk}/", {"body": "x"}).status_code == 403
    assert client.post(f"/team/support/{asked.pk}/close/").status_code == 403
    asked.refresh_from_db()
    assert asked.status == RequestStatus.OPEN and asked.messages.count() == 1


@pytest.mark.parametrize("who", ["owner", "attendant", "coach", "auditor"])
def test_staff_are_refused_the_learner_pages(cast, who):
    asked = ask(cast.alpha.client)
    client = cast.client_for(getattr(cast.alpha, who))
    assert client.get("/me/support/").status_code == 403
    assert client.get("/me/support/new/").status_code == 403
    assert client.get(f"/me/support/{asked.pk}/").status_code == 403


def test_members_of_another_workspace_are_refused(cast):
    asked = ask(cast.alpha.client)
    for person in (cast.beta.owner, cast.beta.client):
        stranger = cast.client_for(person, workspace=cast.alpha.workspace)
        for path in ("/team/support/", f"/team/support/{asked.pk}/", "/me/support/",
                     f"/me/support/{asked.pk}/"):  # fmt: skip
            assert stranger.get(path).status_code == 404, path
    # On their own workspace, alpha's request is not there.
    assert cast.client_for(cast.beta.attendant).get(f"/team/support/{asked.pk}/").status_code == 404
    assert cast.client_for(cast.beta.client).get(f"/me/support/{asked.pk}/").status_code == 404
    posted = cast.client_for(cast.beta.attendant).post(f"/team/support/{asked.pk}/", {"body": "x"})
    assert posted.status_code == 404


def test_the_queue_lists_open_requests_first_the_longest_waiting_on_top(cast):
    lessons_for(cast.alpha)
    oldest = ask(cast.alpha.client, "Oldest open")
    done = ask(cast.alpha.client, "Answered one")
    newest = ask(cast.alpha.other_client, "Newest open")
    answer(done, cast.alpha.attendant)
    page = cast.client_for(cast.alpha.attendant).get("/team/support/").content.decode()
    assert page.index("Oldest open") < page.index("Newest open") < page.index("Answered one")
    assert oldest.pk and newest.pk


def test_the_queue_filters_by_status_answerer_and_search(cast):
    mine = ask(cast.alpha.client, "Video broken")
    other = ask(cast.alpha.other_client, "Invoice please")
    waiting = ask(cast.alpha.client, "Password trouble")
    answer(mine, cast.alpha.attendant)
    answer(other, cast.alpha.supervisor)
    client = cast.client_for(cast.alpha.admin)

    def shown(**params: str) -> set[str]:
        page = client.get("/team/support/", params).content.decode()
        return {s for s in ("Video broken", "Invoice please", "Password trouble") if s in page}

    assert shown(status="open") == {"Password trouble"}
    assert shown(status="answered") == {"Video broken", "Invoice please"}
    assert shown(answered_by=str(cast.alpha.attendant.membership.pk)) == {"Video broken"}
    assert shown(answered_by="none") == {"Password trouble"}
    assert shown(q="invoice") == {"Invoice please"}
    assert shown(q="alpha other") == {"Invoice please"}
    assert shown(status="bogus") == {"Video broken", "Invoice please", "Password trouble"}
    assert waiting.pk


def test_close_and_reopen_from_the_thread(cast):
    asked = ask(cast.alpha.client)
    client = cast.client_for(cast.alpha.attendant)
    assert client.post(f"/team/support/{asked.pk}/close/").status_code == 302
    asked.refresh_from_db()
    assert asked.status == RequestStatus.CLOSED
    assert "Reopen" in client.get(f"/team/support/{asked.pk}/").content.decode()
    client.post(f"/team/support/{asked.pk}/reopen/")
    asked.refresh_from_db()
    assert asked.status == RequestStatus.OPEN


def test_an_empty_answer_shows_a_message_and_sends_nothing(cast):
    asked = ask(cast.alpha.client)
    response = cast.client_for(cast.alpha.attendant).post(
        f"/team/support/{asked.pk}/", {"body": ""}
    )
    assert response.status_code == 422 and "errorlist" in response.content.decode()
    assert not OutboundEmail.objects.exists()
    asked.refresh_from_db()
    assert asked.status == RequestStatus.OPEN


def test_the_staff_thread_links_the_lesson_for_moderators(cast):
    lesson = lessons_for(cast.alpha)[0]
    asked = ask(cast.alpha.client, lesson=lesson)
    page = cast.client_for(cast.alpha.attendant).get(f"/team/support/{asked.pk}/").content.decode()
    assert f'href="/team/comments/?state=all&amp;lesson={lesson.pk}"' in page


def _grow(cast, counter):  # type: ignore[no-untyped-def]
    n = next(counter)
    lessons = lessons_for(cast.alpha, name=f"Product {n}") if n == 0 else None
    for i, who in enumerate(("client", "other_client", "client")):
        asked = ask(getattr(cast.alpha, who), f"Question {n}-{i}")
        if i != 1:
            answer(asked, cast.alpha.attendant if i else cast.alpha.supervisor)
    return lessons


def test_the_queue_runs_the_same_queries_however_many_requests(cast):
    client = cast.client_for(cast.alpha.attendant)
    counter = iter(range(1000))
    _grow(cast, counter)
    assert_flat_queries(lambda: client.get("/team/support/"), lambda: _grow(cast, counter))
    assert_flat_queries(
        lambda: client.get("/team/support/?status=answered&q=Question"),
        lambda: _grow(cast, counter),
    )
    # workspace, session, user, membership; answerers, page count, rows, status counts;
    # the workspace switcher.
    with assert_num_queries(9):
        client.get("/team/support/")


def test_the_learner_list_runs_the_same_queries_however_many_requests(cast):
    client = cast.client_for(cast.alpha.client)
    counter = iter(range(1000))
    _grow(cast, counter)
    assert_flat_queries(lambda: client.get("/me/support/"), lambda: _grow(cast, counter))
    assert_flat_queries(
        lambda: client.get(f"/me/support/{SupportRequest.objects.first().pk}/"),
        lambda: _grow(cast, counter),
    )


def test_the_staff_thread_links_the_lesson_page_for_those_who_manage_courses(cast):
    lesson = lessons_for(cast.alpha)[0]
    asked = ask(cast.alpha.client, lesson=lesson)
    page = cast.client_for(cast.alpha.admin).get(f"/team/support/{asked.pk}/").content.decode()
    assert f'href="{reverse("courses:lesson_edit", args=[lesson.pk])}"' in page
    learner = cast.client_for(cast.alpha.client).get(f"/me/support/{asked.pk}/").content.decode()
    assert f'href="{reverse("learn:lesson", args=[lesson.pk])}"' in learner
