"""The messaging endpoints keep to the OpenAPI document with data in place.

The workspace holds a coaching conversation with messages, an attachment and a staff
note, a peer conversation and a cohort group, all with small ids, so that generated
requests reach the actions (multipart uploads included). Rules checked: no 5xx ever;
every status, content type and body is one the document declares.
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import transaction  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

from ascend.api.tests.helpers import token_for  # noqa: E402
from ascend.api.tests.test_schemathesis import CHECKS, wsgi_on_test_database  # noqa: E402
from ascend.api.urls import api  # noqa: E402
from ascend.messaging.actions import (  # noqa: E402
    do_send_message,
    do_start_cohort_conversation,
    do_start_conversation,
)
from ascend.testing import host_of  # noqa: E402

from .api_world import make_side  # noqa: E402

schema = schemathesis.openapi.from_dict(api.get_openapi_schema()).include(
    path_regex=r"^/api/v1/(conversations|attachments)"
)
schema.app = wsgi_on_test_database


@pytest.fixture(params=["coach", "client"])
def headers(cast, request) -> dict[str, str]:
    alpha = cast.alpha
    side = make_side(alpha)
    do_send_message(
        side.talk,
        author=alpha.client.membership,
        body="My plan",
        files=[SimpleUploadedFile("plan.pdf", b"%PDF-1.4", content_type="application/pdf")],
    )
    do_start_conversation(alpha.client.membership, recipient=alpha.other_client.membership)
    do_start_cohort_conversation(alpha.coach.membership, cohort=side.cohort)
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
def test_the_messaging_api_keeps_to_its_document_with_data(case, headers):
    with transaction.atomic():
        case.call_and_validate(headers=headers, checks=CHECKS)
        transaction.set_rollback(True)
