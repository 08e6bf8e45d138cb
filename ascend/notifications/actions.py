"""Changes to a workspace's email wording."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template import TemplateSyntaxError
from django.utils.translation import gettext as _

from ascend.activity.actions import record_event
from ascend.activity.verbs import Verb

from .models import EmailTemplateOverride
from .registry import get_spec
from .rendering import render_source


@transaction.atomic
def do_save_template_override(
    workspace: Any,
    name: str,
    language: str,
    *,
    subject: str,
    body: str,
    actor: Any,
) -> EmailTemplateOverride:
    """Save the workspace's own wording of one template in one language.

    The template must be one Ascend sends, the language one Ascend speaks, and the
    wording must render with the template's sample values: a mistake is refused
    here, whoever calls, instead of being found when an email goes out.
    """
    spec = get_spec(name)
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(
            _("Ascend does not send emails in %(language)s."), params={"language": language}
        )
    try:
        render_source(subject, body, {**spec.sample, "workspace_name": workspace.name})
    except TemplateSyntaxError as error:
        raise ValidationError(
            _("The template has a mistake: %(error)s"), params={"error": error}
        ) from None
    override = EmailTemplateOverride.objects.filter(
        workspace=workspace, template=name, language=language
    ).first() or EmailTemplateOverride(workspace=workspace, template=name, language=language)
    override.subject = subject
    override.body = body
    override.updated_by = actor
    override.full_clean()
    override.save()
    record_event(
        workspace,
        Verb.EMAIL_TEMPLATE_CHANGED,
        actor=actor,
        target=override,
        data={"template": name, "language": language},
    )
    return override


@transaction.atomic
def do_reset_template_override(workspace: Any, name: str, language: str, *, actor: Any) -> None:
    """Go back to the shipped wording; resetting a template that has none changes nothing."""
    deleted, _rows = EmailTemplateOverride.objects.filter(
        workspace=workspace, template=name, language=language
    ).delete()
    if deleted:
        record_event(
            workspace,
            Verb.EMAIL_TEMPLATE_CHANGED,
            actor=actor,
            data={"template": name, "language": language, "reset": True},
        )
