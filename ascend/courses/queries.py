"""Reads of the course portal, scoped to the workspace and to what the role may see.

The ``access_*`` functions are the one door to an object from a URL: missing and
"not yours" give the same 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import Http404
from django.utils import timezone

from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership, Workspace

from . import rules
from .models import Course, LearnerAccess, Lesson, Module, PortalSettings, Product


def portal_settings(workspace: Workspace) -> PortalSettings:
    """The workspace's course portal settings, made with the defaults on first use."""
    found, _ = PortalSettings.objects.get_or_create(workspace=workspace)
    return found


def _staff_may_see_content(member: Membership) -> bool:
    return any(
        can(member, cap) for cap in (Cap.COURSES_MANAGE, Cap.COURSES_COMMENTS, Cap.COURSES_PROGRESS)
    )


def _staff_door(member: Membership, model: type[Any], pk: int, *related: str) -> Any:
    """One of the workspace's course objects, for staff who manage or follow courses; else 404."""
    if not _staff_may_see_content(member):
        raise Http404
    found = model.objects.filter(workspace=member.workspace, pk=pk).select_related(*related).first()
    if found is None:
        raise Http404
    return found


def access_product(member: Membership, product_id: int) -> Product:
    """A product of the member's workspace, for staff who manage or follow courses."""
    return _staff_door(member, Product, product_id)


def access_course(member: Membership, course_id: int) -> Course:
    return _staff_door(member, Course, course_id, "product")


def access_module(member: Membership, module_id: int) -> Module:
    return _staff_door(member, Module, module_id, "course__product")


def access_lesson(member: Membership, lesson_id: int) -> Lesson:
    """A lesson for staff (content, comments, progress)."""
    return _staff_door(member, Lesson, lesson_id, "module__course__product")


def learner_accesses(learner: Membership) -> list[LearnerAccess]:
    """The learner's products (open, expired; not removed), newest first, with the product."""
    return list(
        LearnerAccess.objects.filter(
            workspace=learner.workspace, learner=learner, removed_at__isnull=True
        ).select_related("product")
    )


def learner_product_access(learner: Membership, product_id: int) -> LearnerAccess:
    """The learner's access to a product (even expired: the page says so); else 404."""
    if not can(learner, Cap.COURSES_LEARN):
        raise Http404
    found = (
        LearnerAccess.objects.filter(
            workspace=learner.workspace,
            learner=learner,
            product_id=product_id,
            removed_at__isnull=True,
        )
        .select_related("product")
        .first()
    )
    if found is None:
        raise Http404
    return found


def learner_time_zone(learner: Membership) -> str:
    """Drip dates are the learner's days: their own time zone, else the workspace's."""
    return learner.user.time_zone or learner.workspace.time_zone


@dataclass(frozen=True)
class LearnerLesson:
    """A lesson as one learner may see it: whether their access is open and the lesson released."""

    lesson: Lesson
    access: LearnerAccess
    release_on: date | None  # the learner's day it opens, when still closed by drip
    access_open: bool

    @property
    def is_open(self) -> bool:
        return self.access_open and self.release_on is None


def lesson_state(lesson: Lesson, access: LearnerAccess, time_zone: str, now=None) -> LearnerLesson:  # type: ignore[no-untyped-def]
    """Whether this learner may open the lesson now (access open, lesson released)."""
    now = now or timezone.now()
    days = rules.release_days(lesson.module.release_after_days, lesson.release_after_days)
    release_on = None
    if not rules.is_released(access.starts_at, days, time_zone, now):
        release_on = rules.release_date(access.starts_at, days, time_zone)
    return LearnerLesson(lesson, access, release_on, access.is_open(now))


def learner_lesson(learner: Membership, lesson_id: int) -> LearnerLesson:
    """A lesson of a product the learner holds (not removed); else 404.

    An expired access or an unreleased lesson is still found: the page explains
    why it is closed instead of pretending the lesson does not exist.
    """
    if not can(learner, Cap.COURSES_LEARN):
        raise Http404
    lesson = (
        Lesson.objects.filter(workspace=learner.workspace, pk=lesson_id)
        .select_related("module__course__product")
        .first()
    )
    if lesson is None:
        raise Http404
    access = LearnerAccess.objects.filter(
        workspace=learner.workspace,
        learner=learner,
        product_id=lesson.module.course.product_id,
        removed_at__isnull=True,
    ).first()
    if access is None:
        raise Http404
    return lesson_state(lesson, access, learner_time_zone(learner))
