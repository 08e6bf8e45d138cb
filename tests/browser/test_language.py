"""A person switches to Spanish with the language picker and sees the product in Spanish."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ascend.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coach_switches_to_spanish_and_sees_spanish(cast, live_server, page, sign_in):
    sign_in(page, cast.alpha.coach.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/coach/$"))
    expect(page.get_by_role("heading", name="Your head coach")).to_be_visible()
    page.get_by_label("Language").select_option("es")
    expect(page.get_by_role("heading", name="Tu coach principal")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    # The choice is kept on the profile: a new session opens in Spanish too.
    page.context.clear_cookies()
    sign_in_es = page.goto(f"{live_server.url}/accounts/login/")
    assert sign_in_es.status == 200
    page.get_by_label("Email").fill(cast.alpha.coach.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Tu coach principal")).to_be_visible()


def test_signed_out_visitors_pick_portuguese_on_the_sign_in_page(cast, live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Language").select_option("pt-br")
    expect(page.get_by_role("button", name="Entrar")).to_be_visible()
