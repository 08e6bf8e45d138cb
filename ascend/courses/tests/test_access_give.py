"""do_give_access: who becomes a learner, one access per learner and product, the access email.

Rules: the account is made without a usable password, with a client membership and
a CRM contact; one access per learner and product (giving it again to an open one
changes nothing and sends nothing; to a removed or ended one reopens it); the expiry
defaults to the product's length; one in the past, or a coach's email, is refused
with nothing written.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ascend.accounts.models import User
from ascend.activity.models import Event
from ascend.activity.verbs import Verb
from ascend.courses.actions_access import do_give_access, expiry_day, expiry_from_date
from ascend.courses.models import AccessSource, LearnerAccess
from ascend.courses.tests.course_world import complete, course_tree, give, product
from ascend.crm.models import Contact
from ascend.notifications.models import OutboundEmail
from ascend.tenancy.models import Membership

pytestmark = pytest.mark.django_db


def access_emails(to: str | None = None):  # type: ignore[no-untyped-def]
    emails = OutboundEmail.objects.filter(template="course_access")
    return emails.filter(to=to) if to else emails


def give_to(ws, prod, email="new.learner@example.com", **kwargs):  # type: ignore[no-untyped-def]
    return do_give_access(
        ws,
        actor=kwargs.pop("actor", None),
        email=email,
        full_name=kwargs.pop("full_name", "New Learner"),
        product=prod,
        source=kwargs.pop("source", AccessSource.MANUAL),
        **kwargs,
    )


def test_a_new_person_gets_an_account_without_password_a_client_membership_and_a_contact(cast):
    ws = cast.alpha.workspace
    prod = product(ws, access_days=30)

    access = give_to(ws, prod, email=" New.Learner@Example.com ", actor=cast.alpha.admin.user)

    user = User.objects.get(email="new.learner@example.com")
    assert not user.has_usable_password()
    assert user.full_name == "New Learner"
    membership = Membership.objects.get(workspace=ws, user=user)
    assert membership.is_client and not membership.is_coach
    assert access.learner == membership and access.source == AccessSource.MANUAL
    assert access.granted_by == cast.alpha.admin.user
    assert Contact.objects.get(workspace=ws, member=membership).email == user.email
    assert Event.objects.filter(verb=Verb.COURSE_ACCESS_GIVEN, target_id=str(access.pk)).exists()


def test_the_expiry_defaults_to_the_products_length_and_may_be_left_open(cast):
    ws = cast.alpha.workspace
    before = timezone.now()
    limited = give_to(ws, product(ws, "Thirty days", access_days=30))
    forever = give_to(ws, product(ws, "Forever"))

    assert limited.expires_at is not None
    assert before + timedelta(days=30) <= limited.expires_at <= timezone.now() + timedelta(days=30)
    assert forever.expires_at is None


def test_the_access_email_names_the_product_and_carries_the_portal_link(cast):
    ws = cast.alpha.workspace
    prod = product(ws, "Strength Academy")

    give_to(ws, prod)

    email = access_emails().get()
    assert email.to == "new.learner@example.com"
    assert "Strength Academy" in email.subject
    assert "http://alpha.localhost/access/" in email.body
    assert "choose your password" in email.body


def test_giving_access_twice_is_one_access_and_one_email(cast):
    ws = cast.alpha.workspace
    prod = product(ws)

    first = give_to(ws, prod)
    second = give_to(ws, prod)

    assert first.pk == second.pk
    assert LearnerAccess.objects.count() == 1
    assert access_emails().count() == 1
    assert Event.objects.filter(verb=Verb.COURSE_ACCESS_GIVEN).count() == 1


def test_giving_a_removed_access_again_reopens_it_and_keeps_the_start_and_progress(cast):
    ws = cast.alpha.workspace
    prod, lessons = course_tree(ws)
    learner = cast.alpha.client.membership
    started = timezone.now() - timedelta(days=40)
    old = give(learner, prod, starts=started)
    complete(learner, lessons[0])
    LearnerAccess.objects.filter(pk=old.pk).update(removed_at=timezone.now())

    again = give_to(ws, prod, email=cast.alpha.client.email)

    assert again.pk == old.pk
    assert again.removed_at is None and again.starts_at == started
    assert learner.lesson_progress.count() == 1
    assert access_emails(cast.alpha.client.email).count() == 1


def test_giving_an_ended_access_again_opens_it_with_a_new_expiry(cast):
    ws = cast.alpha.workspace
    prod = product(ws, access_days=10)
    old = give(cast.alpha.client.membership, prod, expires=timezone.now() - timedelta(days=1))

    again = give_to(ws, prod, email=cast.alpha.client.email)

    assert again.pk == old.pk and again.is_open()
    assert again.expires_at > timezone.now() + timedelta(days=9)


def test_an_existing_client_is_told_to_sign_in_rather_than_to_choose_a_password(cast):
    ws = cast.alpha.workspace

    give_to(ws, product(ws), email=cast.alpha.client.email)

    body = access_emails(cast.alpha.client.email).get().body
    assert "sign in with your email and password" in body
    assert Membership.objects.filter(workspace=ws, user=cast.alpha.client.user).count() == 1


def test_an_expiry_in_the_past_is_refused_and_nothing_is_written(cast):
    ws = cast.alpha.workspace
    prod = product(ws)

    with pytest.raises(ValidationError) as refused:
        give_to(ws, prod, expires_at=timezone.now() - timedelta(minutes=1))

    assert refused.value.error_dict["expires_at"][0].code == "expires_in_past"
    assert not User.objects.filter(email="new.learner@example.com").exists()
    assert not LearnerAccess.objects.exists() and not access_emails().exists()


def test_a_coach_of_the_workspace_is_refused_with_the_reason_and_nothing_is_written(cast):
    ws = cast.alpha.workspace

    with pytest.raises(ValidationError) as refused:
        give_to(ws, product(ws), email=cast.alpha.coach.email)

    error = refused.value.error_dict["email"][0]
    assert error.code == "is_coach"
    assert "coach" in error.message
    assert not LearnerAccess.objects.exists() and not access_emails().exists()


def test_a_coach_of_another_workspace_may_learn_here(cast):
    access = give_to(
        cast.alpha.workspace, product(cast.alpha.workspace), email=cast.beta.coach.email
    )

    assert access.learner.user == cast.beta.coach.user and access.learner.is_client


def test_a_bad_email_is_refused(cast):
    with pytest.raises(ValidationError) as refused:
        give_to(cast.alpha.workspace, product(cast.alpha.workspace), email="not-an-email")

    assert refused.value.error_dict["email"][0].code == "email_invalid"


def test_a_product_of_another_workspace_is_refused(cast):
    with pytest.raises(ValidationError):
        give_to(cast.alpha.workspace, product(cast.beta.workspace))
    assert not LearnerAccess.objects.exists()


def test_sending_can_be_switched_off(cast):
    give_to(cast.alpha.workspace, product(cast.alpha.workspace), send=False)

    assert LearnerAccess.objects.count() == 1 and not access_emails().exists()


def test_access_until_a_day_lasts_through_that_day_in_the_workspaces_time_zone():
    from datetime import date

    ends = expiry_from_date(date(2027, 3, 1), "America/Sao_Paulo")

    assert ends.isoformat() == "2027-03-02T00:00:00-03:00"
    assert expiry_day(ends, "America/Sao_Paulo") == date(2027, 3, 1)
    assert expiry_day(None, "UTC") is None


@pytest.mark.parametrize(
    "language, words", [("es", "Tu acceso a"), ("pt-br", "Seu acesso a"), ("en", "Your access to")]
)
def test_the_access_email_is_in_the_learners_language(cast, language, words):
    user = cast.alpha.client.user
    user.language = language
    user.save()

    give_to(cast.alpha.workspace, product(cast.alpha.workspace), email=user.email)

    assert access_emails(user.email).get().subject.startswith(words)
