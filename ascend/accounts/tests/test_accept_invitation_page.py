from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from ascend.accounts import actions
from ascend.accounts.models import StaffInvitation
from ascend.notifications.models import OutboundEmail

pytestmark = pytest.mark.django_db


def invite(cast, email="nia@example.com", roles=("coach",)) -> str:
    actions.do_invite_staff(cast.alpha.workspace, email=email, roles=list(roles),
                            actor=cast.alpha.owner.user)  # fmt: skip
    body = OutboundEmail.objects.filter(to=email).latest("id").body
    return "/accounts/invitations/" + body.split("/accounts/invitations/")[1].split("/")[0] + "/"


def test_a_new_person_sets_a_password_and_lands_in_the_coach_portal(cast):
    link = invite(cast)
    client = Client(HTTP_HOST=cast.alpha.host)
    assert "Choose a password" in client.get(link).content.decode()
    response = client.post(link, {"full_name": "Nia", "password1": "a-long-passphrase",
                                  "password2": "a-long-passphrase"})  # fmt: skip
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").url == "/coach/"


def test_mismatched_or_weak_passwords_are_shown_at_the_field(cast):
    link = invite(cast)
    client = Client(HTTP_HOST=cast.alpha.host)
    page = client.post(link, {"full_name": "Nia", "password1": "a-long-passphrase",
                              "password2": "another"}).content.decode()  # fmt: skip
    assert 'id="id_password2_errors"' in page and 'value="Nia"' in page
    page = client.post(
        link, {"full_name": "Nia", "password1": "123", "password2": "123"}
    ).content.decode()
    assert 'id="id_password1_errors"' in page
    assert not StaffInvitation.objects.get().accepted_at


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
    link = invite(cast)
    invitation = StaffInvitation.objects.get()
    if spoil == "used":
        StaffInvitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    elif spoil == "expired":
        StaffInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    elif spoil == "revoked":
        StaffInvitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    else:
        link = link[:-3] + "zz/"
    response = Client(HTTP_HOST=cast.alpha.host).get(link)
    assert response.status_code == status
    assert text in response.content.decode()


def test_the_link_does_not_work_on_another_workspaces_host(cast):
    link = invite(cast)
    assert Client(HTTP_HOST=cast.beta.host).get(link).status_code == 404


def test_an_existing_account_signs_in_then_accepts(cast):
    link = invite(cast, email=cast.beta.coach.email, roles=("auditor",))
    anonymous = Client(HTTP_HOST=cast.alpha.host)
    assert "already has an Ascend account" in anonymous.get(link).content.decode()
    signed_in = cast.client_for(cast.beta.coach, cast.alpha.workspace)
    assert "Accept the invitation" in signed_in.get(link).content.decode()
    response = signed_in.post(link)
    assert response.status_code == 302
    assert signed_in.get("/").url == "/team/"


def test_someone_signed_in_as_another_person_is_asked_to_sign_out(cast):
    link = invite(cast, email=cast.beta.coach.email, roles=("auditor",))
    other = cast.client_for(cast.alpha.client)
    page = other.get(link).content.decode()
    assert "signed in with another account" in page
    assert other.post(link).status_code == 200
    assert StaffInvitation.objects.get().accepted_at is None
