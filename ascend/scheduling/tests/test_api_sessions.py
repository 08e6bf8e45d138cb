"""/api/v1/sessions: session requests through the API, with the pages' rules.

Rules: a client lists and asks for their own sessions, takes a proposed time and
cancels; a coach lists the sessions they give, accepts (taking a credit), proposes
another time, declines and cancels; a session someone takes no part in is a 404,
and roles with no sessions get 403. A time in the past or an accept without a credit
is refused and changes nothing. The list's queries stay flat as sessions grow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ascend.api.tests.helpers import assert_error, bearer_client, send, token_for
from ascend.billing.models import CreditUse, PackageHolding
from ascend.billing.packages import do_give_package, do_save_package
from ascend.crm.tests.api_world import MATRIX, linked
from ascend.scheduling.actions import do_propose_time, do_request_session
from ascend.scheduling.models import SessionRequest, SessionStatus
from ascend.testing import Cast, Crew, assert_flat_queries

pytestmark = pytest.mark.django_db

COACHES = {"coach", "other_coach"}
CLIENTS = {"client", "other_client"}


@dataclass
class Side:
    session: SessionRequest  # the client's request to the coach
    theirs: SessionRequest  # the other client's request to the other coach
    holding: PackageHolding  # the client's package


def _iso(hours: float) -> str:
    return (timezone.now() + timedelta(hours=hours)).isoformat()


def _give(crew: Crew, who: str = "client", sessions: int = 3) -> PackageHolding:
    package = do_save_package(
        crew.workspace, actor=None, name=f"P{sessions}", sessions=sessions,
        price=Decimal("10"), currency="USD", validity_days=60,
    )  # fmt: skip
    return do_give_package(package, getattr(crew, who).membership, actor=None)


def _ask(crew: Crew, who: str = "client", coach: str = "coach", hours: int = 72):  # type: ignore[no-untyped-def]
    return do_request_session(
        getattr(crew, who).membership,
        coach=getattr(crew, coach).membership,
        starts_at=timezone.now() + timedelta(hours=hours),
        note="Knee check",
    )


def make_side(crew: Crew) -> Side:
    linked(crew, "client", "coach")
    linked(crew, "other_client", "other_coach")
    return Side(
        session=_ask(crew),
        theirs=_ask(crew, "other_client", "other_coach", hours=96),
        holding=_give(crew),
    )


@dataclass
class World:
    alpha: Side
    beta: Side


@pytest.fixture
def world(cast: Cast) -> World:
    return World(alpha=make_side(cast.alpha), beta=make_side(cast.beta))


def client_of(cast: Cast, who: str, beta: str):  # type: ignore[no-untyped-def]
    """A session for the person; ``beta`` is that role in the other workspace."""
    return cast.client_for(getattr(cast.beta, beta) if who == "beta" else getattr(cast.alpha, who))


def post(client, url: str, body=None):  # type: ignore[no-untyped-def]
    """A JSON POST; with no body, an empty one (as ``curl -X POST`` sends)."""
    if body is None:
        return client.post(url, content_type="application/json")
    return send(client, "post", url, body)


# Who sees what ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", MATRIX)
@pytest.mark.parametrize("beta", ["coach", "client"])
def test_who_lists_which_sessions(cast, world, who, beta):
    response = client_of(cast, who, beta).get("/api/v1/sessions")
    expected = {
        "client": [world.alpha.session.id],
        "coach": [world.alpha.session.id],
        "other_client": [world.alpha.theirs.id],
        "other_coach": [world.alpha.theirs.id],
        # A member of the other workspace sees their own, never alpha's.
        "beta": [world.beta.session.id],
    }
    if who in expected:
        assert response.status_code == 200, response.content
        assert [s["id"] for s in response.json()] == expected[who]
    else:
        assert_error(response, 403, "forbidden")


@pytest.mark.parametrize("who", MATRIX)
def test_who_reads_a_session(cast, world, who):
    response = client_of(cast, who, "coach").get(f"/api/v1/sessions/{world.alpha.session.id}")
    if who in {"client", "coach"}:
        assert response.status_code == 200, response.content
        data = response.json()
        assert data["client"]["id"] == cast.alpha.client.membership.id
        assert data["coach"]["id"] == cast.alpha.coach.membership.id
        assert (data["status"], data["note"], data["credit_taken"]) == ("requested", "Knee check",
                                                                         False)  # fmt: skip
    else:
        assert_error(response, 404, "not_found")


@pytest.mark.parametrize("who", MATRIX)
def test_who_asks_for_a_session(cast, world, who):
    before = SessionRequest.objects.count()
    body = {"coach": cast.alpha.coach.membership.id, "starts_at": _iso(48), "duration_minutes": 45}
    response = post(client_of(cast, who, "client"), "/api/v1/sessions", body)
    if who == "client":
        assert response.status_code == 201, response.content
        data = response.json()
        assert (data["status"], data["duration_minutes"]) == ("requested", 45)
        assert SessionRequest.objects.count() == before + 1
        return
    if who in {"other_client", "beta"}:
        # Not their coach (beta's client: not even of their workspace).
        assert "coach" in assert_error(response, 422, "not_your_coach")
    else:
        assert_error(response, 403, "forbidden")
    assert SessionRequest.objects.count() == before


@pytest.mark.parametrize("who", MATRIX)
@pytest.mark.parametrize("verb", ["accept", "propose", "decline"])
def test_who_answers_a_request(cast, world, who, verb):
    session = world.alpha.session
    body = {"propose": {"starts_at": _iso(100)}, "decline": {"reason": "Away"}}.get(verb)
    response = post(client_of(cast, who, "coach"), f"/api/v1/sessions/{session.id}/{verb}", body)
    session.refresh_from_db()
    if who == "coach":
        assert response.status_code == 200, response.content
        status = {"accept": "accepted", "propose": "proposed", "decline": "declined"}[verb]
        assert response.json()["status"] == session.status == status
        return
    if who in {"other_coach", "beta"}:
        assert_error(response, 404, "not_found")
    else:
        assert_error(response, 403, "forbidden")
    assert session.status == SessionStatus.REQUESTED


@pytest.mark.parametrize("who", MATRIX)
def test_who_takes_a_proposed_time(cast, world, who):
    session = do_propose_time(world.alpha.session, coach=cast.alpha.coach.membership,
                              starts_at=timezone.now() + timedelta(days=5))  # fmt: skip
    response = post(
        client_of(cast, who, "client"), f"/api/v1/sessions/{session.id}/accept-proposal"
    )
    session.refresh_from_db()
    if who == "client":
        assert response.status_code == 200, response.content
        data = response.json()
        assert data["status"] == "accepted" and data["credit_taken"] is True
        assert data["proposed_starts_at"] is None
        return
    if who in {"other_client", "beta"}:
        assert_error(response, 404, "not_found")
    else:
        assert_error(response, 403, "forbidden")
    assert session.status == SessionStatus.PROPOSED


@pytest.mark.parametrize("who", MATRIX)
def test_who_cancels_a_session(cast, world, who):
    session = world.alpha.session
    response = post(client_of(cast, who, "client"), f"/api/v1/sessions/{session.id}/cancel")
    session.refresh_from_db()
    if who in {"client", "coach"}:
        assert response.status_code == 200, response.content
        assert response.json()["status"] == session.status == "cancelled"
    else:
        # Like the pages: a session one takes no part in is not found, whatever the role.
        assert_error(response, 404, "not_found")
        assert session.status == SessionStatus.REQUESTED


# The rules --------------------------------------------------------------------------------


def test_accepting_takes_a_credit_and_cancelling_in_time_gives_it_back(cast, world):
    coach = client_of(cast, "coach", "coach")
    url = f"/api/v1/sessions/{world.alpha.session.id}"
    accepted = post(coach, f"{url}/accept").json()
    assert accepted["credit_taken"] is True and accepted["decided_at"]
    world.alpha.holding.refresh_from_db()
    assert world.alpha.holding.sessions_used == 1
    cancelled = post(client_of(cast, "client", "client"), f"{url}/cancel").json()
    assert cancelled["credit_returned"] is True and cancelled["credit_taken"] is False
    world.alpha.holding.refresh_from_db()
    assert world.alpha.holding.sessions_used == 0


def test_accepting_without_a_credit_is_refused_and_changes_nothing(cast, world):
    PackageHolding.objects.filter(client=cast.alpha.client.membership).delete()
    response = post(client_of(cast, "coach", "coach"),
                    f"/api/v1/sessions/{world.alpha.session.id}/accept")  # fmt: skip
    assert "starts_at" in assert_error(response, 422, "no_credit")
    world.alpha.session.refresh_from_db()
    assert world.alpha.session.status == SessionStatus.REQUESTED
    assert world.alpha.session.credit_use is None and not CreditUse.objects.exists()


def test_taking_a_proposal_without_a_credit_is_refused_too(cast, world):
    session = do_propose_time(world.alpha.session, coach=cast.alpha.coach.membership,
                              starts_at=timezone.now() + timedelta(days=5))  # fmt: skip
    PackageHolding.objects.filter(client=cast.alpha.client.membership).delete()
    response = post(client_of(cast, "client", "client"),
                    f"/api/v1/sessions/{session.id}/accept-proposal")  # fmt: skip
    assert_error(response, 422, "no_credit")
    session.refresh_from_db()
    assert session.status == SessionStatus.PROPOSED and session.proposed_starts_at is not None


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"starts_at": "past"}, "starts_at", "in_the_past"),
        ({"starts_at": "naive"}, "starts_at", "validation_error"),
        ({"starts_at": "0001-01-01T00:00:00+00:00"}, "starts_at", "validation_error"),
        ({"duration_minutes": 5}, "duration_minutes", "validation_error"),
        ({"coach": "other_coach"}, "coach", "not_your_coach"),
        ({"coach": 999999}, "coach", "not_your_coach"),
        ({"note": "x" * 1001}, "note", "validation_error"),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_stored(cast, world, body, field, code):
    values = {"coach": cast.alpha.coach.membership.id, "starts_at": _iso(48), **body}
    if values["starts_at"] == "past":
        values["starts_at"] = _iso(-1)
    elif values["starts_at"] == "naive":
        values["starts_at"] = "2031-01-01T10:00:00"
    if values["coach"] == "other_coach":
        values["coach"] = cast.alpha.other_coach.membership.id
    before = SessionRequest.objects.count()
    response = post(client_of(cast, "client", "client"), "/api/v1/sessions", values)
    assert field in assert_error(response, 422, code)
    assert SessionRequest.objects.count() == before


def test_the_coach_may_be_left_out_when_the_client_has_one(cast, world):
    client = client_of(cast, "client", "client")
    response = post(client, "/api/v1/sessions", {"starts_at": _iso(30)})
    assert response.status_code == 201, response.content
    assert response.json()["coach"]["id"] == cast.alpha.coach.membership.id
    # A client without a coach must name one, and has none to name.
    cast.alpha.other_client.membership.contact.delete()
    other = client_of(cast, "other_client", "client")
    assert "coach" in assert_error(post(other, "/api/v1/sessions", {"starts_at": _iso(30)}), 422,
                                   "coach_required")  # fmt: skip


def test_a_proposal_in_the_past_is_refused(cast, world):
    response = post(client_of(cast, "coach", "coach"),
                    f"/api/v1/sessions/{world.alpha.session.id}/propose",
                    {"starts_at": _iso(-2)})  # fmt: skip
    assert "starts_at" in assert_error(response, 422, "in_the_past")
    world.alpha.session.refresh_from_db()
    assert world.alpha.session.status == SessionStatus.REQUESTED


def test_an_answered_request_is_not_answered_again(cast, world):
    coach = client_of(cast, "coach", "coach")
    url = f"/api/v1/sessions/{world.alpha.session.id}"
    post(coach, f"{url}/decline", {"reason": "Away that week"})
    assert_error(post(coach, f"{url}/accept"), 422, "already_answered")
    assert_error(post(coach, f"{url}/cancel"), 422, "closed")
    data = client_of(cast, "client", "client").get(url).json()
    assert (data["status"], data["decline_reason"]) == ("declined", "Away that week")


def test_filters_and_pages(cast, world):
    later = _ask(cast.alpha, hours=200)
    soon = _ask(cast.alpha, hours=10)
    SessionRequest.objects.filter(pk=soon.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    client = client_of(cast, "client", "client")
    assert [s["id"] for s in client.get("/api/v1/sessions").json()] == [
        soon.id, world.alpha.session.id, later.id,
    ]  # fmt: skip
    assert [s["id"] for s in client.get("/api/v1/sessions?upcoming=false").json()] == [soon.id]
    assert [s["id"] for s in client.get("/api/v1/sessions?upcoming=true&limit=1&offset=1")
            .json()] == [later.id]  # fmt: skip
    post(client_of(cast, "coach", "coach"), f"/api/v1/sessions/{later.id}/decline")
    assert [s["id"] for s in client.get("/api/v1/sessions?status=declined").json()] == [later.id]


def test_with_a_token_too(cast, world):
    coach = bearer_client(token_for(cast.alpha.coach), cast.alpha.workspace)
    response = post(coach, f"/api/v1/sessions/{world.alpha.session.id}/accept")
    assert response.json()["status"] == "accepted"
    stranger = bearer_client(token_for(cast.beta.coach), cast.alpha.workspace)
    assert_error(stranger.get("/api/v1/sessions"), 401, "not_authenticated")


# Queries ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["client", "coach"])
def test_the_session_list_runs_the_same_queries_however_many(cast, world, who):
    client = client_of(cast, who, who)
    counter = iter(range(1, 1000))

    def grow() -> None:
        n = next(counter)
        for i in range(3):
            _ask(cast.alpha, hours=24 * n + i)

    count = assert_flat_queries(lambda: client.get("/api/v1/sessions"), grow)
    assert count == 5, count
