"""The packages and orders endpoints keep to the OpenAPI document with data in place.

The workspace holds packages, a holding and orders with small ids, so generated
requests reach the actions. Rules checked: no 5xx ever; every status, content
type and body is one the document declares.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")

from django.db import transaction  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

from ascend.api.tests.helpers import token_for  # noqa: E402
from ascend.api.tests.test_schemathesis import CHECKS, wsgi_on_test_database  # noqa: E402
from ascend.api.urls import api  # noqa: E402
from ascend.billing.packages import do_give_package, do_save_package  # noqa: E402
from ascend.billing.payments import do_mark_order_paid, do_start_package_order  # noqa: E402
from ascend.testing import host_of  # noqa: E402

schema = schemathesis.openapi.from_dict(api.get_openapi_schema()).include(
    path_regex=r"^/api/v1/(packages|orders|clients/\{client_id\}/packages)"
)
schema.app = wsgi_on_test_database


# One named parameter, so that each operation's test has an id of its own (test runners
# spreading tests over workers tell them apart by it).
@pytest.fixture(params=["owner"])
def headers(cast) -> dict[str, str]:
    ws = cast.alpha.workspace
    package = do_save_package(ws, actor=None, name="Five", sessions=5, price=Decimal("100"),
                              currency="USD", validity_days=30)  # fmt: skip
    do_give_package(package, cast.alpha.client.membership, actor=None)
    paid = do_start_package_order(package, buyer_name="A", buyer_email="a@example.com",
                                  provider="manual")  # fmt: skip
    do_mark_order_paid(paid, actor=None)
    do_start_package_order(package, buyer_name="B", buyer_email="b@example.com", provider="manual")
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
def test_the_packages_api_keeps_to_its_document_with_data(case, headers):
    with transaction.atomic():
        case.call_and_validate(headers=headers, checks=CHECKS)
        transaction.set_rollback(True)
