"""Reads of the Learners page and API: learners with their products, failed emails, history.

A learner is an active client member of the workspace with at least one ``LearnerAccess``
(open, ended or removed: a learner whose access was removed stays listed so it can
be given again). Only ``Cap.COURSES_LEARNERS`` opens these; missing and "not yours"
are the same 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from ascend.notifications.models import DeliveryState, OutboundEmail
from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership, Workspace

from .models import EmailCorrection, LearnerAccess, Product

SORTS = {
    "newest": ("-first_given_at", "-id"),
    "oldest": ("first_given_at", "id"),
}


def _require(member: Membership) -> None:
    if not can(member, Cap.COURSES_LEARNERS):
        raise Http404


def latest_email_state(workspace: Workspace) -> Subquery:
    """The delivery state of the latest email of the workspace to the member's address.

    Rule ("failed email"): a learner's address failed when the latest email sent to
    it bounced; a later email that is queued, sent or delivered clears the flag.
    """
    latest = (
        OutboundEmail.objects.filter(workspace=workspace, to=OuterRef("user__email"))
        .order_by("-created_at", "-id")
        .values("state")[:1]
    )
    return Subquery(latest)


def learners(
    workspace: Workspace,
    *,
    q: str = "",
    product: Product | int | None = None,
    failed_email: bool = False,
    sort: str = "newest",
) -> QuerySet[Membership]:
    """Learners of the workspace, filtered and sorted, each with ``first_given_at``
    (when their first access started), ``email_state`` and ``accesses`` (every access, with its
    product) — the same number of queries however many learners there are."""
    accesses = LearnerAccess.objects.filter(workspace=workspace)
    first_given = (
        accesses.filter(learner=OuterRef("pk")).order_by("starts_at", "id").values("starts_at")[:1]
    )
    rows = (
        Membership.objects.filter(workspace=workspace, removed_at__isnull=True, is_client=True)
        .filter(Exists(accesses.filter(learner=OuterRef("pk"))))
        .annotate(first_given_at=Subquery(first_given), email_state=latest_email_state(workspace))
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "course_accesses",
                queryset=LearnerAccess.objects.filter(workspace=workspace)
                .select_related("product")
                .order_by("product__name", "id"),
                to_attr="accesses",
            )
        )
    )
    if q:
        rows = rows.filter(Q(user__full_name__icontains=q) | Q(user__email__icontains=q.lower()))
    if product is not None:
        product_id = product.pk if isinstance(product, Product) else product
        rows = rows.filter(Exists(accesses.filter(learner=OuterRef("pk"), product_id=product_id)))
    if failed_email:
        rows = rows.filter(email_state=DeliveryState.BOUNCED)
    return rows.order_by(*SORTS.get(sort, SORTS["newest"]))


def access_learner(member: Membership, learner_id: int) -> Membership:
    """A learner of the member's workspace (see ``learners``), or 404."""
    _require(member)
    found = learners(member.workspace).filter(pk=learner_id).first()
    if found is None:
        raise Http404
    return found


def access_learner_access(member: Membership, access_id: int) -> LearnerAccess:
    """One learner's access to one product, in the member's workspace, or 404."""
    _require(member)
    found = (
        LearnerAccess.objects.filter(
            workspace=member.workspace, pk=access_id, learner__removed_at__isnull=True
        )
        .select_related("product", "learner__user", "learner__workspace", "workspace")
        .first()
    )
    if found is None:
        raise Http404
    return found


def products(workspace: Workspace) -> QuerySet[Product]:
    return Product.objects.filter(workspace=workspace).order_by("name", "id")


@dataclass(frozen=True)
class HistoryItem:
    """One line of a learner's email history: an email sent, or an address corrected."""

    at: Any
    kind: str  # "email" or "correction"
    email: OutboundEmail | None = None
    correction: EmailCorrection | None = None


def email_history(learner: Membership, limit: int = 20) -> list[HistoryItem]:
    """The learner's address corrections and the latest emails to them (any address they
    had here, or their account), newest first."""
    corrections = list(
        EmailCorrection.objects.filter(workspace=learner.workspace, learner=learner).select_related(
            "corrected_by"
        )
    )
    addresses = {learner.user.email} | {c.old_email for c in corrections}
    emails = list(
        OutboundEmail.objects.filter(workspace=learner.workspace)
        .filter(Q(user=learner.user) | Q(to__in=sorted(addresses)))
        .only("id", "to", "template", "subject", "state", "error", "created_at", "state_changed_at")
        .order_by("-created_at", "-id")[:limit]
    )
    items = [HistoryItem(e.created_at, "email", email=e) for e in emails] + [
        HistoryItem(c.corrected_at, "correction", correction=c) for c in corrections
    ]
    return sorted(items, key=lambda item: item.at, reverse=True)
