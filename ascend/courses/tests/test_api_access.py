"""The learner access API: /learners, /access, and what staff do for a learner.

Rules: owners, admins and supervisors only (others 403, another workspace's objects
404); refusals are 422 with stable codes and nothing written; giving twice is one
access and one email; the list's query count stays flat.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ascend.api.tests.helpers import assert_error, bearer_client, send, token_for
from ascend.courses.models import EmailCorrection, LearnerAccess
from ascend.courses.tests.course_world import complete, course_tree, give, product
from ascend.notifications.models import OutboundEmail
from ascend.tenancy.roles import Role
from ascend.testing import assert_flat_queries, make_person

from .test_learners_list import bounce

pytestmark = pytest.mark.django_db


def api(cast, person=None):  # type: ignore[no-untyped-def]
    person = person or cast.alpha.supervisor
    return bearer_client(token_for(person), person.workspace)


@pytest.fixture
def world(cast):  # type: ignore[no-untyped-def]
    prod, lessons = course_tree(cast.alpha.workspace, modules=1, lessons=2)
    access = give(cast.alpha.client.membership, prod)
    complete(cast.alpha.client.membership, lessons[0])
    return {"prod": prod, "access": access, "learner": cast.alpha.client.membership}


def test_listing_learners_with_their_accesses_and_progress(cast, world):
    response = send(api(cast), "GET", "/api/v1/learners")

    assert response.status_code == 200
    [row] = response.json()
    assert row["id"] == world["learner"].pk and row["email_failed"] is False
    assert row["accesses"][0]["progress"] == {
        "total": 2,
        "viewed": 1,
        "completed": 1,
        "percent": 50,
    }


def test_the_failed_email_filter(cast, world):
    bounce(cast.alpha.client.email, cast.alpha.workspace)
    other = make_person(cast.alpha.workspace, {Role.CLIENT}, "ok@example.com").membership
    give(other, world["prod"])

    response = send(api(cast), "GET", "/api/v1/learners?failed_email=true")

    assert [r["id"] for r in response.json()] == [world["learner"].pk]
    assert response.json()[0]["email_failed"] is True


def test_search_and_product_filters(cast, world):
    client = api(cast)
    other = product(cast.alpha.workspace, "Mobility")

    assert len(send(client, "GET", "/api/v1/learners?q=CLIENT@ALPHA").json()) == 1
    assert send(client, "GET", "/api/v1/learners?q=nobody").json() == []
    assert send(client, "GET", f"/api/v1/learners?product={other.pk}").json() == []


def test_the_list_stays_flat_as_learners_grow(cast, world):
    client = api(cast)
    counter = iter(range(100))

    def grow() -> None:
        for _ in range(5):
            m = make_person(cast.alpha.workspace, {Role.CLIENT}, f"g{next(counter)}@example.com")
            give(m.membership, world["prod"])

    send(client, "GET", "/api/v1/learners")  # the token's first use is recorded once

    count = assert_flat_queries(lambda: send(client, "GET", "/api/v1/learners"), grow)

    # workspace, token, membership; learners, accesses, lesson totals, progress
    assert count == 7


def test_one_learner_with_accesses_and_corrections(cast, world):
    response = send(api(cast), "GET", f"/api/v1/learners/{world['learner'].pk}")

    body = response.json()
    assert response.status_code == 200
    assert body["has_password"] is True and body["email_corrections"] == []
    assert body["accesses"][0]["id"] == world["access"].pk


def test_giving_access_twice_is_one_access_and_one_email(cast, world):
    client = api(cast)
    payload = {"email": "new@example.com", "full_name": "New One", "product": world["prod"].pk}

    first = send(client, "POST", "/api/v1/access", payload)
    second = send(client, "POST", "/api/v1/access", payload)

    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert OutboundEmail.objects.filter(template="course_access").count() == 1


@pytest.mark.parametrize(
    "payload, code, field",
    [
        ({"email": "x@example.com", "expires_on": "2001-01-01"}, "expires_in_past", "expires_at"),
        ({"email": "coach@alpha.test"}, "is_coach", "email"),
        ({"email": "nope"}, "email_invalid", "email"),
        ({"email": "x@example.com", "product": 999999}, "not_found", "product"),
    ],
)
def test_giving_access_refusals_have_stable_codes_and_write_nothing(
    cast, world, payload, code, field
):
    body = {"product": world["prod"].pk, **payload}

    fields = assert_error(send(api(cast), "POST", "/api/v1/access", body), 422, code)

    assert field in fields
    assert LearnerAccess.objects.count() == 1
    assert not OutboundEmail.objects.filter(template="course_access").exists()


def test_changing_and_removing_an_access(cast, world):
    client = api(cast)
    day = (timezone.localdate() + timedelta(days=30)).isoformat()
    path = f"/api/v1/access/{world['access'].pk}"

    changed = send(client, "PATCH", path, {"expires_on": day})
    past = send(client, "PATCH", path, {"expires_on": "2000-01-01"})
    removed = send(client, "DELETE", path)
    again = send(client, "DELETE", path)

    assert changed.status_code == 200 and changed.json()["expires_at"]
    assert_error(past, 422, "expires_in_past")
    assert removed.status_code == 204
    assert_error(again, 422, "access_removed")
    world["access"].refresh_from_db()
    assert world["access"].removed_at is not None


def test_resending_and_password_reset(cast, world):
    client = api(cast)
    learner = world["learner"].pk

    sent = send(client, "POST", f"/api/v1/learners/{learner}/send-access")
    reset = send(client, "POST", f"/api/v1/learners/{learner}/password-reset")

    assert sent.json() == {"sent_to": cast.alpha.client.email}
    assert reset.status_code == 200
    assert OutboundEmail.objects.filter(template="course_access").count() == 1
    assert OutboundEmail.objects.filter(template="password_reset").count() == 1


def test_correcting_an_address(cast, world):
    bounce(cast.alpha.client.email, cast.alpha.workspace)
    client = api(cast)
    path = f"/api/v1/learners/{world['learner'].pk}/correct-email"

    taken = send(client, "POST", path, {"email": cast.beta.owner.email})
    fixed = send(client, "POST", path, {"email": "right@example.com"})

    assert_error(taken, 422, "email_taken")
    assert fixed.status_code == 200
    assert fixed.json()["email"] == "right@example.com" and fixed.json()["email_failed"] is False
    assert fixed.json()["email_corrections"][0]["old_email"] == cast.alpha.client.email
    assert EmailCorrection.objects.count() == 1
    assert OutboundEmail.objects.filter(template="course_access", to="right@example.com").exists()


@pytest.mark.parametrize("role", ["attendant", "coach", "client"])
def test_roles_without_the_capability_get_403(cast, world, role):
    client = api(cast, getattr(cast.alpha, role))

    assert_error(send(client, "GET", "/api/v1/learners"), 403, "forbidden")
    assert_error(send(client, "DELETE", f"/api/v1/access/{world['access'].pk}"), 403, "forbidden")


def test_another_workspaces_objects_are_404(cast, world):
    client = api(cast, cast.beta.owner)

    assert send(client, "GET", "/api/v1/learners").json() == []
    assert_error(send(client, "GET", f"/api/v1/learners/{world['learner'].pk}"), 404, "not_found")
    assert_error(send(client, "DELETE", f"/api/v1/access/{world['access'].pk}"), 404, "not_found")
    assert_error(
        send(
            client,
            "POST",
            "/api/v1/access",
            {"email": "a@example.com", "product": world["prod"].pk},
        ),
        422,
        "not_found",
    )
