from __future__ import annotations

import pytest

from ascend.accounts.models import StaffInvitation
from ascend.notifications.models import OutboundEmail
from ascend.tenancy.roles import Role
from ascend.testing import assert_flat_queries, make_person

pytestmark = pytest.mark.django_db


def test_the_team_page_lists_members_and_open_invitations(cast):
    owner = cast.client_for(cast.alpha.owner)
    owner.post("/team/members/invite/", {"email": "nia@example.com", "roles": ["coach"]})
    page = owner.get("/team/members/").content.decode()
    assert cast.alpha.coach.email in page and "nia@example.com" in page
    assert cast.beta.coach.email not in page


def test_inviting_from_the_page_sends_the_email_and_says_so(cast):
    response = cast.client_for(cast.alpha.admin).post(
        "/team/members/invite/",
        {"email": "nia@example.com", "full_name": "Nia", "roles": ["coach"]},
        follow=True,
    )
    assert b"Invitation sent to nia@example.com" in response.content
    assert OutboundEmail.objects.filter(to="nia@example.com", template="staff_invitation").exists()


def test_bad_invitations_show_the_error_next_to_the_field_and_keep_what_was_typed(cast):
    client = cast.client_for(cast.alpha.owner)
    response = client.post("/team/members/invite/", {"email": "not-an-email", "full_name": "Nia"})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_email_errors"' in page and 'id="id_roles_errors"' in page
    assert 'value="Nia"' in page
    response = client.post(
        "/team/members/invite/", {"email": cast.alpha.coach.email, "roles": ["coach"]}
    )
    assert response.status_code == 422
    assert "already a member" in response.content.decode()
    assert not StaffInvitation.objects.exists()


def test_resend_and_withdraw_from_the_page(cast):
    client = cast.client_for(cast.alpha.owner)
    client.post("/team/members/invite/", {"email": "nia@example.com", "roles": ["coach"]})
    invitation = StaffInvitation.objects.get()
    client.post(f"/team/invitations/{invitation.pk}/resend/")
    invitation.refresh_from_db()
    assert invitation.sent_count == 2
    client.post(f"/team/invitations/{invitation.pk}/revoke/")
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_the_other_workspace_cannot_resend_or_withdraw_an_invitation(cast):
    cast.client_for(cast.alpha.owner).post(
        "/team/members/invite/", {"email": "nia@example.com", "roles": ["coach"]}
    )
    invitation = StaffInvitation.objects.get()
    beta = cast.client_for(cast.beta.owner)
    assert beta.post(f"/team/invitations/{invitation.pk}/resend/").status_code == 404
    assert beta.post(f"/team/invitations/{invitation.pk}/revoke/").status_code == 404


