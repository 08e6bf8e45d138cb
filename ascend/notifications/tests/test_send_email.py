from __future__ import annotations

import pytest
from django_scopes import scope

from ascend.notifications.models import DeliveryState, OutboundEmail
from ascend.notifications.outbox import send_email

pytestmark = pytest.mark.django_db


def send_password_changed(person, **kwargs):  # type: ignore[no-untyped-def]
    return send_email(
        workspace=person.workspace,
        to=person.email,
        user=person.user,
        template="password_changed",
        context={"recipient_name": person.user.full_name},
        **kwargs,
    )


def test_the_email_is_recorded_as_queued_with_its_rendered_subject_and_body(cast):
    email = send_password_changed(cast.alpha.coach)

    email.refresh_from_db()
    assert email.state == DeliveryState.QUEUED
    assert email.to == cast.alpha.coach.email
    assert email.user == cast.alpha.coach.user
    assert email.template == "password_changed"
    assert email.language == "en"
    assert email.subject == "Your Alpha password was changed"
    assert email.body.startswith("Hello Alpha Coach,\n")
    assert "password of your Alpha account was just changed" in email.body


def test_the_email_is_in_the_recipients_own_language(cast):
    user = cast.alpha.coach.user
    user.language = "es"
    user.save()

    email = send_password_changed(cast.alpha.coach)

    assert email.language == "es"
    assert email.subject == "Se ha cambiado tu contraseña de Alpha"


def test_without_a_language_of_their_own_the_recipient_gets_the_workspace_default(cast):
    workspace = cast.alpha.workspace
    workspace.default_language = "pt-br"
    workspace.save()

    email = send_password_changed(cast.alpha.coach)

    assert email.language == "pt-br"
    assert email.subject == "Sua senha de Alpha foi alterada"


def test_an_email_to_someone_without_an_account_is_in_the_workspace_default(cast):
    workspace = cast.alpha.workspace
    workspace.default_language = "es"
    workspace.save()

    email = send_email(
        workspace=workspace,
        to="newcomer@example.com",
        template="password_changed",
        context={"recipient_name": "Newcomer"},
    )

    assert email.language == "es"
    assert email.user is None


def test_a_language_given_by_the_caller_wins(cast):
    email = send_password_changed(cast.alpha.coach, language="es")

    assert email.language == "es"


def test_context_values_reach_the_template_as_plain_strings(cast):
    """A template can show what it was given, never walk into the objects behind it."""
    email = send_email(
        workspace=cast.alpha.workspace,
        to=cast.alpha.coach.email,
        template="password_changed",
        context={"recipient_name": cast.alpha.coach.user},
    )

    assert email.body.startswith(f"Hello {cast.alpha.coach.user},\n")


def test_an_admins_template_cannot_reach_model_attributes(cast):
    from ascend.notifications.models import EmailTemplateOverride

    EmailTemplateOverride.objects.create(
        workspace=cast.alpha.workspace,
        template="password_changed",
        language="en",
        subject="Changed",
        body="[{{ recipient_name.password }}][{{ recipient_name.email }}][{{ recipient_name }}]",
    )

    email = send_email(
        workspace=cast.alpha.workspace,
        to=cast.alpha.coach.email,
        template="password_changed",
        context={"recipient_name": cast.alpha.coach.user},
    )

    assert email.body == f"[][][{cast.alpha.coach.user}]\n"
    assert cast.alpha.coach.user.password not in email.body


def test_a_missing_context_value_renders_empty(cast):
    email = send_email(
        workspace=cast.alpha.workspace,
        to=cast.alpha.coach.email,
        template="password_changed",
        context={"recipient_name": None},
    )

    assert email.body.startswith("Hello ,\n")


def test_an_unknown_template_is_refused_before_anything_is_recorded(cast):
    with pytest.raises(KeyError):
        send_email(workspace=cast.alpha.workspace, to="a@example.com", template="nope", context={})

    assert not OutboundEmail.objects.exists()


def test_emails_sent_from_inside_another_workspaces_scope_use_their_own_wording(cast):
    """A command or task may run scoped to one workspace and email for another."""
    from ascend.notifications.models import EmailTemplateOverride

    EmailTemplateOverride.objects.create(
        workspace=cast.alpha.workspace,
        template="password_changed",
        language="en",
        subject="Alpha's own subject",
        body="Alpha's own body",
    )

    with scope(workspace=cast.beta.workspace):
        email = send_password_changed(cast.alpha.coach)

    assert email.workspace == cast.alpha.workspace
    assert email.subject == "Alpha's own subject"


def test_emails_can_be_sent_outside_any_scope(cast):
    from django_scopes.state import state

    token = state.set({})  # no scope at all, as in a management command
    try:
        email = send_password_changed(cast.beta.coach)
    finally:
        state.reset(token)

    assert email.workspace == cast.beta.workspace
