"""Inviting a client from the team portal (on behalf of a coach) and the coach portal.

Rules: the client is emailed under the workspace's name; an admin's invitation also
tells the coach; errors are shown next to their field and nothing is half-created.
"""

from __future__ import annotations

import pytest

from ascend.billing.models import PackageKind
from ascend.crm.models import ClientInvitation, Contact, ContactStatus
from ascend.notifications.models import OutboundEmail

from .crm_world import client_type, contact, invite, package

pytestmark = pytest.mark.django_db


def _form(cast, **fields):
    return {
        "full_name": "Nia Client",
        "email": "nia@example.com",
        "client_type": client_type(cast.alpha.workspace, "Client").pk,
        "coach": cast.alpha.coach.membership.pk,
        "package": "",
        "message": "",
        **fields,
    }


def _nothing_created():
    return (
        not ClientInvitation.objects.exists()
        and not Contact.objects.filter(email="nia@example.com").exists()
    )


def test_an_admin_invites_on_behalf_of_a_coach_and_both_are_emailed(cast):
    ten = package(cast.alpha.workspace)
    response = cast.client_for(cast.alpha.admin).post(
        "/team/crm/invite/", _form(cast, package=ten.pk, message="Welcome aboard!")
    )
    invitation = ClientInvitation.objects.get()
    assert response.status_code == 302
    assert response.url == f"/team/crm/{invitation.contact_id}/"
    assert invitation.coach == cast.alpha.coach.membership and invitation.package == ten
    assert invitation.contact.status == ContactStatus.INVITED
    to_client = OutboundEmail.objects.get(template="client_invitation")
    assert to_client.to == "nia@example.com" and "Welcome aboard!" in to_client.body
    assert "/join/" in to_client.body and "Alpha" in to_client.subject + to_client.body
    told = OutboundEmail.objects.get(template="client_assigned")
    assert told.to == cast.alpha.coach.email and "Nia Client" in told.body


def test_a_coachs_own_invitation_does_not_email_the_coach(cast):
    response = cast.client_for(cast.alpha.coach).post(
        "/coach/contacts/invite/", _form(cast, coach=cast.alpha.other_coach.membership.pk)
    )
    assert response.status_code == 302
    invitation = ClientInvitation.objects.get()
    # The coach field is not on the coach's form: the invitation is theirs.
    assert invitation.coach == cast.alpha.coach.membership
    assert list(OutboundEmail.objects.values_list("template", flat=True)) == ["client_invitation"]


def test_the_admins_form_lists_coaches_and_refreshes_the_packages_with_htmx(cast):
    page = cast.client_for(cast.alpha.admin).get("/team/crm/invite/").content.decode()
    assert 'hx-get="/team/crm/invite/packages/"' in page and 'hx-target="#id_package"' in page
    assert cast.alpha.other_coach.email in page


def test_the_package_list_is_the_coachs_list(cast):
    ws = cast.alpha.workspace
    package(ws, "Workspace one-to-one")
    package(ws, "Workspace group", kind=PackageKind.GROUP)
    package(ws, "Carlos group", kind=PackageKind.GROUP, coach=cast.alpha.coach.membership)
    package(ws, "Other coach's", coach=cast.alpha.other_coach.membership)
    package(ws, "Retired", is_active=False)
    package(cast.beta.workspace, "Beta pack")
    options = (
        cast.client_for(cast.alpha.admin)
        .get(f"/team/crm/invite/packages/?coach={cast.alpha.coach.membership.pk}")
        .content.decode()
    )
    assert "Workspace one-to-one" in options and "Carlos group" in options
    for absent in ("Workspace group", "Other coach's", "Retired", "Beta pack"):
        assert absent not in options
    coach_form = cast.client_for(cast.alpha.coach).get("/coach/contacts/invite/").content.decode()
    assert "Carlos group" in coach_form and "Other coach&#x27;s" not in coach_form


