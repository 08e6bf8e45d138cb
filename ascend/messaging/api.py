"""The messaging API: conversations, their messages with attachments, read state, staff notes.

Each endpoint applies the rule of the page that does the same thing (``access.py``):

- a client reads and writes their own conversations (with their coach, with
  clients of the same program when allowed, their cohort's group);
- a coach reads and answers their own; a head coach also those of the coaches
  they lead; owners and admins all of them; auditors read coaching and cohort
  conversations and never write;
- staff notes (the coach communication area) are for the conversation's
  coaches, their head coaches, auditors and admins: for anyone else, clients
  above all, a conversation's notes are a 404, exactly like a missing
  conversation; messages answered to clients never carry notes or audits;
- members whose roles have nothing to do with messaging (supervisors,
  attendants, operators) get 403; a conversation someone may not read is a 404,
  exactly like a missing one.

Reading is separate from fetching: ``GET …/messages`` changes nothing (it is
safe to poll); ``POST /conversations/{id}/read`` marks the conversation read
for the caller.

Every write goes through ``ascend.messaging.actions``; their refusals come back
as 422 with the field and a stable code.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.db.models import IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import AfterValidator, Field

from ascend.api.helpers import get_or_404 as _get
from ascend.api.helpers import require as _require
from ascend.api.schemas import ErrorOut
from ascend.lib.errors import field_error
from ascend.programs.models import Cohort, Enrollment
from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership

from . import actions, rules
from .access import (
    access_conversation,
    may_post,
    may_see_staff_notes,
    peers_of_client,
    visible_conversations,
)
from .models import Attachment, Conversation, ConversationKind, Message, Participant, StaffNote

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
# Beyond any real id or offset, and inside what every database accepts as an integer.
MAX_INT = 2**31 - 1

# Roles that have conversations to read at all; anyone else gets 403.
READERS = (Cap.PORTAL_CLIENT, Cap.MESSAGES_CLIENTS, Cap.MESSAGES_AUDIT)
# Roles that may start conversations (auditors read only).
WRITERS = (Cap.PORTAL_CLIENT, Cap.MESSAGES_CLIENTS)

router = Router(tags=["messaging"])


def _no_nul(value: str) -> str:
    # PostgreSQL refuses NUL characters in text; say so instead of failing on save.
    if "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
# A missing ``body`` is an empty message: the action refuses it with its own code (``empty``).
EMPTY_FORM_FIELD = Form("")
Id = Annotated[int, Field(ge=1, le=MAX_INT)]


# Schemas -----------------------------------------------------------------------------------


class MessagingPersonOut(Schema):
    id: int = Field(description="The membership's id in this workspace.")
    name: str
    email: str = Field(description="Empty for other clients when a client asks.")


class CohortBriefOut(Schema):
    id: int
    name: str


class ConversationOut(Schema):
    id: int
    kind: str = Field(description="coaching, peer or cohort.")
    people: list[MessagingPersonOut] = Field(description="Everyone seated in the conversation.")
    coach: MessagingPersonOut | None = Field(
        description="The staff member answering (coaching) or the cohort's coach."
    )
    cohort: CohortBriefOut | None
    last_message_at: datetime | None
    waiting_since: datetime | None = Field(
        description="Staff only: when the client's unanswered run began; null when nobody waits."
    )
    time_left_seconds: int | None = Field(
        description="Staff only: seconds left to the response target; negative once overdue."
    )
    urgency: str | None = Field(description="Staff only: goal, target or overdue while waiting.")
    unread_count: int = Field(description="Messages the caller hasn't read.")
    may_post: bool = Field(description="Whether the caller may write in it now.")
    staff_notes: bool = Field(description="Whether the caller may read its staff notes.")


class ConversationFilter(Schema):
    waiting: bool | None = Field(
        None, description="true: only conversations waiting for an answer, least time left first."
    )
    coach: Annotated[int, Field(ge=-MAX_INT, le=MAX_INT)] | None = Field(
        None, description="The coach's membership id."
    )
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_INT)


class ConversationStartIn(Schema):
    recipient: Id | None = Field(None, description="The membership id of the person to write to.")
    cohort: Id | None = Field(None, description="A cohort id, for its group conversation.")


class MessageAttachmentOut(Schema):
    id: int
    name: str
    size: int = Field(description="Bytes.")
    content_type: str
    url: str = Field(description="Where a signed-in browser downloads it.")
    api_url: str = Field(description="The API's download of the same file (token or session).")


class MessageAuditOut(Schema):
    id: int
    grade: str
    colour: str
    feedback: str
    created_at: datetime
    acknowledged_at: datetime | None
    followed_up_at: datetime | None


class MessageOut(Schema):
    id: int
    conversation_id: int
    author: MessagingPersonOut
    body: str = Field(description="As written (markdown).")
    body_html: str = Field(description="Rendered and sanitised.")
    created_at: datetime
    is_coach_reply: bool
    attachments: list[MessageAttachmentOut]
    audit: MessageAuditOut | None = Field(
        description="Staff who may read the conversation's notes only; always null for clients."
    )


class MessageFilter(Schema):
    after: Annotated[int, Field(ge=0, le=MAX_INT)] | None = Field(
        None, description="Only messages with a greater id (for polling and paging)."
    )
    limit: int = Field(100, ge=1, le=500)


class ReadOut(Schema):
    conversation_id: int
    marked: int = Field(description="How many messages were unread until now.")
    unread_count: int


class StaffNoteOut(Schema):
    id: int
    conversation_id: int
    author: MessagingPersonOut
    body: str
    body_html: str
    created_at: datetime


class StaffNoteIn(Schema):
    body: Text = Field(..., description="Markdown; at most 10,000 characters.")


# Shaping answers ---------------------------------------------------------------------------


def _member(request: HttpRequest) -> Membership:
    return request.membership  # type: ignore[attr-defined,no-any-return]


def person_for(viewer: Membership, m: Membership) -> dict:
    """Someone as the viewer may see them: a client sees other clients' names, not emails."""
    hidden = viewer.is_client and m.is_client and m.pk != viewer.pk
    return {"id": m.id, "name": str(m.user), "email": "" if hidden else m.user.email}


