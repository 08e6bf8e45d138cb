"""Ranks end to end: an operator records visits, the client becomes eligible, an admin reads
the notice and promotes, the client sees the new rank and the history — then the same in
Spanish with the workspace's own word, "Cinturones".

Visits are evaluated when they commit, so the eligibility and its notices follow the
operator's last check-in at once; the admin reaches the client's profile from the notice.
"""

from __future__ import annotations

import re

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from ascend.ranks import actions
from ascend.ranks.models import Eligibility, Visit
from ascend.ranks.testing import add_visits, backdate, make_ladder
from ascend.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def karate(cast, *, visits_before: int = 0):  # type: ignore[no-untyped-def]
    """Karate (eligibility told to admins, not automatic); the client on White belt since
    yesterday (so a roster's time, to the minute, falls inside the rank)."""
    with scopes_disabled():
        category, ranks = make_ladder(
            cast.alpha.workspace, criteria=((3, None), (3, 10)), notify_roles=("admin",)
        )
        me = cast.alpha.client.membership
        actions.do_assign_rank(me, ranks[0], actor=cast.alpha.admin.user)
        backdate(actions.current_holding(me, category), 1)
        if visits_before:
            add_visits(me, visits_before)
    return category, ranks


def sign_out(page) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()


def check_in(page, search: str, client_pk: int) -> None:  # type: ignore[no-untyped-def]
    """Type in the live search and press the client's Check in button (found by its value)."""
    page.locator("#checkin-q").fill(search)
    button = page.locator(f'#checkin-results button[name="client"][value="{client_pk}"]')
    expect(button).to_be_visible()
    button.click()


def test_operator_visits_make_a_client_eligible_and_an_admin_promotes_them(
    cast, live_server, page, sign_in
):
    category, _ranks = karate(cast)
    client_pk = cast.alpha.client.membership.pk

    # The operator checks the client in twice from the search, then with a class roster.
    sign_in(page, cast.alpha.operator.email, PASSWORD)
    page.get_by_role("link", name="Check-in", exact=True).click()
    expect(page.get_by_role("heading", name="Check-in", exact=True)).to_be_visible()
    page.get_by_label("Class").fill("Kids karate")
    check_in(page, "Alpha Cli", client_pk)
    expect(page.get_by_text("Alpha checked in to Kids karate.")).to_be_visible()
    expect(page.get_by_test_id("todays-visits")).to_contain_text("Kids karate")
    # The class is remembered for the next one.
    expect(page.get_by_label("Class")).to_have_value("Kids karate")
    check_in(page, "client@alpha", client_pk)
    expect(page.get_by_text("Alpha checked in to Kids karate.")).to_be_visible()
    results = page.locator("#checkin-q")
    results.fill("Alpha Client")
    expect(page.locator("#checkin-results")).to_contain_text("Checked in 2 times today")

    page.get_by_role("link", name="Tick a class roster").click()
    page.get_by_label(re.compile(r"Alpha Client")).check()
    page.get_by_role("button", name="Check in the ticked clients").click()
    expect(page.get_by_text("1 client checked in to Kids karate.")).to_be_visible()
    expect(page.get_by_text("Alpha is now eligible for Yellow belt (Karate).")).to_be_visible()
    with scopes_disabled():
        assert Visit.objects.filter(client_id=client_pk, class_name="Kids karate").count() == 3
        assert Eligibility.objects.filter(holding__client_id=client_pk).exists()

    # The admin sees the notice in the header, follows it and promotes from the profile.
    sign_out(page)
    sign_in(page, cast.alpha.admin.email, PASSWORD)
    bell = page.get_by_test_id("notices-link")
    expect(bell).to_contain_text("Notices")
    expect(bell.locator(".badge")).to_have_text("1")
    bell.click()
    notice = page.get_by_role("link", name=re.compile(r"Alpha Client has met the criteria"))
    expect(notice).to_contain_text("Belts · Karate")
    notice.click()
    expect(page.get_by_role("heading", name="Alpha Client", level=1)).to_be_visible()
    expect(page.get_by_test_id("eligible-badge")).to_have_text("Eligible for Yellow belt")
    page.get_by_role("button", name="Promote to Yellow belt").click()
    expect(page.get_by_test_id("current-rank")).to_have_text("Yellow belt")

    # The client sees the new belt, and the history with both.
    sign_out(page)
    sign_in(page, cast.alpha.client.email, PASSWORD)
    expect(page.get_by_test_id("my-ranks")).to_contain_text("Yellow belt")
    page.get_by_role("link", name="Belts", exact=True).click()
    expect(page.get_by_role("heading", name="Your Belts", level=1)).to_be_visible()
    card = page.get_by_test_id("rank-card")
    expect(card).to_contain_text("Karate")
    expect(card).to_contain_text("Yellow belt")
    expect(card).to_contain_text("Towards Orange belt")
    history = page.get_by_test_id("rank-history")
    expect(history.locator("tbody tr")).to_have_count(2)
    expect(history.locator("tbody tr").nth(0)).to_contain_text("Yellow belt")
    expect(history.locator("tbody tr").nth(0)).to_contain_text("Current")
    expect(history.locator("tbody tr").nth(1)).to_contain_text("White belt")
    with scopes_disabled():
        assert actions.current_holding(cast.alpha.client.membership, category).rank.name == (
            "Yellow belt"
        )


