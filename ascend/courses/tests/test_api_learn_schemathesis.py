"""The learner's endpoints keep to the OpenAPI document with data in place.

Learners hold a product whose lessons have small ids (open, not yet released, comments
off), with comments, a rating and announcements, so generated requests reach the
actions as a learner; a staff member's requests are refused in the declared shapes.
Rules checked: no 5xx ever; every status, content type and body is one the document
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
from ascend.courses.models import Announcement, Comment, CommentState  # noqa: E402
from ascend.testing import host_of  # noqa: E402

from .course_world import complete, course_tree, give  # noqa: E402

schema = schemathesis.openapi.from_dict(api.get_openapi_schema()).include(
    path_regex=r"^/api/v1/me/(courses|lessons|announcements)"
)
schema.app = wsgi_on_test_database


def _learning_world(crew) -> None:
    ws = crew.workspace
    made, lessons = course_tree(ws, modules=2, lessons=2)
    me = crew.client.membership
    give(me, made)
    complete(me, lessons[0])
    lessons[1].comments_enabled = False
    lessons[1].save()
    lessons[3].release_after_days = 5
    lessons[3].save()
    Comment.objects.create(
        workspace=ws, lesson=lessons[0], author=crew.other_client.membership, body="Question",
        state=CommentState.APPROVED,
    )  # fmt: skip
    Announcement.objects.create(workspace=ws, title="Welcome", is_enabled=True)
    Announcement.objects.create(workspace=ws, title="For the product", product=made,
                                is_enabled=True)  # fmt: skip


@pytest.fixture(params=["client", "supervisor"])
def headers(cast, request) -> dict[str, str]:
    _learning_world(cast.alpha)
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
def test_the_learning_api_keeps_to_its_document_with_data(case, headers):
    with transaction.atomic():
        case.call_and_validate(headers=headers, checks=CHECKS)
        transaction.set_rollback(True)
