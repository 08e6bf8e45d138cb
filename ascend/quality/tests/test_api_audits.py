"""/api/v1/audits/queue, /messages/{id}/audit, /audits and /audits/{id}/acknowledge.

Rules: only auditors read the queue and grade replies (once each); auditors, owners and
admins read every audit, a coach those of their own replies, a head coach also their
coaches'; only the coach audited acknowledges; other roles get 403, objects they may
not see (or of another workspace) a 404. Bad grades, empty feedback and second audits
are refused with 422 and nothing is stored.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ascend.api.tests.helpers import assert_error, bearer_client, send, token_for
from ascend.messaging.actions import do_start_conversation
from ascend.messaging.testing import say
from ascend.messaging.tests.api_world import MATRIX, make_world, new_client
from ascend.quality.actions import do_audit_message
from ascend.quality.models import Audit
from ascend.testing import Cast, assert_flat_queries

pytestmark = pytest.mark.django_db

FEEDBACK = "Say why three sets, not just how many."


@pytest.fixture
def world(cast):
    return make_world(cast)


@pytest.fixture
def audited(cast, world) -> Audit:
    return do_audit_message(
        world.alpha.reply,
        auditor=cast.alpha.auditor.membership,
        grade="needs_improvement",
        feedback=FEEDBACK,
    )


def as_(cast: Cast, who: str, beta_role: str = "admin"):  # type: ignore[no-untyped-def]
    """A session for a person of the matrix; "beta" is beta's member holding ``beta_role``."""
    person = getattr(cast.beta, beta_role) if who == "beta" else getattr(cast.alpha, who)
    return cast.client_for(person)


def audit_body(grade: str = "suggestion", feedback: str = FEEDBACK) -> dict:
    return {"grade": grade, "feedback": feedback}


# Grading a reply ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", MATRIX)
def test_who_audits_a_reply(cast, world, who):
    url = f"/api/v1/messages/{world.alpha.reply.id}/audit"
    response = send(as_(cast, who, "auditor"), "post", url, audit_body("needs_improvement"))
    if who == "auditor":
        assert response.status_code == 201, response.content
        data = response.json()
        assert (data["grade"], data["colour"], data["feedback"]) == (
            "needs_improvement",
            "yellow",
            FEEDBACK,
        )
        assert data["coach"]["id"] == cast.alpha.coach.membership.id
        assert data["auditor"]["id"] == cast.alpha.auditor.membership.id
        assert data["message"]["id"] == world.alpha.reply.id
        assert data["acknowledged_at"] is None
    elif who == "beta":
        assert_error(response, 404, "not_found")  # beta's auditor: not a message of theirs
    else:
        assert_error(response, 403, "forbidden")
    assert Audit.objects.count() == (1 if who == "auditor" else 0)


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        (audit_body("excellent"), "grade", "validation_error"),
        (audit_body(""), "grade", "validation_error"),
        ({"feedback": FEEDBACK}, "grade", "validation_error"),
        (audit_body(feedback="   "), "feedback", "empty"),
        (audit_body(feedback="x" * 5001), "feedback", "too_long"),
    ],
)
def test_bad_audits_are_refused_and_nothing_is_stored(cast, world, body, field, code):
    url = f"/api/v1/messages/{world.alpha.reply.id}/audit"
    response = send(as_(cast, "auditor"), "post", url, body)
    assert field in assert_error(response, 422, code)
    assert not Audit.objects.exists()


def test_a_reply_is_audited_once(cast, world, audited):
    url = f"/api/v1/messages/{world.alpha.reply.id}/audit"
    response = send(as_(cast, "auditor"), "post", url, audit_body("outstanding"))
    assert "message" in assert_error(response, 422, "already_audited")
    assert list(Audit.objects.values_list("grade", flat=True)) == ["needs_improvement"]


def test_a_clients_message_is_not_a_reply(cast, world):
    url = f"/api/v1/messages/{world.alpha.question.id}/audit"
    response = send(as_(cast, "auditor"), "post", url, audit_body())
    assert "message" in assert_error(response, 422, "not_a_reply")
    assert not Audit.objects.exists()


def test_a_reply_of_another_workspace_or_none_is_a_404(cast, world):
    auditor = as_(cast, "auditor")
    for message_id in (world.beta.reply.id, 999999):
        response = send(auditor, "post", f"/api/v1/messages/{message_id}/audit", audit_body())
        assert_error(response, 404, "not_found")
    assert not Audit.objects.exists()


def test_an_auditor_grades_with_a_token(cast, world):
    client = bearer_client(token_for(cast.alpha.auditor), cast.alpha.workspace)
    response = send(client, "post", f"/api/v1/messages/{world.alpha.reply.id}/audit", audit_body())
    assert response.status_code == 201, response.content


# The queue ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", MATRIX)
def test_who_reads_the_queue(cast, world, who):
    response = as_(cast, who, "auditor").get("/api/v1/audits/queue")
    if who in {"auditor", "beta"}:
        assert response.status_code == 200, response.content
        ids = [item["message_id"] for item in response.json()]
        assert (world.alpha.reply.id in ids) == (who == "auditor")
    else:
        assert_error(response, 403, "forbidden")


def test_the_queue_shows_the_reply_and_drops_it_once_audited(cast, world):
    auditor = as_(cast, "auditor")
    (item,) = auditor.get("/api/v1/audits/queue").json()
    assert item["message_id"] == world.alpha.reply.id
    assert item["coach"]["id"] == cast.alpha.coach.membership.id
    assert item["client"]["id"] == cast.alpha.client.membership.id
    assert item["kind"] == "coaching" and item["body"] == "Three sets of ten."
    send(auditor, "post", f"/api/v1/messages/{world.alpha.reply.id}/audit", audit_body())
    assert auditor.get("/api/v1/audits/queue").json() == []


