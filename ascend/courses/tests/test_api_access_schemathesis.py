"""The learner access endpoints keep to the OpenAPI document with data in place.

The workspace holds a product, learners with accesses (open, removed) and a bounced
address, with small ids, so generated requests reach the actions. Rules checked: no
5xx ever; every status, content type and body is one the document declares.
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

from ascend.api.tests.helpers import token_for  # noqa: E402
from ascend.api.tests.test_schemathesis import CHECKS, wsgi_on_test_database  # noqa: E402
from ascend.api.urls import api  # noqa: E402
from ascend.courses.models import LearnerAccess  # noqa: E402
from ascend.courses.tests.course_world import course_tree, give  # noqa: E402
from ascend.notifications.models import OutboundEmail  # noqa: E402
from ascend.testing import host_of  # noqa: E402

schema = schemathesis.openapi.from_dict(api.get_openapi_schema()).include(
    path_regex=r"^/api/v1/(learners|access)"
)
schema.app = wsgi_on_test_database


# One named parameter, so that each operation's test has an id of its own.
@pytest.fixture(params=["owner"])
def headers(cast) -> dict[str, str]:
    ws = cast.alpha.workspace
    prod, _lessons = course_tree(ws, modules=1, lessons=2)
    give(cast.alpha.client.membership, prod)
    removed = give(cast.alpha.other_client.membership, prod)
    LearnerAccess.objects.filter(pk=removed.pk).update(removed_at=timezone.now())
    OutboundEmail.objects.create(workspace=ws, to=cast.alpha.client.email, template="x",
                                 language="en", subject="s", body="b", state="bounced")  # fmt: skip
    return {
        "Authorization": f"Bearer {token_for(cast.alpha.owner)}",
        "Host": host_of(ws),
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
def test_the_learner_access_api_keeps_to_its_document_with_data(case, headers):
    with transaction.atomic():
        case.call_and_validate(headers=headers, checks=CHECKS)
        transaction.set_rollback(True)
