"""A learner opens a lesson, completes it, comments (held for review), rates it and asks for
help; an attendant approves the comment and answers; the learner sees both."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ascend.courses.tests.course_world import course_tree, give
from ascend.testing import PASSWORD
from tests.browser.conftest import open_nav

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_learner_works_through_a_lesson_and_an_attendant_answers(
    cast, live_server, page, browser, sign_in
):
    learner = cast.alpha.client
    product, lessons = course_tree(cast.alpha.workspace, modules=1, lessons=2)
    give(learner.membership, product)

    sign_in(page, learner.email, PASSWORD)
    open_nav(page, "Courses")
    expect(page.get_by_text("0 of 2 lessons completed")).to_be_visible()
    page.get_by_role("link", name=product.name).first.click()
    page.get_by_role("link", name="Lesson 1.1").click()
    expect(page.get_by_role("heading", name="Lesson 1.1")).to_be_visible()

    page.get_by_role("button", name="Mark as complete").click()
    expect(page.get_by_test_id("completed")).to_be_visible()
    page.get_by_role("button", name="4 stars").click()
    expect(page.get_by_test_id("my-rating")).to_contain_text("4 stars")
    page.get_by_label("Your comment").fill("Should my knees pass my toes?")
    page.get_by_role("button", name="Post comment").click()
    mine = page.get_by_test_id("comment").filter(has_text="Should my knees pass my toes?")
    expect(mine.get_by_test_id("waiting-for-review")).to_be_visible()

    page.get_by_role("link", name="Ask for help with this lesson").click()
    page.get_by_label("Subject").fill("Squat depth")
    page.get_by_label("Your question").fill("How low should I go at first?")
    page.get_by_role("button", name="Send the question").click()
    expect(page.get_by_text("How low should I go at first?")).to_be_visible()

    staff = browser.new_context(base_url=live_server.url).new_page()
    sign_in(staff, cast.alpha.attendant.email, PASSWORD)
    open_nav(staff, "Comments")
    row = staff.get_by_role("row").filter(has_text="Should my knees pass my toes?")
    row.get_by_role("checkbox").check()
    staff.get_by_test_id("bulk-form").get_by_role("button", name="Approve").click()
    expect(staff.get_by_text("1 comment approved.")).to_be_visible()
    open_nav(staff, "Support")
    staff.get_by_role("link", name="Squat depth").click()
    staff.get_by_label("Your answer").fill("Only as low as you keep a flat back.")
    staff.get_by_role("button", name="Send the answer").click()
    expect(staff.get_by_text("Only as low as you keep a flat back.")).to_be_visible()

    page.goto(f"{live_server.url}/me/courses/lessons/{lessons[0].pk}/")
    mine = page.get_by_test_id("comment").filter(has_text="Should my knees pass my toes?")
    expect(mine).to_be_visible()
    expect(mine.get_by_test_id("waiting-for-review")).to_have_count(0)
    open_nav(page, "Support")
    page.get_by_role("link", name="Squat depth").click()
    expect(page.get_by_text("Only as low as you keep a flat back.")).to_be_visible()
    expect(page.get_by_text(re.compile("How helpful was the answer"))).to_be_visible()
