"""Moderating lesson comments and staff replies (seed 003, DESIGN.md "Course portal").

Staff who hold ``Cap.COURSES_COMMENTS`` approve, reject or mark comments as spam,
one or many at once, and reply to them. Learners see approved comments (and their
own still in review); the learner side lives in ``api_learn``/``views_learn``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ascend.activity.actions import record_event
from ascend.activity.verbs import Verb
from ascend.lib.errors import field_error
from ascend.tenancy.models import Membership, Workspace

from .models import Comment, CommentState

# What a moderator may decide; "in review" is where comments wait, not a decision.
MODERATION_STATES = frozenset({CommentState.APPROVED, CommentState.REJECTED, CommentState.SPAM})
REPLY_MAX_LENGTH = 5000
# A bulk action names at most a page of comments many times over; more is a mistake.
MAX_IDS = 1000


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def check_moderation_state(state: str) -> CommentState:
    """The decision named by ``state``: approved, rejected or spam; anything else is refused."""
    if state not in MODERATION_STATES:
        raise field_error("state", _("Choose approve, reject or mark as spam."), "bad_state")
    return CommentState(state)


@transaction.atomic
def do_moderate_comments(
    workspace: Workspace, ids: Iterable[int], state: str, *, actor: Any
) -> int:
    """Put the comments named by ``ids`` in ``state`` (approved, rejected or spam).

    Rules: an unknown state is refused (``bad_state``) and nothing changes; ids
    of another workspace, or of no comment, are ignored. One UPDATE stamps who
    moderated and when, even for comments already in that state (the latest
    decision is the one on record). One ``COMMENTS_MODERATED`` event carries the
    number of comments changed; nothing is recorded when none was. Returns how
    many comments were moderated.
    """
    decided = check_moderation_state(state)
    wanted = sorted({int(i) for i in ids})[:MAX_IDS]
    if not wanted:
        return 0
    count = Comment.objects.filter(workspace=workspace, pk__in=wanted).update(
        state=decided, moderated_by=_user(actor), moderated_at=timezone.now()
    )
    if count:
        record_event(
            workspace,
            Verb.COMMENTS_MODERATED,
            actor=actor,
            data={"count": count, "state": decided.value},
        )
    return count


@transaction.atomic
def do_reply_to_comment(comment: Comment, *, author: Membership, body: str, actor: Any) -> Comment:
    """A staff member's reply under a comment; it is approved at once.

    Rules: the text is required, at most 5,000 characters (markdown, cleaned when
    shown). Replies hang under the thread's first comment, so a reply to a reply
    joins the same thread. Replying to a comment still in review approves that
    comment too (staff answering it is staff accepting it), stamped like any
    moderation; a rejected or spam comment can't be answered (learners don't see
    it), refused with ``comment_hidden``. The author must be staff of the
    comment's workspace.
    """
    if author.workspace_id != comment.workspace_id or not author.is_staff_member:
        raise field_error("body", _("Only the team replies to comments here."), "not_allowed")
    text = (body or "").strip()
    if not text:
        raise field_error("body", _("Write your reply."), "required")
    if len(text) > REPLY_MAX_LENGTH:
        raise field_error(
            "body",
            _("A reply is at most %(n)s characters.") % {"n": f"{REPLY_MAX_LENGTH:,}"},
            "too_long",
        )
    thread = comment.parent or comment
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    if locked.state in (CommentState.REJECTED, CommentState.SPAM):
        raise field_error(
            "body",
            _("This comment was rejected or marked as spam: approve it before replying."),
            "comment_hidden",
        )
    now = timezone.now()
    if locked.state == CommentState.IN_REVIEW:
        Comment.objects.filter(pk=locked.pk).update(
            state=CommentState.APPROVED, moderated_by=_user(actor), moderated_at=now
        )
        comment.state = CommentState.APPROVED
        comment.moderated_by = _user(actor)
        comment.moderated_at = now
        record_event(
            comment.workspace,
            Verb.COMMENTS_MODERATED,
            actor=actor,
            data={"count": 1, "state": CommentState.APPROVED.value, "by_reply": True},
        )
    reply = Comment(
        workspace_id=comment.workspace_id,
        lesson_id=comment.lesson_id,
        author=author,
        parent=thread,
        body=text,
        state=CommentState.APPROVED,
        created_at=now,
        moderated_by=_user(actor),
        moderated_at=now,
    )
    reply.full_clean(exclude=["workspace", "lesson", "author", "parent"])
    reply.save()
    record_event(
        comment.workspace,
        Verb.LESSON_COMMENTED,
        actor=actor,
        target=reply,
        data={"lesson": comment.lesson_id, "reply_to": comment.pk, "staff": True},
    )
    return reply
