"""/api/v1/conversations: the list (waiting, by coach, paged), one conversation, starting one,
marking one read.

Rules: a client reads their own conversations; a coach theirs, a head coach also those
of the coaches they lead, admins all, auditors every coaching and cohort one; roles
without messaging get 403; a conversation someone can't read, or of another workspace,
is a 404. Time left and urgency are for staff only. Starting a conversation follows
"New message": anyone else is refused with 422 and nothing is stored.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ascend.api.tests.helpers import assert_error, bearer_client, send, token_for
from ascend.messaging.access import may_post, may_see_staff_notes
from ascend.messaging.actions import do_start_cohort_conversation, do_start_conversation
from ascend.messaging.models import Conversation, Participant
from ascend.messaging.testing import enrol, say
from ascend.programs.models import Enrollment
from ascend.programs.testing import make_cohort, make_program
from ascend.testing import assert_flat_queries

from .api_world import MATRIX, client_of, make_world, new_client, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return make_world(cast)


def ids(response) -> list[int]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return [c["id"] for c in response.json()]


SEES_THE_TALK = {"client", "coach", "head_coach", "auditor", "admin"}


@pytest.mark.parametrize("who", MATRIX)
def test_who_lists_the_client_and_coach_conversation(cast, world, who):
    listed = ids(client_of(cast, who).get("/api/v1/conversations"))
    assert (world.alpha.talk.id in listed) == (who in SEES_THE_TALK)
    if who == "beta":
        assert listed == [world.beta.talk.id]


@pytest.mark.parametrize("who", MATRIX)
def test_who_reads_the_conversation(cast, world, who):
    response = client_of(cast, who).get(f"/api/v1/conversations/{world.alpha.talk.id}")
    if who in SEES_THE_TALK:
        assert response.status_code == 200, response.content
        data = response.json()
        assert data["kind"] == "coaching"
        assert {p["id"] for p in data["people"]} == {
            cast.alpha.client.membership.id,
            cast.alpha.coach.membership.id,
        }
        assert data["coach"]["id"] == cast.alpha.coach.membership.id
        assert data["may_post"] == (who != "auditor")
        assert data["staff_notes"] == (who != "client")
    else:
        assert_error(response, 404, "not_found")


@pytest.mark.parametrize("role", ["supervisor", "attendant", "operator"])
def test_roles_without_messaging_are_refused(cast, world, role):
    client = cast.client_for(getattr(cast.alpha, role))
    assert_error(client.get("/api/v1/conversations"), 403, "forbidden")
    assert_error(client.get(f"/api/v1/conversations/{world.alpha.talk.id}"), 403, "forbidden")
    body = {"recipient": cast.alpha.client.membership.id}
    assert_error(send(client, "post", "/api/v1/conversations", body), 403, "forbidden")


def test_without_signing_in_nothing_is_listed(cast, world):
    assert_error(cast.client_for(None).get("/api/v1/conversations"), 401, "not_authenticated")


def test_a_member_of_another_workspace_gets_401_on_this_host(cast, world):
    token = token_for(cast.beta.admin)
    client = bearer_client(token, cast.alpha.workspace)
    assert_error(client.get("/api/v1/conversations"), 401, "not_authenticated")


def test_time_left_and_urgency_are_for_staff_only(cast, world):
    talk = world.alpha.talk
    say(talk, cast.alpha.client, "Still there?", timezone.now() - timedelta(hours=10))
    staff = client_of(cast, "coach").get(f"/api/v1/conversations/{talk.id}").json()
    assert staff["urgency"] == "target"  # 10 h: past the 9 h goal, within the 24 h target
    assert 13 * 3600 <= staff["time_left_seconds"] <= 14 * 3600
    assert staff["waiting_since"] is not None
    mine = client_of(cast, "client").get(f"/api/v1/conversations/{talk.id}").json()
    assert (mine["waiting_since"], mine["time_left_seconds"], mine["urgency"]) == (None,) * 3


def test_overdue_conversations_have_negative_time_left(cast, world):
    talk = world.alpha.talk
    say(talk, cast.alpha.client, "Hello?", timezone.now() - timedelta(hours=30))
    data = client_of(cast, "admin").get(f"/api/v1/conversations/{talk.id}").json()
    assert data["urgency"] == "overdue"
    assert data["time_left_seconds"] < 0


def test_the_waiting_filter_lists_least_time_left_first(cast, world):
    alpha = cast.alpha
    now = timezone.now()
    later = do_start_conversation(
        new_client(world.alpha.cohort, 1), recipient=alpha.coach.membership
    )
    say(later, later.client, "Question", now - timedelta(hours=1))
    say(world.alpha.talk, alpha.client, "Question", now - timedelta(hours=5))
    client = client_of(cast, "coach")
    assert ids(client.get("/api/v1/conversations?waiting=true")) == [world.alpha.talk.id, later.id]
    answered = ids(client.get("/api/v1/conversations?waiting=false"))
    assert world.alpha.talk.id not in answered and later.id not in answered


def test_the_coach_filter(cast, world):
    alpha = cast.alpha
    theirs = do_start_conversation(alpha.admin.membership, recipient=alpha.client.membership)
    client = client_of(cast, "admin")
    coach_id = alpha.coach.membership.id
    assert ids(client.get(f"/api/v1/conversations?coach={coach_id}")) == [world.alpha.talk.id]
    assert theirs.id in ids(client.get(f"/api/v1/conversations?coach={alpha.admin.membership.id}"))


def test_pages_of_the_list(cast, world):
    for n in range(3):
        do_start_conversation(
            new_client(world.alpha.cohort, n), recipient=cast.alpha.coach.membership
        )
    client = client_of(cast, "coach")
    everything = ids(client.get("/api/v1/conversations"))
    assert len(everything) == 4
    assert ids(client.get("/api/v1/conversations?limit=2")) == everything[:2]
    assert ids(client.get("/api/v1/conversations?limit=2&offset=2")) == everything[2:]
    assert_error(client.get("/api/v1/conversations?limit=0"), 422, "validation_error")


def test_other_clients_emails_are_not_shown_to_a_client(cast, world):
    group = do_start_cohort_conversation(cast.alpha.coach.membership, cohort=world.alpha.cohort)
    data = client_of(cast, "client").get(f"/api/v1/conversations/{group.id}").json()
    emails = {p["id"]: p["email"] for p in data["people"]}
    assert emails[cast.alpha.other_client.membership.id] == ""
    assert emails[cast.alpha.client.membership.id] == cast.alpha.client.email
    assert emails[cast.alpha.coach.membership.id] == cast.alpha.coach.email
    staff = client_of(cast, "coach").get(f"/api/v1/conversations/{group.id}").json()
    assert cast.alpha.other_client.email in {p["email"] for p in staff["people"]}


# Unread counts and reading -----------------------------------------------------------------


def test_unread_count_is_the_callers_and_reading_clears_it(cast, world):
    talk = world.alpha.talk
    say(talk, cast.alpha.coach, "One more thing")
    client = client_of(cast, "client")
    (row,) = client.get("/api/v1/conversations").json()
    assert row["unread_count"] == 2  # the answer and this one
    coach_row = client_of(cast, "coach").get(f"/api/v1/conversations/{talk.id}").json()
    assert coach_row["unread_count"] == 0
    response = send(client, "post", f"/api/v1/conversations/{talk.id}/read")
    assert response.json() == {"conversation_id": talk.id, "marked": 2, "unread_count": 0}
    assert client.get(f"/api/v1/conversations/{talk.id}").json()["unread_count"] == 0
    seat = Participant.objects.get(conversation=talk, member=cast.alpha.client.membership)
    assert (seat.unread_count, seat.unread_since) == (0, None)


def test_fetching_messages_does_not_mark_them_read(cast, world):
    client = client_of(cast, "client")
    client.get(f"/api/v1/conversations/{world.alpha.talk.id}/messages")
    seat = Participant.objects.get(
        conversation=world.alpha.talk, member=cast.alpha.client.membership
    )
    assert seat.unread_count == 1


@pytest.mark.parametrize("who", MATRIX)
def test_who_may_mark_the_conversation_read(cast, world, who):
    response = send(
        client_of(cast, who), "post", f"/api/v1/conversations/{world.alpha.talk.id}/read"
    )
    if who in SEES_THE_TALK:
        assert response.status_code == 200, response.content
    else:
        assert_error(response, 404, "not_found")


# Starting conversations --------------------------------------------------------------------


def test_a_client_starts_a_conversation_with_their_coach_once(cast, world):
    conversation = do_start_conversation(
        cast.alpha.other_client.membership, recipient=cast.alpha.coach.membership
    )
    conversation.delete()
    client = client_of(cast, "other_client")
    body = {"recipient": cast.alpha.coach.membership.id}
    first = send(client, "post", "/api/v1/conversations", body)
    assert first.status_code == 200, first.content
    again = send(client, "post", "/api/v1/conversations", body)
    assert again.json()["id"] == first.json()["id"]
    assert first.json()["kind"] == "coaching" and first.json()["may_post"] is True


def test_asking_for_an_existing_pair_answers_it(cast, world):
    client = client_of(cast, "coach")
    response = send(
        client, "post", "/api/v1/conversations", {"recipient": cast.alpha.client.membership.id}
    )
    assert response.json()["id"] == world.alpha.talk.id


def test_a_client_writes_to_a_peer_when_allowed(cast, world):
    client = client_of(cast, "client")
    body = {"recipient": cast.alpha.other_client.membership.id}
    data = send(client, "post", "/api/v1/conversations", body).json()
    assert data["kind"] == "peer" and data["staff_notes"] is False


@pytest.mark.parametrize(
    ("sender", "recipient"),
    [
        ("client", "other_coach"),  # not their coach
        ("other_coach", "client"),  # not their client
        ("client", "admin"),
        ("coach", "coach"),  # oneself
        ("head_coach", "client"),  # leads the coach, teaches nobody
        ("client", "beta"),  # another workspace
    ],
)
def test_writing_to_someone_not_allowed_is_refused_and_stores_nothing(
    cast, world, sender, recipient
):
    before = (Conversation.objects.count(), Participant.objects.count())
    body = {"recipient": person(cast, recipient).membership.id}
    response = send(client_of(cast, sender), "post", "/api/v1/conversations", body)
    assert "recipient" in assert_error(response, 422, "recipient_not_allowed")
    assert (Conversation.objects.count(), Participant.objects.count()) == before


def test_an_id_that_is_nobody_is_refused_the_same_way(cast, world):
    response = send(
        client_of(cast, "client"), "post", "/api/v1/conversations", {"recipient": 999999}
    )
    assert "recipient" in assert_error(response, 422, "recipient_not_allowed")


def test_peers_need_the_workspace_to_allow_it(cast, world):
    cast.alpha.workspace.peer_messaging_enabled = False
    cast.alpha.workspace.save()
    body = {"recipient": cast.alpha.other_client.membership.id}
    response = send(client_of(cast, "client"), "post", "/api/v1/conversations", body)
    assert_error(response, 422, "recipient_not_allowed")
    assert not Conversation.objects.filter(kind="peer").exists()


def test_the_group_of_a_cohort(cast, world):
    cohort = world.alpha.cohort
    response = send(
        client_of(cast, "client"), "post", "/api/v1/conversations", {"cohort": cohort.id}
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["kind"] == "cohort" and data["cohort"] == {"id": cohort.id, "name": cohort.name}
    assert {p["id"] for p in data["people"]} == {
        cast.alpha.coach.membership.id,
        cast.alpha.client.membership.id,
        cast.alpha.other_client.membership.id,
    }


@pytest.mark.parametrize("sender", ["client", "other_coach", "auditor"])
def test_a_group_the_sender_is_not_in_is_refused(cast, world, sender):
    if sender == "auditor":
        response = send(
            client_of(cast, sender),
            "post",
            "/api/v1/conversations",
            {"cohort": world.alpha.cohort.id},
        )
        assert_error(response, 403, "forbidden")  # auditors read, never write
        return
    cohort = world.alpha.other_cohort if sender == "client" else world.alpha.cohort
    before = Conversation.objects.count()
    response = send(client_of(cast, sender), "post", "/api/v1/conversations", {"cohort": cohort.id})
    assert "cohort" in assert_error(response, 422, "cohort_not_allowed")
    response = send(
        client_of(cast, sender), "post", "/api/v1/conversations", {"cohort": world.beta.cohort.id}
    )
    assert "cohort" in assert_error(response, 422, "cohort_not_allowed")
    assert Conversation.objects.count() == before


@pytest.mark.parametrize("body", [{}, {"recipient": 1, "cohort": 1}])
def test_exactly_one_of_recipient_and_cohort(cast, world, body):
    response = send(client_of(cast, "client"), "post", "/api/v1/conversations", body)
    assert_error(response, 422, "recipient_or_cohort")


# The list's answers agree with the one-conversation rules, in a fixed number of queries -----


@pytest.mark.parametrize(
    "who", ["client", "other_client", "coach", "head_coach", "auditor", "admin"]
)
def test_list_rows_agree_with_the_access_rules(cast, world, who):
    alpha = cast.alpha
    do_start_cohort_conversation(alpha.coach.membership, cohort=world.alpha.cohort)
    do_start_conversation(alpha.client.membership, recipient=alpha.other_client.membership)
    # A peer the client may no longer write to, and a group they left.
    leaver = new_client(world.alpha.cohort, 1)
    do_start_conversation(alpha.client.membership, recipient=leaver)
    do_start_cohort_conversation(leaver, cohort=world.alpha.cohort)
    Enrollment.objects.filter(client=leaver).update(ended_at=timezone.now())
    if who == "client":
        # The client leaves too: the group is closed to them, their coach conversation isn't.
        Enrollment.objects.filter(client=alpha.client.membership).update(ended_at=timezone.now())
    member = person(cast, who).membership
    rows = client_of(cast, who).get("/api/v1/conversations").json()
    assert rows
    for row in rows:
        conversation = Conversation.objects.get(pk=row["id"])
        assert row["may_post"] == may_post(member, conversation), row
        assert row["staff_notes"] == may_see_staff_notes(member, conversation), row


def _grow_coach_conversations(cast, world, start: int, n: int) -> None:  # type: ignore[no-untyped-def]
    for i in range(start, start + n):
        client = new_client(world.alpha.cohort, i)
        talk = do_start_conversation(client, recipient=cast.alpha.coach.membership)
        say(talk, client, "Hi coach")


@pytest.mark.parametrize("who", ["coach", "head_coach", "auditor", "admin"])
def test_the_staff_list_runs_the_same_queries_however_many_conversations(cast, world, who):
    client = client_of(cast, who)
    counter = iter(range(100, 1000, 10))
    # Signing in takes four (workspace, session, user, membership); then the
    # conversations, and every seat with its person.
    count = assert_flat_queries(
        lambda: client.get("/api/v1/conversations"),
        lambda: _grow_coach_conversations(cast, world, next(counter), 6),
    )
    assert count == 6, count
    count = assert_flat_queries(
        lambda: client.get("/api/v1/conversations?waiting=true"),
        lambda: _grow_coach_conversations(cast, world, next(counter), 6),
    )
    assert count == 6, count


def test_a_clients_list_runs_the_same_queries_however_many_conversations(cast, world):
    alpha = cast.alpha
    counter = iter(range(100, 1000))

    def grow() -> None:
        for _ in range(4):
            peer = new_client(world.alpha.cohort, next(counter))
            do_start_conversation(alpha.client.membership, recipient=peer)
        cohort = make_cohort(
            make_program(alpha.workspace, habits=0, milestones=0), alpha.coach.membership
        )
        enrol(cohort, alpha.client.membership)
        do_start_cohort_conversation(alpha.client.membership, cohort=cohort)

    client = client_of(cast, "client")
    count = assert_flat_queries(lambda: client.get("/api/v1/conversations"), grow)
    assert count == 8, count  # the staff's six, the client's peers and their cohorts
