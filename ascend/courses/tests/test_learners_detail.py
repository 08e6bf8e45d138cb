"""A learner's page: products, progress, changing and removing access, resending, resetting,
and correcting a bounced address.

Rules: the same roles as the list (another workspace's learner is a 404, a role
without the capability 403); removing stamps the access and keeps progress; an
expiry in the past is refused at the field; a bounce offers "Correct the address",
which keeps the old address in the history and sends the access to the new one.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ascend.accounts.models import User
from ascend.activity.models import Event
from ascend.activity.verbs import Verb
from ascend.courses.actions_access import do_correct_learner_email, do_give_access
from ascend.courses.models import AccessSource, EmailCorrection, LearnerAccess
from ascend.courses.tests.course_world import complete, course_tree, give, product
from ascend.crm.models import Contact
from ascend.notifications.models import DeliveryState, OutboundEmail

from .test_learners_list import bounce

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):  # type: ignore[no-untyped-def]
    ws = cast.alpha.workspace
    prod, lessons = course_tree(ws, modules=1, lessons=4, name="Strength Academy")
    access = do_give_access(ws, actor=None, email="rafael@example.con", full_name="Rafael Typo",
                            product=prod, source=AccessSource.MANUAL)  # fmt: skip
    learner = access.learner
    complete(learner, lessons[0])
    LearnerAccess.objects.filter(pk=access.pk).update(
        first_accessed_at=timezone.now() - timedelta(days=2), last_accessed_at=timezone.now()
    )
    return {"prod": prod, "access": access, "learner": learner, "lessons": lessons}


def page(cast, world, person=None):  # type: ignore[no-untyped-def]
    return cast.client_for(person or cast.alpha.owner).get(f"/team/learners/{world['learner'].pk}/")


def post(cast, path, data=None, person=None):  # type: ignore[no-untyped-def]
    return cast.client_for(person or cast.alpha.supervisor).post(
        f"/team/learners/{path}", data or {}
    )


def test_the_page_shows_products_progress_and_visits(cast, world):
    response = page(cast, world)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Strength Academy" in content
    assert "1 viewed, 1 of 4 completed" in content
    assert 'data-testid="progress-percent">25 %' in content
    assert "Not chosen yet" in content


@pytest.mark.parametrize("role", ["attendant", "coach", "client"])
def test_roles_without_the_capability_are_refused(cast, world, role):
    assert page(cast, world, getattr(cast.alpha, role)).status_code == 403


def test_another_workspaces_owner_gets_404_for_this_learner(cast, world):
    give(cast.beta.client.membership, product(cast.beta.workspace))

    response = cast.client_for(cast.beta.owner).get(f"/team/learners/{world['learner'].pk}/")

    assert response.status_code == 404


def test_a_member_who_is_not_a_learner_is_404(cast, world):
    response = cast.client_for(cast.alpha.owner).get(
        f"/team/learners/{cast.alpha.client.membership.pk}/"
    )

    assert response.status_code == 404


def test_changing_the_expiry(cast, world):
    day = timezone.localdate() + timedelta(days=20)

    response = post(cast, f"access/{world['access'].pk}/expiry/",
                    {f"a{world['access'].pk}-expires_on": day.isoformat()})  # fmt: skip

    world["access"].refresh_from_db()
    assert response.status_code == 302
    assert world["access"].expires_at.date() in (day, day + timedelta(days=1))
    assert Event.objects.filter(verb=Verb.COURSE_ACCESS_CHANGED).count() == 1


def test_an_expiry_in_the_past_is_refused_at_the_field_and_changes_nothing(cast, world):
    before = world["access"].expires_at
    day = timezone.localdate() - timedelta(days=3)

    response = post(cast, f"access/{world['access'].pk}/expiry/",
                    {f"a{world['access'].pk}-expires_on": day.isoformat()})  # fmt: skip

    world["access"].refresh_from_db()
    assert response.status_code == 422
    assert b"choose a date in the future" in response.content
    assert world["access"].expires_at == before


def test_removing_access_keeps_the_row_and_the_progress(cast, world):
    response = post(cast, f"access/{world['access'].pk}/remove/")

    world["access"].refresh_from_db()
    assert response.status_code == 302
    assert world["access"].removed_at is not None
    assert world["learner"].lesson_progress.count() == 1
    again = post(cast, f"access/{world['access'].pk}/remove/")
    assert again.status_code == 302  # a clear message, not an error
    assert page(cast, world).status_code == 200


def test_another_workspace_cannot_touch_this_access(cast, world):
    response = post(cast, f"access/{world['access'].pk}/remove/", person=cast.beta.owner)

    world["access"].refresh_from_db()
    assert response.status_code == 404 and world["access"].removed_at is None


def test_adding_another_product(cast, world):
    other = product(cast.alpha.workspace, "Mobility")

    response = post(cast, f"{world['learner'].pk}/products/", {"product": other.pk})

    assert response.status_code == 302
    assert LearnerAccess.objects.filter(learner=world["learner"], product=other).exists()


def test_resending_the_access_link(cast, world):
    response = post(cast, f"{world['learner'].pk}/send-access/")

    assert response.status_code == 302
    assert (
        OutboundEmail.objects.filter(template="course_access", to="rafael@example.con").count() == 2
    )
    assert Event.objects.filter(verb=Verb.COURSE_ACCESS_SENT).count() == 1


def test_resending_without_any_open_access_is_refused(cast, world):
    LearnerAccess.objects.filter(pk=world["access"].pk).update(removed_at=timezone.now())

    post(cast, f"{world['learner'].pk}/send-access/")

    assert OutboundEmail.objects.filter(template="course_access").count() == 1


def test_sending_a_password_reset(cast, world):
    response = post(cast, f"{world['learner'].pk}/password-reset/")

    email = OutboundEmail.objects.get(template="password_reset")
    assert response.status_code == 302
    assert email.to == "rafael@example.con" and "/accounts/password/reset/" in email.body


def test_bounce_then_filter_then_correction_then_access_at_the_new_address(cast, world):
    bounce("rafael@example.con", cast.alpha.workspace)
    owner = cast.client_for(cast.alpha.owner)
    assert [r.pk for r in owner.get("/team/learners/", {"failed": "on"}).context["page_obj"]] == [
        world["learner"].pk
    ]
    assert b'data-testid="correct-email"' in page(cast, world).content

    response = post(cast, f"{world['learner'].pk}/email/", {"email": "rafael@example.com"})

    assert response.status_code == 302
    user = User.objects.get(pk=world["learner"].user_id)
    assert user.email == "rafael@example.com"
    assert Contact.objects.get(member=world["learner"]).email == "rafael@example.com"
    correction = EmailCorrection.objects.get()
    assert (correction.old_email, correction.new_email) == (
        "rafael@example.con",
        "rafael@example.com",
    )
    assert correction.corrected_by == cast.alpha.supervisor.user
    new_email = OutboundEmail.objects.get(template="course_access", to="rafael@example.com")
    assert new_email.state == DeliveryState.QUEUED
    assert list(owner.get("/team/learners/", {"failed": "on"}).context["page_obj"]) == []
    history = page(cast, world).content.decode()
    assert "rafael@example.con → rafael@example.com" in history
    assert "Bounced" in history


def test_correcting_to_an_address_another_account_uses_is_refused(cast, world):
    bounce("rafael@example.con", cast.alpha.workspace)

    response = post(cast, f"{world['learner'].pk}/email/", {"email": cast.beta.owner.email})

    assert response.status_code == 422 and b"Another account already uses" in response.content
    assert User.objects.get(pk=world["learner"].user_id).email == "rafael@example.con"
    assert not EmailCorrection.objects.exists()


def test_the_correction_action_refuses_with_stable_codes(cast, world):
    learner = world["learner"]
    for email, code in [
        ("rafael@example.con", "email_unchanged"),
        (cast.alpha.coach.email, "email_taken"),
        ("nope", "email_invalid"),
    ]:
        with pytest.raises(Exception) as refused:
            do_correct_learner_email(learner, email, actor=None)
        assert refused.value.error_dict["email"][0].code == code  # type: ignore[attr-defined]


def test_a_person_who_also_belongs_elsewhere_corrects_their_own_address(cast, world):
    give(cast.alpha.client.membership, world["prod"])
    from ascend.tenancy.roles import Role
    from ascend.testing import make_person

    make_person(cast.beta.workspace, {Role.CLIENT}, cast.alpha.client.email)

    with pytest.raises(Exception) as refused:
        do_correct_learner_email(cast.alpha.client.membership, "fixed@example.com", actor=None)

    assert refused.value.error_dict["email"][0].code == "not_only_here"  # type: ignore[attr-defined]


def test_the_page_costs_the_same_queries_however_long_its_history(cast, world):
    from ascend.notifications.outbox import send_email
    from ascend.testing import assert_flat_queries

    client = cast.client_for(cast.alpha.owner)
    path = f"/team/learners/{world['learner'].pk}/"
    client.get(path)
    counter = iter(range(100))

    def grow() -> None:
        for _ in range(5):
            n = next(counter)
            other = product(cast.alpha.workspace, f"Extra {n}")
            give(world["learner"], other)
            send_email(workspace=cast.alpha.workspace, to="rafael@example.con",
                       template="password_changed", context={})  # fmt: skip
            EmailCorrection.objects.create(workspace=cast.alpha.workspace, learner=world["learner"],
                                           old_email=f"old{n}@example.com",
                                           new_email="rafael@example.con")  # fmt: skip

    assert_flat_queries(lambda: client.get(path), grow)


def test_a_former_client_who_became_a_coach_is_no_longer_a_learner(cast, world):
    from ascend.tenancy.roles import Role

    learner = world["learner"]
    learner.set_roles({Role.COACH})
    learner.save()

    assert page(cast, world).status_code == 404
