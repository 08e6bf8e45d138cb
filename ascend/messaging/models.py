"""Conversations, their messages and attachments, read state, staff notes and response runs.

DESIGN.md "Messaging and the coach inbox". A conversation is one of three kinds:
a client and a staff member (usually their coach), two clients of the same
program, or the group of a cohort (its coach and clients). Each pair or cohort
has one conversation, so "new message" to the same people continues it.
"""

from __future__ import annotations

import random
import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class ConversationKind(models.TextChoices):
    COACHING = "coaching", _("Client and coach")
    PEER = "peer", _("Between clients")
    COHORT = "cohort", _("Cohort group")


class Conversation(models.Model):
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    kind = models.CharField(max_length=16, choices=ConversationKind.choices)
    # One conversation per pair or cohort: "coaching:<client>:<staff>", "peer:<a>:<b>",
    # "cohort:<id>"; the unique key makes starting one safe against double clicks.
    key = models.CharField(max_length=64)
    # The client of a coaching conversation, and the staff member answering them
    # (whose response times it counts for). A cohort group's coach is the cohort's.
    client = models.ForeignKey(
        "tenancy.Membership", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    coach = models.ForeignKey(
        "tenancy.Membership", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cohort = models.ForeignKey(
        "programs.Cohort", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(null=True, blank=True)
    # Start of the client's waiting run still unanswered (None when nobody waits);
    # kept here so the inbox orders by time left without a subquery.
    waiting_since = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["-last_message_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key"], name="conversation_key_once"),
            models.CheckConstraint(
                condition=~Q(kind="cohort") | Q(cohort__isnull=False),
                name="cohort_conversation_has_cohort",
            ),
        ]
        indexes = [models.Index(fields=["workspace", "coach", "waiting_since"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Participant(models.Model):
    """A member in a conversation, with their read state."""

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    member = models.ForeignKey(
        "tenancy.Membership", on_delete=models.PROTECT, related_name="conversation_seats"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    last_read_at = models.DateTimeField(null=True, blank=True)
    unread_count = models.PositiveIntegerField(default=0)
    # The oldest message not yet read (None when all are read): the "unread run".
    unread_since = models.DateTimeField(null=True, blank=True)
    # One email per unread run: set when the email goes out, cleared on reading.
    unread_emailed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "member"], name="participant_once")
        ]
        indexes = [models.Index(fields=["member", "unread_since"])]

    def __str__(self) -> str:
        return f"{self.member} in {self.conversation_id}"


def _sample_key() -> float:
    return random.random()


class Message(models.Model):
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey("tenancy.Membership", on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"))
    # Markdown rendered and sanitised once, when written.
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # A coach's answer to clients: what response times, audits and quality count.
    is_coach_reply = models.BooleanField(default=False)
    # A stable random number choosing which replies the audit queue samples.
    sample_key = models.FloatField(default=_sample_key)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["conversation", "created_at"]),
            models.Index(fields=["author", "is_coach_reply", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.body[:60]


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name is unguessable; the person's file name is kept on the row.
    return f"messages/{instance.workspace_id}/{uuid.uuid4().hex}/{filename[-80:]}"


class Attachment(models.Model):
    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    objects = ScopedManager(workspace="workspace")

    def __str__(self) -> str:
        return self.name


class StaffNote(models.Model):
    """The coach communication area: notes on a conversation that its client never sees."""

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="staff_notes"
    )
    author = models.ForeignKey("tenancy.Membership", on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("note"))
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class ResponseRun(models.Model):
    """One client waiting run: from their first message still unanswered to the next reply.

    However many messages the client sends in the run, it gives one figure.
    """

    workspace = models.ForeignKey("tenancy.Workspace", on_delete=models.CASCADE)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="response_runs"
    )
    # The coach the figure counts for: the conversation's coach when the run started.
    coach = models.ForeignKey("tenancy.Membership", on_delete=models.PROTECT, related_name="+")
    first_message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField()
    reply = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    seconds = models.PositiveIntegerField(null=True, blank=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation"],
                condition=Q(answered_at__isnull=True),
                name="one_open_run_per_conversation",
            ),
        ]
        indexes = [models.Index(fields=["workspace", "coach", "answered_at"])]

    def __str__(self) -> str:
        return f"run {self.pk} of {self.conversation_id}"
