"""The CRM API: contacts and client types, client invitations, and a client's tasks and notes.

Each endpoint applies the rule of the page that does the same thing:

- owners and admins (``Cap.CLIENTS_VIEW_ALL``, the team portal's CRM) read and change
  every contact and invitation of the workspace and pick the coach when inviting;
- a coach (``Cap.PORTAL_COACH``, the coach portal's Contacts) reads and changes their
  own contacts (``Contact.coach``) and invites clients for themselves;
- anyone else is refused with 403; a contact or invitation the caller may not see is
  a 404, exactly like a missing one;
- a client's tasks and notes (``/clients/{id}/…``) are read by the client themselves
  and by whoever may coach them (``actions_client.may_coach_client``: admins, the
  coach of their contact record or of one of their active cohorts); a client reads
  only the notes shared with them, never the private ones; anyone else who may see
  clients gets 404, as for a missing client.

Invitation tokens never leave the server: an answer says an invitation's state, not
its link. Every write goes through ``ascend.crm.actions`` and
``ascend.crm.actions_client``; their refusals come back as 422 with the field and a
stable code, and nothing is half-created.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from ascend.api.helpers import get_or_404 as _get
from ascend.api.helpers import person_out as _person
from ascend.api.helpers import referenced as _referenced
from ascend.api.schemas import ErrorOut
from ascend.billing.models import Package
from ascend.lib.errors import field_error
from ascend.programs.api import MAX_INT, Id, PersonRef, Text
from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership

from . import actions, queries
from .actions_client import do_add_client_note, do_add_task, do_tick_task, may_coach_client
from .models import (
    ClientInvitation,
    ClientNote,
    ClientTask,
    ClientType,
    Contact,
    ContactSource,
    ContactStatus,
)

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}

router = Router()

# Far enough either way for any due date, and clear of the calendar's ends.
Day = Annotated[date, Field(ge=date(1900, 1, 1), le=date(9999, 1, 1))]
# A filter's id: anything storable; an unknown one simply matches nothing.
AnyId = Annotated[int, Field(ge=-MAX_INT, le=MAX_INT)]


# Schemas -----------------------------------------------------------------------------------


class ClientTypeOut(Schema):
    id: int
    name: str
    position: int


class ContactInvitationOut(Schema):
    id: int
    state: str = Field(description="pending, expired or awaiting_payment.")
    expires_at: datetime


class ContactOut(Schema):
    id: int
    full_name: str
    email: str
    phone: str
    client_type: ClientTypeOut
    coach: PersonRef | None
    status: ContactStatus
    source: ContactSource
    notes: str
    member_id: int | None = Field(
        description="The client's membership id once they joined (for /clients/{id}/…)."
    )
    open_invitation: ContactInvitationOut | None = Field(
        description="The invitation waiting for an answer, if any."
    )
    created_at: datetime


class ContactFilter(Schema):
    q: Text | None = Field(None, max_length=200, description="Part of the name or email.")
    coach: AnyId | None = Field(None, description="The coach's membership id (admins).")
    client_type: AnyId | None = Field(None, description="A client type's id.")
    status: ContactStatus | None = None
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_INT)


class ContactIn(Schema):
    full_name: Text = Field(..., max_length=150)
    email: Text = Field(..., max_length=254)
    phone: Text = Field("", max_length=40)
    client_type: Id = Field(..., description="A client type's id (GET /client-types).")
    coach: Id | None = Field(
        None, description="Admins: the coach's membership id. A coach's contact is their own."
    )
    notes: Text = Field("", max_length=10000)


class ContactPatch(Schema):
    full_name: Text | None = Field(None, max_length=150)
    email: Text | None = Field(
        None, max_length=254, description="Only before the contact joined as a client."
    )
    phone: Text | None = Field(None, max_length=40)
    client_type: Id | None = None
    coach: Id | None = Field(None, description="Admins only; null: no coach.")
    notes: Text | None = Field(None, max_length=10000)


class ContactRef(Schema):
    id: int
    full_name: str
    email: str


class InvitedPackageOut(Schema):
    id: int
    name: str


class ClientInvitationOut(Schema):
    id: int
    contact: ContactRef
    coach: PersonRef
    package: InvitedPackageOut | None
    message: str
    state: str = Field(description="pending, expired, awaiting_payment, accepted or revoked.")
    invited_by: str | None = Field(description="Who sent it; null when the system did.")
    created_at: datetime
    last_sent_at: datetime | None
    sent_count: int
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None


class ClientInvitationFilter(Schema):
    contact: AnyId | None = Field(None, description="A contact's id.")
    open: bool | None = Field(
        None, description="true: neither accepted nor revoked; false: closed ones."
    )
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_INT)


class ClientInvitationIn(Schema):
    full_name: Text = Field(..., max_length=150)
    email: Text = Field(..., max_length=254)
    client_type: Id = Field(..., description="A client type's id (GET /client-types).")
    coach: Id | None = Field(
        None, description="Admins: the coach's membership id. A coach invites for themselves."
    )
    package: Id | None = Field(
        None, description="One package from the coach's list, recorded on the client (free)."
    )
    packages: list[Id] | None = Field(
        None,
        description="Accepted for clients that send a list: at most one package per "
        "invitation (two or more: 422 one_package_per_invitation).",
    )
    message: Text = Field("", max_length=2000)


class TaskOut(Schema):
    id: int
    client: PersonRef
    coach: PersonRef
    title: str
    due_on: date | None
    done: bool
    done_at: datetime | None
    created_at: datetime


class TaskFilter(Schema):
    done: bool | None = Field(None, description="true: ticked ones only; false: open ones.")
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_INT)


class TaskIn(Schema):
    title: Text = Field(..., max_length=200)
    due_on: Day | None = None


class TaskDoneIn(Schema):
    done: bool = Field(True, description="false: untick it.")


class ClientNoteOut(Schema):
    id: int
    client: PersonRef
    coach: PersonRef
    body: str = Field(description="As written (markdown).")
    body_html: str = Field(description="Rendered and sanitised.")
    shared: bool = Field(description="Shared with the client; false: private to the coaches.")
    created_at: datetime


class NoteFilter(Schema):
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=MAX_INT)


class ClientNoteIn(Schema):
    body: Text = Field(..., description="Markdown; at most 10,000 characters.")
    shared: bool = Field(False, description="true: the client sees it on their dashboard.")


# Who sees what -----------------------------------------------------------------------------


def _member(request: HttpRequest) -> Membership:
    return request.membership  # type: ignore[attr-defined,no-any-return]


def _own_only(member: Membership) -> bool:
    """The CRM's scope: every contact for admins (False), a coach's own (True); else 403."""
    if can(member, Cap.CLIENTS_VIEW_ALL):
        return False
    if can(member, Cap.PORTAL_COACH):
        return True
    raise PermissionDenied


def _contacts(member: Membership) -> QuerySet[Contact]:
    """The contacts the caller may see, with what a row shows, in one query."""
    open_invitation = ClientInvitation.objects.filter(
        contact=OuterRef("pk"), accepted_at__isnull=True, revoked_at__isnull=True
    ).order_by()
    return queries.contact_rows(queries.contacts_for(member, own_only=_own_only(member))).annotate(
        invitation_id=Subquery(open_invitation.values("pk")[:1])
    )


def _contact_out(c: Contact) -> dict:
    invitation = None
    if c.invitation_id is not None:  # type: ignore[attr-defined]
        expires = c.invitation_expires  # type: ignore[attr-defined]
        if not c.invitation_sent:  # type: ignore[attr-defined]
            state = "awaiting_payment"
        elif expires <= timezone.now():
            state = "expired"
        else:
            state = "pending"
        invitation = {"id": c.invitation_id, "state": state, "expires_at": expires}  # type: ignore[attr-defined]
    return {
        "id": c.id,
        "full_name": c.full_name,
        "email": c.email,
        "phone": c.phone,
        "client_type": {
            "id": c.client_type.id,
            "name": c.client_type.name,
            "position": c.client_type.position,
        },
        "coach": _person(c.coach) if c.coach else None,
        "status": c.status,
        "source": c.source,
        "notes": c.notes,
        "member_id": c.member_id,
        "open_invitation": invitation,
        "created_at": c.created_at,
    }


def _one_contact(member: Membership, contact_id: int) -> dict:
    return _contact_out(_get(_contacts(member), contact_id))


def _invitations(member: Membership) -> QuerySet[ClientInvitation]:
    contacts = queries.contacts_for(member, own_only=_own_only(member))
    return ClientInvitation.objects.filter(
        workspace=member.workspace, contact__in=contacts.values("pk")
    ).select_related("contact", "coach__user", "package", "invited_by")


def _invitation_out(i: ClientInvitation) -> dict:
    return {
        "id": i.id,
        "contact": {"id": i.contact.id, "full_name": i.contact.full_name, "email": i.contact.email},
        "coach": _person(i.coach),
        "package": {"id": i.package.id, "name": i.package.name} if i.package else None,
        "message": i.message,
        "state": queries.invitation_state(i),
        "invited_by": str(i.invited_by) if i.invited_by else None,
        "created_at": i.created_at,
        "last_sent_at": i.last_sent_at,
        "sent_count": i.sent_count,
        "expires_at": i.expires_at,
        "accepted_at": i.accepted_at,
        "revoked_at": i.revoked_at,
    }


def _client_type(member: Membership, type_id: int) -> ClientType:
    return _referenced(  # type: ignore[no-any-return]
        ClientType.objects.filter(workspace=member.workspace), type_id, "client_type"
    )


def _coach(member: Membership, coach_id: int) -> Membership:
    """A membership of this workspace named as a coach (the action checks it is one)."""
    return _referenced(  # type: ignore[no-any-return]
        Membership.objects.filter(workspace=member.workspace).select_related("user"),
        coach_id,
        "coach",
    )


def _check_email_may_change(contact: Contact) -> None:
    """The pages' rule: a client signs in with their email, and an open invitation was sent
    to this one; it changes on their account, or once the invitation is revoked."""
    if contact.member_id:
        message = _("A client changes their email on their own account.")
    elif contact.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).exists():
        message = _("Revoke the open invitation to change the email.")
    else:
        return
    raise field_error("email", message, "email_locked")


def _chosen_coach(member: Membership, coach_id: int | None) -> Membership | None:
    """A coach's contacts and invitations are their own; an admin names the coach (or not)."""
    if _own_only(member):
        return member
    return _coach(member, coach_id) if coach_id is not None else None


