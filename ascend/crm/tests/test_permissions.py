"""Who may open each CRM page: allowed roles get it, other members 403, the other workspace 404,
anonymous visitors are sent to sign in."""

from __future__ import annotations

import pytest

from ascend.crm.models import ImportJob

from .crm_world import contact, invite

pytestmark = pytest.mark.django_db

EVERYONE = ["owner", "admin", "coach", "other_coach", "head_coach", "supervisor", "attendant",
            "auditor", "operator", "client", "other_client"]  # fmt: skip
ADMINS = {"owner", "admin"}
COACHES = {"coach", "other_coach", "head_coach"}
CLIENTS = {"client", "other_client"}


def _pages(cast) -> dict[str, set[str]]:
    ws = cast.alpha.workspace
    team_contact = contact(ws, "team@example.com")
    own = contact(ws, "own@example.com", coach=cast.alpha.coach.membership)
    invitation = invite(cast.alpha, "x@example.com")
    team_job = ImportJob.objects.create(workspace=ws)
    coach_job = ImportJob.objects.create(workspace=ws, coach=cast.alpha.coach.membership)
    return {
        "/team/crm/": ADMINS,
        "/team/crm/new/": ADMINS,
        f"/team/crm/{team_contact.pk}/": ADMINS,
        f"/team/crm/{team_contact.pk}/edit/": ADMINS,
        f"/team/crm/{invitation.contact_id}/": ADMINS,
        "/team/crm/invite/": ADMINS,
        "/team/crm/invite/packages/": ADMINS,
        "/team/crm/import/": ADMINS,
        f"/team/crm/import/{team_job.pk}/": ADMINS,
        f"/team/crm/import/{team_job.pk}/progress/": ADMINS,
        "/team/crm/types/": ADMINS,
        "/coach/contacts/": COACHES,
        "/coach/contacts/new/": COACHES,
        "/coach/contacts/invite/": COACHES,
        "/coach/contacts/import/": COACHES,
        "/coach/greeting/": COACHES,
        f"/coach/contacts/{own.pk}/": {"coach"},
        f"/coach/contacts/{own.pk}/edit/": {"coach"},
        f"/coach/contacts/import/{coach_job.pk}/": {"coach"},
        "/me/welcome/": CLIENTS,
    }


@pytest.mark.parametrize("role", EVERYONE)
def test_each_role_gets_each_page_or_is_refused(cast, role):
    browser = cast.client_for(getattr(cast.alpha, role))
    for path, allowed in _pages(cast).items():
        response = browser.get(path)
        if role in allowed:
            # The onboarding sends a client without one on to the dashboard.
            assert response.status_code in (200, 302), f"{role} on {path}"
        elif path.startswith("/coach/contacts/") and role in COACHES:
            # Another coach's contact or import: the same 404 as a missing one.
            assert response.status_code == 404, f"{role} on {path}: {response.status_code}"
        else:
            assert response.status_code == 403, f"{role} on {path}: {response.status_code}"


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("owner", 'href="/team/crm/"', None),
        ("admin", 'href="/team/crm/"', None),
        ("auditor", None, 'href="/team/crm/"'),
        ("coach", 'href="/coach/contacts/"', None),
        ("head_coach", 'href="/coach/contacts/"', None),
    ],
)
def test_the_navigation_offers_the_crm_to_admins_and_contacts_to_coaches(cast, role, shown, hidden):
    home = cast.client_for(getattr(cast.alpha, role)).get("/", follow=True).content.decode()
    if shown:
        assert shown in home
    if hidden:
        assert hidden not in home


def test_a_member_of_another_workspace_gets_404_everywhere(cast):
    for path in _pages(cast):
        response = cast.client_for(cast.beta.owner, cast.alpha.workspace).get(path)
        assert response.status_code == 404, path


@pytest.mark.parametrize("who", ["owner", "coach"])
def test_another_workspaces_contacts_are_not_found(cast, who):
    theirs = contact(cast.beta.workspace, "b@example.com", coach=cast.beta.coach.membership)
    portal = "team/crm" if who == "owner" else "coach/contacts"
    response = cast.client_for(getattr(cast.alpha, who)).get(f"/{portal}/{theirs.pk}/")
    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(cast):
    for path in _pages(cast):
        response = cast.client_for(None).get(path)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), path
