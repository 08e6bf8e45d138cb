"""Every change to conversations: starting one, sending, reading, staff notes.

Messages are their own record, so sending one writes no activity event; starting
a conversation and writing a staff note do.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ascend.activity.actions import record_event
from ascend.activity.verbs import Verb
from ascend.lib.errors import field_error
from ascend.lib.markup import render_markdown
from ascend.programs.models import Cohort, Enrollment
from ascend.tenancy.models import Membership

from . import rules
from .access import group_cohorts, is_participant, may_post, may_see_staff_notes, may_write_to
from .models import (
    Attachment,
    Conversation,
    ConversationKind,
    Message,
    Participant,
    ResponseRun,
    StaffNote,
)

MAX_BODY = 10_000
MAX_FILES = 5


def _conversation_for_pair(sender: Membership, recipient: Membership) -> tuple[str, dict]:
    if sender.is_client and recipient.is_client:
        low, high = sorted([sender.pk, recipient.pk])
        return f"peer:{low}:{high}", {"kind": ConversationKind.PEER}
    client, staff = (sender, recipient) if sender.is_client else (recipient, sender)
    return f"coaching:{client.pk}:{staff.pk}", {
        "kind": ConversationKind.COACHING,
        "client": client,
        "coach": staff,
    }


def _get_or_create(workspace, key: str, defaults: dict, *, actor) -> tuple[Conversation, bool]:  # type: ignore[no-untyped-def]
    existing = Conversation.objects.filter(workspace=workspace, key=key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(workspace=workspace, key=key, **defaults)
    except IntegrityError:
        # Both people clicked "send" at once: the other request made it first.
        return Conversation.objects.get(workspace=workspace, key=key), False
    record_event(workspace, Verb.CONVERSATION_STARTED, actor=actor, target=conversation)
    return conversation, True


def _seat(conversation: Conversation, member: Membership) -> None:
    Participant.objects.get_or_create(
        workspace=conversation.workspace, conversation=conversation, member=member
    )


@transaction.atomic
def do_start_conversation(sender: Membership, *, recipient: Membership) -> Conversation:
    """The conversation between the sender and one person they may write to (see ``access``).

    There is one conversation per pair: writing again continues it.
    """
    if recipient.workspace_id != sender.workspace_id or not may_write_to(sender, recipient):
        raise field_error(
            "recipient", _("You can't write to this person."), "recipient_not_allowed"
        )
    key, defaults = _conversation_for_pair(sender, recipient)
    conversation, _created = _get_or_create(sender.workspace, key, defaults, actor=sender.user)
    _seat(conversation, sender)
    _seat(conversation, recipient)
    return conversation


@transaction.atomic
def do_start_cohort_conversation(sender: Membership, *, cohort: Cohort) -> Conversation:
    """The cohort's group conversation, with its coach and its active clients seated."""
    if (
        cohort.workspace_id != sender.workspace_id
        or not group_cohorts(sender).filter(pk=cohort.pk).exists()
    ):
        raise field_error("cohort", _("You can't write to this group."), "cohort_not_allowed")
    conversation, _created = _get_or_create(
        sender.workspace,
        f"cohort:{cohort.pk}",
        {"kind": ConversationKind.COHORT, "cohort": cohort, "coach": cohort.coach},
        actor=sender.user,
    )
    sync_cohort_seats(conversation)
    _seat(conversation, sender)
    return conversation


def sync_cohort_seats(conversation: Conversation) -> None:
    """Seat the cohort's coach and every client actively enrolled (people are never unseated:
    past members keep their history but may no longer write)."""
    cohort = conversation.cohort
    assert cohort is not None
    if conversation.coach_id != cohort.coach_id:
        conversation.coach = cohort.coach
        conversation.save(update_fields=["coach"])
    members = [cohort.coach_id] + list(
        Enrollment.objects.filter(cohort=cohort, ended_at__isnull=True).values_list(
            "client", flat=True
        )
    )
    seated = set(
        Participant.objects.filter(conversation=conversation).values_list("member", flat=True)
    )
    Participant.objects.bulk_create(
        [
            Participant(workspace=conversation.workspace, conversation=conversation, member_id=m)
            for m in dict.fromkeys(members)
            if m not in seated
        ],
        ignore_conflicts=True,
    )


def _check_files(workspace, files: Sequence[UploadedFile]) -> None:  # type: ignore[no-untyped-def]
    if len(files) > MAX_FILES:
        raise field_error(
            "files", _("Attach at most %(n)d files.") % {"n": MAX_FILES}, "too_many_files"
        )
    for upload in files:
        refusal = rules.attachment_refusal(
            upload.name or "",
            upload.size or 0,
            allowed=workspace.attachment_extensions,
            max_mb=workspace.attachment_max_mb,
        )
        if refusal == "type":
            raise field_error(
                "files",
                _("%(name)s: this type of file can't be attached. Allowed: %(types)s.")
                % {
                    "name": upload.name,
                    "types": ", ".join(sorted(workspace.attachment_extensions)),
                },
                "file_type_not_allowed",
            )
        if refusal == "size":
            raise field_error(
                "files",
                _("%(name)s is empty or larger than %(mb)d MB.")
                % {"name": upload.name, "mb": workspace.attachment_max_mb},
                "file_too_large",
            )