# Contacts ----------------------------------------------------------------------------------


@router.get(
    "/client-types",
    response={200: list[ClientTypeOut], **ERRORS},
    tags=["contacts"],
    summary="List client types",
)
def list_client_types(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The workspace's client types in their order (Lead, Prospect, Contact, Client to
    begin with). Admins and coaches; others get 403."""
    member = _member(request)
    _own_only(member)
    return [
        {"id": t.id, "name": t.name, "position": t.position}
        for t in actions.client_types(member.workspace)
    ]


@router.get(
    "/contacts",
    response={200: list[ContactOut], **ERRORS},
    tags=["contacts"],
    summary="List contacts",
)
def list_contacts(request: HttpRequest, filters: Query[ContactFilter]):  # type: ignore[no-untyped-def]
    """Contacts by name: all of the workspace's for owners and admins, a coach's own for a
    coach; 403 for anyone else.

    ``q`` searches names and emails; ``coach``, ``client_type`` and ``status`` filter.
    Pages of ``limit`` (at most 500) from ``offset``.
    """
    member = _member(request)
    contacts = _contacts(member)
    if filters.q:
        contacts = contacts.filter(
            Q(full_name__icontains=filters.q) | Q(email__icontains=filters.q.lower())
        )
    if filters.coach is not None:
        contacts = contacts.filter(coach_id=filters.coach)
    if filters.client_type is not None:
        contacts = contacts.filter(client_type_id=filters.client_type)
    if filters.status is not None:
        contacts = contacts.filter(status=filters.status)
    page = contacts[filters.offset : filters.offset + filters.limit]
    return [_contact_out(c) for c in page]


@router.get(
    "/contacts/{contact_id}",
    response={200: ContactOut, **ERRORS},
    tags=["contacts"],
    summary="A contact",
)
def get_contact(request: HttpRequest, contact_id: int):  # type: ignore[no-untyped-def]
    """One contact (as in the list: 404 when it isn't there for you)."""
    return _one_contact(_member(request), contact_id)


@router.post(
    "/contacts",
    response={201: ContactOut, **ERRORS},
    tags=["contacts"],
    summary="Add a contact",
)
def create_contact(request: HttpRequest, payload: ContactIn):  # type: ignore[no-untyped-def]
    """Add a contact without inviting them; no email is sent. Admins may name a coach; a
    coach's contact is always their own.

    Refused with 422: an email already in the contacts (``duplicate``), a bad email
    (``invalid``), a client type or coach not of this workspace (``not_found``), a
    member who isn't a coach (``not_a_coach``).
    """
    member = _member(request)
    coach = _chosen_coach(member, payload.coach)
    contact = actions.do_save_contact(
        member.workspace,
        actor=request.user,
        full_name=payload.full_name,
        email=payload.email,
        phone=payload.phone,
        client_type=_client_type(member, payload.client_type),
        coach=coach,
        notes=payload.notes,
    )
    return Status(201, _one_contact(member, contact.pk))


@router.patch(
    "/contacts/{contact_id}",
    response={200: ContactOut, **ERRORS},
    tags=["contacts"],
    summary="Change a contact",
)
def update_contact(request: HttpRequest, contact_id: int, payload: ContactPatch):  # type: ignore[no-untyped-def]
    """Change the fields sent. ``coach`` is for admins (``coach: null`` leaves the contact
    without one); a coach's contact stays theirs. The email stays as the invitation was
    sent while one is open, and a client's changes on their own account (as on the pages).

    Refused with 422: an empty required field (``required``), a coach changing the coach
    (``not_allowed``), the email of a client or of a contact with an open invitation
    (``email_locked``), and the refusals of adding a contact.
    """
    member = _member(request)
    own_only = _own_only(member)
    contact = queries.access_contact(member, contact_id, own_only=own_only)
    values = payload.dict(exclude_unset=True)
    for required in ("full_name", "email", "phone", "client_type", "notes"):
        if required in values and values[required] is None:
            raise field_error(required, _("This field can't be empty."), "required")
    coach = contact.coach
    if "coach" in values:
        if own_only:
            if values["coach"] != contact.coach_id:
                raise field_error(
                    "coach", _("Only admins give a contact to another coach."), "not_allowed"
                )
        else:
            coach = _coach(member, values["coach"]) if values["coach"] is not None else None
    email = values.get("email", contact.email)
    if actions.normalize_email(email) != contact.email:
        _check_email_may_change(contact)
    client_type = (
        _client_type(member, values["client_type"])
        if "client_type" in values
        else contact.client_type
    )
    actions.do_save_contact(
        member.workspace,
        actor=request.user,
        contact=contact,
        full_name=values.get("full_name", contact.full_name),
        email=email,
        phone=values.get("phone", contact.phone),
        client_type=client_type,
        coach=coach,
        notes=values.get("notes", contact.notes),
    )
    return _one_contact(member, contact.pk)


# Invitations -------------------------------------------------------------------------------


@router.get(
    "/invitations",
    response={200: list[ClientInvitationOut], **ERRORS},
    tags=["invitations"],
    summary="List client invitations",
)
def list_invitations(request: HttpRequest, filters: Query[ClientInvitationFilter]):  # type: ignore[no-untyped-def]
    """Client invitations, newest first: of every contact for owners and admins, of a
    coach's own contacts for a coach; 403 for anyone else. ``contact`` keeps one contact's,
    ``open`` those waiting for an answer (or the closed ones). Pages of ``limit`` (at most
    500) from ``offset``. The link itself is never given: only the person invited has it.
    """
    member = _member(request)
    invitations = _invitations(member)
    if filters.contact is not None:
        invitations = invitations.filter(contact_id=filters.contact)
    if filters.open is not None:
        still_open = Q(accepted_at__isnull=True, revoked_at__isnull=True)
        invitations = invitations.filter(still_open if filters.open else ~still_open)
    page = invitations.order_by("-created_at", "-id")[
        filters.offset : filters.offset + filters.limit
    ]
    return [_invitation_out(i) for i in page]


def _package_of(member: Membership, payload: ClientInvitationIn) -> Package | None:
    chosen = set(payload.packages or [])
    if payload.package is not None:
        chosen.add(payload.package)
    if len(chosen) > 1:
        field = "packages" if payload.packages else "package"
        raise field_error(
            field,
            _("Choose one package: an invitation comes with at most one."),
            "one_package_per_invitation",
        )
    if not chosen:
        return None
    field = "package" if payload.package is not None else "packages"
    return _referenced(  # type: ignore[no-any-return]
        Package.objects.filter(workspace=member.workspace), chosen.pop(), field
    )


@router.post(
    "/invitations",
    response={201: ClientInvitationOut, **ERRORS},
    tags=["invitations"],
    summary="Invite a client",
)
def create_invitation(request: HttpRequest, payload: ClientInvitationIn):  # type: ignore[no-untyped-def]
    """Invite someone to the client portal: the email goes out under the workspace's name.
    Admins pick the coach, who is told by email; a coach invites for themselves. One
    optional package from the coach's list (the workspace's one-to-one packages and the
    coach's own) is recorded on the client when they accept; nothing is charged.

    Refused with 422, creating nothing: two or more packages
    (``one_package_per_invitation``), a package not on the coach's list
    (``package_not_on_coach_list``) or not on offer (``package_inactive``), someone
    already a member (``already_member``) or already invited (``already_invited``),
    no coach chosen by an admin (``coach_required``), a member who isn't a coach
    (``not_a_coach``), a client type, coach or package not of this workspace
    (``not_found``), a bad email (``invalid``).
    """
    member = _member(request)
    coach = _chosen_coach(member, payload.coach)
    package = _package_of(member, payload)
    invitation = actions.do_invite_client(
        member.workspace,
        actor=member,
        full_name=payload.full_name,
        email=payload.email,
        client_type=_client_type(member, payload.client_type),
        coach=coach,
        package=package,
        message=payload.message,
        request=request,
    )
    return Status(201, _invitation_out(_get(_invitations(member), invitation.pk)))


@router.post(
    "/invitations/{invitation_id}/resend",
    response={200: ClientInvitationOut, **ERRORS},
    tags=["invitations"],
    summary="Resend a client invitation",
)
def resend_invitation(request: HttpRequest, invitation_id: int):  # type: ignore[no-untyped-def]
    """Send a fresh link: the old one stops working and the expiry starts again. Refused
    with 422 ``invitation_closed`` once accepted or revoked."""
    member = _member(request)
    invitation = queries.access_invitation(member, invitation_id, own_only=_own_only(member))
    actions.do_resend_client_invitation(invitation, actor=request.user, request=request)
    return _invitation_out(_get(_invitations(member), invitation.pk))


@router.post(
    "/invitations/{invitation_id}/revoke",
    response={200: ClientInvitationOut, **ERRORS},
    tags=["invitations"],
    summary="Revoke a client invitation",
)
def revoke_invitation(request: HttpRequest, invitation_id: int):  # type: ignore[no-untyped-def]
    """Withdraw an open invitation: its link then says so. Refused with 422
    ``invitation_closed`` once accepted or revoked."""
    member = _member(request)
    invitation = queries.access_invitation(member, invitation_id, own_only=_own_only(member))
    actions.do_revoke_client_invitation(invitation, actor=request.user)
    return _invitation_out(_get(_invitations(member), invitation.pk))


# A client's tasks and notes ----------------------------------------------------------------

# Roles that have clients' tasks and notes to read at all; anyone else gets 403.
CLIENT_READERS = (Cap.PORTAL_CLIENT, Cap.CLIENTS_VIEW_ALL, Cap.PORTAL_COACH)


def access_client(member: Membership, client_id: int) -> Membership:
    """A client whose tasks and notes the member may read: themselves, or one they may
    coach (``may_coach_client``); for anyone else the same 404 as a missing client."""
    if not any(can(member, cap) for cap in CLIENT_READERS):
        raise PermissionDenied
    client = (
        Membership.objects.filter(
            workspace=member.workspace, pk=client_id, is_client=True, removed_at__isnull=True
        )
        .select_related("user")
        .first()
    )
    if client is None or not (client.pk == member.pk or may_coach_client(member, client)):
        raise Http404
    return client


def _coaching(member: Membership, client: Membership) -> None:
    """Writing tasks and notes is for the client's coach and admins: the client gets 403."""
    if client.pk == member.pk:
        raise PermissionDenied


def _tasks(client: Membership) -> QuerySet[ClientTask]:
    return (
        ClientTask.objects.filter(workspace=client.workspace_id, client=client)
        .select_related("client__user", "coach__user")
        .order_by(F("done_at").desc(nulls_first=True), F("due_on").asc(nulls_last=True), "id")
    )


def _task_out(t: ClientTask) -> dict:
    return {
        "id": t.id,
        "client": _person(t.client),
        "coach": _person(t.coach),
        "title": t.title,
        "due_on": t.due_on,
        "done": t.done_at is not None,
        "done_at": t.done_at,
        "created_at": t.created_at,
    }


def _notes(member: Membership, client: Membership) -> QuerySet[ClientNote]:
    notes = ClientNote.objects.filter(workspace=client.workspace_id, client=client)
    if member.pk == client.pk:
        # The client's own answer: shared notes only, never the private ones.
        notes = notes.filter(shared=True)
    return notes.select_related("client__user", "coach__user").order_by("-created_at", "-id")


def _note_out(n: ClientNote) -> dict:
    return {
        "id": n.id,
        "client": _person(n.client),
        "coach": _person(n.coach),
        "body": n.body,
        "body_html": n.body_html,
        "shared": n.shared,
        "created_at": n.created_at,
    }


@router.get(
    "/clients/{client_id}/tasks",
    response={200: list[TaskOut], **ERRORS},
    tags=["client tasks and notes"],
    summary="A client's tasks",
)
def list_tasks(request: HttpRequest, client_id: int, filters: Query[TaskFilter]):  # type: ignore[no-untyped-def]
    """The tasks the coach gave the client: open ones first, soonest due first, then the
    ticked ones, latest first (as on the contact page). The client themselves and whoever
    may coach them (admins, their coach); 404 for anyone else who sees clients, 403 for
    roles that don't. ``done`` filters; pages of ``limit`` (at most 500) from ``offset``."""
    client = access_client(_member(request), client_id)
    tasks = _tasks(client)
    if filters.done is not None:
        tasks = tasks.filter(done_at__isnull=not filters.done)
    return [_task_out(t) for t in tasks[filters.offset : filters.offset + filters.limit]]


@router.post(
    "/clients/{client_id}/tasks",
    response={201: TaskOut, **ERRORS},
    tags=["client tasks and notes"],
    summary="Give a client a task",
)
def add_task(request: HttpRequest, client_id: int, payload: TaskIn):  # type: ignore[no-untyped-def]
    """A task for the client, with an optional due date (a past one shows as late). The
    client's coach or an admin; the client themselves gets 403. Refused with 422: an
    empty title (``title_required``), one too long (``too_long``)."""
    member = _member(request)
    client = access_client(member, client_id)
    _coaching(member, client)
    task = do_add_task(client, actor=member, title=payload.title, due_on=payload.due_on)
    return Status(201, _task_out(_tasks(client).get(pk=task.pk)))


@router.post(
    "/tasks/{task_id}/done",
    response={200: TaskOut, **ERRORS},
    tags=["client tasks and notes"],
    summary="Tick or untick a task",
)
def tick_task(request: HttpRequest, task_id: int, payload: TaskDoneIn | None = None):  # type: ignore[no-untyped-def]
    """The client ticks their task (``done: false`` unticks it); their coach or an admin
    may untick one ticked by mistake. A task of a client the caller may not read is a 404.
    Refused with 422 ``not_your_task`` when anyone but the client ticks it."""
    member = _member(request)
    task = (
        ClientTask.objects.filter(workspace=member.workspace, pk=task_id)
        .select_related("client")
        .first()
    )
    if task is None:
        raise Http404
    client = access_client(member, task.client_id)
    do_tick_task(task, actor=member, done=payload.done if payload else True)
    return _task_out(_get(_tasks(client), task.pk))


@router.get(
    "/clients/{client_id}/notes",
    response={200: list[ClientNoteOut], **ERRORS},
    tags=["client tasks and notes"],
    summary="A client's notes",
)
def list_notes(request: HttpRequest, client_id: int, filters: Query[NoteFilter]):  # type: ignore[no-untyped-def]
    """The coaches' notes about the client, newest first. Whoever may coach the client
    reads every note, private or shared; the client reads only the notes shared with
    them. 404 for anyone else who sees clients, 403 for roles that don't. Pages of
    ``limit`` (at most 500) from ``offset``."""
    member = _member(request)
    client = access_client(member, client_id)
    notes = _notes(member, client)
    return [_note_out(n) for n in notes[filters.offset : filters.offset + filters.limit]]


@router.post(
    "/clients/{client_id}/notes",
    response={201: ClientNoteOut, **ERRORS},
    tags=["client tasks and notes"],
    summary="Write a note about a client",
)
def add_note(request: HttpRequest, client_id: int, payload: ClientNoteIn):  # type: ignore[no-untyped-def]
    """A note about the client: private to coaches and admins, or ``shared`` with the
    client. The client's coach or an admin; the client themselves gets 403. Refused with
    422: an empty note (``body_required``), one too long (``too_long``)."""
    member = _member(request)
    client = access_client(member, client_id)
    _coaching(member, client)
    note = do_add_client_note(client, actor=member, body=payload.body, shared=payload.shared)
    return Status(201, _note_out(_notes(member, client).get(pk=note.pk)))
