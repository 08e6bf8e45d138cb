from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ascend.activity.models import Event
from ascend.activity.verbs import Verb
from ascend.notifications.actions import do_reset_template_override, do_save_template_override
from ascend.notifications.models import EmailTemplateOverride

pytestmark = pytest.mark.django_db


def save(person, language: str = "en", subject: str = "Hi", body: str = "Hello"):  # type: ignore[no-untyped-def]
    return do_save_template_override(
        person.workspace,
        "password_changed",
        language,
        subject=subject,
        body=body,
        actor=person.user,
    )


def test_saving_records_the_wording_and_an_event(cast):
    override = save(cast.alpha.admin, "es", "Hola", "Cuerpo")

    assert (override.subject, override.body, override.language) == ("Hola", "Cuerpo", "es")
    assert override.updated_by == cast.alpha.admin.user
    event = Event.objects.get(verb=Verb.EMAIL_TEMPLATE_CHANGED)
    assert event.workspace == cast.alpha.workspace
    assert event.actor == cast.alpha.admin.user
    assert event.data == {"template": "password_changed", "language": "es"}


def test_saving_again_replaces_the_wording(cast):
    save(cast.alpha.admin, subject="First")
    save(cast.alpha.owner, subject="Second")

    override = EmailTemplateOverride.objects.get()
    assert override.subject == "Second"
    assert override.updated_by == cast.alpha.owner.user


def test_wording_with_a_mistake_is_refused(cast):
    with pytest.raises(ValidationError):
        save(cast.alpha.admin, body="{% if %}")

    assert not EmailTemplateOverride.objects.exists()
    assert not Event.objects.exists()


def test_a_language_ascend_does_not_send_is_refused(cast):
    with pytest.raises(ValidationError):
        save(cast.alpha.admin, language="fr")


def test_an_unknown_template_is_refused(cast):
    with pytest.raises(KeyError):
        do_save_template_override(
            cast.alpha.workspace, "nope", "en", subject="s", body="b", actor=cast.alpha.admin.user
        )


def test_resetting_removes_the_wording_and_records_an_event(cast):
    save(cast.alpha.admin)

    do_reset_template_override(
        cast.alpha.workspace, "password_changed", "en", actor=cast.alpha.owner.user
    )

    assert not EmailTemplateOverride.objects.exists()
    reset = Event.objects.filter(verb=Verb.EMAIL_TEMPLATE_CHANGED, data__reset=True).get()
    assert reset.actor == cast.alpha.owner.user


def test_resetting_wording_that_was_never_changed_records_nothing(cast):
    do_reset_template_override(
        cast.alpha.workspace, "password_changed", "en", actor=cast.alpha.owner.user
    )

    assert not Event.objects.exists()


def test_resetting_leaves_other_workspaces_alone(cast):
    save(cast.beta.admin)

    do_reset_template_override(
        cast.alpha.workspace, "password_changed", "en", actor=cast.alpha.owner.user
    )

    assert EmailTemplateOverride.objects.filter(workspace=cast.beta.workspace).exists()
