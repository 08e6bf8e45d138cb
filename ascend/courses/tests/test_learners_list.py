"""/team/learners/: every learner, search, sort, product and failed-email filters, giving access.

Rules: owners, admins and supervisors only (attendants, coaches and clients 403;
another workspace's people 404); a learner is a member with any access; "failed email"
lists learners whose latest email bounced and flags them; the query count stays flat
as learners grow; 50 a page.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from django.test import override_settings
from django.utils import timezone

from ascend.accounts.models import User
from ascend.courses.models import LearnerAccess
from ascend.courses.tests.course_world import course_tree, give, product
from ascend.notifications.delivery import deliver
from ascend.notifications.models import OutboundEmail
from ascend.notifications.outbox import send_email
from ascend.tenancy.roles import Role
from ascend.testing import assert_flat_queries, assert_num_queries, make_person

pytestmark = pytest.mark.django_db
URL = "/team/learners/"


def learner(ws, email, name="", **kwargs):  # type: ignore[no-untyped-def]
    return make_person(ws, {Role.CLIENT}, email, name or email.split("@")[0].title()).membership


def bounce(person_email: str, workspace) -> None:  # type: ignore[no-untyped-def]
    """An email to the address, sent through anymail's test backend, then bounced."""
    email = send_email(workspace=workspace, to=person_email, template="password_changed",
                       context={"recipient_name": "x"})  # fmt: skip
    with override_settings(EMAIL_BACKEND="anymail.backends.test.EmailBackend"):
        deliver(email.id)
    email.refresh_from_db()
    event = AnymailTrackingEvent(event_type="bounced", message_id=email.provider_message_id)
    tracking.send(sender=object, event=event, esp_name="TestESP")


@pytest.fixture
def world(cast):  # type: ignore[no-untyped-def]
    ws = cast.alpha.workspace
    prod, lessons = course_tree(ws, name="Strength Academy")
    other = product(ws, "Mobility")
    ana = learner(ws, "ana@example.com", "Ana Alves")
    bo = learner(ws, "bo@example.com", "Bo Berg")
    give(ana, prod, starts=timezone.now() - timedelta(days=5))
    give(bo, other, starts=timezone.now() - timedelta(days=2))
    return {"prod": prod, "other": other, "ana": ana, "bo": bo}