@pytest.mark.parametrize(
    ("setup", "fields", "field", "text"),
    [
        ("member", {"email": "client@alpha.test"}, "email", "already a member"),
        ("invited", {}, "email", "already has an open invitation"),
        ("group", {}, "package", "not on"),
        ("other_coach", {}, "package", "not on"),
        ("no_coach", {"coach": ""}, "coach", ""),
        ("bad_email", {"email": "nia@"}, "email", ""),
    ],
)
def test_bad_invitations_are_refused_at_the_field_and_nothing_is_created(
    cast, setup, fields, field, text
):
    ws = cast.alpha.workspace
    if setup == "invited":
        invite(cast.alpha, "nia@example.com")
        before = (ClientInvitation.objects.count(), OutboundEmail.objects.count())
    if setup == "group":
        fields["package"] = package(ws, "Group", kind=PackageKind.GROUP).pk
    if setup == "other_coach":
        fields["package"] = package(ws, "Theirs", coach=cast.alpha.other_coach.membership).pk
    response = cast.client_for(cast.alpha.admin).post("/team/crm/invite/", _form(cast, **fields))
    page = response.content.decode()
    assert response.status_code == 422
    assert f'id="id_{field}_errors"' in page and text in page
    assert 'value="Nia Client"' in page  # what was typed stays
    if setup == "invited":
        assert (ClientInvitation.objects.count(), OutboundEmail.objects.count()) == before
    else:
        assert _nothing_created() or setup == "member"
        assert not OutboundEmail.objects.exists()


def test_an_existing_contact_is_invited_with_their_details_filled_in(cast):
    lead = contact(cast.alpha.workspace, "nia@example.com", full_name="Nia Lead")
    page = cast.client_for(cast.alpha.admin).get(f"/team/crm/invite/?contact={lead.pk}")
    assert 'value="Nia Lead"' in page.content.decode()
    response = cast.client_for(cast.alpha.admin).post(
        "/team/crm/invite/", _form(cast, full_name="Nia Lead")
    )
    assert response.status_code == 302
    assert ClientInvitation.objects.get().contact == lead


def test_resending_makes_the_old_link_unusable(cast):
    from .crm_world import accept_link, anonymous

    invitation = invite(cast.alpha)
    old = accept_link("nia@example.com")
    response = cast.client_for(cast.alpha.admin).post(
        f"/team/crm/invitations/{invitation.pk}/resend/"
    )
    assert response.status_code == 302
    new = accept_link("nia@example.com")
    assert new != old
    assert anonymous(cast.alpha).get(old).status_code == 404
    assert anonymous(cast.alpha).get(new).status_code == 200
    invitation.refresh_from_db()
    assert invitation.sent_count == 2


def test_revoking_closes_the_invitation_and_its_link(cast):
    from .crm_world import accept_link, anonymous

    invitation = invite(cast.alpha)
    link = accept_link("nia@example.com")
    response = cast.client_for(cast.alpha.admin).post(
        f"/team/crm/invitations/{invitation.pk}/revoke/"
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert invitation.contact.status == ContactStatus.CONTACT
    response = anonymous(cast.alpha).get(link)
    assert response.status_code == 410 and "withdrawn" in response.content.decode()


def test_the_contact_page_shows_the_invitation_with_resend_and_revoke_that_ask_once(cast):
    invitation = invite(cast.alpha)
    page = cast.client_for(cast.alpha.admin).get(f"/team/crm/{invitation.contact_id}/")
    html = page.content.decode()
    assert "Pending" in html and "Sent 1 time" in html and "expires in" in html
    assert html.count("data-confirm=") == 2
    assert f"/team/crm/invitations/{invitation.pk}/resend/" in html


def test_a_coach_may_resend_only_their_own_contacts_invitations(cast):
    invitation = invite(cast.alpha)  # on behalf of coach
    other = cast.client_for(cast.alpha.other_coach)
    assert other.post(f"/coach/contacts/invitations/{invitation.pk}/revoke/").status_code == 404
    own = cast.client_for(cast.alpha.coach)
    assert own.post(f"/coach/contacts/invitations/{invitation.pk}/revoke/").status_code == 302


def test_a_coach_cannot_take_over_another_coachs_contact_but_an_admin_can_move_it(cast):
    from ascend.crm.actions import do_invite_client

    ws = cast.alpha.workspace
    theirs = contact(ws, "nia@example.com", coach=cast.alpha.other_coach.membership)
    with pytest.raises(Exception) as refused:
        invite(cast.alpha, "nia@example.com", by="coach")
    assert refused.value.error_dict["email"][0].code == "another_coachs_contact"
    assert not ClientInvitation.objects.exists()
    do_invite_client(ws, actor=cast.alpha.admin.membership, full_name="Nia",
                     email="nia@example.com", client_type=theirs.client_type,
                     coach=cast.alpha.coach.membership)  # fmt: skip
    theirs.refresh_from_db()
    assert theirs.coach == cast.alpha.coach.membership