def test_the_queue_by_coach(cast, world):
    auditor = as_(cast, "auditor")
    mine = auditor.get(f"/api/v1/audits/queue?coach={cast.alpha.coach.membership.id}").json()
    assert [i["message_id"] for i in mine] == [world.alpha.reply.id]
    other = auditor.get(f"/api/v1/audits/queue?coach={cast.alpha.other_coach.membership.id}")
    assert other.json() == []


# Reading audits ----------------------------------------------------------------------------

SEES_THE_AUDIT = {"coach", "head_coach", "auditor", "admin"}


@pytest.mark.parametrize("who", MATRIX)
def test_who_lists_the_audit(cast, world, audited, who):
    response = as_(cast, who).get("/api/v1/audits")
    if who in {"client", "other_client"}:
        assert_error(response, 403, "forbidden")
        assert FEEDBACK not in response.content.decode()
        return
    assert response.status_code == 200, response.content
    ids = [a["id"] for a in response.json()]
    assert (audited.id in ids) == (who in SEES_THE_AUDIT)


@pytest.mark.parametrize("role", ["supervisor", "attendant", "operator"])
def test_roles_without_audits_are_refused(cast, world, audited, role):
    client = cast.client_for(getattr(cast.alpha, role))
    assert_error(client.get("/api/v1/audits"), 403, "forbidden")
    assert_error(client.get("/api/v1/audits/queue"), 403, "forbidden")
    assert_error(send(client, "post", f"/api/v1/audits/{audited.id}/acknowledge"), 403, "forbidden")


def test_filters_of_the_audits(cast, world, audited):
    admin = as_(cast, "admin")
    coach_id = cast.alpha.coach.membership.id
    assert len(admin.get(f"/api/v1/audits?coach={coach_id}").json()) == 1
    assert admin.get(f"/api/v1/audits?coach={cast.alpha.other_coach.membership.id}").json() == []
    assert len(admin.get("/api/v1/audits?acknowledged=false").json()) == 1
    assert admin.get("/api/v1/audits?acknowledged=true").json() == []


# Acknowledging -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", MATRIX)
def test_who_acknowledges(cast, world, audited, who):
    response = send(as_(cast, who, "coach"), "post", f"/api/v1/audits/{audited.id}/acknowledge")
    audited.refresh_from_db()
    if who == "coach":
        assert response.status_code == 200, response.content
        assert response.json()["acknowledged_at"] is not None
        assert audited.acknowledged_at is not None
        return
    if who in {"other_coach", "head_coach", "beta"}:
        assert_error(response, 404, "not_found")  # coaches, but not the one audited
    else:
        assert_error(response, 403, "forbidden")
    assert audited.acknowledged_at is None


def test_acknowledging_twice_keeps_the_first_time(cast, world, audited):
    coach = as_(cast, "coach")
    first = send(coach, "post", f"/api/v1/audits/{audited.id}/acknowledge").json()
    again = send(coach, "post", f"/api/v1/audits/{audited.id}/acknowledge").json()
    assert first["acknowledged_at"] == again["acknowledged_at"]


def test_the_coachs_follow_up_through_the_api_is_recorded(cast, world, audited):
    coach = as_(cast, "coach")
    url = f"/api/v1/conversations/{world.alpha.talk.id}/messages"
    assert coach.post(url, {"body": "To add: three sets build the habit."}).status_code == 201
    (data,) = coach.get("/api/v1/audits").json()
    assert data["followed_up_at"] is not None


def test_the_coach_sees_the_feedback_on_their_message(cast, world, audited):
    messages = as_(cast, "coach").get(f"/api/v1/conversations/{world.alpha.talk.id}/messages")
    reply = next(m for m in messages.json() if m["id"] == world.alpha.reply.id)
    assert reply["audit"]["grade"] == "needs_improvement"
    assert reply["audit"]["feedback"] == FEEDBACK


# Query counts ------------------------------------------------------------------------------


def _more_audited_replies(cast, world, start: int) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    for n in range(start, start + 4):
        client = new_client(world.alpha.cohort, n)
        talk = do_start_conversation(client, recipient=cast.alpha.coach.membership)
        say(talk, client, "Question", now - timedelta(hours=3))
        reply = say(talk, cast.alpha.coach, "Answer", now - timedelta(hours=2))
        do_audit_message(
            reply, auditor=cast.alpha.auditor.membership, grade="outstanding", feedback="Good"
        )
        say(talk, cast.alpha.coach, "One more", now - timedelta(hours=1))  # for the queue


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("auditor", "/api/v1/audits"),
        ("coach", "/api/v1/audits"),
        ("head_coach", "/api/v1/audits"),
        ("auditor", "/api/v1/audits/queue"),
    ],
)
def test_the_lists_run_the_same_queries_however_many_audits(cast, world, audited, who, url):
    cast.alpha.workspace.audit_sample_per_week = 50
    cast.alpha.workspace.save()
    client = as_(cast, who)
    counter = iter(range(100, 1000, 10))
    count = assert_flat_queries(
        lambda: client.get(url), lambda: _more_audited_replies(cast, world, next(counter))
    )
    assert count == 5, count  # signing in (4) and the audits or replies with their people
