"""A client ticks a milestone and a habit day on their program page and sees progress change.

htmx swaps the row and the progress bar in place: the page is never reloaded
(a marker set on ``window`` before ticking is still there afterwards).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ascend.programs.models import CheckIn, MilestoneCompletion
from ascend.programs.tests.portal_fixtures import cohort_for, enrol, program_with, today
from ascend.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_client_ticks_a_milestone_and_a_habit_and_sees_progress_change(
    cast, live_server, page, sign_in
):
    program = program_with(cast.alpha.workspace, title="Strength reset", habits=1, milestones=2)
    enrollment = enrol(cohort_for(program, cast.alpha.coach), cast.alpha.client, started_days_ago=3)
    sign_in(page, cast.alpha.client.email, PASSWORD)
    page.get_by_role("link", name="Programs", exact=True).click()
    expect(page.get_by_role("heading", name="Your programs")).to_be_visible()
    page.get_by_role("link", name="Open the program").click()
    expect(page.get_by_role("heading", name="Strength reset")).to_be_visible()

    percent = page.get_by_test_id("progress-percent")
    expect(percent).to_have_text("0 %")
    page.evaluate("window.__noReload = true")

    page.get_by_label("Milestone 1").check()
    expect(percent).not_to_have_text("0 %")
    after_milestone = percent.inner_text()
    assert MilestoneCompletion.objects.filter(enrollment=enrollment).count() == 1

    day = today().strftime("%A %-d %B")
    page.get_by_label(f"Habit 1 on {day}").check()
    expect(percent).not_to_have_text(after_milestone)
    assert CheckIn.objects.filter(enrollment=enrollment, due_date=today()).exists()
    expect(page.get_by_label(f"Habit 1 on {day}")).to_be_checked()
    after_habit = percent.inner_text()

    # Unticking brings the progress back down; all without a reload.
    page.get_by_label("Milestone 1").uncheck()
    expect(percent).not_to_have_text(after_habit)
    assert not MilestoneCompletion.objects.filter(enrollment=enrollment).exists()
    assert page.evaluate("window.__noReload") is True


def test_ticking_with_the_keyboard_keeps_the_focus_on_the_box(cast, live_server, page, sign_in):
    program = program_with(cast.alpha.workspace, title="Strength reset", habits=1, milestones=1)
    enrollment = enrol(cohort_for(program, cast.alpha.coach), cast.alpha.client, started_days_ago=3)
    sign_in(page, cast.alpha.client.email, PASSWORD)
    page.goto(f"{live_server.url}/me/programs/{enrollment.pk}/")
    box = page.get_by_label(f"Habit 1 on {today().strftime('%A %-d %B')}")
    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    expect(page.get_by_test_id("progress-percent")).not_to_have_text("0 %")
    expect(box).to_be_focused()