def with_rows(qs: QuerySet[Conversation], member: Membership) -> QuerySet[Conversation]:
    """What a conversation row shows, in two queries however many rows: the conversations
    (with coach, cohort and the caller's unread count) and every seat with its person."""
    mine = Participant.objects.filter(conversation=OuterRef("pk"), member=member)
    return (
        qs.select_related("coach__user", "cohort")
        .annotate(
            caller_unread=Coalesce(
                Subquery(mine.values("unread_count")[:1], output_field=IntegerField()), 0
            )
        )
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=Participant.objects.select_related("member__user").order_by(
                    "joined_at", "id"
                ),
            )
        )
    )


def conversation_out(
    c: Conversation, viewer: Membership, *, now: datetime, post: bool, notes: bool
) -> dict:
    staff = not viewer.is_client
    ws = viewer.workspace
    waiting = c.waiting_since if staff else None
    left = urgency = None
    if waiting is not None:
        left = int(
            rules.time_left(waiting, now, target_hours=ws.response_target_hours).total_seconds()
        )
        urgency = str(
            rules.urgency(
                now - waiting,
                goal_hours=ws.response_goal_hours,
                target_hours=ws.response_target_hours,
            )
        )
    unread = getattr(c, "caller_unread", None)
    if unread is None:
        seat = Participant.objects.filter(conversation=c, member=viewer).first()
        unread = seat.unread_count if seat else 0
    return {
        "id": c.id,
        "kind": c.kind,
        "people": [person_for(viewer, p.member) for p in c.participants.all()],
        "coach": person_for(viewer, c.coach) if c.coach else None,
        "cohort": {"id": c.cohort.id, "name": c.cohort.name} if c.cohort else None,
        "last_message_at": c.last_message_at,
        "waiting_since": waiting,
        "time_left_seconds": left,
        "urgency": urgency,
        "unread_count": unread,
        "may_post": post,
        "staff_notes": notes,
    }


def _one_conversation(member: Membership, conversation_id: int) -> dict:
    conversation = access_conversation(member, conversation_id)
    row = with_rows(Conversation.objects.filter(pk=conversation.pk), member).get()
    return conversation_out(
        row,
        member,
        now=timezone.now(),
        post=may_post(member, conversation),
        notes=may_see_staff_notes(member, conversation),
    )


