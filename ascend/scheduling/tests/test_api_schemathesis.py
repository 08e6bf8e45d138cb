"""The session request endpoints keep to the OpenAPI document with data in place.

The client asked the coach for a session, holds a package and has the coach as
theirs, all with small ids, so that generated requests reach the actions (as the
coach and as the client). Rules checked: no 5xx ever; every status, content type
and body is one the document declares.
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")

from django.db import transaction  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

from ascend.api.tests.helpers import token_for  # noqa: E402
from ascend.api.tests.test_schemathesis import CHECKS, wsgi_on_test_database  # noqa: E402
from ascend.api.urls import api  # noqa: E402
from ascend.testing import host_of  # noqa: E402

from .test_api_sessions import make_side  # noqa: E402

schema = schemathesis.openapi.from_dict(api.get_openapi_schema()).include(
    path_regex=r"^/api/v1/sessions"
)
schema.app = wsgi_on_test_database


@pytest.fixture(params=["coach", "client"])
def headers(cast, request) -> dict[str, str]:
    make_side(cast.alpha)
    return {
        "Authorization": f"Bearer {token_for(getattr(cast.alpha, request.param))}",
        "Host": host_of(cast.alpha.workspace),
    }


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_sessions_api_keeps_to_its_document_with_data(case, headers):
    with transaction.atomic():
        case.call_and_validate(headers=headers, checks=CHECKS)
        transaction.set_rollback(True)
