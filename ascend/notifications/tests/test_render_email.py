from __future__ import annotations

import pytest

from ascend.notifications.models import EmailTemplateOverride
from ascend.notifications.rendering import render_email

pytestmark = pytest.mark.django_db

CONTEXT = {"workspace_name": "Alpha", "recipient_name": "Sam"}


def override(workspace, language: str, subject: str, body: str) -> EmailTemplateOverride:  # type: ignore[no-untyped-def]
    return EmailTemplateOverride.objects.create(
        workspace=workspace,
        template="password_changed",
        language=language,
        subject=subject,
        body=body,
    )


def test_without_an_override_the_shipped_wording_is_used(cast):
    subject, body = render_email(cast.alpha.workspace, "password_changed", "en", CONTEXT)

    assert subject == "Your Alpha password was changed"
    assert body.startswith("Hello Sam,\n")


def test_an_override_is_used_in_its_own_language_only(cast):
    override(
        cast.alpha.workspace, "es", "Hola {{ recipient_name }}", "Cuerpo de {{ workspace_name }}"
    )

    assert render_email(cast.alpha.workspace, "password_changed", "es", CONTEXT) == (
        "Hola Sam",
        "Cuerpo de Alpha\n",
    )
    subject, _body = render_email(cast.alpha.workspace, "password_changed", "en", CONTEXT)
    assert subject == "Your Alpha password was changed"


def test_an_override_belongs_to_its_workspace(cast):
    override(cast.alpha.workspace, "en", "Alpha's own", "Alpha's body")

    subject, _body = render_email(cast.beta.workspace, "password_changed", "en", CONTEXT)

    assert subject == "Your Alpha password was changed"


def test_a_broken_override_falls_back_to_the_shipped_wording(cast):
    override(cast.alpha.workspace, "en", "{% if %}", "{{ recipient_name")

    subject, body = render_email(cast.alpha.workspace, "password_changed", "en", CONTEXT)

    assert subject == "Your Alpha password was changed"
    assert body.startswith("Hello Sam,\n")


@pytest.mark.parametrize(
    "source",
    [
        "{% url 'nowhere' %}",
        "{% include 'emails/en/password_reset.body.txt' %}",
        "{% load humanize %}{{ recipient_name|intcomma }}",
    ],
)
def test_an_override_that_fails_while_rendering_falls_back_too(cast, source):
    override(cast.alpha.workspace, "en", "Subject", source)

    _subject, body = render_email(cast.alpha.workspace, "password_changed", "en", CONTEXT)

    assert body.startswith("Hello Sam,\n")


def test_a_line_break_in_the_subject_never_reaches_the_headers(cast):
    override(cast.alpha.workspace, "en", "Hi\n{{ recipient_name }}\nBcc: x@example.com", "Body")

    subject, _body = render_email(cast.alpha.workspace, "password_changed", "en", CONTEXT)

    assert subject == "Hi Sam Bcc: x@example.com"


def test_a_missing_translation_falls_back_to_english(cast):
    subject, _body = render_email(cast.alpha.workspace, "password_changed", "fr", CONTEXT)

    assert subject == "Your Alpha password was changed"