def attachment_page_url(attachment_id: int) -> str | None:
    """The page route of the messaging pages, when it is installed."""
    try:
        return reverse("messaging:attachment", args=[attachment_id])
    except NoReverseMatch:
        return None


def _attachment_out(a: Attachment) -> dict:
    api_url = reverse("api_v1:messaging_attachment", args=[a.id])
    return {
        "id": a.id,
        "name": a.name,
        "size": a.size,
        "content_type": a.content_type,
        "url": attachment_page_url(a.id) or api_url,
        "api_url": api_url,
    }


def _audit_of(message: Message) -> dict | None:
    try:
        audit = message.audit  # type: ignore[attr-defined]
    except Message.audit.RelatedObjectDoesNotExist:  # type: ignore[attr-defined]
        return None
    return {
        "id": audit.id,
        "grade": audit.grade,
        "colour": audit.colour,
        "feedback": audit.feedback,
        "created_at": audit.created_at,
        "acknowledged_at": audit.acknowledged_at,
        "followed_up_at": audit.followed_up_at,
    }


def message_out(m: Message, viewer: Membership, *, staff_view: bool) -> dict:
    """A message; audits only for staff who may read the conversation's notes (never clients)."""
    return {
        "id": m.id,
        "conversation_id": m.conversation_id,
        "author": person_for(viewer, m.author),
        "body": m.body,
        "body_html": m.body_html,
        "created_at": m.created_at,
        "is_coach_reply": m.is_coach_reply,
        "attachments": [_attachment_out(a) for a in m.attachments.all()],
        "audit": _audit_of(m) if staff_view else None,
    }


def _messages(conversation: Conversation, *, staff_view: bool) -> QuerySet[Message]:
    messages = (
        Message.objects.filter(conversation=conversation)
        .select_related("author__user")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
        .order_by("id")
    )
    if staff_view:
        messages = messages.select_related("audit")
    return messages


def _note_out(n: StaffNote, viewer: Membership) -> dict:
    return {
        "id": n.id,
        "conversation_id": n.conversation_id,
        "author": person_for(viewer, n.author),
        "body": n.body,
        "body_html": n.body_html,
        "created_at": n.created_at,
    }


def access_notes(member: Membership, conversation_id: int) -> Conversation:
    """A conversation whose staff notes the member may read; for anyone else the same 404
    as a missing conversation, so a client can't even learn that notes exist."""
    conversation = access_conversation(member, conversation_id)
    if not may_see_staff_notes(member, conversation):
        raise Http404
    return conversation


# Conversations -----------------------------------------------------------------------------


@router.get(
    "/conversations",
    response={200: list[ConversationOut], **ERRORS},
    summary="List conversations",
)
def list_conversations(request: HttpRequest, filters: Query[ConversationFilter]):  # type: ignore[no-untyped-def]
    """Conversations the caller may read, latest activity first.

    Clients: their own. Coaches: their own; head coaches also those of the
    coaches they lead; owners and admins all; auditors every coaching and
    cohort conversation. Other roles get 403. ``waiting=true`` keeps those
    waiting for an answer, least time left first; ``coach`` one coach's.
    Pages of ``limit`` (at most 500) from ``offset``. ``waiting_since``,
    ``time_left_seconds`` and ``urgency`` are given to staff only.
    """
    member = _require(request, *READERS)
    qs = visible_conversations(member)
    if filters.waiting is not None:
        qs = qs.filter(waiting_since__isnull=not filters.waiting)
    if filters.coach is not None:
        qs = qs.filter(coach_id=filters.coach)
    if filters.waiting:
        qs = qs.order_by("waiting_since", "id")
    else:
        qs = qs.order_by("-last_message_at", "-id")
    page = list(with_rows(qs, member)[filters.offset : filters.offset + filters.limit])
    rows = RowRules(member)
    now = timezone.now()
    return [
        conversation_out(c, member, now=now, post=rows.may_post(c), notes=rows.notes(c))
        for c in page
    ]


