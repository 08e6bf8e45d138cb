"""In a real browser: a client writes to their coach, the coach finds them at the top of the
inbox with the time left, new messages arrive without a reload, and a reply sent with htmx
appears at once and clears the form — with no CSP complaint on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ascend.messaging.testing import coached_cohort
from ascend.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sign_in(live_server):
    def _sign_in(page, email: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()

    return _sign_in


def _watch_csp(page) -> list[str]:
    complaints: list[str] = []
    page.on(
        "console",
        lambda msg: complaints.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return complaints


def test_a_client_and_their_coach_talk_without_reloading(cast, live_server, browser, sign_in):
    alpha = cast.alpha
    coached_cohort(alpha)

    client_page = browser.new_context().new_page()
    client_csp = _watch_csp(client_page)
    sign_in(client_page, alpha.client.email)
    client_page.get_by_role("link", name="Messages").click()
    expect(client_page.get_by_role("heading", name="No messages yet")).to_be_visible()
    client_page.get_by_role("link", name="Write a message").click()
    client_page.get_by_label("To").select_option(label="Alpha Coach (coach)")
    client_page.get_by_label("Your message").fill("Can I swap **leg day**?")
    client_page.get_by_role("button", name="Send").click()
    expect(client_page).to_have_url(re.compile(r"/me/messages/\d+/$"))
    expect(client_page.get_by_test_id("messages")).to_contain_text("Can I swap leg day?")

    coach_page = browser.new_context().new_page()
    coach_csp = _watch_csp(coach_page)
    sign_in(coach_page, alpha.coach.email)
    coach_page.get_by_role("link", name=re.compile(r"^Inbox")).click()
    first_row = coach_page.get_by_test_id("inbox").locator("tbody tr").first
    expect(first_row).to_contain_text("Alpha Client")
    expect(first_row.get_by_test_id("time-left")).to_have_text(re.compile(r"2[34] h left"))
    first_row.get_by_role("link", name="Alpha Client").click()
    expect(coach_page.get_by_test_id("waiting")).to_contain_text("Waiting")
    expect(coach_page.get_by_test_id("staff-area")).to_be_visible()

    # The client adds a line; the coach's open page shows it by polling.
    client_page.get_by_label("Your message").fill("Or move it to Friday")
    client_page.get_by_role("button", name="Send").click()
    expect(client_page.get_by_label("Your message")).to_have_value("")
    expect(client_page.get_by_test_id("messages").locator("li")).to_have_count(2)
    expect(coach_page.get_by_test_id("messages")).to_contain_text(
        "Or move it to Friday", timeout=12_000
    )

    # The coach answers with htmx: the reply appears once, the form is cleared.
    coach_page.get_by_label("Your message").fill("Friday works")
    coach_page.get_by_role("button", name="Send").click()
    expect(coach_page.get_by_test_id("messages").locator("li")).to_have_count(3)
    expect(coach_page.get_by_label("Your message")).to_have_value("")
    expect(coach_page.get_by_test_id("waiting")).to_have_text("Nobody is waiting")
    expect(client_page.get_by_test_id("messages")).to_contain_text("Friday works", timeout=12_000)
    client_page.wait_for_timeout(6_000)  # another poll: nothing is shown twice
    expect(client_page.get_by_test_id("messages").locator("li")).to_have_count(3)

    assert client_csp == [] and coach_csp == []
