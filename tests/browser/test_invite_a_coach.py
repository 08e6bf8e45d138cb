"""The owner invites a coach, who accepts from the emailed link and lands in the coach portal."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ascend.notifications.models import OutboundEmail
from ascend.testing import PASSWORD
from tests.browser.conftest import open_nav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_owner_invites_a_coach_who_accepts_and_lands_in_the_coach_portal(
    cast, live_server, page, browser, sign_in
):
    sign_in(page, cast.alpha.owner.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/team/$"))
    open_nav(page, "Team")
    page.get_by_role("link", name="Invite a team member").click()
    page.get_by_label("Email").fill("nia.coach@example.com")
    page.get_by_label("Name").fill("Nia Coach")
    page.get_by_label("Coach", exact=True).check()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Invitation sent to nia.coach@example.com")).to_be_visible()
    expect(page.get_by_test_id("invitations")).to_contain_text("nia.coach@example.com")

    email = OutboundEmail.objects.get(to="nia.coach@example.com")
    assert email.state == "sent"
    link = re.search(r"http://\S+/accounts/invitations/\S+/", email.body).group(0)
    path = link.split("/accounts/", 1)[1]

    fresh = browser.new_context()
    coach_page = fresh.new_page()
    coach_page.goto(f"{live_server.url}/accounts/{path}")
    expect(coach_page.get_by_role("heading", name="Join Alpha")).to_be_visible()
    coach_page.get_by_label("Choose a password").fill("a-long-passphrase")
    coach_page.get_by_label("Repeat the password").fill("a-long-passphrase")
    coach_page.get_by_role("button", name="Join the team").click()
    expect(coach_page).to_have_url(re.compile(r"/coach/$"))
    expect(coach_page.get_by_text("Welcome to Alpha!")).to_be_visible()
    expect(coach_page.get_by_role("heading", name="Hello, Nia")).to_be_visible()

    # The same link does not work twice.
    coach_page.goto(f"{live_server.url}/accounts/{path}")
    expect(
        coach_page.get_by_role("heading", name="This invitation was already accepted")
    ).to_be_visible()
    fresh.close()
