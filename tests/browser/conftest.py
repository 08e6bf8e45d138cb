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
