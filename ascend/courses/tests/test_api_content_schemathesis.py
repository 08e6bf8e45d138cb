"""The course content endpoints keep to the OpenAPI document with data in place.

The workspace holds a product with a course of modules and lessons (small ids), a lesson
file, an announcement, and a learner with access, so that generated requests reach the
actions: saving, moving, refusing to delete a product a learner has, uploading files.
Rules checked: no 5xx ever; every status, content type and body is one the document
declares.
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
from ascend.courses import actions_content as actions  # noqa: E402
from ascend.testing import host_of  # noqa: E402

from .course_world import course_tree, give  # noqa: E402

schema = schemathesis.openapi.from_dict(api.get_openapi_schema()).include(
    path_regex=r"^/api/v1/(course-products|courses|course-modules|lessons|lesson-files|announcements)"
)
schema.app = wsgi_on_test_database


def _content(crew) -> None:  # type: ignore[no-untyped-def]
    ws = crew.workspace
    made, lessons = course_tree(ws, modules=2, lessons=2)
    course_tree(ws, modules=1, lessons=1, name="Second")
    actions.do_add_lesson_files(
        lessons[0], actor=None, files=[SimpleUploadedFile("sheet.pdf", b"%PDF sheet")]
    )
    actions.do_save_announcement(ws, actor=None, title="Hello", product=made)
    give(crew.client.membership, made)


# One named parameter, so that each operation's test has an id of its own.
@pytest.fixture(params=["owner"])
def headers(cast, request) -> dict[str, str]:
    _content(cast.alpha)
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
def test_the_course_content_api_keeps_to_its_document_with_data(case, headers):
    with transaction.atomic():
        case.call_and_validate(headers=headers, checks=CHECKS)
        transaction.set_rollback(True)