def names(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [row.user.full_name for row in response.context["page_obj"]]


@pytest.mark.parametrize("role", ["owner", "admin", "supervisor"])
def test_the_course_team_sees_every_learner(cast, world, role):
    response = cast.client_for(getattr(cast.alpha, role)).get(URL)

    assert response.status_code == 200
    assert names(response) == ["Bo Berg", "Ana Alves"]


@pytest.mark.parametrize("role", ["attendant", "coach", "client", "auditor", "operator"])
def test_other_roles_are_refused(cast, world, role):
    assert cast.client_for(getattr(cast.alpha, role)).get(URL).status_code == 403


def test_a_member_of_another_workspace_is_refused(cast, world):
    response = cast.client_for(cast.beta.owner, workspace=cast.alpha.workspace).get(URL)

    assert response.status_code == 404


def test_another_workspaces_learners_are_not_listed(cast, world):
    give(cast.beta.client.membership, product(cast.beta.workspace))

    response = cast.client_for(cast.beta.owner).get(URL)

    assert names(response) == ["Beta Client"]


def test_members_without_access_are_not_learners(cast, world):
    response = cast.client_for(cast.alpha.owner).get(URL)

    assert "Alpha Client" not in names(response)


def test_search_by_name_or_email(cast, world):
    client = cast.client_for(cast.alpha.owner)

    assert names(client.get(URL, {"q": "alves"})) == ["Ana Alves"]
    assert names(client.get(URL, {"q": "BO@EXAMPLE"})) == ["Bo Berg"]


def test_sort_oldest_first(cast, world):
    response = cast.client_for(cast.alpha.owner).get(URL, {"sort": "oldest"})

    assert names(response) == ["Ana Alves", "Bo Berg"]


def test_filter_by_product(cast, world):
    response = cast.client_for(cast.alpha.owner).get(URL, {"product": world["other"].pk})

    assert names(response) == ["Bo Berg"]


def test_a_bounced_address_is_flagged_and_filtered_through_the_providers_webhook(cast, world):
    bounce("ana@example.com", cast.alpha.workspace)
    client = cast.client_for(cast.alpha.owner)

    everyone = client.get(URL)
    failed = client.get(URL, {"failed": "on"})

    assert names(failed) == ["Ana Alves"]
    assert everyone.content.decode().count('data-testid="failed-email"') == 1


def test_a_later_email_that_went_out_clears_the_flag(cast, world):
    bounce("ana@example.com", cast.alpha.workspace)
    send_email(workspace=cast.alpha.workspace, to="ana@example.com", template="password_changed",
               context={})  # fmt: skip

    response = cast.client_for(cast.alpha.owner).get(URL, {"failed": "on"})

    assert names(response) == []


def test_giving_access_by_hand_from_the_list(cast, world):
    response = cast.client_for(cast.alpha.supervisor).post(
        f"{URL}give/",
        {"full_name": "Cleo Cruz", "email": "cleo@example.com", "product": world["prod"].pk,
         "send": "on"},
    )  # fmt: skip

    access = LearnerAccess.objects.get(learner__user__email="cleo@example.com")
    assert response.status_code == 302 and response.url == f"{URL}{access.learner_id}/"
    assert OutboundEmail.objects.filter(template="course_access", to="cleo@example.com").exists()


def test_giving_access_with_a_past_date_or_to_a_coach_is_refused_at_the_field(cast, world):
    client = cast.client_for(cast.alpha.owner)
    yesterday = (timezone.localdate() - timedelta(days=2)).isoformat()

    past = client.post(f"{URL}give/", {"email": "cleo@example.com", "product": world["prod"].pk,
                                       "expires_on": yesterday})  # fmt: skip
    coach = client.post(f"{URL}give/", {"email": cast.alpha.coach.email,
                                        "product": world["prod"].pk})  # fmt: skip

    assert past.status_code == 422 and b"id_expires_on_errors" in past.content
    assert coach.status_code == 422 and b"id_email_errors" in coach.content
    assert b"coach" in coach.content
    assert not User.objects.filter(email="cleo@example.com").exists()


def test_a_product_of_another_workspace_cannot_be_given(cast, world):
    response = cast.client_for(cast.alpha.owner).post(
        f"{URL}give/", {"email": "cleo@example.com", "product": product(cast.beta.workspace).pk}
    )

    assert response.status_code == 422
    assert not LearnerAccess.objects.filter(learner__user__email="cleo@example.com").exists()


def test_the_list_pages_fifty_at_a_time(cast, world):
    for n in range(55):
        give(learner(cast.alpha.workspace, f"l{n}@example.com"), world["prod"])

    client = cast.client_for(cast.alpha.owner)
    first, second = client.get(URL), client.get(URL, {"page": 2})

    assert len(names(first)) == 50 and len(names(second)) == 7


def test_the_list_costs_the_same_queries_however_many_learners(cast, world):
    client = cast.client_for(cast.alpha.owner)
    client.get(URL)  # warm the session and portal settings
    counter = iter(range(1000))

    def grow() -> None:
        for _ in range(10):
            n = next(counter)
            member = learner(cast.alpha.workspace, f"grow{n}@example.com")
            give(member, world["prod"])
            give(member, world["other"])
            bounce(f"grow{n}@example.com", cast.alpha.workspace)

    count = assert_flat_queries(lambda: client.get(URL, {"q": "", "failed": ""}), grow)
    with assert_num_queries(count):
        client.get(URL)
    # session, user, membership, workspace bits of the page frame; count, page, accesses,
    # progress (2), products for the filters and the give form.
    assert count == 13


def test_the_list_explains_what_to_do_when_there_are_no_learners(cast):
    response = cast.client_for(cast.alpha.owner).get(URL)

    assert b"No learners yet" in response.content
    assert b"Create a product first" in response.content
