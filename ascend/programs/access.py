"""One door to enrolments and cohorts from the client and coach portals.

Each helper filters by the member's workspace and by what their role may see,
and answers "missing" and "not yours" with the same 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership

from .models import Cohort, Enrollment
from .queries import enrollments_with_content


def access_enrollment(membership: Membership, enrollment_id: int) -> Enrollment:
    """The member's own enrolment (active or ended), with its program content loaded, or 404.

    Only the client enrolled sees it here: other clients, staff and other
    workspaces get the same 404 as for an id that doesn't exist.
    """
    if not can(membership, Cap.PORTAL_CLIENT):
        raise Http404
    enrollment = (
        enrollments_with_content(
            Enrollment.objects.filter(
                workspace=membership.workspace, client=membership, pk=enrollment_id
            )
        )
        .select_related("cohort")
        .first()
    )
    if enrollment is None:
        raise Http404
    return enrollment


def coached_by(membership: Membership, prefix: str = "") -> Q:
    """The condition "a cohort this coach sees": their own, and a head coach's led coaches' too."""
    condition = Q(**{f"{prefix}coach": membership})
    if membership.is_head_coach:
        condition |= Q(**{f"{prefix}coach__team_leader": membership})
    return condition


def visible_cohorts(membership: Membership) -> QuerySet[Cohort]:
    """Cohorts the coach teaches, plus those of the coaches a head coach leads; none for others."""
    if not can(membership, Cap.PORTAL_COACH):
        return Cohort.objects.none()
    return Cohort.objects.filter(coached_by(membership), workspace=membership.workspace)


def access_cohort(membership: Membership, cohort_id: int) -> Cohort:
    """A cohort the coach sees (``visible_cohorts``), with its program and coach, or 404."""
    cohort = (
        visible_cohorts(membership)
        .select_related("program", "coach__user")
        .filter(pk=cohort_id)
        .first()
    )
    if cohort is None:
        raise Http404
    return cohort
