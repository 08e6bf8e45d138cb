"""The support API: learners ask, follow up and rate; the support team lists, answers, closes."""

from __future__ import annotations

import pytest

from ascend.api.tests.helpers import assert_error, bearer_client, send, token_for
from ascend.courses.tests.course_world import course_tree
from ascend.notifications.models import OutboundEmail
from ascend.support.models import RequestStatus, SupportRequest
from ascend.testing import assert_flat_queries

from .support_world import answer, ask, lessons_for

pytestmark = pytest.mark.django_db


def api(cast, who: str, crew: str = "alpha"):  # type: ignore[no-untyped-def]
    person = getattr(getattr(cast, crew), who)
    return bearer_client(token_for(person), person.workspace)


def test_a_learner_asks_about_a_lesson_an_attendant_answers_and_the_learner_rates(cast):
    lesson = lessons_for(cast.alpha)[1]
    learner, staff = api(cast, "client"), api(cast, "attendant")

    asked = send(
        learner,
        "POST",
        "/api/v1/me/support",
        {"subject": "Knee pain", "body": "On lunges.", "lesson": lesson.pk},
    )
    assert asked.status_code == 201, asked.content
    body = asked.json()
    request_id = body["id"]
    assert body["status"] == "open" and body["lesson"]["id"] == lesson.pk
    assert [m["body"] for m in body["messages"]] == ["On lunges."]

    queue = staff.get("/api/v1/support?status=open").json()
    assert [r["id"] for r in queue] == [request_id]
    answered = send(
        staff, "POST", f"/api/v1/support/{request_id}/answers", {"body": "Shorter *stride*."}
    )
    assert answered.status_code == 201
    assert answered.json()["status"] == "answered"
    assert answered.json()["answered_by"]["id"] == cast.alpha.attendant.membership.pk
    assert OutboundEmail.objects.filter(template="support_answered").count() == 1

    thread = learner.get(f"/api/v1/me/support/{request_id}").json()
    assert thread["messages"][-1]["body_html"] == "<p>Shorter <em>stride</em>.</p>"
    assert thread["messages"][-1]["from_staff"] is True
    rated = send(learner, "PUT", f"/api/v1/me/support/{request_id}/rating", {"rating": 5})
    assert rated.status_code == 200 and rated.json()["rating"] == 5
    changed = send(learner, "PUT", f"/api/v1/me/support/{request_id}/rating", {"rating": 3})
    assert changed.json()["rating"] == 3
    assert [r["id"] for r in learner.get("/api/v1/me/support").json()] == [request_id]


@pytest.mark.parametrize("bad", [0, 6])
def test_a_rating_out_of_range_is_refused_with_nothing_changed(cast, bad):
    asked = ask(cast.alpha.client)
    answer(asked, cast.alpha.attendant)
    learner = api(cast, "client")
    send(learner, "PUT", f"/api/v1/me/support/{asked.pk}/rating", {"rating": 2})
    response = send(learner, "PUT", f"/api/v1/me/support/{asked.pk}/rating", {"rating": bad})
    fields = assert_error(response, 422, "rating_out_of_range")
    assert "rating" in fields
    asked.refresh_from_db()
    assert asked.rating == 2


def test_rating_before_any_answer_is_refused(cast):
    asked = ask(cast.alpha.client)
    url = f"/api/v1/me/support/{asked.pk}/rating"
    response = send(api(cast, "client"), "PUT", url, {"rating": 5})
    assert_error(response, 422, "not_answered_yet")


def test_a_lesson_the_learner_does_not_hold_is_refused(cast):
    lessons_for(cast.alpha)
    _, other = course_tree(cast.alpha.workspace, name="Not theirs")
    _, beta = course_tree(cast.beta.workspace, name="Beta")
    learner = api(cast, "client")
    body = {"subject": "Hi", "body": "Hi"}
    assert_error(
        send(learner, "POST", "/api/v1/me/support", {**body, "lesson": other[0].pk}),
        422,
        "lesson_not_yours",
    )
    assert_error(
        send(learner, "POST", "/api/v1/me/support", {**body, "lesson": beta[0].pk}),
        422,
        "not_found",
    )
    empty = send(learner, "POST", "/api/v1/me/support", {**body, "body": " "})
    assert_error(empty, 422, "required")
    assert not SupportRequest.objects.exists()


def test_a_learner_cannot_reach_another_learners_request(cast):
    theirs = ask(cast.alpha.other_client)
    answer(theirs, cast.alpha.attendant)
    learner = api(cast, "client")
    assert_error(learner.get(f"/api/v1/me/support/{theirs.pk}"), 404, "not_found")
    assert_error(
        send(learner, "POST", f"/api/v1/me/support/{theirs.pk}/messages", {"body": "x"}),
        404,
        "not_found",
    )
    assert_error(
        send(learner, "PUT", f"/api/v1/me/support/{theirs.pk}/rating", {"rating": 1}),
        404,
        "not_found",
    )
    assert learner.get("/api/v1/me/support").json() == []
    theirs.refresh_from_db()
    assert theirs.rating is None and theirs.messages.count() == 2


