"""Every change a learner makes: visits, viewing and completing lessons, ratings,
comments and dismissing announcements (DESIGN.md "Course portal", issue #7).

Each lesson action takes the ``LearnerLesson`` its page found (``queries.learner_lesson``)
and checks again, at ``now``, that it is the actor's own access, still open, and that the
lesson is released: refusals carry the codes ``access_expired`` and ``not_released``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ascend.activity.actions import record_event
from ascend.activity.verbs import Verb
from ascend.lib.errors import field_error
from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership

from .models import (
    Announcement,
    AnnouncementDismissal,
    Comment,
    CommentModeration,
    CommentState,
    LearnerAccess,
    LessonProgress,
    LessonRating,
)
from .queries import LearnerLesson, learner_time_zone, lesson_state, portal_settings

COMMENT_MAX = 5000
# A visit is written at most this often per access, so busy pages don't write every time.
VISIT_PRECISION = timedelta(minutes=1)


def _user(actor: Membership) -> Any:
    return actor.user


def check_open(state: LearnerLesson, *, actor: Membership, now: datetime | None = None) -> None:
    """Refuse unless the lesson is the actor's to open now.

    Rules: only the learner whose access it is, while they may learn; the access
    must not be removed or expired (``access_expired``); the lesson must be released
    on the learner's calendar (``not_released``, ``rules.release_date``).
    """
    if state.access.learner_id != actor.pk or not can(actor, Cap.COURSES_LEARN):
        raise ValidationError(_("This lesson isn't yours to open."), code="not_your_lesson")
    fresh = lesson_state(state.lesson, state.access, learner_time_zone(actor), now)
    if not fresh.access_open:
        raise field_error(
            "lesson",
            _("Your access to this course ended; the lessons are closed."),
            "access_expired",
        )
    if fresh.release_on is not None:
        raise field_error(
            "lesson",
            _("This lesson opens on %(day)s.")
            % {"day": formats.date_format(fresh.release_on, "DATE_FORMAT")},
            "not_released",
        )


def _current_access(state: LearnerLesson) -> LearnerAccess:
    """The access as it is now in the database (it may have been removed or changed)."""
    found = LearnerAccess.objects.filter(pk=state.access.pk, removed_at__isnull=True).first()
    if found is None:
        raise field_error(
            "lesson",
            _("Your access to this course ended; the lessons are closed."),
            "access_expired",
        )
    return found


def _refreshed(state: LearnerLesson) -> LearnerLesson:
    return LearnerLesson(state.lesson, _current_access(state), state.release_on, state.access_open)


def do_record_visit(access: LearnerAccess, *, now: datetime | None = None) -> None:
    """Stamp the learner's first and latest visit to a product.

    Rules: ``first_accessed_at`` is written once; ``last_accessed_at`` moves on at most
    once a minute. One conditional UPDATE, safe when two pages load at once; no
    activity event (a visit is not a change anyone reviews).
    """
    now = now or timezone.now()
    LearnerAccess.objects.filter(pk=access.pk).filter(
        Q(last_accessed_at__isnull=True) | Q(last_accessed_at__lt=now - VISIT_PRECISION)
    ).update(first_accessed_at=Coalesce("first_accessed_at", now), last_accessed_at=now)


def _progress_row(
    state: LearnerLesson, learner: Membership, now: datetime, *, known_missing: bool = False
) -> LessonProgress:
    """The learner's progress row for the lesson, made if missing (safe under a race)."""
    lesson = state.lesson
    if not known_missing:
        found = LessonProgress.objects.filter(learner=learner, lesson=lesson).first()
        if found is not None:
            return found
    try:
        with transaction.atomic():
            return LessonProgress.objects.create(
                workspace_id=lesson.workspace_id,
                learner=learner,
                lesson=lesson,
                first_viewed_at=now,
                last_viewed_at=now,
            )
    except IntegrityError:
        # Another request made it between our read and our insert.
        return LessonProgress.objects.get(learner=learner, lesson=lesson)


def do_view_lesson(
    state: LearnerLesson, *, actor: Membership, now: datetime | None = None
) -> LessonProgress:
    """Record that the learner opened the lesson (and so the product).

    Rules: only an open lesson (``check_open``); the first view stamps
    ``first_viewed_at``, every view ``last_viewed_at``; two requests at once still
    leave one row (the unique constraint, retried). No activity event.
    """
    now = now or timezone.now()
    check_open(state, actor=actor, now=now)
    existing = LessonProgress.objects.filter(learner=actor, lesson=state.lesson).first()
    if existing is None:
        row = _progress_row(state, actor, now, known_missing=True)
    else:
        row = existing
        LessonProgress.objects.filter(pk=row.pk).update(last_viewed_at=now)
        row.last_viewed_at = now
    do_record_visit(state.access, now=now)
    return row


@transaction.atomic
def do_complete_lesson(
    state: LearnerLesson, *, actor: Membership, now: datetime | None = None
) -> LessonProgress:
    """Mark the lesson complete for the learner.

    Rules: only an open lesson of the learner's own, open access (``check_open``);
    completing a completed lesson changes nothing; the completion counts towards the
    product's progress and is recorded as ``course.lesson_completed``.
    """
    now = now or timezone.now()
    state = _refreshed(state)
    check_open(state, actor=actor, now=now)
    row = _progress_row(state, actor, now)
    row = LessonProgress.objects.select_for_update().get(pk=row.pk)
    if row.completed_at is not None:
        return row
    row.completed_at = now
    row.last_viewed_at = max(row.last_viewed_at, now)
    row.save(update_fields=["completed_at", "last_viewed_at"])
    record_event(
        actor.workspace, Verb.LESSON_COMPLETED,
        actor=_user(actor), target=state.lesson, data={"completed": True},
    )  # fmt: skip
    return row


