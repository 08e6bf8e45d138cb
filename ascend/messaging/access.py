"""Who may write to whom, and the one door to conversations.

Rules (DESIGN.md "Messaging and the coach inbox", issue #4):
- a client writes to the coaches of their active enrolments, in cohorts with
  messaging on; a coach writes to the clients of their cohorts; an admin to any client;
- a client writes to another client of the same program when the workspace allows
  it and both their cohorts do;
- a cohort's group conversation holds its coach and its active clients;
- auditors read coaching and cohort conversations and never write in them;
- a head coach sees and may answer the conversations of the coaches they lead.
Missing and "not yours" get the same 404.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from ascend.programs.models import Cohort, Enrollment
from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership

from .models import Conversation, ConversationKind, Participant


def _active_enrollments(member: Membership) -> QuerySet[Enrollment]:
    return Enrollment.objects.filter(
        workspace=member.workspace, client=member, ended_at__isnull=True
    )


def _active_members(member: Membership) -> QuerySet[Membership]:
    return Membership.objects.filter(workspace=member.workspace, removed_at__isnull=True)


def coaches_of_client(client: Membership) -> QuerySet[Membership]:
    """The coaches a client may write to: their active cohorts' coaches, where messaging is
    on, and the coach they were invited to (their contact record's coach)."""
    from ascend.crm.models import Contact

    cohorts = _active_enrollments(client).filter(cohort__messaging_enabled=True)
    assigned = Contact.objects.filter(workspace=client.workspace, member=client)
    return _active_members(client).filter(
        Q(pk__in=cohorts.values("cohort__coach")) | Q(pk__in=assigned.values("coach")),
        is_coach=True,
    )


def clients_of_staff(member: Membership) -> QuerySet[Membership]:
    """The clients a staff member may write to: any client for admins, a coach's own otherwise."""
    clients = _active_members(member).filter(is_client=True)
    if can(member, Cap.INBOXES_ALL):
        return clients
    if not (can(member, Cap.MESSAGES_CLIENTS) and member.is_coach):
        return clients.none()
    from ascend.crm.models import Contact

    enrolled = Enrollment.objects.filter(
        workspace=member.workspace,
        ended_at__isnull=True,
        cohort__coach=member,
        cohort__messaging_enabled=True,
    )
    assigned = Contact.objects.filter(
        workspace=member.workspace, coach=member, member__isnull=False
    )
    return clients.filter(Q(pk__in=enrolled.values("client")) | Q(pk__in=assigned.values("member")))


def peers_of_client(client: Membership) -> QuerySet[Membership]:
    """Other clients of the same program, when the workspace and both cohorts allow it."""
    if not (client.is_client and client.workspace.peer_messaging_enabled):
        return _active_members(client).none()
    mine = _active_enrollments(client).filter(cohort__peer_messaging_enabled=True)
    theirs = Enrollment.objects.filter(
        workspace=client.workspace,
        ended_at__isnull=True,
        cohort__peer_messaging_enabled=True,
        program__in=mine.values("program"),
    ).exclude(client=client)
    return _active_members(client).filter(is_client=True, pk__in=theirs.values("client"))


def group_cohorts(member: Membership) -> QuerySet[Cohort]:
    """Cohorts whose group conversation the member may write in."""
    cohorts = Cohort.objects.filter(workspace=member.workspace, messaging_enabled=True)
    if can(member, Cap.INBOXES_ALL):
        return cohorts
    condition = Q(pk__in=_active_enrollments(member).values("cohort"))
    if can(member, Cap.MESSAGES_CLIENTS) and member.is_coach:
        condition |= Q(coach=member)
    return cohorts.filter(condition)


def people_to_write_to(member: Membership) -> QuerySet[Membership]:
    """Everyone "New message" offers this member (one person at a time)."""
    if member.is_client:
        allowed = coaches_of_client(member) | peers_of_client(member)
    else:
        allowed = clients_of_staff(member)
    return (
        allowed.exclude(pk=member.pk)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def may_write_to(sender: Membership, recipient: Membership) -> bool:
    """The server's check of the same rule "New message" follows."""
    return people_to_write_to(sender).filter(pk=recipient.pk).exists()


# Reading ------------------------------------------------------------------------------


def visible_conversations(member: Membership) -> QuerySet[Conversation]:
    """Conversations the member may read.

    Their own (as a participant); for admins, all; for a head coach, those of
    the coaches they lead; for auditors, every coaching and cohort conversation.
    """
    conversations = Conversation.objects.filter(workspace=member.workspace)
    if can(member, Cap.INBOXES_ALL):
        return conversations
    seated = Participant.objects.filter(conversation=OuterRef("pk"), member=member)
    condition = Q(Exists(seated))
    if can(member, Cap.INBOXES_OF_LED_COACHES):
        condition |= Q(coach__team_leader=member)
    if can(member, Cap.MESSAGES_AUDIT):
        condition |= Q(kind__in=[ConversationKind.COACHING, ConversationKind.COHORT])
    return conversations.filter(condition)


def access_conversation(member: Membership, conversation_id: int) -> Conversation:
    """A conversation the member may read, with its coach, client and cohort, or 404."""
    conversation = (
        visible_conversations(member)
        .select_related("coach__user", "client__user", "cohort")
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None:
        raise Http404
    return conversation


def is_participant(member: Membership, conversation: Conversation) -> bool:
    return Participant.objects.filter(conversation=conversation, member=member).exists()


def may_post(member: Membership, conversation: Conversation) -> bool:
    """Whether the member may write in a conversation they can read.

    Auditors never do. Staff who may message clients and see the conversation
    (its coach, an admin, the coach's head coach) may. A client may while the
    conversation is still open to them: peer conversations need peer messaging
    still allowed, a cohort group an active enrolment in the cohort.
    """
    if member.is_client:
        if not is_participant(member, conversation):
            return False
        if conversation.kind == ConversationKind.PEER:
            others = Participant.objects.filter(conversation=conversation).exclude(member=member)
            return peers_of_client(member).filter(pk__in=others.values("member")).exists()
        if conversation.kind == ConversationKind.COHORT:
            return _active_enrollments(member).filter(cohort=conversation.cohort_id).exists()
        return True
    if not can(member, Cap.MESSAGES_CLIENTS):
        return False
    if conversation.kind == ConversationKind.PEER:
        return False
    return visible_conversations(member).filter(pk=conversation.pk).exists()


def may_see_staff_notes(member: Membership, conversation: Conversation) -> bool:
    """Staff notes: its coaches, their head coaches, auditors and admins; never a client.

    Peer conversations have no coach and so no staff notes.
    """
    if member.is_client or not member.is_staff_member:
        return False
    if conversation.kind == ConversationKind.PEER:
        return False
    if not (can(member, Cap.MESSAGES_CLIENTS) or can(member, Cap.MESSAGES_AUDIT)):
        return False
    return visible_conversations(member).filter(pk=conversation.pk).exists()
