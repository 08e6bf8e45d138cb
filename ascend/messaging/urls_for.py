"""Which portal's page shows a conversation to a member (for links in pages, notices, emails)."""

from __future__ import annotations

from django.urls import reverse

from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership

from .models import Conversation


def portal_of(member: Membership) -> str:
    """A client reads in the client portal, a coach in the coach portal, anyone else in the
    team portal."""
    if member.is_client:
        return "client"
    if can(member, Cap.PORTAL_COACH):
        return "coach"
    return "team"


def conversation_url(member: Membership, conversation: Conversation | int) -> str:
    """The path of the conversation's page in the member's portal (no host)."""
    pk = conversation if isinstance(conversation, int) else conversation.pk
    return reverse(f"messaging:{portal_of(member)}_conversation", args=[pk])
