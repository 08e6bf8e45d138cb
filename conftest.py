"""Fixtures for the whole suite; see ascend/testing.py for the cast of people."""

from __future__ import annotations

import os

import pytest
from django_scopes import scopes_disabled

from ascend.testing import Cast, make_crew

# Playwright's sync API runs an event loop in the test thread; live_server needs this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(autouse=True)
def _unscoped_test_code():
    """Test code reads across workspaces freely; requests inside tests are still scoped."""
    with scopes_disabled():
        yield


@pytest.fixture
def cast(db) -> Cast:
    return Cast(alpha=make_crew("alpha"), beta=make_crew("beta"))


@pytest.fixture(autouse=True)
def _celery_may_join_results():
    """Eager tasks run in threads (the webhook concurrency test) can leave Celery's
    process-wide "inside a task" flag set; every test starts with it cleared."""
    from celery._state import _set_task_join_will_block

    _set_task_join_will_block(False)
    yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.skip(
            f"Browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)."
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }
