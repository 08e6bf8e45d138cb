"""The ranks endpoints keep to the OpenAPI document with data in place.

The workspace holds a category with ranks, clients on them, visits and an
eligibility with small ids, so generated requests reach the actions. Rules
checked: no 5xx ever; every status, content type and body is one the document
declares.
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")

from django.db import transaction  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

from ascend.api.tests.helpers import token_for  # noqa: E402
from ascend.api.tests.test_schemathesis import CHECKS, wsgi_on_test_database  # noqa: E402
from ascend.api.urls import api  # noqa: E402
from ascend.ranks.models import Eligibility  # noqa: E402
from ascend.testing import host_of  # noqa: E402

from .ranks_world import add_visits, hold, make_category  # noqa: E402

schema = schemathesis.openapi.from_dict(api.get_openapi_schema()).include(
    path_regex=r"^/api/v1/(rank-categories|rank-holdings|visits|my-ranks|clients/\{client_id\}/ranks)"
)
schema.app = wsgi_on_test_database


# One named parameter, so that each operation's test has an id of its own (test runners
# spreading tests over workers tell them apart by it).
@pytest.fixture(params=["owner"])
def headers(cast) -> dict[str, str]:
    _category, ranks = make_category(cast.alpha.workspace)
    holding = hold(cast.alpha.client.membership, ranks[0], days_ago=10)
    hold(cast.alpha.other_client.membership, ranks[1], days_ago=40)
    add_visits(cast.alpha.client.membership, 4)
    Eligibility.objects.create(workspace=cast.alpha.workspace, holding=holding, next_rank=ranks[1])
    return {
        "Authorization": f"Bearer {token_for(cast.alpha.owner)}",
        "Host": host_of(cast.alpha.workspace),
    }


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_ranks_api_keeps_to_its_document_with_data(case, headers):
    with transaction.atomic():
        case.call_and_validate(headers=headers, checks=CHECKS)
        transaction.set_rollback(True)
