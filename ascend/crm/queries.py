"""Reads of contacts, invitations and packages for the CRM pages, and the one door to each."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from ascend.billing.models import Package, PackageKind
from ascend.programs.models import Enrollment
from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership

from .models import ClientInvitation, ClientNote, ClientTask, Contact, ImportJob


def contacts_for(member: Membership, *, own_only: bool) -> QuerySet[Contact]:
    """Contacts the member may see: every one of the workspace for admins in the team
    portal, the coach's own (``Contact.coach``) in the coach portal; nobody else's."""
    contacts = Contact.objects.filter(workspace=member.workspace)
    if own_only:
        return contacts.filter(coach=member) if member.is_coach else contacts.none()
    return contacts if can(member, Cap.CLIENTS_VIEW_ALL) else contacts.none()


def contact_rows(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    """A list page's rows: type, coach and the open invitation's expiry, in one query."""
    open_invitation = ClientInvitation.objects.filter(
        contact=OuterRef("pk"), accepted_at__isnull=True, revoked_at__isnull=True
    ).order_by()
    return contacts.select_related("client_type", "coach__user").annotate(
        invitation_expires=Subquery(open_invitation.values("expires_at")[:1]),
        invitation_sent=Subquery(open_invitation.values("sent_count")[:1]),
    )


def access_contact(member: Membership, contact_id: int, *, own_only: bool) -> Contact:
    """A contact the member may see, with its type, coach and member, or 404."""
    contact = (
        contacts_for(member, own_only=own_only)
        .select_related("client_type", "coach__user", "member__user", "created_by")
        .filter(pk=contact_id)
        .first()
    )
    if contact is None:
        raise Http404
    return contact


def access_invitation(
    member: Membership, invitation_id: int, *, own_only: bool
) -> ClientInvitation:
    """An invitation of a contact the member may see, or 404."""
    invitation = (
        ClientInvitation.objects.filter(
            pk=invitation_id,
            contact__in=contacts_for(member, own_only=own_only),
        )
        .select_related("workspace", "contact", "coach__user", "package")
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def access_import(member: Membership, job_id: int, *, own_only: bool) -> ImportJob:
    """An import the member may see: a coach's own imports; any import for admins. Else 404."""
    jobs = ImportJob.objects.filter(workspace=member.workspace, pk=job_id)
    if own_only:
        jobs = jobs.filter(coach=member) if member.is_coach else jobs.none()
    elif not can(member, Cap.CLIENTS_VIEW_ALL):
        jobs = jobs.none()
    job = jobs.select_related("coach__user").first()
    if job is None:
        raise Http404
    return job


def coaches(workspace: Any) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(workspace=workspace, is_coach=True, removed_at__isnull=True)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def packages_for_coach(coach: Membership | None) -> QuerySet[Package]:
    """The coach's list: the workspace's one-to-one packages and the coach's own (seed 002)."""
    if coach is None:
        return Package.objects.none()
    return (
        Package.objects.filter(workspace=coach.workspace_id, is_active=True)
        .filter(Q(coach=coach) | Q(coach__isnull=True, kind=PackageKind.ONE_TO_ONE))
        .order_by("name", "id")
    )


def invitation_state(invitation: ClientInvitation) -> str:
    """accepted, revoked, awaiting_payment, expired or pending."""
    if invitation.accepted_at:
        return "accepted"
    if invitation.revoked_at:
        return "revoked"
    if not invitation.sent_count:
        return "awaiting_payment"
    if invitation.is_expired:
        return "expired"
    return "pending"


# The client's side ------------------------------------------------------------------------


def coach_of_client(client: Membership) -> Membership | None:
    """The client's coach, with their user and greeting, in one query: the coach of their
    contact record (who invited them), else the coach of one of their active cohorts."""
    assigned = Contact.objects.filter(workspace=client.workspace_id, member=client)
    cohorts = Enrollment.objects.filter(
        workspace=client.workspace_id, client=client, ended_at__isnull=True
    )
    return (
        Membership.objects.filter(
            workspace=client.workspace_id, is_coach=True, removed_at__isnull=True
        )
        .filter(Q(pk__in=assigned.values("coach")) | Q(pk__in=cohorts.values("cohort__coach")))
        .annotate(assigned=Exists(assigned.filter(coach=OuterRef("pk"))))
        .select_related("user", "greeting")
        .order_by("-assigned", "pk")
        .first()
    )


def tasks_of_client(client: Membership, *, done_days: int = 7, limit: int = 20) -> list[ClientTask]:
    """Open tasks, soonest due first, then those ticked in the last week (one query)."""
    since = timezone.now() - timedelta(days=done_days)
    return list(
        ClientTask.objects.filter(workspace=client.workspace_id, client=client)
        .filter(Q(done_at__isnull=True) | Q(done_at__gte=since))
        .order_by(F("done_at").asc(nulls_first=True), F("due_on").asc(nulls_last=True), "id")[
            :limit
        ]
    )


def shared_notes(client: Membership, *, limit: int = 10) -> list[ClientNote]:
    """The notes the coach shared with the client, newest first; never the private ones."""
    return list(
        ClientNote.objects.filter(workspace=client.workspace_id, client=client, shared=True)
        .select_related("coach__user")
        .order_by("-created_at", "-id")[:limit]
    )
