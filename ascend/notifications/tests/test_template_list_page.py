from __future__ import annotations

import pytest

from ascend.notifications.models import EmailTemplateOverride

pytestmark = pytest.mark.django_db

URL = "/team/email/templates/"


def test_every_template_is_listed_with_a_link_per_language(cast):
    response = cast.client_for(cast.alpha.admin).get(URL)

    assert response.status_code == 200
    for name in ("staff_invitation", "password_reset", "password_changed"):
        for language in ("en", "es", "pt-br"):
            assert f'href="/team/email/templates/{name}/{language}/"'.encode() in response.content


def test_the_languages_head_their_columns(cast):
    response = cast.client_for(cast.alpha.admin).get(URL)

    for label in ("English", "Spanish", "Portuguese (Brazil)"):
        assert f'<th scope="col">{label}</th>' in response.content.decode()


def test_a_language_with_the_workspaces_own_wording_says_so(cast):
    EmailTemplateOverride.objects.create(
        workspace=cast.alpha.workspace,
        template="password_reset",
        language="es",
        subject="s",
        body="b",
    )

    response = cast.client_for(cast.alpha.owner).get(URL)

    assert response.content.count(b"Your wording") == 1


def test_another_workspaces_wording_is_not_counted(cast):
    EmailTemplateOverride.objects.create(
        workspace=cast.beta.workspace,
        template="password_reset",
        language="es",
        subject="s",
        body="b",
    )

    response = cast.client_for(cast.alpha.owner).get(URL)

    assert b"Your wording" not in response.content


@pytest.mark.parametrize("role", ["coach", "supervisor", "auditor", "client"])
def test_only_owners_and_admins_may_edit_templates(cast, role):
    assert cast.client_for(getattr(cast.alpha, role)).get(URL).status_code == 403


def test_a_member_of_another_workspace_is_refused(cast):
    response = cast.client_for(cast.beta.owner).get(URL, HTTP_HOST=cast.alpha.host)

    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(cast):
    assert cast.client_for(None).get(URL).status_code == 302
