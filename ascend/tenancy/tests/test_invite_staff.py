from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from ascend.accounts import actions
from ascend.accounts.models import StaffInvitation, User
from ascend.activity.models import Event
from ascend.lib.tokens import hash_token
from ascend.notifications.models import OutboundEmail

pytestmark = pytest.mark.django_db


def invite(cast, email="new.coach@example.com", roles=("coach",), **kwargs):
    return actions.do_invite_staff(
        cast.alpha.workspace, email=email, roles=list(roles), actor=cast.alpha.owner.user, **kwargs
    )


def token_from_outbox(email: str) -> str:
    body = OutboundEmail.objects.filter(to=email).latest("id").body
    return body.split("/accounts/invitations/")[1].split("/")[0]


def test_inviting_records_the_invitation_and_queues_an_email(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(cast, full_name="Nia Coach")
    assert invitation.roles == ["coach"]
    assert invitation.expires_at - timezone.now() > timedelta(days=6, hours=23)
    sent = OutboundEmail.objects.get(to="new.coach@example.com")
    assert sent.template == "staff_invitation" and sent.state == "sent"
    assert "Coach" in sent.body and "Alpha Owner" in sent.body
    assert mail.outbox[0].to == ["new.coach@example.com"]
    assert Event.objects.filter(verb="member.invited").count() == 1


def test_only_the_hash_of_the_link_token_is_stored(cast):
    invitation = invite(cast)
    token = token_from_outbox("new.coach@example.com")
    assert invitation.token_hash == hash_token(token)
    assert not StaffInvitation.objects.filter(token_hash=token).exists()


def test_an_invitation_cannot_make_an_owner_or_a_client_coach(cast):
    with pytest.raises(ValidationError) as caught:
        invite(cast, roles=["owner"])
    assert "roles" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        invite(cast, roles=["coach", "client"])
    assert caught.value.error_dict["roles"][0].code == "coach_client_exclusive"


def test_a_current_member_or_an_open_invitation_is_refused(cast):
    with pytest.raises(ValidationError) as caught:
        invite(cast, email=cast.alpha.coach.email)
    assert caught.value.error_dict["email"][0].code == "already_member"
    invite(cast)
    with pytest.raises(ValidationError) as caught:
        invite(cast, email="NEW.coach@example.com")
    assert caught.value.error_dict["email"][0].code == "already_invited"


def test_accepting_creates_the_account_and_membership(cast):
    invite(cast, roles=["coach", "head_coach"])
    token = token_from_outbox("new.coach@example.com")
    membership = actions.do_accept_staff_invitation(
        cast.alpha.workspace, token, full_name="Nia Coach", password="a-long-passphrase"
    )
    assert membership.is_coach and membership.is_head_coach
    user = User.objects.get(email="new.coach@example.com")
    assert user.check_password("a-long-passphrase") and user.full_name == "Nia Coach"


def test_a_link_works_once(cast):
    invite(cast)
    token = token_from_outbox("new.coach@example.com")
    actions.do_accept_staff_invitation(cast.alpha.workspace, token, password="a-long-passphrase")
    with pytest.raises(actions.InvitationUnusable) as caught:
        actions.do_accept_staff_invitation(cast.alpha.workspace, token, password="x")
    assert caught.value.reason == "used"


def test_expired_revoked_and_tampered_links_say_why(cast):
    invitation = invite(cast)
    token = token_from_outbox("new.coach@example.com")
    with pytest.raises(actions.InvitationUnusable) as caught:
        actions.find_invitation(cast.alpha.workspace, token + "x")
    assert caught.value.reason == "unknown"
    with pytest.raises(actions.InvitationUnusable) as caught:
        actions.find_invitation(cast.beta.workspace, token)
    assert caught.value.reason == "unknown"
    StaffInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    with pytest.raises(actions.InvitationUnusable) as caught:
        actions.find_invitation(cast.alpha.workspace, token)
    assert caught.value.reason == "expired"
    actions.do_revoke_staff_invitation(invitation, actor=cast.alpha.owner.user)
    with pytest.raises(actions.InvitationUnusable) as caught:
        actions.find_invitation(cast.alpha.workspace, token)
    assert caught.value.reason == "revoked"


def test_resending_replaces_the_link_and_restarts_the_clock(cast):
    invitation = invite(cast)
    first = token_from_outbox("new.coach@example.com")
    StaffInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    invitation.refresh_from_db()
    actions.do_resend_staff_invitation(invitation, actor=cast.alpha.owner.user)
    second = token_from_outbox("new.coach@example.com")
    assert first != second and invitation.sent_count == 2
    assert actions.find_invitation(cast.alpha.workspace, second) == invitation
    with pytest.raises(actions.InvitationUnusable):
        actions.find_invitation(cast.alpha.workspace, first)


def test_an_existing_account_joins_a_second_workspace_with_the_same_login(cast):
    beta_coach = cast.beta.coach.user
    invite(cast, email=beta_coach.email, roles=["auditor"])
    token = token_from_outbox(beta_coach.email)
    with pytest.raises(actions.InvitationUnusable) as caught:
        actions.do_accept_staff_invitation(cast.alpha.workspace, token, password="whatever")
    assert caught.value.reason == "account_exists"
    membership = actions.do_accept_staff_invitation(cast.alpha.workspace, token, user=beta_coach)
    assert membership.is_auditor and membership.workspace == cast.alpha.workspace


def test_a_removed_member_invited_again_comes_back_with_the_new_roles(cast):
    from ascend.tenancy.actions import do_remove_member

    coach = cast.alpha.other_coach
    do_remove_member(coach.membership, actor_membership=cast.alpha.owner.membership)
    invite(cast, email=coach.email, roles=["operator"])
    token = token_from_outbox(coach.email)
    membership = actions.do_accept_staff_invitation(cast.alpha.workspace, token, user=coach.user)
    assert membership.pk == coach.membership.pk
    assert membership.is_active and membership.is_operator and not membership.is_coach
