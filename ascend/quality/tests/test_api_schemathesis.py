"""The audit and quality endpoints keep to the OpenAPI document with data in place.

The workspace holds a coaching conversation with a coach's reply waiting in the audit
queue, another reply already audited, and figures for this month, all with small ids,
so that generated requests reach the actions. Rules checked: no 5xx ever; every
status, content type and body is one the document declares.
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")

from django.db import transaction  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

from ascend.api.tests.helpers import token_for  # noqa: E402
from ascend.api.tests.test_schemathesis import CHECKS, wsgi_on_test_database  # noqa: E402
from ascend.api.urls import api  # noqa: E402
from ascend.messaging.testing import say  # noqa: E402
from ascend.messaging.tests.api_world import make_side  # noqa: E402
from ascend.quality.actions import do_audit_message  # noqa: E402
from ascend.testing import host_of  # noqa: E402

schema = schemathesis.openapi.from_dict(api.get_openapi_schema()).include(
    path_regex=r"^/api/v1/(audits|messages/|quality/)"
)
schema.app = wsgi_on_test_database


@pytest.fixture(params=["auditor", "coach"])
def headers(cast, request) -> dict[str, str]:
    alpha = cast.alpha
    side = make_side(alpha)
    do_audit_message(
        side.reply, auditor=alpha.auditor.membership, grade="suggestion", feedback="Add a why"
    )
    say(side.talk, alpha.client, "And tomorrow?")
    say(side.talk, alpha.coach, "Rest day.")
    return {
        "Authorization": f"Bearer {token_for(getattr(alpha, request.param))}",
        "Host": host_of(alpha.workspace),
    }


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_quality_api_keeps_to_its_document_with_data(case, headers):
    with transaction.atomic():
        case.call_and_validate(headers=headers, checks=CHECKS)
        transaction.set_rollback(True)
