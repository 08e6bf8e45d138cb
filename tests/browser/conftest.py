from __future__ import annotations

import pytest


@pytest.fixture
def sign_in(live_server):
    """Sign a person in through the real login form."""

    def _sign_in(page, email: str, password: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()

    return _sign_in


def open_nav(page, name: str) -> None:
    """Follow a top-bar link, opening the menu it sits in first when links are grouped."""
    nav = page.locator("header nav.nav")
    # A link inside a closed menu is hidden, so it is looked for among hidden ones too.
    anywhere = page.get_by_role("link", name=name, exact=True, include_hidden=True)
    nav.locator(f"a:text-is('{name}')").wait_for(state="attached")
    menu = nav.locator("details.nav__menu", has=anywhere)
    if menu.count() and menu.get_attribute("open") is None:
        menu.locator("summary").click()
    nav.get_by_role("link", name=name, exact=True).click()
