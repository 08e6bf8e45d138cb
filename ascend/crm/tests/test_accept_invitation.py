"""Opening an invitation link: a new person sets a password, someone with an account signs
in first; spent, tampered and wrong-person links get a clear page; then the onboarding."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ascend.billing.models import HoldingSource, PackageHolding
from ascend.crm.models import ClientInvitation, ClientProfile, ContactStatus
from ascend.tenancy.models import Membership

from .crm_world import PASSWORD, accept_link, anonymous, invite, package

pytestmark = pytest.mark.django_db

FORM = {"full_name": "Nia Client", "password1": PASSWORD, "password2": PASSWORD}


def test_a_new_person_sets_a_password_gets_the_package_and_starts_onboarding(cast):
    ten = package(cast.alpha.workspace, "Ten sessions")
    invite(cast.alpha, package=ten)
    link = accept_link("nia@example.com")
    browser = anonymous(cast.alpha)
    page = browser.get(link).content.decode()
    assert "Choose a password" in page and "Ten sessions" in page
    response = browser.post(link, FORM)
    assert response.status_code == 302 and response.url == "/me/welcome/"
    member = Membership.objects.get(workspace=cast.alpha.workspace, user__email="nia@example.com")
    assert member.is_client and not member.is_coach
    holding = PackageHolding.objects.get(client=member)
    assert holding.package == ten and holding.source == HoldingSource.INVITATION
    contact = ClientInvitation.objects.get().contact
    assert contact.member == member and contact.status == ContactStatus.ACTIVE
    assert ClientProfile.objects.get(member=member).onboarded_at is None
    # Signed in, and the dashboard sends them to the onboarding until it is done.
    assert browser.get("/me/").url == "/me/welcome/"


def test_weak_or_mismatched_passwords_are_shown_at_the_field(cast):
    invite(cast.alpha)
    link = accept_link("nia@example.com")
    page = anonymous(cast.alpha).post(link, {**FORM, "password2": "other"}).content.decode()
    assert 'id="id_password2_errors"' in page
    page = (
        anonymous(cast.alpha)
        .post(link, {**FORM, "password1": "123", "password2": "123"})
        .content.decode()
    )
    assert 'id="id_password1_errors"' in page
    assert ClientInvitation.objects.get().accepted_at is None


@pytest.mark.parametrize(
    ("spoil", "status", "text"),
    [
        ("used", 410, "already accepted"),
        ("expired", 410, "has expired"),
        ("revoked", 410, "withdrawn"),
        ("tampered", 404, "link isn"),
    ],
)
def test_spoiled_links_get_a_clear_page(cast, spoil, status, text):
    invitation = invite(cast.alpha)
    link = accept_link("nia@example.com")
    invitations = ClientInvitation.objects.filter(pk=invitation.pk)
    if spoil == "used":
        anonymous(cast.alpha).post(link, FORM)
    elif spoil == "expired":
        invitations.update(expires_at=timezone.now())
    elif spoil == "revoked":
        invitations.update(revoked_at=timezone.now())
    else:
        link = link[:-3] + "zz/"
    response = anonymous(cast.alpha).get(link)
    assert response.status_code == status
    assert text in response.content.decode()
    assert 'data-testid="invitation-unusable"' in response.content.decode()


def test_the_link_does_not_work_on_another_workspaces_host(cast):
    invite(cast.alpha)
    assert anonymous(cast.beta).get(accept_link("nia@example.com")).status_code == 404


def test_someone_signed_in_as_another_person_is_asked_to_sign_out(cast):
    invite(cast.alpha)
    link = accept_link("nia@example.com")
    other = cast.client_for(cast.alpha.other_client)
    response = other.get(link)
    assert response.status_code == 403
    assert "signed in with another account" in response.content.decode()
    assert other.post(link, FORM).status_code == 403
    assert ClientInvitation.objects.get().accepted_at is None


def test_an_existing_account_signs_in_then_accepts(cast):
    invite(cast.alpha, cast.beta.client.email)
    link = accept_link(cast.beta.client.email)
    page = anonymous(cast.alpha).get(link).content.decode()
    assert "already has an Ascend account" in page and f"?next={link}" in page
    signed_in = cast.client_for(cast.beta.client, cast.alpha.workspace)
    assert "Accept the invitation" in signed_in.get(link).content.decode()
    response = signed_in.post(link)
    assert response.status_code == 302 and response.url == "/me/welcome/"
    assert Membership.objects.get(workspace=cast.alpha.workspace, user=cast.beta.client.user)


def test_a_coach_of_the_workspace_cannot_accept_a_client_invitation(cast):
    # The contact was invited before they became a coach here.
    invite(cast.alpha, "nia@example.com")
    link = accept_link("nia@example.com")
    from ascend.tenancy.roles import Role
    from ascend.testing import make_person

    nia = make_person(cast.alpha.workspace, {Role.COACH}, "nia@example.com")
    signed_in = cast.client_for(nia)
    response = signed_in.get(link)
    assert response.status_code == 403
    assert "Coaches can" in response.content.decode()
    assert signed_in.post(link).status_code == 403
    nia.membership.refresh_from_db()
    assert nia.membership.is_coach and not nia.membership.is_client
    assert ClientInvitation.objects.get().accepted_at is None
