"""Changes to a workspace's email wording."""

from __future__ import annotations

from django.db import transaction

from ascend.activity.actions import record_event
from ascend.activity.verbs import Verb

from .models import EmailTemplateOverride
from .registry import get_spec


@transaction.atomic
def do_save_template_override(
    workspace,
    name: str,
    language: str,
    *,
    subject: str,
    body: str,  # type: ignore[no-untyped-def]
    actor,
) -> EmailTemplateOverride:
    """Save the workspace's own wording of one template in one language."""
    get_spec(name)
    override, _created = EmailTemplateOverride.objects.update_or_create(
        workspace=workspace,
        template=name,
        language=language,
        defaults={"subject": subject, "body": body, "updated_by": actor},
    )
    record_event(
        workspace,
        Verb.EMAIL_TEMPLATE_CHANGED,
        actor=actor,
        target=override,
        data={"template": name, "language": language},
    )
    return override


@transaction.atomic
def do_reset_template_override(workspace, name: str, language: str, *, actor) -> None:  # type: ignore[no-untyped-def]
    """Go back to the shipped wording."""
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
