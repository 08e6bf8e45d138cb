"""Reads of support requests and of the course team's service, scoped to the workspace.

``access_*`` are the one door from a URL: missing and "not yours" are the same 404.
A learner reaches only their own requests; staff with ``Cap.COURSES_SUPPORT`` reach
every request of the workspace.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from ascend.courses.models import Comment, LearnerAccess, Lesson
from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership, Workspace

from .models import RequestStatus, SupportMessage, SupportRequest

ALL = "all"
NOBODY = "none"


def _rows(qs: QuerySet[SupportRequest]) -> QuerySet[SupportRequest]:
    return qs.select_related(
        "learner__user", "answered_by__user", "lesson__module__course__product"
    )


def learner_requests(learner: Membership) -> QuerySet[SupportRequest]:
    """The learner's own requests, latest activity first."""
    if not can(learner, Cap.COURSES_LEARN):
        raise Http404
    return _rows(
        SupportRequest.objects.filter(workspace=learner.workspace, learner=learner)
    ).order_by("-last_message_at", "-id")


def access_learner_request(learner: Membership, request_id: int) -> SupportRequest:
    """One of the learner's own requests; another learner's is a 404."""
    found = learner_requests(learner).filter(pk=request_id).first()
    if found is None:
        raise Http404
    return found


def access_staff_request(member: Membership, request_id: int) -> SupportRequest:
    """A request of the member's workspace, for the support team; else 404."""
    if not can(member, Cap.COURSES_SUPPORT):
        raise Http404
    found = _rows(SupportRequest.objects.filter(workspace=member.workspace, pk=request_id)).first()
    if found is None:
        raise Http404
    return found


def thread(request: SupportRequest) -> list[SupportMessage]:
    """The request's messages in order, with their authors."""
    return list(
        SupportMessage.objects.filter(workspace_id=request.workspace_id, request=request)
        .select_related("author__user")
        .order_by("created_at", "id")
    )


@dataclass(frozen=True)
class QueueFilter:
    status: str = ALL  # open, answered, closed or all
    answered_by: str = ""  # a membership id, "none" (never answered), or "" (anyone)
    q: str = ""


def queue(workspace: Workspace, chosen: QueueFilter) -> QuerySet[SupportRequest]:
    """The support queue: open requests first, the longest waiting on top; then answered
    and closed ones, latest activity first."""
    requests = SupportRequest.objects.filter(workspace=workspace)
    if chosen.status in RequestStatus.values:
        requests = requests.filter(status=chosen.status)
    if chosen.answered_by == NOBODY:
        requests = requests.filter(answered_by__isnull=True)
    elif chosen.answered_by.isdigit() and len(chosen.answered_by) < 10:
        requests = requests.filter(answered_by_id=int(chosen.answered_by))
    if chosen.q:
        requests = requests.filter(
            Q(subject__icontains=chosen.q)
            | Q(learner__user__full_name__icontains=chosen.q)
            | Q(learner__user__email__icontains=chosen.q)
        )
    rank = Case(
        When(status=RequestStatus.OPEN, then=Value(0)),
        When(status=RequestStatus.ANSWERED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    waiting_since = Case(When(status=RequestStatus.OPEN, then=F("last_message_at")))
    return _rows(requests).order_by(
        rank,
        waiting_since.asc(nulls_last=True),
        F("last_message_at").desc(),
        "-id",
    )


def status_counts(workspace: Workspace) -> dict[str, int]:
    """Requests per status (one grouped query)."""
    counts = {s.value: 0 for s in RequestStatus}
    grouped = (
        SupportRequest.objects.filter(workspace=workspace)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    for status, n in grouped:
        counts[status] = n
    counts[ALL] = sum(counts.values())
    return counts


def answerers(workspace: Workspace) -> QuerySet[Membership]:
    """Members who may answer support, for the "answered by" filter."""
    return course_team(workspace)


# The course team --------------------------------------------------------------------


def course_team(workspace: Workspace) -> QuerySet[Membership]:
    """The course team: active owners, admins, supervisors and attendants, by name."""
    return (
        Membership.objects.filter(workspace=workspace, removed_at__isnull=True)
        .filter(Q(is_owner=True) | Q(is_admin=True) | Q(is_supervisor=True) | Q(is_attendant=True))
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def course_team_with_figures(workspace: Workspace) -> QuerySet[Membership]:
    """The course team, each with their service figures, in one query.

    - ``answered``: requests in which they wrote at least one answer;
    - ``average_rating``: the learners' average for the requests they answered
      last (the rating counts for ``answered_by``, as in the reports);
    - ``rated``: how many of those carry a rating;
    - ``moderated``: comments whose latest moderation is theirs (their own replies,
      published at once, are not counted).
    """
    answered = (
        SupportMessage.objects.filter(workspace=workspace, author=OuterRef("pk"), from_staff=True)
        .order_by()
        .values("author")
        .annotate(n=Count("request", distinct=True))
        .values("n")
    )
    ratings = (
        SupportRequest.objects.filter(
            workspace=workspace, answered_by=OuterRef("pk"), rating__isnull=False
        )
        .order_by()
        .values("answered_by")
    )
    moderated = (
        Comment.objects.filter(workspace=workspace, moderated_by=OuterRef("user_id"))
        .exclude(author=OuterRef("pk"))
        .order_by()
        .values("moderated_by")
        .annotate(n=Count("id"))
        .values("n")
    )
    return course_team(workspace).annotate(
        answered=Coalesce(Subquery(answered, output_field=IntegerField()), 0),
        average_rating=Subquery(ratings.annotate(a=Avg("rating")).values("a")),
        rated=Coalesce(
            Subquery(ratings.annotate(n=Count("id")).values("n"), output_field=IntegerField()), 0
        ),
        moderated=Coalesce(Subquery(moderated, output_field=IntegerField()), 0),
    )


def access_team_member(member: Membership, membership_id: int) -> Membership:
    """A course team member, for those who manage the course team; else 404."""
    if not can(member, Cap.COURSES_TEAM):
        raise Http404
    found = course_team(member.workspace).filter(pk=membership_id).first()
    if found is None:
        raise Http404
    return found


def requests_answered_by(member: Membership) -> QuerySet[SupportRequest]:
    """Requests the member answered at least once, latest activity first."""
    ids = SupportMessage.objects.filter(
        workspace=member.workspace, author=member, from_staff=True
    ).values("request_id")
    return _rows(SupportRequest.objects.filter(workspace=member.workspace, pk__in=ids)).order_by(
        "-last_message_at", "-id"
    )


def comments_moderated_by(member: Membership) -> QuerySet[Comment]:
    """Comments whose latest moderation is the member's, latest first."""
    return (
        Comment.objects.filter(workspace=member.workspace, moderated_by=member.user_id)
        .exclude(author=member)
        .select_related("author__user", "lesson")
        .order_by("-moderated_at", "-id")
    )


def learner_lessons(learner: Membership) -> QuerySet[Lesson]:
    """Lessons of the products the learner holds (access not removed), in course order."""
    products = LearnerAccess.objects.filter(
        workspace=learner.workspace, learner=learner, removed_at__isnull=True
    ).values("product_id")
    return (
        Lesson.objects.filter(workspace=learner.workspace, module__course__product_id__in=products)
        .select_related("module__course__product")
        .order_by(
            "module__course__product__name",
            "module__course__position",
            "module__position",
            "position",
            "id",
        )
    )
