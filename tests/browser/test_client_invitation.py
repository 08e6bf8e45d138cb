"""An admin invites a client on behalf of a coach with a package; the client opens the
emailed link, sets a password, goes through the onboarding and meets their dashboard."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from ascend.billing.packages import do_save_package
from ascend.crm.actions_client import do_save_greeting
from ascend.notifications.models import OutboundEmail
from ascend.testing import PASSWORD
from tests.browser.conftest import open_nav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_invites_a_client_who_onboards_and_sees_the_greeting_and_package(
    cast, live_server, page, browser, sign_in
):
    coach = cast.alpha.coach
    do_save_greeting(coach.membership, actor=coach.user, text="Welcome aboard, I'm **your coach**!")
    do_save_package(cast.alpha.workspace, actor=None, name="Ten sessions", sessions=10,
                    price=Decimal("500"), currency="USD", validity_days=90)  # fmt: skip
    do_save_package(cast.alpha.workspace, actor=None, name="Other coach's pack", sessions=5,
                    price=Decimal("200"), currency="USD", validity_days=30,
                    coach=cast.alpha.other_coach.membership)  # fmt: skip

    sign_in(page, cast.alpha.admin.email, PASSWORD)
    open_nav(page, "CRM")
    page.get_by_role("link", name="Invite a client").first.click()
    page.get_by_label("Name").fill("Nia Client")
    page.get_by_label("Email").fill("nia.client@example.com")
    page.get_by_label("Client type").select_option(label="Client")
    package = page.get_by_label("Package")
    # The package list is the chosen coach's, fetched with htmx when the coach changes.
    page.get_by_label("Coach").select_option(label=f"{coach.user} ({coach.email})")
    expect(package.locator("option", has_text="Ten sessions")).to_have_count(1)
    expect(package.locator("option", has_text="Other coach's pack")).to_have_count(0)
    ten = package.locator("option", has_text="Ten sessions")
    package.select_option(ten.get_attribute("value"))
    page.get_by_label("Message").fill("See you on Monday!")
    page.get_by_role("button", name="Invite now").click()
    expect(page.get_by_text("Invitation sent to nia.client@example.com")).to_be_visible()
    expect(page.get_by_test_id("invitations")).to_contain_text("Pending")

    email = OutboundEmail.objects.get(to="nia.client@example.com")
    assert email.template == "client_invitation" and "See you on Monday!" in email.body
    assert OutboundEmail.objects.filter(to=coach.email, template="client_assigned").exists()
    path = re.search(r"/join/[^/\s]+/", email.body).group(0)

    fresh = browser.new_context()
    client_page = fresh.new_page()
    client_page.goto(f"{live_server.url}{path}")
    expect(client_page.get_by_role("heading", name="Join Alpha")).to_be_visible()
    expect(client_page.get_by_text("It comes with the package Ten sessions.")).to_be_visible()
    client_page.get_by_label("Choose a password").fill("a-long-passphrase")
    client_page.get_by_label("Repeat the password").fill("a-long-passphrase")
    client_page.get_by_role("button", name="Create my account").click()

    expect(client_page).to_have_url(re.compile(r"/me/welcome/$"))
    expect(client_page.get_by_text("Welcome to Alpha!")).to_be_visible()
    expect(client_page.get_by_text("Step 1 of 5")).to_be_visible()
    client_page.get_by_label("Your name").fill("Nia Okafor")
    client_page.get_by_label("Phone").fill("+1 555 0100")
    client_page.get_by_role("button", name="Continue").click()
    client_page.get_by_label("Your goals").fill("Run 10 km without stopping.")
    client_page.get_by_role("button", name="Continue").click()
    client_page.get_by_label("Time zone").select_option("Europe/Lisbon")
    client_page.get_by_role("button", name="Continue").click()
    # Consent is required: finishing without it says so next to the box.
    client_page.get_by_role("button", name="Agree and finish").click()
    expect(client_page.get_by_text("Tick the box to agree")).to_be_visible()
    client_page.get_by_label(re.compile("I agree")).check()
    client_page.get_by_role("button", name="Agree and finish").click()
    expect(client_page.get_by_role("heading", name="You're all set")).to_be_visible()
    client_page.get_by_role("link", name="Go to your dashboard").click()

    expect(client_page).to_have_url(re.compile(r"/me/$"))
    greeting = client_page.get_by_test_id("coach-greeting")
    expect(greeting).to_contain_text("Welcome aboard, I'm your coach!")
    expect(client_page.get_by_test_id("my-packages")).to_contain_text("Ten sessions")
    expect(client_page.get_by_role("heading", name="Welcome, Nia")).to_be_visible()
    fresh.close()