@transaction.atomic
def do_uncomplete_lesson(
    state: LearnerLesson, *, actor: Membership, now: datetime | None = None
) -> LessonProgress | None:
    """Mark the lesson not complete again (a tick given by mistake).

    Rules: the same checks as completing; a lesson not completed changes nothing;
    the change is recorded as ``course.lesson_completed`` with ``completed: false``.
    """
    now = now or timezone.now()
    state = _refreshed(state)
    check_open(state, actor=actor, now=now)
    row = (
        LessonProgress.objects.select_for_update()
        .filter(learner=actor, lesson=state.lesson)
        .first()
    )
    if row is None or row.completed_at is None:
        return row
    row.completed_at = None
    row.save(update_fields=["completed_at"])
    record_event(
        actor.workspace, Verb.LESSON_COMPLETED, actor=_user(actor), target=state.lesson,
        data={"completed": False},
    )  # fmt: skip
    return row


def _stars(value: Any) -> int:
    try:
        stars = int(value)
    except (TypeError, ValueError):
        stars = 0
    if isinstance(value, bool) or str(stars) != str(value).strip() or not 1 <= stars <= 5:
        raise field_error("stars", _("Give the lesson from 1 to 5 stars."), "rating_out_of_range")
    return stars


@transaction.atomic
def do_rate_lesson(
    state: LearnerLesson, *, actor: Membership, stars: Any, now: datetime | None = None
) -> LessonRating:
    """Rate the lesson 1–5 stars; rating again changes the learner's rating.

    Rules: a whole number from 1 to 5 (``rating_out_of_range``, nothing changed);
    only an open lesson (``check_open``); one rating per learner and lesson (the
    database's constraint; a second request at the same moment updates the first).
    """
    count = _stars(stars)
    now = now or timezone.now()
    state = _refreshed(state)
    check_open(state, actor=actor, now=now)
    rating, _created = LessonRating.objects.update_or_create(
        lesson=state.lesson,
        learner=actor,
        defaults={"stars": count, "rated_at": now},
        create_defaults={
            "workspace_id": state.lesson.workspace_id, "stars": count, "rated_at": now,
        },
    )  # fmt: skip
    return rating


@transaction.atomic
def do_comment_on_lesson(
    state: LearnerLesson, *, actor: Membership, body: str, now: datetime | None = None
) -> Comment:
    """Write a comment on a lesson.

    Rules: only while the lesson's comments are on (``comments_off``); only an open
    lesson (``check_open``); 1–5,000 characters. The comment is approved at once when
    the workspace moderates automatically, else it waits in review, seen only by its
    author until staff approve it. Recorded as ``course.lesson_commented``.
    """
    now = now or timezone.now()
    lesson = state.lesson
    if not lesson.comments_enabled:
        raise field_error("body", _("Comments are switched off for this lesson."), "comments_off")
    state = _refreshed(state)
    check_open(state, actor=actor, now=now)
    body = (body or "").strip()
    if not body:
        raise field_error("body", _("Write your comment first."), "body_required")
    if len(body) > COMMENT_MAX:
        raise field_error(
            "body",
            _("Keep your comment under %(n)d characters.") % {"n": COMMENT_MAX},
            "too_long",
        )
    settings = portal_settings(actor.workspace)
    automatic = settings.comment_moderation == CommentModeration.AUTOMATIC
    comment = Comment.objects.create(
        workspace_id=lesson.workspace_id,
        lesson=lesson,
        author=actor,
        body=body,
        state=CommentState.APPROVED if automatic else CommentState.IN_REVIEW,
        created_at=now,
    )
    record_event(
        actor.workspace, Verb.LESSON_COMMENTED, actor=_user(actor), target=lesson,
        data={"comment": comment.pk, "state": comment.state},
    )  # fmt: skip
    return comment


@transaction.atomic
def do_dismiss_announcement(
    announcement: Announcement, *, actor: Membership
) -> AnnouncementDismissal:
    """Hide an announcement from the learner for good.

    Rules: only a learner to whom it is shown — enabled, and for every learner or for
    a product they hold (``not_shown`` otherwise); dismissing twice changes nothing.
    """
    from .queries_learn import shown_announcements

    if not can(actor, Cap.COURSES_LEARN) or announcement.workspace_id != actor.workspace_id:
        raise ValidationError(_("This announcement isn't shown to you."), code="not_shown")
    existing = AnnouncementDismissal.objects.filter(
        announcement=announcement, learner=actor
    ).first()
    if existing is not None:
        return existing
    if not shown_announcements(actor).filter(pk=announcement.pk).exists():
        raise ValidationError(_("This announcement isn't shown to you."), code="not_shown")
    try:
        with transaction.atomic():
            return AnnouncementDismissal.objects.create(
                workspace_id=announcement.workspace_id, announcement=announcement, learner=actor
            )
    except IntegrityError:
        return AnnouncementDismissal.objects.get(announcement=announcement, learner=actor)
