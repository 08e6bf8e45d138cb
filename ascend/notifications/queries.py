from __future__ import annotations

from django.db.models import QuerySet

from .models import DeliveryState, EmailTemplateOverride, OutboundEmail


def outbox(workspace, *, state: str = "", recipient: str = "") -> QuerySet[OutboundEmail]:
    """The workspace's emails, newest first, by delivery state and recipient address."""
    qs = OutboundEmail.objects.filter(workspace=workspace)
    if state in DeliveryState.values:
        qs = qs.filter(state=state)
    if recipient:
        qs = qs.filter(to__icontains=recipient.strip())
    return qs.defer("body")


def overrides(workspace) -> dict[tuple[str, str], EmailTemplateOverride]:
    return {
        (o.template, o.language): o
        for o in EmailTemplateOverride.objects.filter(workspace=workspace)
    }
