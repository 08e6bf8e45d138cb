"""The conversation page: titled by the other people, messages with their author and time,
a coach reply's audit shown to staff (never to the client), and the unread badge in the
navigation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ascend.messaging.actions import do_start_cohort_conversation, do_start_conversation
from ascend.messaging.models import Message
from ascend.messaging.testing import say
from ascend.quality.models import Audit, Grade

from .pages_world import page_of

pytestmark = pytest.mark.django_db


def _title(page: str) -> str:
    return page.split("<h1>", 1)[1].split("</h1>", 1)[0]


def test_the_client_sees_the_coachs_name_and_staff_the_clients(cast, talk):
    alpha = cast.alpha
    assert (
        _title(cast.client_for(alpha.client).get(page_of(alpha.client, talk)).content.decode())
        == "Alpha Coach"
    )
    for key in ("coach", "head_coach", "admin", "auditor"):
        person = getattr(alpha, key)
        page = cast.client_for(person).get(page_of(person, talk)).content.decode()
        assert _title(page) == "Alpha Client", key


def test_a_group_is_titled_by_its_cohort(cast, cohort):
    alpha = cast.alpha
    group = do_start_cohort_conversation(alpha.coach.membership, cohort=cohort)
    say(group, alpha.coach, "Welcome everyone")
    page = cast.client_for(alpha.other_client).get(f"/me/messages/{group.pk}/").content.decode()
    assert _title(page) == cohort.name
    listing = cast.client_for(alpha.other_client).get("/me/messages/").content.decode()
    assert cohort.name in listing and ">Group</span>" in listing


def test_clients_of_the_same_program_see_each_others_name(cast):
    from ascend.messaging.testing import coached_cohort

    alpha = cast.alpha
    coached_cohort(alpha, peers=True)
    peer = do_start_conversation(alpha.client.membership, recipient=alpha.other_client.membership)
    say(peer, alpha.client, "Hi classmate")
    page = cast.client_for(alpha.other_client).get(f"/me/messages/{peer.pk}/").content.decode()
    assert _title(page) == "Alpha Client"
    assert "Coach communication area" not in page


def test_messages_show_author_markdown_and_time(cast, talk):
    alpha = cast.alpha
    sent = say(talk, alpha.coach, "Try **three** sets", datetime(2026, 1, 5, 12, 0, tzinfo=UTC))
    page = cast.client_for(alpha.client).get(page_of(alpha.client, talk)).content.decode()
    item = page.split(f'id="message-{sent.pk}"', 1)[1].split("</li>", 1)[0]
    assert "<strong>Alpha Coach</strong>" in item
    assert "<p>Try <strong>three</strong> sets</p>" in item
    assert 'datetime="2026-01-05T12:00:00+00:00"' in item and " ago</time>" in item


def test_the_clients_list_shows_unread_and_the_last_message(cast, talk):
    alpha = cast.alpha
    say(talk, alpha.coach, "First")
    say(talk, alpha.coach, "How did the week go?")
    page = cast.client_for(alpha.client).get("/me/messages/").content.decode()
    assert "How did the week go?" in page and 'data-testid="unread">2 unread<' in page
    assert f'href="/me/messages/{talk.pk}/"' in page


def test_the_clients_list_has_an_empty_state(cast):
    page = cast.client_for(cast.alpha.client).get("/me/messages/").content.decode()
    assert "No messages yet" in page and 'href="/me/messages/new/"' in page


# Audits ------------------------------------------------------------------------------------


@pytest.fixture
def audited(cast, talk) -> Message:
    alpha = cast.alpha
    say(talk, alpha.client, "Is this right?")
    reply = say(talk, alpha.coach, "Sure")
    Audit.objects.create(
        workspace=alpha.workspace,
        message=reply,
        conversation=talk,
        coach=alpha.coach.membership,
        auditor=alpha.auditor.membership,
        grade=Grade.NEEDS_IMPROVEMENT,
        feedback="Explain why, not just yes.",
    )
    return reply


@pytest.mark.parametrize("key", ["coach", "head_coach", "auditor", "admin"])
def test_staff_see_a_replys_audit_grade_and_feedback(cast, audited, key):
    person = getattr(cast.alpha, key)
    page = cast.client_for(person).get(page_of(person, audited.conversation)).content.decode()
    item = page.split(f'id="message-{audited.pk}"', 1)[1].split("</li>", 1)[0]
    assert 'class="audit audit--yellow"' in item and "Needs improvement" in item
    assert "Audited by Alpha Auditor" in item
    assert "Explain why, not just yes." in item


def test_the_client_never_sees_an_audit(cast, audited):
    http = cast.client_for(cast.alpha.client)
    for path in (f"/me/messages/{audited.conversation_id}/", "/me/messages/",
                 f"/me/messages/{audited.conversation_id}/new/?after=0"):  # fmt: skip
        body = http.get(path).content.decode()
        assert "Explain why" not in body and "Needs improvement" not in body


def test_the_coach_acknowledges_the_audit_from_the_conversation(cast, audited):
    alpha = cast.alpha
    page = cast.client_for(alpha.coach).get(page_of(alpha.coach, audited.conversation))
    assert f'action="/coach/audits/{audited.audit.pk}/acknowledge/"' in page.content.decode()
    head = cast.client_for(alpha.head_coach).get(page_of(alpha.head_coach, audited.conversation))
    assert "/acknowledge/" not in head.content.decode()


def test_the_conversation_page_reads_the_audits_with_the_messages(cast, audited):
    from ascend.testing import count_queries

    alpha = cast.alpha
    http = cast.client_for(alpha.coach)
    path = page_of(alpha.coach, audited.conversation)
    before, _ = count_queries(lambda: http.get(path))
    for n in range(10):
        say(audited.conversation, alpha.client, f"Question {n}")
        reply = say(audited.conversation, alpha.coach, f"Answer {n}")
        Audit.objects.create(
            workspace=alpha.workspace,
            message=reply,
            conversation=audited.conversation,
            coach=alpha.coach.membership,
            auditor=alpha.auditor.membership,
            grade=Grade.OUTSTANDING,
            feedback="Good",
        )
    after, _ = count_queries(lambda: http.get(path))
    assert before == after


# The unread badge in the navigation ---------------------------------------------------------


def _nav(page: str) -> str:
    return page.split('<nav class="nav"', 1)[1].split("</nav>", 1)[0]


def test_the_navigation_counts_unread_messages(cast, talk):
    alpha = cast.alpha
    say(talk, alpha.coach, "One")
    say(talk, alpha.coach, "Two")
    nav = _nav(cast.client_for(alpha.client).get("/me/").content.decode())
    assert 'href="/me/messages/">Messages <span class="badge badge--info nav__badge"' in nav
    assert 'aria-label="2 unread">2</span>' in nav
    say(talk, alpha.client, "Three")
    coach_nav = _nav(cast.client_for(alpha.coach).get("/coach/").content.decode())
    assert 'href="/coach/inbox/">Inbox <span' in coach_nav and ">1</span>" in coach_nav


def test_opening_the_conversation_clears_the_badge_on_that_page(cast, talk):
    alpha = cast.alpha
    say(talk, alpha.coach, "One")
    nav = _nav(cast.client_for(alpha.client).get(f"/me/messages/{talk.pk}/").content.decode())
    assert "nav__badge" not in nav
    assert "nav__badge" not in _nav(cast.client_for(alpha.client).get("/me/").content.decode())


def test_the_team_inbox_is_in_the_navigation_of_admins_and_auditors_once(cast):
    for key, shown in [("owner", True), ("admin", True), ("auditor", True), ("supervisor", False),
                       ("operator", False)]:  # fmt: skip
        nav = _nav(cast.client_for(getattr(cast.alpha, key)).get("/team/").content.decode())
        assert nav.count('href="/team/inbox/"') == (1 if shown else 0), key


def test_the_clients_list_query_count_is_flat_as_conversations_grow(cast, cohort):
    from ascend.testing import assert_flat_queries

    from .pages_world import bulk_conversations

    alpha = cast.alpha
    coach, client = alpha.coach.membership, alpha.client.membership
    bulk_conversations(coach, client, 50)
    http = cast.client_for(alpha.client)

    def listing():
        response = http.get("/me/messages/")
        assert response.content.count(b'<td><a href="/me/messages/') == 50

    count = assert_flat_queries(listing, lambda: bulk_conversations(coach, client, 450, start=50))
    assert count == 8, count
