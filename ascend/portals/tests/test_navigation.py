from __future__ import annotations

import pytest

from ascend.tenancy.actions import do_change_roles

pytestmark = pytest.mark.django_db


def test_team_navigation_shows_only_what_the_role_opens(cast):
    owner_page = cast.client_for(cast.alpha.owner).get("/team/").content.decode()
    operator_page = cast.client_for(cast.alpha.operator).get("/team/").content.decode()
    assert 'href="/team/members/"' in owner_page and 'href="/team/email/outbox/"' in owner_page
    assert 'href="/team/members/"' not in operator_page
    assert 'href="/team/email/outbox/"' not in operator_page


def test_a_coach_admin_switches_between_the_team_and_coach_portals(cast):
    do_change_roles(cast.alpha.coach.membership, ["coach", "admin"],
                    actor_membership=cast.alpha.owner.membership)  # fmt: skip
    page = cast.client_for(cast.alpha.coach).get("/coach/").content.decode()
    assert "Team portal" in page and "Coach portal" in page


def test_the_workspace_switcher_lists_each_workspace_of_the_person(cast):
    from ascend.tenancy.roles import Role
    from ascend.testing import make_person

    make_person(cast.beta.workspace, {Role.AUDITOR}, cast.alpha.owner.email)
    page = cast.client_for(cast.alpha.owner).get("/team/").content.decode()
    assert 'data-testid="workspace-switcher"' in page
    assert "/switch/beta/" in page


def test_switching_signs_the_person_in_on_the_other_workspace(cast):
    from django.test import Client

    from ascend.tenancy.roles import Role
    from ascend.testing import make_person

    make_person(cast.beta.workspace, {Role.AUDITOR}, cast.alpha.owner.email)
    response = cast.client_for(cast.alpha.owner).get("/switch/beta/")
    assert response.status_code == 302
    assert response.url.startswith("http://beta.localhost")
    hop_path = response.url.split("beta.localhost", 1)[1]
    other_host = Client(HTTP_HOST="beta.localhost")
    landed = other_host.get(hop_path)
    assert landed.status_code == 302 and landed.url == "/"
    assert other_host.get("/").url == "/team/"


def test_switching_to_a_workspace_the_person_is_not_in_is_404(cast):
    assert cast.client_for(cast.alpha.owner).get("/switch/beta/").status_code == 404


def test_a_hop_token_for_another_workspace_or_tampered_does_not_sign_in(cast):
    from django.core import signing
    from django.test import Client

    from ascend.portals.views import HOP_SALT

    token = signing.dumps(
        {"u": cast.alpha.owner.user.pk, "w": cast.alpha.workspace.pk}, salt=HOP_SALT
    )
    assert Client(HTTP_HOST="beta.localhost").get(f"/hop/{token}/").status_code == 404
    tampered = Client(HTTP_HOST="alpha.localhost").get(f"/hop/{token}x/")
    assert tampered.status_code == 302 and tampered.url == "/accounts/login/"