def test_changing_roles_from_the_page(cast):
    target = cast.alpha.other_coach.membership
    response = cast.client_for(cast.alpha.admin).post(
        f"/team/members/{target.pk}/",
        {"roles": ["coach", "head_coach"], "team_leader": ""},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.is_head_coach


def test_coach_plus_client_is_refused_at_the_roles_field_with_the_reason(cast):
    target = cast.alpha.other_coach.membership
    response = cast.client_for(cast.alpha.owner).post(
        f"/team/members/{target.pk}/", {"roles": ["coach", "client"]}
    )
    assert response.status_code == 422
    assert "cannot also be its client" in response.content.decode()
    target.refresh_from_db()
    assert not target.is_client


def test_a_member_of_another_workspace_is_404_on_the_member_pages(cast):
    target = cast.alpha.coach.membership
    beta = cast.client_for(cast.beta.owner)
    assert beta.get(f"/team/members/{target.pk}/").status_code == 404
    assert beta.post(f"/team/members/{target.pk}/remove/").status_code == 404
    target.refresh_from_db()
    assert target.removed_at is None


def test_removing_a_member_ends_their_access(cast):
    coach = cast.alpha.coach
    coach_client = cast.client_for(coach)
    assert coach_client.get("/coach/").status_code == 200
    cast.client_for(cast.alpha.owner).post(f"/team/members/{coach.membership.pk}/remove/")
    assert coach_client.get("/coach/").status_code == 404


def test_an_admin_sees_why_they_cannot_remove_the_owner(cast):
    owner = cast.alpha.owner.membership
    response = cast.client_for(cast.alpha.admin).post(
        f"/team/members/{owner.pk}/remove/", follow=True
    )
    assert "Only an owner can change another owner" in response.content.decode()


def test_the_team_page_runs_the_same_queries_however_many_members(cast):
    client = cast.client_for(cast.alpha.owner)

    def grow():
        for n in range(15):
            make_person(cast.alpha.workspace, {Role.COACH}, f"extra{n}@alpha.test")

    assert_flat_queries(lambda: client.get("/team/members/"), grow)


# The messaging settings every post of the form carries (their defaults).
MESSAGING = {
    "response_target_hours": 24, "response_goal_hours": 9, "attachment_max_mb": 10,
    "attachment_types": "pdf,png", "unread_email_minutes": 30, "audit_sample_per_week": 5,
    "session_cancel_cutoff_hours": 24,
}  # fmt: skip


def test_settings_save_and_refuse_bad_values_at_the_field(cast):
    client = cast.client_for(cast.alpha.owner)
    ok = client.post("/team/settings/", {
        "name": "Alpha Coaching", "time_zone": "Europe/Madrid", "default_language": "es",
        "custom_domain": "", "rank_term": "custom", "rank_term_custom": "Cinturones",
        **MESSAGING,
    })  # fmt: skip
    assert ok.status_code == 302
    ws = cast.alpha.workspace
    ws.refresh_from_db()
    assert ws.rank_word == "Cinturones" and ws.default_language == "es"
    bad = client.post("/team/settings/", {
        "name": "", "time_zone": "Mars/Base", "default_language": "es",
        "custom_domain": "", "rank_term": "custom", "rank_term_custom": "",
        **MESSAGING,
    })  # fmt: skip
    assert bad.status_code == 422
    page = bad.content.decode()
    assert 'id="id_name_errors"' in page and 'id="id_time_zone_errors"' in page
    ws.refresh_from_db()
    assert ws.name == "Alpha Coaching"


def test_a_custom_domain_used_by_another_workspace_is_refused(cast):
    beta = cast.beta.workspace
    beta.custom_domain = "coach.example.org"
    beta.save()
    response = cast.client_for(cast.alpha.owner).post("/team/settings/", {
        "name": "Alpha", "time_zone": "UTC", "default_language": "en",
        "custom_domain": "coach.example.org", "rank_term": "belts", "rank_term_custom": "",
        **MESSAGING,
    })  # fmt: skip
    assert response.status_code == 422
    assert 'id="id_custom_domain_errors"' in response.content.decode()


def test_messaging_settings_are_saved_and_a_goal_beyond_the_target_is_refused(cast):
    client = cast.client_for(cast.alpha.owner)
    base = {
        "name": "Alpha", "time_zone": "UTC", "default_language": "en",
        "custom_domain": "", "rank_term": "belts", "rank_term_custom": "",
    }  # fmt: skip
    ok = client.post("/team/settings/", {
        **base, **MESSAGING, "peer_messaging_enabled": "on", "response_target_hours": 12,
        "response_goal_hours": 4, "attachment_types": " PDF, .jpg,,png ",
    })  # fmt: skip
    assert ok.status_code == 302
    ws = cast.alpha.workspace
    ws.refresh_from_db()
    assert ws.peer_messaging_enabled and (ws.response_target_hours, ws.response_goal_hours) == (
        12,
        4,
    )
    assert ws.attachment_types == "jpg,pdf,png"
    bad = client.post("/team/settings/", {
        **base, **MESSAGING, "response_target_hours": 8, "response_goal_hours": 10,
    })  # fmt: skip
    assert bad.status_code == 422
    assert 'id="id_response_goal_hours_errors"' in bad.content.decode()
    ws.refresh_from_db()
    assert ws.response_target_hours == 12