def test_a_follow_up_reopens_the_request(cast):
    asked = ask(cast.alpha.client)
    answer(asked, cast.alpha.attendant)
    response = send(
        api(cast, "client"), "POST", f"/api/v1/me/support/{asked.pk}/messages", {"body": "More?"}
    )
    assert response.status_code == 201 and response.json()["status"] == "open"


def test_staff_close_and_reopen(cast):
    asked = ask(cast.alpha.client)
    answer(asked, cast.alpha.attendant)
    staff = api(cast, "supervisor")
    closed = send(staff, "POST", f"/api/v1/support/{asked.pk}/close", {})
    assert closed.json()["status"] == "closed"
    reopened = send(staff, "POST", f"/api/v1/support/{asked.pk}/close", {"reopen": True})
    assert reopened.json()["status"] == "answered"
    assert staff.get(f"/api/v1/support/{asked.pk}").json()["status"] == "answered"


def test_the_queue_filters(cast):
    one = ask(cast.alpha.client, "Video broken")
    two = ask(cast.alpha.other_client, "Invoice please")
    answer(one, cast.alpha.attendant)
    staff = api(cast, "admin")
    member = cast.alpha.attendant.membership.pk
    assert [r["id"] for r in staff.get(f"/api/v1/support?answered_by={member}").json()] == [one.pk]
    assert [r["id"] for r in staff.get("/api/v1/support?answered_by=none").json()] == [two.pk]
    assert [r["id"] for r in staff.get("/api/v1/support?q=invoice").json()] == [two.pk]
    assert [r["id"] for r in staff.get("/api/v1/support").json()] == [two.pk, one.pk]
    assert_error(staff.get("/api/v1/support?status=bogus"), 422, "validation_error")


@pytest.mark.parametrize("who", ["coach", "auditor", "operator", "client"])
def test_roles_outside_the_support_team_are_refused_the_staff_endpoints(cast, who):
    asked = ask(cast.alpha.client)
    client = api(cast, who)
    assert_error(client.get("/api/v1/support"), 403, "forbidden")
    assert_error(client.get(f"/api/v1/support/{asked.pk}"), 403, "forbidden")
    assert_error(
        send(client, "POST", f"/api/v1/support/{asked.pk}/answers", {"body": "x"}), 403, "forbidden"
    )
    assert_error(send(client, "POST", f"/api/v1/support/{asked.pk}/close", {}), 403, "forbidden")
    asked.refresh_from_db()
    assert asked.status == RequestStatus.OPEN


@pytest.mark.parametrize("who", ["owner", "attendant", "coach"])
def test_staff_are_refused_the_learner_endpoints(cast, who):
    client = api(cast, who)
    assert_error(client.get("/api/v1/me/support"), 403, "forbidden")
    assert_error(
        send(client, "POST", "/api/v1/me/support", {"subject": "x", "body": "y"}), 403, "forbidden"
    )


def test_another_workspace_never_reaches_alpha_requests(cast):
    asked = ask(cast.alpha.client)
    beta_staff, beta_learner = api(cast, "attendant", "beta"), api(cast, "client", "beta")
    assert beta_staff.get("/api/v1/support").json() == []
    assert_error(beta_staff.get(f"/api/v1/support/{asked.pk}"), 404, "not_found")
    assert_error(
        send(beta_staff, "POST", f"/api/v1/support/{asked.pk}/answers", {"body": "x"}),
        404,
        "not_found",
    )
    assert_error(beta_learner.get(f"/api/v1/me/support/{asked.pk}"), 404, "not_found")
    stranger = bearer_client(token_for(cast.beta.attendant), cast.alpha.workspace)
    assert_error(stranger.get("/api/v1/support"), 401, "not_authenticated")
    asked.refresh_from_db()
    assert asked.messages.count() == 1


def test_the_queue_runs_the_same_queries_however_many_requests(cast):
    staff = api(cast, "attendant")
    learner = api(cast, "client")
    counter = iter(range(1000))
    lessons = lessons_for(cast.alpha)

    def grow() -> None:
        n = next(counter)
        for i, who in enumerate(("client", "other_client")):
            asked = ask(getattr(cast.alpha, who), f"Q{n}-{i}", lesson=lessons[i])
            answer(asked, cast.alpha.supervisor)

    grow()
    staff.get("/api/v1/support")  # the token's first use is stamped once
    learner.get("/api/v1/me/support")
    assert assert_flat_queries(lambda: staff.get("/api/v1/support"), grow) == 4
    assert assert_flat_queries(lambda: learner.get("/api/v1/me/support"), grow) == 4