def test_the_same_pages_in_spanish_use_the_word_cinturones(cast, live_server, page, sign_in):
    ws = cast.alpha.workspace
    ws.rank_term, ws.rank_term_custom = "custom", "Cinturones"
    ws.save()
    for person in (cast.alpha.operator, cast.alpha.admin, cast.alpha.client):
        person.user.language = "es"
        person.user.save()
    category, _ranks = karate(cast, visits_before=2)
    client_pk = cast.alpha.client.membership.pk

    # Selectors don't depend on wording here, so the test holds as translations arrive.
    sign_in(page, cast.alpha.operator.email, PASSWORD)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.goto(f"{live_server.url}/team/check-in/")
    page.locator("#id_class_name").fill("Karate infantil")
    check_in(page, "Alpha", client_pk)
    expect(page.get_by_test_id("todays-visits")).to_contain_text("Karate infantil")
    with scopes_disabled():
        assert Eligibility.objects.filter(holding__client_id=client_pk).exists()

    sign_out(page)
    sign_in(page, cast.alpha.admin.email, PASSWORD)
    # An admin's many links are grouped: the ranks' menu is named with the workspace's word.
    expect(page.locator("details.nav__menu > summary", has_text="Cinturones")).to_be_visible()
    bell = page.get_by_test_id("notices-link")
    expect(bell.locator(".badge")).to_have_text("1")
    bell.click()
    notice = page.get_by_test_id("notices").get_by_role("link").first
    expect(notice).to_contain_text("Cinturones · Karate")
    notice.click()
    page.get_by_test_id("promote-form").get_by_role("button").click()
    expect(page.get_by_test_id("current-rank")).to_have_text("Yellow belt")

    sign_out(page)
    sign_in(page, cast.alpha.client.email, PASSWORD)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_test_id("my-ranks").get_by_role("heading", level=2)).to_contain_text(
        "Cinturones"
    )
    page.get_by_role("link", name="Cinturones", exact=True).click()
    expect(page).to_have_url(re.compile(r"/me/ranks/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cinturones")
    expect(page.locator("h2", has_text="Cinturones").first).to_be_visible()
    expect(page.get_by_test_id("rank-card")).to_contain_text("Yellow belt")
    history = page.get_by_test_id("rank-history")
    expect(history.locator("tbody tr")).to_have_count(2)
    with scopes_disabled():
        assert actions.current_holding(cast.alpha.client.membership, category).rank.name == (
            "Yellow belt"
        )
