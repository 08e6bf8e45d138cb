"""Every change to support requests: a learner asks, staff answer, the learner rates.

DESIGN.md "Course portal" and seed 003. A request is a thread; its status says whose
turn it is: **open** (waiting for the team), **answered** (the team answered last),
**closed** (nothing more expected; a new message from either side brings it back).
The rating (1–5) counts for the staff member who answered last (``answered_by``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from ascend.activity.actions import record_event
from ascend.activity.verbs import Verb
from ascend.courses.models import LearnerAccess, Lesson
from ascend.lib.errors import field_error
from ascend.lib.urls import workspace_url
from ascend.notifications.outbox import send_email
from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership

from .models import RequestStatus, SupportMessage, SupportRequest

SUBJECT_MAX_LENGTH = 150
MESSAGE_MAX_LENGTH = 10000
PREVIEW_LENGTH = 300
RATING_MIN, RATING_MAX = 1, 5


def _clean_subject(subject: str) -> str:
    text = " ".join((subject or "").split())
    if not text:
        raise field_error("subject", _("Say in a few words what you need."), "required")
    if len(text) > SUBJECT_MAX_LENGTH:
        raise field_error(
            "subject",
            _("A subject is at most %(n)s characters.") % {"n": SUBJECT_MAX_LENGTH},
            "too_long",
        )
    return text


def clean_message(body: str, field: str = "body") -> str:
    """A message's text: required, at most 10,000 characters (markdown, cleaned when shown)."""
    text = (body or "").strip()
    if not text:
        raise field_error(field, _("Write your message."), "required")
    if len(text) > MESSAGE_MAX_LENGTH:
        raise field_error(
            field,
            _("A message is at most %(n)s characters.") % {"n": f"{MESSAGE_MAX_LENGTH:,}"},
            "too_long",
        )
    return text


def learner_holds_lesson(learner: Membership, lesson: Lesson) -> bool:
    """Whether the lesson belongs to a product the learner holds (access not removed).

    An expired access still counts: a learner whose access ran out may ask about it.
    """
    return LearnerAccess.objects.filter(
        workspace=learner.workspace,
        learner=learner,
        product_id=lesson.module.course.product_id,
        removed_at__isnull=True,
    ).exists()


def _check_learner(request: SupportRequest, learner: Membership) -> None:
    if request.learner_id != learner.pk or not can(learner, Cap.COURSES_LEARN):
        raise field_error("body", _("Only the learner who asked writes here."), "not_allowed")


def _check_staff(request: SupportRequest, staff: Membership) -> None:
    if staff.workspace_id != request.workspace_id or not can(staff, Cap.COURSES_SUPPORT):
        raise field_error("body", _("Only the support team answers here."), "not_allowed")


@transaction.atomic
def do_ask_for_support(
    learner: Membership,
    *,
    subject: str,
    body: str,
    lesson: Lesson | None = None,
    actor: Any,
) -> SupportRequest:
    """A learner asks the team for help, from a lesson or from the portal.

    Rules: only learners (``Cap.COURSES_LEARN``); a subject (at most 150
    characters) and a message are required; a lesson, when given, must be of a
    product the learner holds (``lesson_not_yours`` otherwise). The request opens
    waiting for an answer; nothing is written on a refusal.
    """
    if not can(learner, Cap.COURSES_LEARN):
        raise field_error("subject", _("Only learners ask for support here."), "not_allowed")
    clean_subject = _clean_subject(subject)
    text = clean_message(body)
    if lesson is not None and (
        lesson.workspace_id != learner.workspace_id or not learner_holds_lesson(learner, lesson)
    ):
        raise field_error(
            "lesson", _("Choose a lesson of a course you have access to."), "lesson_not_yours"
        )
    now = timezone.now()
    request = SupportRequest.objects.create(
        workspace=learner.workspace,
        learner=learner,
        lesson=lesson,
        subject=clean_subject,
        status=RequestStatus.OPEN,
        created_at=now,
        last_message_at=now,
    )
    SupportMessage.objects.create(
        workspace=learner.workspace,
        request=request,
        author=learner,
        from_staff=False,
        body=text,
        created_at=now,
    )
    record_event(
        learner.workspace,
        Verb.SUPPORT_REQUESTED,
        actor=actor,
        target=request,
        data={"lesson": lesson.pk if lesson else None},
    )
    return request


def _locked(request: SupportRequest) -> SupportRequest:
    """The request re-read under a row lock, so two answers at once can't both win."""
    return SupportRequest.objects.select_for_update().get(pk=request.pk)


@transaction.atomic
def do_learner_reply(
    request: SupportRequest, *, learner: Membership, body: str, actor: Any
) -> SupportMessage:
    """The learner writes again in their own request.

    Rules: only the learner who asked; a message is required. The request goes
    back to **open** (waiting for the team), whether it was answered or closed.
    """
    _check_learner(request, learner)
    text = clean_message(body)
    locked = _locked(request)
    now = timezone.now()
    message = SupportMessage.objects.create(
        workspace_id=locked.workspace_id,
        request=locked,
        author=learner,
        from_staff=False,
        body=text,
        created_at=now,
    )
    locked.status = RequestStatus.OPEN
    locked.last_message_at = now
    locked.save(update_fields=["status", "last_message_at"])
    request.status, request.last_message_at = locked.status, now
    record_event(
        locked.workspace,
        Verb.SUPPORT_REQUESTED,
        actor=actor,
        target=locked,
        data={"follow_up": True},
    )
    return message