class RowRules:
    """``access.may_post`` and ``access.may_see_staff_notes`` for list rows already known to
    be visible to the member: two queries for a client's whole list (none for staff)
    instead of a few per row (``test_api_conversations`` checks they agree with ``access``).
    """

    def __init__(self, member: Membership):
        self.member = member
        self.peers: set[int] = set()
        self.cohorts: set[int] = set()
        if member.is_client:
            self.peers = set(peers_of_client(member).values_list("pk", flat=True))
            self.cohorts = set(
                Enrollment.objects.filter(
                    workspace=member.workspace, client=member, ended_at__isnull=True
                ).values_list("cohort_id", flat=True)
            )

    def may_post(self, c: Conversation) -> bool:
        member = self.member
        if member.is_client:
            seats = [p.member_id for p in c.participants.all()]
            if member.pk not in seats:
                return False
            if c.kind == ConversationKind.PEER:
                return any(m in self.peers for m in seats if m != member.pk)
            if c.kind == ConversationKind.COHORT:
                return c.cohort_id in self.cohorts
            return True
        return can(member, Cap.MESSAGES_CLIENTS) and c.kind != ConversationKind.PEER

    def notes(self, c: Conversation) -> bool:
        member = self.member
        if member.is_client or not member.is_staff_member or c.kind == ConversationKind.PEER:
            return False
        return can(member, Cap.MESSAGES_CLIENTS) or can(member, Cap.MESSAGES_AUDIT)


@router.post(
    "/conversations",
    response={200: ConversationOut, **ERRORS},
    summary="Start (or continue) a conversation",
)
def start_conversation(request: HttpRequest, payload: ConversationStartIn):  # type: ignore[no-untyped-def]
    """The conversation with one person (``recipient``) or a cohort's group (``cohort``).

    There is one conversation per pair and per cohort: asking again answers the
    same conversation. Send exactly one of the two. Clients and staff who
    message clients; others get 403. Refused with 422
    ``recipient_not_allowed`` or ``cohort_not_allowed`` for anyone the caller
    may not write to (the same rule as "New message").
    """
    member = _require(request, *WRITERS)
    if (payload.recipient is None) == (payload.cohort is None):
        raise field_error("recipient", _("Choose one person or one group."), "recipient_or_cohort")
    if payload.recipient is not None:
        recipient = (
            Membership.objects.filter(workspace=member.workspace, pk=payload.recipient)
            .select_related("user", "workspace")
            .first()
        )
        if recipient is None:
            raise field_error(
                "recipient", _("You can't write to this person."), "recipient_not_allowed"
            )
        conversation = actions.do_start_conversation(member, recipient=recipient)
    else:
        cohort = Cohort.objects.filter(workspace=member.workspace, pk=payload.cohort).first()
        if cohort is None:
            raise field_error("cohort", _("You can't write to this group."), "cohort_not_allowed")
        conversation = actions.do_start_cohort_conversation(member, cohort=cohort)
    return _one_conversation(member, conversation.pk)


@router.get(
    "/conversations/{conversation_id}",
    response={200: ConversationOut, **ERRORS},
    summary="A conversation",
)
def get_conversation(request: HttpRequest, conversation_id: int):  # type: ignore[no-untyped-def]
    """One conversation; the same people as the list, 404 for one they may not read."""
    member = _require(request, *READERS)
    return _one_conversation(member, conversation_id)


@router.post(
    "/conversations/{conversation_id}/read",
    response={200: ReadOut, **ERRORS},
    summary="Mark a conversation read",
)
def mark_read(request: HttpRequest, conversation_id: int):  # type: ignore[no-untyped-def]
    """The caller has read the conversation: their unread count goes to 0 and the pending
    "unread messages" email is called off. Fetching messages doesn't mark them read.

    Anyone who may read the conversation; for someone not seated in it nothing changes.
    """
    member = _require(request, *READERS)
    conversation = access_conversation(member, conversation_id)
    marked = actions.do_mark_read(conversation, member)
    return {"conversation_id": conversation.pk, "marked": marked, "unread_count": 0}


# Messages ----------------------------------------------------------------------------------


