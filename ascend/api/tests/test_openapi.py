"""The OpenAPI document at /api/v1/openapi.json and the docs page at /api/v1/docs.

Rules: both are public (they describe the API, not anyone's data); the
document lists every endpoint of the routers, both ways to authenticate, and
the error format for every refusal an endpoint can give.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from ascend.api.routers import router
from ascend.api.urls import api
from ascend.billing.api import router as billing_router
from ascend.courses.api_access import router as course_access_router
from ascend.courses.api_comments import router as course_comments_router
from ascend.courses.api_content import router as course_content_router
from ascend.courses.api_learn import router as learn_router
from ascend.courses.api_reports import router as course_reports_router
from ascend.crm.api import router as crm_router
from ascend.messaging.api import router as messaging_router
from ascend.programs.api import router as programs_router
from ascend.quality.api import router as quality_router
from ascend.ranks.api import router as ranks_router
from ascend.scheduling.api import router as scheduling_router
from ascend.support.api import router as support_router
from ascend.testing import host_of

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    ("get", "/api/v1/me"),
    ("get", "/api/v1/workspaces"),
    ("get", "/api/v1/members"),
    ("get", "/api/v1/members/invitations"),
    ("post", "/api/v1/members/invitations"),
    ("patch", "/api/v1/members/{member_id}"),
    ("delete", "/api/v1/members/{member_id}"),
    ("get", "/api/v1/tokens"),
    ("post", "/api/v1/tokens"),
    ("delete", "/api/v1/tokens/{token_id}"),
    ("get", "/api/v1/programs"),
    ("post", "/api/v1/programs"),
    ("get", "/api/v1/programs/{program_id}"),
    ("patch", "/api/v1/programs/{program_id}"),
    ("post", "/api/v1/programs/{program_id}/publish"),
    ("post", "/api/v1/programs/{program_id}/unpublish"),
    ("post", "/api/v1/programs/{program_id}/archive"),
    ("post", "/api/v1/programs/{program_id}/milestones"),
    ("patch", "/api/v1/programs/{program_id}/milestones/{milestone_id}"),
    ("delete", "/api/v1/programs/{program_id}/milestones/{milestone_id}"),
    ("post", "/api/v1/programs/{program_id}/habits"),
    ("patch", "/api/v1/programs/{program_id}/habits/{habit_id}"),
    ("delete", "/api/v1/programs/{program_id}/habits/{habit_id}"),
    ("get", "/api/v1/cohorts"),
    ("post", "/api/v1/cohorts"),
    ("get", "/api/v1/cohorts/{cohort_id}"),
    ("patch", "/api/v1/cohorts/{cohort_id}"),
    ("get", "/api/v1/enrollments"),
    ("post", "/api/v1/enrollments"),
    ("get", "/api/v1/enrollments/{enrollment_id}"),
    ("post", "/api/v1/enrollments/{enrollment_id}/unenroll"),
    ("get", "/api/v1/enrollments/{enrollment_id}/progress"),
    ("put", "/api/v1/enrollments/{enrollment_id}/milestones/{milestone_id}"),
    ("delete", "/api/v1/enrollments/{enrollment_id}/milestones/{milestone_id}"),
    ("put", "/api/v1/enrollments/{enrollment_id}/habits/{habit_id}/check-ins/{due_date}"),
    ("delete", "/api/v1/enrollments/{enrollment_id}/habits/{habit_id}/check-ins/{due_date}"),
    ("get", "/api/v1/membership-plans"),
    ("get", "/api/v1/membership-plans/{plan_id}"),
    ("get", "/api/v1/subscriptions"),
    ("post", "/api/v1/subscriptions"),
    ("post", "/api/v1/subscriptions/{subscription_id}/end"),
    ("get", "/api/v1/packages"),
    ("post", "/api/v1/packages"),
    ("get", "/api/v1/packages/{package_id}"),
    ("patch", "/api/v1/packages/{package_id}"),
    ("post", "/api/v1/packages/{package_id}/give"),
    ("get", "/api/v1/clients/{client_id}/packages"),
    ("get", "/api/v1/orders"),
    ("get", "/api/v1/orders/{order_id}"),
    ("post", "/api/v1/orders/{order_id}/mark-paid"),
    ("get", "/api/v1/rank-categories"),
    ("post", "/api/v1/rank-categories"),
    ("get", "/api/v1/rank-categories/{category_id}"),
    ("patch", "/api/v1/rank-categories/{category_id}"),
    ("post", "/api/v1/rank-categories/{category_id}/ranks"),
    ("patch", "/api/v1/rank-categories/{category_id}/ranks/{rank_id}"),
    ("delete", "/api/v1/rank-categories/{category_id}/ranks/{rank_id}"),
    ("put", "/api/v1/rank-categories/{category_id}/ranks/order"),
    ("get", "/api/v1/rank-categories/{category_id}/eligible"),
    ("post", "/api/v1/rank-categories/{category_id}/mass-promote"),
    ("get", "/api/v1/visits"),
    ("post", "/api/v1/visits"),
    ("post", "/api/v1/visits/roster"),
    ("patch", "/api/v1/visits/{visit_id}"),
    ("get", "/api/v1/my-ranks"),
    ("get", "/api/v1/clients/{client_id}/ranks"),
    ("post", "/api/v1/clients/{client_id}/ranks/assign"),
    ("post", "/api/v1/clients/{client_id}/ranks/promote"),
    ("post", "/api/v1/clients/{client_id}/ranks/demote"),
    ("patch", "/api/v1/rank-holdings/{holding_id}"),
    ("get", "/api/v1/conversations"),
    ("post", "/api/v1/conversations"),
    ("get", "/api/v1/conversations/{conversation_id}"),
    ("post", "/api/v1/conversations/{conversation_id}/read"),
    ("get", "/api/v1/conversations/{conversation_id}/messages"),
    ("post", "/api/v1/conversations/{conversation_id}/messages"),
    ("get", "/api/v1/attachments/{attachment_id}"),
    ("get", "/api/v1/conversations/{conversation_id}/staff-notes"),
    ("post", "/api/v1/conversations/{conversation_id}/staff-notes"),
    ("get", "/api/v1/audits/queue"),
    ("post", "/api/v1/messages/{message_id}/audit"),
    ("get", "/api/v1/audits"),
    ("post", "/api/v1/audits/{audit_id}/acknowledge"),
    ("get", "/api/v1/quality/coaches"),
    ("get", "/api/v1/client-types"),
    ("get", "/api/v1/contacts"),
    ("post", "/api/v1/contacts"),
    ("get", "/api/v1/contacts/{contact_id}"),
    ("patch", "/api/v1/contacts/{contact_id}"),
    ("get", "/api/v1/invitations"),
    ("post", "/api/v1/invitations"),
    ("post", "/api/v1/invitations/{invitation_id}/resend"),
    ("post", "/api/v1/invitations/{invitation_id}/revoke"),
    ("get", "/api/v1/clients/{client_id}/tasks"),
    ("post", "/api/v1/clients/{client_id}/tasks"),
    ("post", "/api/v1/tasks/{task_id}/done"),
    ("get", "/api/v1/clients/{client_id}/notes"),
    ("post", "/api/v1/clients/{client_id}/notes"),
    ("get", "/api/v1/sessions"),
    ("post", "/api/v1/sessions"),
    ("get", "/api/v1/sessions/{session_id}"),
    ("post", "/api/v1/sessions/{session_id}/accept"),
    ("post", "/api/v1/sessions/{session_id}/propose"),
    ("post", "/api/v1/sessions/{session_id}/decline"),
    ("post", "/api/v1/sessions/{session_id}/accept-proposal"),
    ("post", "/api/v1/sessions/{session_id}/cancel"),
    # The course portal and support requests.
    ("get", "/api/v1/course-reports/lesson-ratings"),
    ("delete", "/api/v1/access/{access_id}"),
    ("delete", "/api/v1/announcements/{announcement_id}"),
    ("delete", "/api/v1/course-modules/{module_id}"),
    ("delete", "/api/v1/course-products/{product_id}"),
    ("delete", "/api/v1/courses/{course_id}"),
    ("delete", "/api/v1/lesson-files/{file_id}"),
    ("delete", "/api/v1/lessons/{lesson_id}"),
    ("delete", "/api/v1/me/lessons/{lesson_id}/complete"),
    ("get", "/api/v1/announcements"),
    ("get", "/api/v1/announcements/{announcement_id}"),
    ("get", "/api/v1/comments"),
    ("get", "/api/v1/course-modules"),
    ("get", "/api/v1/course-modules/{module_id}"),
    ("get", "/api/v1/course-products"),
    ("get", "/api/v1/course-products/{product_id}"),
    ("get", "/api/v1/courses"),
    ("get", "/api/v1/courses/{course_id}"),
    ("get", "/api/v1/learners"),
    ("get", "/api/v1/learners/{learner_id}"),
    ("get", "/api/v1/lesson-files/{file_id}"),
    ("get", "/api/v1/lessons"),
    ("get", "/api/v1/lessons/{lesson_id}"),
    ("get", "/api/v1/me/announcements"),
    ("get", "/api/v1/me/courses"),
    ("get", "/api/v1/me/courses/{product_id}"),
    ("get", "/api/v1/me/lessons/{lesson_id}"),
    ("get", "/api/v1/me/lessons/{lesson_id}/comments"),
    ("get", "/api/v1/me/support"),
    ("get", "/api/v1/me/support/{request_id}"),
    ("get", "/api/v1/support"),
    ("get", "/api/v1/support/{request_id}"),
    ("patch", "/api/v1/access/{access_id}"),
    ("patch", "/api/v1/announcements/{announcement_id}"),
    ("patch", "/api/v1/course-modules/{module_id}"),
    ("patch", "/api/v1/course-products/{product_id}"),
    ("patch", "/api/v1/courses/{course_id}"),
    ("patch", "/api/v1/lessons/{lesson_id}"),
    ("post", "/api/v1/access"),
    ("post", "/api/v1/announcements"),
    ("post", "/api/v1/comments/moderate"),
    ("post", "/api/v1/comments/{comment_id}/replies"),
    ("post", "/api/v1/course-modules"),
    ("post", "/api/v1/course-modules/{module_id}/move"),
    ("post", "/api/v1/course-products"),
    ("post", "/api/v1/courses"),
    ("post", "/api/v1/courses/{course_id}/move"),
    ("post", "/api/v1/learners/{learner_id}/correct-email"),
    ("post", "/api/v1/learners/{learner_id}/password-reset"),
    ("post", "/api/v1/learners/{learner_id}/send-access"),
    ("post", "/api/v1/lessons"),
    ("post", "/api/v1/lessons/{lesson_id}/files"),
    ("post", "/api/v1/lessons/{lesson_id}/move"),
    ("post", "/api/v1/me/announcements/{announcement_id}/dismiss"),
    ("post", "/api/v1/me/lessons/{lesson_id}/comments"),
    ("post", "/api/v1/me/lessons/{lesson_id}/complete"),
    ("post", "/api/v1/me/support"),
    ("post", "/api/v1/me/support/{request_id}/messages"),
    ("post", "/api/v1/support/{request_id}/answers"),
    ("post", "/api/v1/support/{request_id}/close"),
    ("put", "/api/v1/me/lessons/{lesson_id}/rating"),
    ("put", "/api/v1/me/support/{request_id}/rating"),
}
ROUTERS = [
    router,
    programs_router,
    billing_router,
    ranks_router,
    messaging_router,
    quality_router,
    crm_router,
    scheduling_router,
    course_content_router,
    learn_router,
    course_access_router,
    course_comments_router,
    support_router,
    course_reports_router,
]
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture
def document(cast) -> dict:
    response = Client(HTTP_HOST=host_of(cast.alpha.workspace)).get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def operations(document: dict) -> set[tuple[str, str]]:
    return {
        (method, path)
        for path, item in document["paths"].items()
        for method in item
        if method in HTTP_METHODS
    }


def resolve(document: dict, ref: str) -> object:
    assert ref.startswith("#/"), ref
    node: object = document
    for part in ref[2:].split("/"):
        assert isinstance(node, dict) and part in node, ref
        node = node[part]
    return node


def refs(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for value in node.values() for r in refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in refs(value)]
    return []


def test_the_document_is_openapi_3_with_a_title_and_version(document):
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Ascend API"
    assert document["info"]["version"] == "1"


def test_the_served_document_is_the_one_the_api_object_builds(document):
    # The schemathesis test builds its document from the API object directly.
    assert document == json.loads(json.dumps(api.get_openapi_schema()))


def test_the_document_lists_every_endpoint(document):
    assert operations(document) == ENDPOINTS


def test_the_document_lists_every_route_of_the_routers(document):
    # Guards the hand-written list above: a new route must be added there too.
    from_router = {
        (method.lower(), "/api/v1" + path)
        for router in ROUTERS
        for path, view in router.path_operations.items()
        for op in view.operations
        for method in op.methods
    }
    assert from_router == ENDPOINTS == operations(document)


def test_every_reference_in_the_document_resolves(document):
    found = refs(document)
    assert found
    for ref in found:
        resolve(document, ref)


def test_every_operation_is_unique_and_documents_the_error_format(document):
    ids = []
    for method, path in operations(document):
        operation = document["paths"][path][method]
        ids.append(operation["operationId"])
        for status in ("401", "403", "404", "422"):
            content = operation["responses"][status]["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/ErrorOut"}, (path, status)
    assert len(ids) == len(set(ids))
    error = document["components"]["schemas"]["ErrorDetail"]
    assert set(error["required"]) == {"code", "message", "fields"}


def test_the_document_names_both_ways_to_authenticate(document):
    schemes = document["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"} in schemes.values()
    assert any(s["type"] == "apiKey" and s["in"] == "cookie" for s in schemes.values())
    for method, path in operations(document):
        assert len(document["paths"][path][method]["security"]) == 2


def test_the_docs_page_renders(cast):
    response = Client(HTTP_HOST=host_of(cast.alpha.workspace)).get("/api/v1/docs")
    assert response.status_code == 200
    assert b"Ascend API" in response.content
    assert b"/api/v1/openapi.json" in response.content


def test_every_schema_has_a_name_of_its_own():
    # The document names schemas by class: a second class of the same name silently takes
    # the first one's place, and an endpoint is then documented with the wrong shape.
    from ninja import Schema

    def subclasses(cls: type) -> list[type]:
        return [c for s in cls.__subclasses__() for c in [s, *subclasses(s)]]

    ours = [c for c in subclasses(Schema) if c.__module__.startswith("ascend.")]
    names = [c.__name__ for c in ours]
    assert sorted({n for n in names if names.count(n) > 1}) == []
