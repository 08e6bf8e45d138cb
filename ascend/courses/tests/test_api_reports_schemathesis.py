"""The course reports endpoints keep to the OpenAPI document with ratings in place.

Called as an attendant (who reads the reports) and as a coach (refused): no 5xx ever;
every status, content type and body is one the document declares.
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed")

from django.db import transaction  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

from ascend.api.tests.helpers import token_for  # noqa: E402
from ascend.api.tests.test_schemathesis import CHECKS, wsgi_on_test_database  # noqa: E402
from ascend.api.urls import api  # noqa: E402
from ascend.courses.models import LessonRating  # noqa: E402
from ascend.testing import host_of  # noqa: E402

from .course_world import course_tree  # noqa: E402

schema = schemathesis.openapi.from_dict(api.get_openapi_schema()).include(
    path_regex=r"^/api/v1/course-reports"
)
schema.app = wsgi_on_test_database


@pytest.fixture(params=["attendant", "coach"])
def headers(cast, request) -> dict[str, str]:
    ws = cast.alpha.workspace
    _, lessons = course_tree(ws, modules=1, lessons=2)
    LessonRating.objects.create(workspace=ws, lesson=lessons[0],
                                learner=cast.alpha.client.membership, stars=4)  # fmt: skip
    return {
        "Authorization": f"Bearer {token_for(getattr(cast.alpha, request.param))}",
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
def test_the_course_reports_api_keeps_to_its_document(case, headers):
    with transaction.atomic():
        case.call_and_validate(headers=headers, checks=CHECKS)
        transaction.set_rollback(True)
