"""The support endpoints keep to the OpenAPI document with data in place.

Requests of every status (one answered and rated, one about a lesson) under small ids,
called as the owner (the team's endpoints) and as the learner (their own). Rules
checked: no 5xx ever; every status, content type and body is one the document declares.
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")

from django.db import transaction  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

from ascend.api.tests.helpers import token_for  # noqa: E402
from ascend.api.tests.test_schemathesis import CHECKS, wsgi_on_test_database  # noqa: E402
from ascend.api.urls import api  # noqa: E402
from ascend.support.actions import do_close_support, do_rate_support  # noqa: E402
from ascend.testing import host_of  # noqa: E402

from .support_world import answer, ask, lessons_for  # noqa: E402

schema = schemathesis.openapi.from_dict(api.get_openapi_schema()).include(
    path_regex=r"^/api/v1/(me/)?support"
)
schema.app = wsgi_on_test_database


@pytest.fixture(params=["owner", "client"])
def headers(cast, request) -> dict[str, str]:
    lessons = lessons_for(cast.alpha)
    learner = cast.alpha.client
    ask(learner, "Waiting", lesson=lessons[0])
    answered = ask(learner, "Answered")
    answer(answered, cast.alpha.attendant)
    do_rate_support(answered, learner=learner.membership, rating=4, actor=None)
    closed = ask(cast.alpha.other_client, "Closed")
    do_close_support(closed, staff=cast.alpha.attendant.membership, actor=None)
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
def test_the_support_api_keeps_to_its_document(case, headers):
    with transaction.atomic():
        case.call_and_validate(headers=headers, checks=CHECKS)
        transaction.set_rollback(True)
