"""The one door every email goes through: record it, then send it after commit."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_scopes import scope

from .models import OutboundEmail
from .rendering import render_email


def recipient_language(workspace: Any, user: Any | None) -> str:
    """The recipient's own language if they chose one, else the workspace's default."""
    return (getattr(user, "language", "") or workspace.default_language) or "en"


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
    Nothing is sent if the transaction rolls back.
    """
    if language is None:
        language = recipient_language(workspace, user)
    plain = {
        "workspace_name": workspace.name,
        **{key: "" if value is None else str(value) for key, value in context.items()},
    }
    # Emails are sent from commands, tasks and other workspaces' requests too: the
    # outbox and override tables are scoped, so the email's own workspace is the scope.
    with scope(workspace=workspace):
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
    # robust: once the data is committed, a broker outage must not turn the person's
    # action into an error page; the email then stays "queued" in the outbox, in sight.
    transaction.on_commit(lambda: deliver_email.delay(email_id), robust=True)
    return email