@router.get(
    "/conversations/{conversation_id}/messages",
    response={200: list[MessageOut], **ERRORS},
    summary="A conversation's messages",
)
def list_messages(request: HttpRequest, conversation_id: int, filters: Query[MessageFilter]):  # type: ignore[no-untyped-def]
    """Messages oldest first, with attachments; ``after`` an id for the ones after it.

    Page through by passing the last id received as ``after`` (at most
    ``limit``, 500, at a time). Reading this changes nothing: mark the
    conversation read with ``POST /conversations/{id}/read``. Staff who may
    read the conversation's notes also get each reply's audit; clients never do.
    """
    member = _require(request, *READERS)
    conversation = access_conversation(member, conversation_id)
    staff_view = may_see_staff_notes(member, conversation)
    messages = _messages(conversation, staff_view=staff_view)
    if filters.after is not None:
        messages = messages.filter(pk__gt=filters.after)
    return [message_out(m, member, staff_view=staff_view) for m in messages[: filters.limit]]


@router.post(
    "/conversations/{conversation_id}/messages",
    response={201: MessageOut, **ERRORS},
    summary="Write a message",
)
def send_message(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    conversation_id: int,
    body: Text = EMPTY_FORM_FIELD,
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
):
    """Write a message (``multipart/form-data``: ``body`` in markdown and up to five ``files``).

    Anyone who may post in the conversation (see the list); an auditor, a
    client of a group they left, or a conversation otherwise closed to the
    caller is refused with 422 ``conversation_closed``; one they can't read is
    a 404. Refused with 422: an empty message (``empty``), a file of a type the
    workspace doesn't allow (``file_type_not_allowed``), one empty or larger
    than the workspace's limit (``file_too_large``), more than five files
    (``too_many_files``). Nothing is stored when anything is refused.
    """
    member = _require(request, *READERS)
    conversation = access_conversation(member, conversation_id)
    message = actions.do_send_message(conversation, author=member, body=body, files=files or [])
    staff_view = may_see_staff_notes(member, conversation)
    created = _messages(conversation, staff_view=staff_view).get(pk=message.pk)
    return Status(201, message_out(created, member, staff_view=staff_view))


@router.get(
    "/attachments/{attachment_id}",
    response={200: None, **ERRORS},
    url_name="messaging_attachment",
    summary="Download an attachment",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, as a download.",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def download_attachment(request: HttpRequest, attachment_id: int):  # type: ignore[no-untyped-def]
    """The file of a message's attachment, for anyone who may read its conversation (else 404).

    Always sent as a download (``application/octet-stream``), whatever was
    uploaded, so that a file never runs as a page of this site.
    """
    member = _require(request, *READERS)
    attachment = _get(
        Attachment.objects.filter(
            workspace=member.workspace,
            message__conversation__in=visible_conversations(member).values("pk"),
        ),
        attachment_id,
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Staff notes -------------------------------------------------------------------------------


@router.get(
    "/conversations/{conversation_id}/staff-notes",
    response={200: list[StaffNoteOut], **ERRORS},
    summary="A conversation's staff notes",
)
def list_staff_notes(request: HttpRequest, conversation_id: int):  # type: ignore[no-untyped-def]
    """The coach communication area, oldest first.

    The conversation's coaches, their head coaches, auditors and admins; for
    anyone else (clients above all) the same 404 as a missing conversation.
    """
    member = _require(request, *READERS)
    conversation = access_notes(member, conversation_id)
    notes = StaffNote.objects.filter(conversation=conversation).select_related("author__user")
    return [_note_out(n, member) for n in notes.order_by("created_at", "id")]


@router.post(
    "/conversations/{conversation_id}/staff-notes",
    response={201: StaffNoteOut, **ERRORS},
    summary="Add a staff note",
)
def add_staff_note(request: HttpRequest, conversation_id: int, payload: StaffNoteIn):  # type: ignore[no-untyped-def]
    """Add a note the client never sees; the same people as reading them (else 404).

    Refused with 422: an empty note (``empty``), one too long (``too_long``).
    """
    member = _require(request, *READERS)
    conversation = access_notes(member, conversation_id)
    note = actions.do_add_staff_note(conversation, author=member, body=payload.body)
    note = StaffNote.objects.select_related("author__user").get(pk=note.pk)
    return Status(201, _note_out(note, member))
