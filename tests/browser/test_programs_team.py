"""Admins meet the programs' rules in the team portal and read why they were refused."""

from __future__ import annotations

import re

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from ascend.programs.models import Cohort, Enrollment
from ascend.programs.tests.test_team_programs import enrol, make_cohort, make_program
from ascend.testing import PASSWORD
from tests.browser.conftest import open_nav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_tries_to_edit_a_locked_program_and_reads_why(cast, live_server, page, sign_in):
    with scopes_disabled():
        program = make_program(cast.alpha, "Strong Start")
        enrol(make_cohort(program, cast.alpha.coach.membership, "Spring"), cast.alpha.client)
    sign_in(page, cast.alpha.admin.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/team/$"))
    open_nav(page, "Programs")
    page.get_by_role("link", name="Strong Start").click()
    expect(page.get_by_test_id("lock-notice")).to_contain_text("content is locked")

    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Title").fill("Stronger Start")
    page.get_by_role("button", name="Save the program").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Clients are enrolled in this program, so its content is locked."
    )
    expect(page.get_by_label("Title")).to_have_value("Stronger Start")

    # Milestones refuse too, through htmx, without leaving the page.
    page.goto(f"{live_server.url}/team/programs/{program.pk}/")
    milestones = page.locator("#milestones")
    milestones.get_by_label("Milestone").fill("Extra step")
    milestones.get_by_label("Due after (days)").fill("3")
    milestones.get_by_role("button", name="Add the milestone").click()
    expect(page.locator("#milestones .errorlist")).to_contain_text("content is locked")

    with scopes_disabled():
        program.refresh_from_db()
        assert program.title == "Strong Start"
        assert not program.milestones.filter(title="Extra step").exists()

    # A new cohort can still be added.
    page.get_by_role("link", name="Add a cohort").click()
    page.get_by_label("Name").fill("Autumn")
    page.get_by_label("Coach").select_option(label="Alpha Other Coach")
    page.get_by_role("button", name="Add the cohort").click()
    expect(page.get_by_text("Cohort Autumn was saved.")).to_be_visible()
    with scopes_disabled():
        assert Cohort.objects.filter(program=program, name="Autumn").exists()


def test_an_admin_enrols_a_client_into_a_full_cohort_and_reads_why_not(
    cast, live_server, page, sign_in
):
    with scopes_disabled():
        program = make_program(cast.alpha, "Strong Start")
        cohort = make_cohort(program, cast.alpha.coach.membership, "Tiny", capacity=1)
        enrol(cohort, cast.alpha.other_client)
    sign_in(page, cast.alpha.admin.email, PASSWORD)
    open_nav(page, "Clients")
    page.get_by_label("Search").fill("Alpha Client")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name="Alpha Client", exact=True).click()
    page.get_by_label("Cohort").select_option(label="Strong Start · Tiny (Alpha Coach)")
    page.get_by_role("button", name="Enrol", exact=True).click()
    expect(page.locator("#id_cohort_errors")).to_have_text("This cohort is full.")
    with scopes_disabled():
        assert not Enrollment.objects.filter(client=cast.alpha.client.membership).exists()
