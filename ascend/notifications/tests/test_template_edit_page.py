from __future__ import annotations

import pytest

from ascend.activity.models import Event
from ascend.notifications.models import EmailTemplateOverride

pytestmark = pytest.mark.django_db

URL = "/team/email/templates/password_reset/es/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def overrides():  # type: ignore[no-untyped-def]
    return EmailTemplateOverride.objects.all()


def test_the_page_shows_the_shipped_wording_and_its_preview(cast):
    response = cast.client_for(cast.alpha.admin).get(URL)

    assert response.status_code == 200
    assert response.context["form"].initial["subject"] == (
        "Restablece tu contraseña de {{ workspace_name }}"
    )
    subject, body = response.context["preview"]
    assert subject == "Restablece tu contraseña de Alpha"
    assert "https://summit.example.com/reset/sample/" in body
    assert response.context["overridden"] is False


def test_saving_stores_the_workspaces_wording(cast):
    client = cast.client_for(cast.alpha.admin)

    response = client.post(
        URL, {"action": "save", "subject": "Nueva clave", "body": "Abre {{ reset_url }}"}
    )

    assert response.status_code == 302
    assert response["Location"] == URL
    override = overrides().get()
    assert (override.workspace, override.template, override.language) == (
        cast.alpha.workspace,
        "password_reset",
        "es",
    )
    assert (override.subject, override.body) == ("Nueva clave", "Abre {{ reset_url }}")
    assert Event.objects.filter(workspace=cast.alpha.workspace).count() == 1
    page = client.get(URL)
    assert page.context["form"].initial["subject"] == "Nueva clave"
    assert page.context["overridden"] is True


def test_a_preview_shows_the_typed_wording_without_saving(cast):
    response = cast.client_for(cast.alpha.admin).post(
        URL, {"action": "preview", "subject": "Hola {{ recipient_name }}", "body": "Cuerpo"}
    )

    assert response.status_code == 200
    assert response.context["preview"] == ("Hola Alex Rivera", "Cuerpo\n")
    assert b"<html" in response.content
    assert not overrides().exists()


def test_an_htmx_preview_answers_with_the_preview_fragment_only(cast):
    response = cast.client_for(cast.alpha.admin).post(
        URL, {"action": "preview", "subject": "Hola {{ recipient_name }}", "body": "Cuerpo"}, **HTMX
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert content.strip().startswith('<div id="preview"')
    assert "<html" not in content
    assert "Hola Alex Rivera" in content
    assert not overrides().exists()


def test_an_htmx_preview_of_a_mistake_shows_it_in_the_fragment(cast):
    """htmx only swaps successful answers, so the mistake comes back as a 200 fragment."""
    response = cast.client_for(cast.alpha.admin).post(
        URL, {"action": "preview", "subject": "Hola", "body": "{% if %}"}, **HTMX
    )

    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert "The template has a mistake" in response.content.decode()


def test_a_mistake_is_shown_next_to_the_form_and_nothing_is_saved(cast):
    response = cast.client_for(cast.alpha.admin).post(
        URL, {"action": "save", "subject": "Hola", "body": "Abre {{ reset_url|shout }}"}
    )

    assert response.status_code == 422
    assert "The template has a mistake" in response.content.decode()
    assert "Abre {{ reset_url|shout }}</textarea>" in response.content.decode()
    assert not overrides().exists()
    assert not Event.objects.exists()


def test_a_mistake_that_only_shows_when_rendering_is_refused_too(cast):
    response = cast.client_for(cast.alpha.admin).post(
        URL, {"action": "save", "subject": "Hola", "body": "{% url 'nowhere' %}"}
    )

    assert response.status_code == 422
    assert not overrides().exists()


def test_an_empty_body_is_refused(cast):
    response = cast.client_for(cast.alpha.admin).post(
        URL, {"action": "save", "subject": "Hola", "body": ""}
    )

    assert response.status_code == 422
    assert not overrides().exists()


def test_resetting_goes_back_to_the_shipped_wording(cast):
    EmailTemplateOverride.objects.create(
        workspace=cast.alpha.workspace,
        template="password_reset",
        language="es",
        subject="Mío",
        body="Mío",
    )
    client = cast.client_for(cast.alpha.owner)

    response = client.post(URL, {"action": "reset"})

    assert response.status_code == 302
    assert not overrides().exists()
    page = client.get(URL)
    assert page.context["overridden"] is False
    assert page.context["form"].initial["subject"].startswith("Restablece")


def test_resetting_leaves_other_languages_and_workspaces_alone(cast):
    for workspace, language in [
        (cast.alpha.workspace, "en"),
        (cast.alpha.workspace, "es"),
        (cast.beta.workspace, "es"),
    ]:
        EmailTemplateOverride.objects.create(
            workspace=workspace,
            template="password_reset",
            language=language,
            subject="s",
            body="b",
        )

    cast.client_for(cast.alpha.owner).post(URL, {"action": "reset"})

    assert sorted(overrides().values_list("workspace__slug", "language")) == [
        ("alpha", "en"),
        ("beta", "es"),
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/team/email/templates/nope/es/",
        "/team/email/templates/password_reset/fr/",
        "/team/email/templates/password_reset/pt_BR/",
    ],
)
def test_an_unknown_template_or_language_is_not_found(cast, url):
    assert cast.client_for(cast.alpha.admin).get(url).status_code == 404


@pytest.mark.parametrize("role", ["coach", "supervisor", "client"])
def test_only_owners_and_admins_may_edit(cast, role):
    client = cast.client_for(getattr(cast.alpha, role))

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"action": "save", "subject": "s", "body": "b"}).status_code == 403
    assert not overrides().exists()


def test_the_owner_of_another_workspace_cannot_edit_its_wording(cast):
    client = cast.client_for(cast.beta.owner)

    response = client.post(
        URL, {"action": "save", "subject": "s", "body": "b"}, HTTP_HOST=cast.alpha.host
    )

    assert response.status_code == 404
    assert not overrides().exists()


def test_the_preview_uses_the_workspaces_own_name(cast):
    response = cast.client_for(cast.beta.owner).get(URL)

    assert response.context["preview"][0] == "Restablece tu contraseña de Beta"
