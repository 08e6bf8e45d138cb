"""The one door every email goes through: record it, then send it after commit."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .models import OutboundEmail
from .rendering import render_email


def send_email(
    *,
    workspace: Any,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str | None = None,
    user: Any | None = None,
) -> OutboundEmail:
    """Record an email in the outbox and queue its delivery once the transaction commits.

    The language is the recipient's if they have one, else the workspace's default.
    Context values are turned into strings so templates can show nothing else.
    """
    if language is None:
        language = (getattr(user, "language", "") or workspace.default_language) or "en"
    plain = {
        "workspace_name": workspace.name,
        **{key: "" if value is None else str(value) for key, value in context.items()},
    }
    subject, body = render_email(workspace, template, language, plain)
    email = OutboundEmail.objects.create(
        workspace=workspace,
        to=to,
        user=user,
        template=template,
        language=language,
        subject=subject[:255],
        body=body,
    )
    from .tasks import deliver_email

    email_id = email.id
    transaction.on_commit(lambda: deliver_email.delay(email_id))
    return email
