"""Where a member reads a conversation: the page in their own portal."""

from __future__ import annotations

from django.urls import reverse

from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership

from .models import Conversation


def conversation_url_name(member: Membership) -> str:
    """Clients read in "My coaching", coaches in the coach portal, other staff in the team one."""
    if member.is_client:
        return "messaging:client_conversation"
    if can(member, Cap.PORTAL_COACH):
        return "messaging:coach_conversation"
    return "messaging:team_conversation"


def conversation_url(member: Membership, conversation: Conversation | int) -> str:
    """The path of the conversation's page for this member (``conversation_url`` in emails
    goes through ``ascend.lib.urls.workspace_url``)."""
    conversation_id = conversation if isinstance(conversation, int) else conversation.pk
    return reverse(conversation_url_name(member), args=[conversation_id])