def _clean_body(body: str, *, field: str = "body") -> str:
    body = (body or "").strip()
    if not body:
        raise field_error(field, _("Write something first."), "empty")
    if len(body) > MAX_BODY:
        raise field_error(
            field,
            _("Keep it under %(n)d characters.") % {"n": MAX_BODY},
            "too_long",
        )
    return body


@transaction.atomic
def do_send_message(
    conversation: Conversation,
    *,
    author: Membership,
    body: str,
    files: Sequence[UploadedFile] = (),
    sent_at: datetime | None = None,
) -> Message:
    """Write a message in a conversation the author may post in.

    Rules: the text can't be empty; files must be of an allowed type and size
    (workspace settings), at most five. The other participants' unread counts
    grow; a client's message opens a waiting run if none is open, a reply from
    the staff side closes it (``rules.waiting_runs``); a coach's message within
    24 h of an audit of their reply in this conversation records the follow-up.
    Nothing is stored if anything is refused.
    """
    if not may_post(author, conversation):
        raise field_error("body", _("You can't write in this conversation."), "conversation_closed")
    body = _clean_body(body)
    _check_files(conversation.workspace, files)
    now = sent_at or timezone.now()
    has_coach_side = conversation.kind != ConversationKind.PEER
    message = Message.objects.create(
        workspace=conversation.workspace,
        conversation=conversation,
        author=author,
        body=body,
        body_html=render_markdown(body),
        created_at=now,
        is_coach_reply=has_coach_side and author.is_coach and not author.is_client,
    )
    for upload in files:
        Attachment.objects.create(
            workspace=conversation.workspace,
            message=message,
            file=upload,
            name=(upload.name or "file")[-200:],
            content_type=(getattr(upload, "content_type", "") or "application/octet-stream")[:100],
            size=upload.size or 0,
        )
    if not is_participant(author, conversation):
        _seat(conversation, author)  # an admin or head coach answering joins the conversation
    Participant.objects.filter(conversation=conversation).exclude(member=author).update(
        unread_count=F("unread_count") + 1,
        unread_since=Coalesce(F("unread_since"), now),
    )
    Participant.objects.filter(conversation=conversation, member=author).update(
        unread_count=0, unread_since=None, unread_emailed_at=None, last_read_at=now
    )
    if has_coach_side:
        _track_response(conversation, message, from_client=author.is_client)
    if message.is_coach_reply:
        _record_follow_up(conversation, author, now)
    Conversation.objects.filter(pk=conversation.pk).update(
        last_message_at=now, waiting_since=conversation.waiting_since
    )
    conversation.last_message_at = now
    return message


def _track_response(conversation: Conversation, message: Message, *, from_client: bool) -> None:
    """Open or close the conversation's waiting run (see ``rules.waiting_runs``)."""
    if from_client:
        if conversation.waiting_since is None and conversation.coach_id is not None:
            try:
                with transaction.atomic():
                    ResponseRun.objects.create(
                        workspace=conversation.workspace,
                        conversation=conversation,
                        coach_id=conversation.coach_id,
                        first_message=message,
                        started_at=message.created_at,
                    )
                conversation.waiting_since = message.created_at
            except IntegrityError:
                # Another message of the same run was sent at the same instant.
                conversation.waiting_since = ResponseRun.objects.get(
                    conversation=conversation, answered_at__isnull=True
                ).started_at
        return
    run = (
        ResponseRun.objects.select_for_update()
        .filter(conversation=conversation, answered_at__isnull=True)
        .first()
    )
    if run is not None:
        run.answered_at = message.created_at
        run.reply = message
        run.seconds = max(0, int((message.created_at - run.started_at).total_seconds()))
        run.save(update_fields=["answered_at", "reply", "seconds"])
    conversation.waiting_since = None


def _record_follow_up(conversation: Conversation, coach: Membership, now: datetime) -> None:
    from ascend.quality.models import Audit

    Audit.objects.filter(
        conversation=conversation,
        coach=coach,
        followed_up_at__isnull=True,
        created_at__lte=now,
        created_at__gte=now - timedelta(hours=24),
    ).update(followed_up_at=now)


def do_mark_read(conversation: Conversation, member: Membership) -> int:
    """The member has read the conversation: their unread count and unread run end.

    Returns how many messages were unread (0 when there was nothing new).
    """
    seat = Participant.objects.filter(conversation=conversation, member=member).first()
    if seat is None or (seat.unread_count == 0 and seat.unread_since is None):
        return 0
    Participant.objects.filter(pk=seat.pk).update(
        unread_count=0, unread_since=None, unread_emailed_at=None, last_read_at=timezone.now()
    )
    return seat.unread_count


@transaction.atomic
def do_add_staff_note(conversation: Conversation, *, author: Membership, body: str) -> StaffNote:
    """Add a note to the coach communication area; clients never see it."""
    if not may_see_staff_notes(author, conversation):
        raise field_error(
            "body", _("You can't write notes on this conversation."), "notes_not_allowed"
        )
    body = _clean_body(body)
    note = StaffNote.objects.create(
        workspace=conversation.workspace,
        conversation=conversation,
        author=author,
        body=body,
        body_html=render_markdown(body),
    )
    record_event(
        conversation.workspace, Verb.STAFF_NOTE_ADDED, actor=author.user, target=conversation
    )
    return note