def _answered_email(request: SupportRequest, staff: Membership, text: str, http: Any) -> None:
    learner = request.learner.user
    preview = text if len(text) <= PREVIEW_LENGTH else text[: PREVIEW_LENGTH - 1] + "…"
    send_email(
        workspace=request.workspace,
        to=learner.email,
        user=learner,
        template="support_answered",
        context={
            "recipient_name": learner.get_short_name(),
            "staff_name": str(staff.user),
            "subject": request.subject,
            "preview": preview,
            "thread_url": workspace_url(
                request.workspace, reverse("support:learner_thread", args=[request.pk]), http
            ),
        },
    )


@transaction.atomic
def do_answer_support(
    request: SupportRequest,
    *,
    staff: Membership,
    body: str,
    actor: Any,
    http_request: Any = None,
) -> SupportMessage:
    """A staff member answers a learner's request.

    Rules: staff with ``Cap.COURSES_SUPPORT`` of the request's workspace; a
    message is required. The request becomes **answered**, ``answered_by`` the
    one answering (their rating counts), ``first_answered_at`` is stamped on the
    first answer only, ``last_message_at`` now. The learner is emailed
    ("support_answered", with a link to the thread) once the answer is saved.
    """
    _check_staff(request, staff)
    text = clean_message(body)
    locked = _locked(request)
    now = timezone.now()
    message = SupportMessage.objects.create(
        workspace_id=locked.workspace_id,
        request=locked,
        author=staff,
        from_staff=True,
        body=text,
        created_at=now,
    )
    locked.status = RequestStatus.ANSWERED
    locked.answered_by = staff
    locked.first_answered_at = locked.first_answered_at or now
    locked.last_message_at = now
    locked.save(update_fields=["status", "answered_by", "first_answered_at", "last_message_at"])
    for field in ("status", "answered_by", "first_answered_at", "last_message_at"):
        setattr(request, field, getattr(locked, field))
    record_event(
        locked.workspace,
        Verb.SUPPORT_ANSWERED,
        actor=actor,
        target=locked,
        data={"staff": staff.pk},
    )
    _answered_email(locked, staff, text, http_request)
    return message


@transaction.atomic
def do_close_support(
    request: SupportRequest, *, staff: Membership, actor: Any, reopen: bool = False
) -> SupportRequest:
    """Staff close a request (nothing more expected), or reopen a closed one.

    Rules: staff with ``Cap.COURSES_SUPPORT``. Reopening gives back the status
    the thread's last message implies: **answered** if the team wrote last,
    else **open**. Closing or reopening twice changes nothing more. Recorded as
    a ``SUPPORT_CLOSED`` or ``SUPPORT_REOPENED`` event.
    """
    _check_staff(request, staff)
    locked = _locked(request)
    if reopen:
        if locked.status != RequestStatus.CLOSED:
            return locked
        last = locked.messages.order_by("-created_at", "-id").first()
        locked.status = (
            RequestStatus.ANSWERED if last is not None and last.from_staff else RequestStatus.OPEN
        )
    else:
        if locked.status == RequestStatus.CLOSED:
            return locked
        locked.status = RequestStatus.CLOSED
    locked.save(update_fields=["status"])
    request.status = locked.status
    record_event(
        locked.workspace,
        Verb.SUPPORT_REOPENED if reopen else Verb.SUPPORT_CLOSED,
        actor=actor,
        target=locked,
    )
    return locked


def check_rating(rating: Any) -> int:
    """A rating is a whole number of stars from 1 to 5; anything else is refused."""
    if isinstance(rating, bool) or not isinstance(rating, int):
        try:
            rating = int(str(rating).strip())
        except (TypeError, ValueError):
            rating = None
    if rating is None or not RATING_MIN <= rating <= RATING_MAX:
        raise field_error("rating", _("Choose from 1 to 5 stars."), "rating_out_of_range")
    return int(rating)


@transaction.atomic
def do_rate_support(
    request: SupportRequest, *, learner: Membership, rating: Any, actor: Any
) -> SupportRequest:
    """The learner rates the answers to their request, 1–5 stars; rating again changes it.

    Rules: only the learner who asked; only once the team has answered
    (``not_answered_yet``); a rating outside 1–5 is refused
    (``rating_out_of_range``) and nothing changes. The rating counts for whoever
    answered last (``answered_by``).
    """
    _check_learner(request, learner)
    stars = check_rating(rating)
    locked = _locked(request)
    if locked.first_answered_at is None:
        raise field_error(
            "rating", _("You can rate once the team has answered."), "not_answered_yet"
        )
    locked.rating = stars
    locked.rated_at = timezone.now()
    locked.save(update_fields=["rating", "rated_at"])
    request.rating, request.rated_at = locked.rating, locked.rated_at
    record_event(
        locked.workspace,
        Verb.SUPPORT_RATED,
        actor=actor,
        target=locked,
        data={"rating": stars, "staff": locked.answered_by_id},
    )
    return locked


@transaction.atomic
def do_resend_team_access(member: Membership, *, actor: Any, http_request: Any = None) -> None:
    """Email a course team member a link to set their password and sign in.

    Rules: only active staff members (not learners); the link is Django's
    password-reset link (single use, it stops working once the password changes
    or after ``PASSWORD_RESET_TIMEOUT``), sent through the outbox in the
    member's language. Recorded as ``COURSE_ACCESS_SENT`` marked ``team``.
    """
    if not member.is_active or not member.is_staff_member:
        raise field_error("member", _("Only team members are sent access here."), "not_team")
    user = member.user
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", args=[uid, token])
    send_email(
        workspace=member.workspace,
        to=user.email,
        user=user,
        template="password_reset",
        context={
            "recipient_name": user.get_short_name(),
            "reset_url": workspace_url(member.workspace, path, http_request),
        },
    )
    record_event(
        member.workspace,
        Verb.COURSE_ACCESS_SENT,
        actor=actor,
        target=member,
        data={"team": True},
    )
