"""The coach inbox: conversations waiting for the coach, least time left first, coloured by
the workspace's goal and target; filters; a head coach sees the coaches they lead, admins
every coach, auditors everything read-only; the query count stays flat as conversations grow."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from ascend.messaging.actions import do_start_conversation
from ascend.messaging.queries import InboxState, inbox_for
from ascend.messaging.testing import say
from ascend.programs.testing import make_cohort, make_program
from ascend.testing import assert_flat_queries

from .pages_world import bulk_conversations, new_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(cast, cohort):
    """Three clients of the coach waiting 2 h (goal), 12 h (target) and 30 h (overdue);
    one answered; and one client of the other coach waiting 5 h."""
    alpha = cast.alpha
    now = timezone.now()
    talks = {}
    for name, hours in [("Ann Goal", 2), ("Bea Late", 30), ("Cy Target", 12), ("Dee Done", 40)]:
        client = new_client(cohort, name)
        talk = do_start_conversation(client.membership, recipient=alpha.coach.membership)
        say(talk, client, f"Question from {name}", now - timedelta(hours=hours))
        talks[name] = talk
    say(talks["Dee Done"], alpha.coach, "Answered", now - timedelta(hours=39))
    other_cohort = make_cohort(
        make_program(alpha.workspace, habits=0, milestones=0), alpha.other_coach.membership
    )
    elsewhere = new_client(other_cohort, "Eve Elsewhere")
    talk = do_start_conversation(elsewhere.membership, recipient=alpha.other_coach.membership)
    say(talk, elsewhere, "Hello other coach", now - timedelta(hours=5))
    talks["Eve Elsewhere"] = talk
    return talks


def _rows(page: str) -> list[str]:
    """The client names of the inbox rows, in order."""
    if 'data-testid="inbox"' not in page:
        return []
    body = page.split('data-testid="inbox"', 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<a href="/(?:coach|team)/messages/\d+/">([^<]+)</a>', body)


def _inbox(cast, person, query: str = "", path: str = "/coach/inbox/") -> str:
    response = cast.client_for(person).get(path + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_inbox_lists_who_waits_least_time_left_first(cast, waiting):
    page = _inbox(cast, cast.alpha.coach)
    assert _rows(page) == ["Bea Late", "Cy Target", "Ann Goal"]
    assert "Dee Done" not in page and "Eve Elsewhere" not in page
    assert "Question from Bea Late" in page  # the last message's start


def test_each_row_shows_the_wait_and_the_time_left_coloured_by_urgency(cast, waiting):
    page = _inbox(cast, cast.alpha.coach)
    rows = page.split('data-testid="inbox"', 1)[1].split("<tr data-conversation")[1:]
    late, target, goal = rows
    assert 'class="inbox-row--overdue"' in late and "waiting 30 h" in late
    assert (
        '<span class="badge badge--overdue" data-testid="time-left">overdue by 6 h</span>' in late
    )
    assert "waiting 12 h" in target
    assert '<span class="badge badge--target" data-testid="time-left">11 h left</span>' in target
    assert "waiting 2 h" in goal
    assert '<span class="badge badge--goal" data-testid="time-left">21 h left</span>' in goal
    assert "3 waiting" in page and "1 overdue" in page


def test_the_colours_follow_the_workspaces_goal_and_target(cast, waiting):
    workspace = cast.alpha.workspace
    workspace.response_goal_hours, workspace.response_target_hours = 1, 48
    workspace.save(update_fields=["response_goal_hours", "response_target_hours"])
    page = _inbox(cast, cast.alpha.coach)
    assert "badge--overdue" not in page.split('data-testid="inbox"', 1)[1]
    assert "17 h left" in page and "Goal 1 h, target 48 h." in page


def test_the_unread_count_is_the_coachs(cast, waiting):
    alpha = cast.alpha
    say(waiting["Ann Goal"], waiting["Ann Goal"].client, "And another thing")
    page = _inbox(cast, alpha.coach)
    ann = page.split("Ann Goal</a>", 1)[1].split("</tr>", 1)[0]
    assert '<span class="badge badge--info">2</span>' in ann


@pytest.mark.parametrize(
    ("state", "names"),
    [("overdue", ["Bea Late"]), ("target", ["Cy Target"]), ("goal", ["Ann Goal"]),
     ("waiting", ["Bea Late", "Cy Target", "Ann Goal"]),
     ("all", ["Bea Late", "Cy Target", "Ann Goal", "Dee Done"]),
     ("nonsense", ["Bea Late", "Cy Target", "Ann Goal"])],
)  # fmt: skip
def test_the_state_filter(cast, waiting, state, names):
    assert _rows(_inbox(cast, cast.alpha.coach, f"?state={state}")) == names


def test_search_by_client_name_or_email(cast, waiting):
    assert _rows(_inbox(cast, cast.alpha.coach, "?q=bea")) == ["Bea Late"]
    assert _rows(_inbox(cast, cast.alpha.coach, "?q=cy.target@")) == ["Cy Target"]
    page = _inbox(cast, cast.alpha.coach, "?q=nobody-like-this")
    assert "No conversation matches these filters" in page


def test_a_coach_never_sees_another_coachs_conversations(cast, waiting):
    other = waiting["Eve Elsewhere"]
    page = _inbox(
        cast, cast.alpha.coach, f"?state=all&coach={cast.alpha.other_coach.membership.pk}"
    )
    assert "Eve Elsewhere" not in page
    assert 'name="coach"' not in page  # no coach filter for a coach who leads nobody
    assert cast.client_for(cast.alpha.coach).get(f"/coach/messages/{other.pk}/").status_code == 404


def test_a_head_coach_sees_their_own_and_their_coaches_inboxes_with_a_coach_column(cast, waiting):
    alpha = cast.alpha
    page = _inbox(cast, alpha.head_coach)
    assert _rows(page) == ["Bea Late", "Cy Target", "Ann Goal"]  # the coach they lead
    assert '<th scope="col">Coach</th>' in page and "<td>Alpha Coach</td>" in page
    assert "Eve Elsewhere" not in page  # the other coach is not theirs
    assert f'<option value="{alpha.coach.membership.pk}">' in page
    assert f'<option value="{alpha.other_coach.membership.pk}">' not in page


def test_the_coach_filter_keeps_one_coach(cast, waiting):
    alpha = cast.alpha
    mine = _inbox(cast, alpha.head_coach, f"?coach={alpha.head_coach.membership.pk}")
    assert _rows(mine) == [] and "No conversation matches these filters" in mine
    theirs = _inbox(cast, alpha.head_coach, f"?coach={alpha.coach.membership.pk}")
    assert _rows(theirs) == ["Bea Late", "Cy Target", "Ann Goal"]


def test_admins_see_every_coachs_inbox_on_the_team_portal(cast, waiting):
    alpha = cast.alpha
    page = _inbox(cast, alpha.admin, path="/team/inbox/")
    assert _rows(page) == ["Bea Late", "Cy Target", "Eve Elsewhere", "Ann Goal"]
    assert f'href="/team/messages/{waiting["Bea Late"].pk}/"' in page
    assert 'href="/team/messages/new/"' in page
    one = _inbox(cast, alpha.admin, f"?coach={alpha.other_coach.membership.pk}", "/team/inbox/")
    assert _rows(one) == ["Eve Elsewhere"]


def test_auditors_see_every_conversation_read_only(cast, waiting):
    page = _inbox(cast, cast.alpha.auditor, path="/team/inbox/")
    assert set(_rows(page)) == {"Bea Late", "Cy Target", "Eve Elsewhere", "Ann Goal", "Dee Done"}
    assert "/messages/new/" not in page
    assert '<option value="all" selected>' in page
    talk = waiting["Bea Late"]
    conversation = cast.client_for(cast.alpha.auditor).get(f"/team/messages/{talk.pk}/")
    assert 'id="reply-form"' not in conversation.content.decode()


def test_an_empty_inbox_says_nobody_is_waiting(cast, cohort):
    page = _inbox(cast, cast.alpha.coach)
    assert "Nobody is waiting for an answer." in page


def test_the_conversation_page_shows_staff_how_long_the_client_has_waited(cast, waiting):
    talk = waiting["Cy Target"]
    page = cast.client_for(cast.alpha.coach).get(f"/coach/messages/{talk.pk}/").content.decode()
    assert re.search(
        r'class="badge badge--target" id="waiting"[^>]*>Waiting 12 h — 11 h left<', page
    )
    client_page = cast.client_for(cast.alpha.client).get("/me/messages/").content.decode()
    assert "Waiting" not in client_page


def test_the_inbox_pages_by_fifty(cast, cohort):
    alpha = cast.alpha
    bulk_conversations(alpha.coach.membership, alpha.client.membership, 60)
    first = _inbox(cast, alpha.coach)
    assert len(re.findall(r"<tr data-conversation", first)) == 50
    assert "Page 1 of 2" in first and "?state=waiting&amp;page=2" not in first
    second = _inbox(cast, alpha.coach, "?page=2")
    assert len(re.findall(r"<tr data-conversation", second)) == 10


def test_inbox_for_orders_by_waiting_since_then_the_not_waiting_by_latest_activity(cast, waiting):
    rows = list(inbox_for(cast.alpha.coach.membership, state=InboxState.ALL))
    assert [r.client.user.full_name for r in rows] == [
        "Bea Late",
        "Cy Target",
        "Ann Goal",
        "Dee Done",
    ]


# Query counts ------------------------------------------------------------------------------

INBOXES = [("coach", "/coach/inbox/"), ("head_coach", "/coach/inbox/"), ("admin", "/team/inbox/"),
           ("auditor", "/team/inbox/")]  # fmt: skip


@pytest.mark.parametrize(("key", "path"), INBOXES)
def test_the_inbox_query_count_is_flat_from_50_to_500_conversations(cast, cohort, key, path):
    alpha = cast.alpha
    coach, client = alpha.coach.membership, alpha.client.membership
    bulk_conversations(coach, client, 50)
    http = cast.client_for(getattr(alpha, key))

    def inbox():
        response = http.get(path + "?q=alpha")
        assert (
            response.status_code == 200 and response.content.count(b"<tr data-conversation") == 50
        )

    count = assert_flat_queries(inbox, lambda: bulk_conversations(coach, client, 450, start=50))
    # Workspace, session, user, membership (with unread counts), the coaches of the filter
    # (head coach, admin, auditor), the page count, the page of rows, the waiting/overdue
    # counts, the workspaces of the switcher.
    assert count == EXPECTED_QUERIES[key], count


EXPECTED_QUERIES = {"coach": 8, "head_coach": 9, "admin": 9, "auditor": 9}
