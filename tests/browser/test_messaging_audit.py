"""Messaging and audits end to end: a client writes to their coach; the coach finds the
conversation at the top of the inbox with its time left and replies; an auditor grades the
reply "needs improvement" from the audit queue; the coach reads the yellow feedback, on the
message and on their audits page, and acknowledges it.

The workspace samples up to 50 replies per coach and week, so the reply is in the queue.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from ascend.messaging.actions import do_start_conversation
from ascend.messaging.models import Message
from ascend.messaging.testing import coached_cohort, say
from ascend.quality.models import Audit, Grade
from ascend.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "I missed two workouts this week. Should I make them up on Sunday?"
ANSWER = "Just carry on with the plan."
FEEDBACK = "Ask what got in the way before giving the plan, and suggest one small step."


def sign_out(page) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()


def test_a_reply_is_audited_needs_improvement_and_the_coach_acknowledges_the_feedback(
    cast, live_server, page, sign_in
):
    alpha = cast.alpha
    with scopes_disabled():
        coached_cohort(alpha)
        workspace = alpha.workspace
        workspace.audit_sample_per_week = 50
        workspace.save(update_fields=["audit_sample_per_week"])
        # Another client's conversation, answered yesterday: nobody waits in it.
        earlier = do_start_conversation(
            alpha.other_client.membership, recipient=alpha.coach.membership
        )
        yesterday = timezone.now() - timedelta(days=1)
        say(earlier, alpha.other_client, "Thanks for the plan!", yesterday)
        say(earlier, alpha.coach, "You're welcome.", yesterday + timedelta(minutes=30))

    # The client writes to their coach.
    sign_in(page, alpha.client.email, PASSWORD)
    page.get_by_role("link", name=re.compile(r"^Messages\b")).click()
    page.get_by_role("link", name="New message").first.click()
    page.get_by_label("To").select_option(str(alpha.coach.membership.pk))
    page.get_by_label("Your message").fill(QUESTION)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_test_id("messages")).to_contain_text(QUESTION)
    sign_out(page)

    # The coach sees it at the top of the inbox, with the time left to answer.
    sign_in(page, alpha.coach.email, PASSWORD)
    # The link's name carries the unread count ("Inbox 1").
    page.get_by_role("link", name=re.compile(r"^Inbox\b")).click()
    first_row = page.get_by_test_id("inbox").locator("tbody tr").first
    expect(first_row).to_contain_text("Alpha Client")
    expect(first_row.get_by_test_id("time-left")).to_have_text(re.compile(r"^2[34] h left$"))
    first_row.get_by_role("link", name="Alpha Client").click()
    expect(page.get_by_test_id("messages")).to_contain_text(QUESTION)
    page.get_by_label("Your message").fill(ANSWER)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_test_id("messages")).to_contain_text(ANSWER)
    with scopes_disabled():
        reply = Message.objects.get(body=ANSWER)
    sign_out(page)

    # The auditor grades the reply from the queue; the row turns into "Audited".
    sign_in(page, alpha.auditor.email, PASSWORD)
    page.get_by_role("link", name="Audits", exact=True).click()
    expect(page.get_by_role("heading", name="Audits", exact=True)).to_be_visible()
    row = page.locator(f"#reply-{reply.pk}")
    expect(row).to_contain_text(ANSWER)
    expect(row).to_contain_text("to Alpha Client")
    page.evaluate("window.__noReload = true")
    row.get_by_label("Needs improvement").check()
    row.get_by_label("Feedback for the coach").fill(FEEDBACK)
    row.get_by_role("button", name="Save the audit").click()
    expect(page.locator(f"#reply-{reply.pk}")).to_contain_text("Audited: Needs improvement")
    assert page.evaluate("window.__noReload") is True  # swapped in place by htmx
    page.reload()  # audited, it leaves the queue for the done list
    expect(page.locator(f"#reply-{reply.pk}")).to_have_count(0)
    expect(page.get_by_test_id("audits-done")).to_contain_text("24 h not yet passed")
    with scopes_disabled():
        audit = Audit.objects.get(message=reply)
    assert (audit.grade, audit.feedback) == (Grade.NEEDS_IMPROVEMENT, FEEDBACK)
    sign_out(page)

    # The coach sees the yellow feedback on the message, then acknowledges it.
    sign_in(page, alpha.coach.email, PASSWORD)
    page.goto(f"{live_server.url}/coach/messages/{reply.conversation_id}/")
    on_message = page.locator(f"#message-{reply.pk} .audit--yellow")
    expect(on_message).to_contain_text(FEEDBACK)
    page.get_by_role("link", name="Audits", exact=True).click()
    feedback = page.locator(f"#audit-{audit.pk}")
    expect(feedback).to_have_class(re.compile(r"\baudit--yellow\b"))
    expect(feedback).to_contain_text("Needs improvement")
    expect(feedback).to_contain_text(FEEDBACK)
    background = feedback.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background == "rgb(255, 248, 219)"  # the yellow of "needs improvement"
    feedback.get_by_role("button", name="Acknowledge").click()
    expect(page.locator(f"#audit-{audit.pk}")).to_contain_text("Acknowledged")
    expect(page.locator(f"#audit-{audit.pk}").get_by_role("button")).to_have_count(0)
    with scopes_disabled():
        audit.refresh_from_db()
    assert audit.acknowledged_at is not None
    page.screenshot(path="/tmp/quality_coach_audits.png", full_page=True)
