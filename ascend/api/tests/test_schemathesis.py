"""Property-based test of the whole API from its OpenAPI document (schemathesis).

Schemathesis generates requests for every operation from the document, valid
and invalid, and sends them to the WSGI application as the workspace's owner
(bearer token). Rules checked: no 5xx ever; every status code, content type
and body is one the document declares.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest

schemathesis = pytest.importorskip(
    "schemathesis",
    reason="schemathesis is not installed: add it to the dev extra of pyproject.toml",
)

from django.core.signals import request_finished, request_started  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import close_old_connections, transaction  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ascend.api.urls import api  # noqa: E402
from ascend.testing import host_of  # noqa: E402

from .helpers import token_for  # noqa: E402

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def wsgi_on_test_database(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
    """Django's real WSGI application, kept on the test's database connection.

    Django closes the connection when a request starts and ends, which inside a
    test would end the test's transaction; Django's own test client switches
    that off the same way.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = get_wsgi_application()(environ, start_response)
        try:
            return list(response)
        finally:
            response.close()  # type: ignore[attr-defined]
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# Built from the API object rather than fetched, so that collecting the tests needs
# no database; test_openapi.py checks the served document is this one.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = wsgi_on_test_database


# One named parameter, so that each operation's test has an id of its own (test runners
# spreading tests over workers tell them apart by it).
@pytest.fixture(params=["owner"])
def owner_headers(cast) -> dict[str, str]:
    """Made once per operation, not per generated request (tokens per person are capped)."""
    return {
        "Authorization": f"Bearer {token_for(cast.alpha.owner)}",
        "Host": host_of(cast.alpha.workspace),
    }


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_document(case, owner_headers):
    # Each generated request starts from the same data: undo whatever it changed.
    with transaction.atomic():
        case.call_and_validate(headers=owner_headers, checks=CHECKS)
        transaction.set_rollback(True)
