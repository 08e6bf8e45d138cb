"""Contacts in the team portal (the CRM: every contact) and the coach portal (the coach's own).

The same views serve both portals; ``portal`` (from the URL conf) says which list
the member sees and which capability opens it. Every write goes through an action.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ascend.billing.models import Package
from ascend.lib.forms import apply_validation_error
from ascend.tenancy.access import member_required
from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership

from . import actions, imports, queries
from .actions_client import do_add_client_note, do_add_task, may_coach_client
from .forms import ContactFilterForm, ContactForm, ImportForm, InviteForm, NoteForm, TaskForm
from .models import ClientNote, ClientTask, ClientType, ImportStatus

PAGE_SIZE = 25
PREVIEW_ROWS = 200


@dataclass(frozen=True)
class CrmPortal:
    key: str
    cap: Cap
    own_only: bool

    def url(self, name: str) -> str:
        return f"crm:{self.key}_{name}"

    @property
    def urls(self) -> dict[str, str]:
        names = ["contacts", "contact_new", "contact", "contact_edit", "invite", "import",
                 "import_job", "import_progress", "import_confirm", "invitation_resend",
                 "invitation_revoke", "task_add", "note_add"]  # fmt: skip
        return {name: self.url(name) for name in names}


PORTALS = {
    "team": CrmPortal("team", Cap.CLIENTS_VIEW_ALL, own_only=False),
    "coach": CrmPortal("coach", Cap.PORTAL_COACH, own_only=True),
}


def crm_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Members whose roles open the portal named by the URL's ``portal``; others get 403."""

    @member_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, portal: str, **kwargs: Any) -> HttpResponse:
        crm = PORTALS[portal]
        if not can(request.membership, crm.cap):  # type: ignore[attr-defined]
            raise PermissionDenied
        return view(request, crm, *args, **kwargs)

    return wrapper


def _context(crm: CrmPortal, **extra: Any) -> dict[str, Any]:
    return {"portal": crm.key, "urls": crm.urls, **extra}


def _status(form: Any) -> int:
    return 422 if form.errors else 200


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode() + "&" if query else ""


# The list ------------------------------------------------------------------------------


@crm_view
def contact_list(request: HttpRequest, crm: CrmPortal) -> HttpResponse:
    member = request.membership  # type: ignore[attr-defined]
    workspace = request.workspace  # type: ignore[attr-defined]
    filters = ContactFilterForm(
        request.GET or None,
        types=ClientType.objects.filter(workspace=workspace),
        coaches=None if crm.own_only else queries.coaches(workspace),
    )
    contacts = queries.contacts_for(member, own_only=crm.own_only)
    filtering = False
    if filters.is_valid():
        data = filters.cleaned_data
        if data["q"]:
            contacts = contacts.filter(
                Q(full_name__icontains=data["q"]) | Q(email__icontains=data["q"].lower())
            )
        if data.get("coach"):
            contacts = contacts.filter(coach=data["coach"])
        if data["client_type"]:
            contacts = contacts.filter(client_type=data["client_type"])
        if data["status"]:
            contacts = contacts.filter(status=data["status"])
        filtering = any(data.values())
    page = Paginator(queries.contact_rows(contacts), PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for contact in page:
        contact.invitation_expired = bool(  # type: ignore[attr-defined]
            contact.invitation_expires and contact.invitation_expires <= now  # type: ignore[attr-defined]
        )
    return render(
        request,
        "crm/contact_list.html",
        _context(
            crm,
            page_obj=page,
            filters=filters,
            filtering=filtering,
            querystring_without_page=_query_without_page(request),
        ),
    )


# A contact -----------------------------------------------------------------------------


def _contact_form(request: HttpRequest, crm: CrmPortal, **kwargs: Any) -> ContactForm:
    workspace = request.workspace  # type: ignore[attr-defined]
    actions.client_types(workspace)
    return ContactForm(
        request.POST or None,
        types=ClientType.objects.filter(workspace=workspace),
        coaches=None if crm.own_only else queries.coaches(workspace),
        **kwargs,
    )


@crm_view
def contact_new(request: HttpRequest, crm: CrmPortal) -> HttpResponse:
    member = request.membership  # type: ignore[attr-defined]
    form = _contact_form(request, crm)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contact = actions.do_save_contact(
                request.workspace,  # type: ignore[attr-defined]
                actor=request.user,
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                client_type=data["client_type"],
                coach=member if crm.own_only else data["coach"],
                notes=data["notes"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": contact})
            return redirect(crm.url("contact"), contact.pk)
    return render(request, "crm/contact_form.html", _context(crm, form=form), status=_status(form))


@crm_view
def contact_edit(request: HttpRequest, crm: CrmPortal, contact_id: int) -> HttpResponse:
    contact = queries.access_contact(request.membership, contact_id, own_only=crm.own_only)  # type: ignore[attr-defined]
    initial = {
        "full_name": contact.full_name,
        "email": contact.email,
        "phone": contact.phone,
        "client_type": contact.client_type_id,
        "coach": contact.coach_id,
        "notes": contact.notes,
    }
    form = _contact_form(request, crm, initial=initial)
    open_invitation = contact.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True
    ).exists()
    if contact.member_id or open_invitation:
        # A client signs in with their email, and an invitation was sent to this one:
        # it changes on their account, or after revoking the invitation.
        form.fields["email"].disabled = True
        form.fields["email"].help_text = (
            _("A client changes their email on their own account.")
            if contact.member_id
            else _("Revoke the open invitation to change the email.")
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_save_contact(
                request.workspace,  # type: ignore[attr-defined]
                actor=request.user,
                contact=contact,
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                client_type=data["client_type"],
                coach=contact.coach if crm.own_only else data["coach"],
                notes=data["notes"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": contact})
            return redirect(crm.url("contact"), contact.pk)
    return render(
        request,
        "crm/contact_form.html",
        _context(crm, form=form, contact=contact),
        status=_status(form),
    )


def _contact_page(
    request: HttpRequest,
    crm: CrmPortal,
    contact: Any,
    *,
    task_form: TaskForm | None = None,
    note_form: NoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    from ascend.billing.views_packages import client_holdings
    from ascend.programs.actions import workspace_today

    from .views_client import _with_phrase

    member = request.membership  # type: ignore[attr-defined]
    invitations = list(contact.invitations.select_related("coach__user", "package", "invited_by"))
    for invitation in invitations:
        invitation.state = queries.invitation_state(invitation)
    client = contact.member if contact.member_id and contact.member.is_active else None
    context = _context(
        crm,
        contact=contact,
        invitations=invitations,
        has_open_invitation=any(i.is_pending for i in invitations),
        client=client,
    )
    if client is not None:
        context["holdings"] = client_holdings(client)
        if may_coach_client(member, client):
            context["coaching"] = True
            today = workspace_today(request.workspace)  # type: ignore[attr-defined]
            context["tasks"] = [
                _with_phrase(task, today)
                for task in ClientTask.objects.filter(client=client).order_by(
                    F("done_at").desc(nulls_first=True), F("due_on").asc(nulls_last=True), "id"
                )
            ]
            context["notes"] = ClientNote.objects.filter(client=client).select_related(
                "coach__user"
            )
            context["task_form"] = task_form or TaskForm(prefix="task")
            context["note_form"] = note_form or NoteForm(prefix="note")
    return render(request, "crm/contact_detail.html", context, status=status)


@crm_view
def contact_detail(request: HttpRequest, crm: CrmPortal, contact_id: int) -> HttpResponse:
    contact = queries.access_contact(request.membership, contact_id, own_only=crm.own_only)  # type: ignore[attr-defined]
    return _contact_page(request, crm, contact)


def _coached_client(
    request: HttpRequest, crm: CrmPortal, contact_id: int
) -> tuple[Any, Membership]:
    contact = queries.access_contact(request.membership, contact_id, own_only=crm.own_only)  # type: ignore[attr-defined]
    if contact.member is None or not may_coach_client(request.membership, contact.member):  # type: ignore[attr-defined]
        raise PermissionDenied
    return contact, contact.member


@require_POST
@crm_view
def task_add(request: HttpRequest, crm: CrmPortal, contact_id: int) -> HttpResponse:
    contact, client = _coached_client(request, crm, contact_id)
    form = TaskForm(request.POST, prefix="task")
    if form.is_valid():
        try:
            task = do_add_task(client, actor=request.membership, **form.cleaned_data)  # type: ignore[attr-defined]
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Task added: %(title)s.") % {"title": task.title})
            return redirect(crm.url("contact"), contact.pk)
    return _contact_page(request, crm, contact, task_form=form, status=422)


@require_POST
@crm_view
def note_add(request: HttpRequest, crm: CrmPortal, contact_id: int) -> HttpResponse:
    contact, client = _coached_client(request, crm, contact_id)
    form = NoteForm(request.POST, prefix="note")
    if form.is_valid():
        try:
            note = do_add_client_note(client, actor=request.membership, **form.cleaned_data)  # type: ignore[attr-defined]
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Note shared with %(name)s.") % {"name": contact}
                if note.shared
                else _("Private note saved."),
            )
            return redirect(crm.url("contact"), contact.pk)
    return _contact_page(request, crm, contact, note_form=form, status=422)


# Invitations ---------------------------------------------------------------------------


def _invite_form(request: HttpRequest, crm: CrmPortal, initial: dict[str, Any]) -> InviteForm:
    workspace = request.workspace  # type: ignore[attr-defined]
    member = request.membership  # type: ignore[attr-defined]
    actions.client_types(workspace)
    coaches = None if crm.own_only else queries.coaches(workspace)
    if crm.own_only:
        coach = member
    else:
        coach_id = request.POST.get("coach") or initial.get("coach")
        coach = coaches.filter(pk=coach_id).first() if str(coach_id or "").isdigit() else None  # type: ignore[union-attr]
    return InviteForm(
        request.POST or None,
        initial=initial,
        types=ClientType.objects.filter(workspace=workspace),
        coaches=coaches,
        packages=Package.objects.filter(workspace=workspace),
        offered=list(queries.packages_for_coach(coach)),
    )


@crm_view
def invite(request: HttpRequest, crm: CrmPortal) -> HttpResponse:
    """Invite a client, with one optional package from the coach's list (seed 002)."""
    member = request.membership  # type: ignore[attr-defined]
    initial: dict[str, Any] = {}
    contact_id = request.GET.get("contact", "")
    if contact_id.isdigit():
        contact = queries.contacts_for(member, own_only=crm.own_only).filter(pk=contact_id).first()
        if contact is not None:
            initial = {
                "full_name": contact.full_name,
                "email": contact.email,
                "client_type": contact.client_type_id,
                "coach": contact.coach_id,
            }
    form = _invite_form(request, crm, initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = actions.do_invite_client(
                request.workspace,  # type: ignore[attr-defined]
                actor=member,
                full_name=data["full_name"],
                email=data["email"],
                client_type=data["client_type"],
                coach=member if crm.own_only else data["coach"],
                package=data["package"],
                message=data["message"],
                request=request,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s.") % {"email": invitation.contact.email},
            )
            return redirect(crm.url("contact"), invitation.contact_id)
    return render(request, "crm/invite.html", _context(crm, form=form), status=_status(form))


@require_POST
@crm_view
def invitation_resend(request: HttpRequest, crm: CrmPortal, invitation_id: int) -> HttpResponse:
    invitation = queries.access_invitation(request.membership, invitation_id, own_only=crm.own_only)  # type: ignore[attr-defined]
    try:
        actions.do_resend_client_invitation(invitation, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("A new link was sent to %(email)s; the old one no longer works.")
            % {"email": invitation.contact.email},
        )
    return redirect(crm.url("contact"), invitation.contact_id)


@require_POST
@crm_view
def invitation_revoke(request: HttpRequest, crm: CrmPortal, invitation_id: int) -> HttpResponse:
    invitation = queries.access_invitation(request.membership, invitation_id, own_only=crm.own_only)  # type: ignore[attr-defined]
    try:
        actions.do_revoke_client_invitation(invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The invitation to %(email)s was withdrawn.") % {"email": invitation.contact.email},
        )
    return redirect(crm.url("contact"), invitation.contact_id)


# Import --------------------------------------------------------------------------------


@crm_view
def import_upload(request: HttpRequest, crm: CrmPortal) -> HttpResponse:
    """Upload a CSV file: it is read and checked, and shown as a preview; nothing is created."""
    member = request.membership  # type: ignore[attr-defined]
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > imports.MAX_BYTES:
                raise ValidationError(
                    {"file": _("The file is larger than 5 MB: split it in parts.")}
                )
            job = imports.do_preview_import(
                request.workspace,  # type: ignore[attr-defined]
                upload.read(),
                actor=request.user,
                file_name=upload.name,
                coach=member if crm.own_only else None,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect(crm.url("import_job"), job.pk)
    types = actions.client_types(request.workspace)  # type: ignore[attr-defined]
    return render(
        request,
        "crm/import_upload.html",
        _context(crm, form=form, types=types),
        status=_status(form),
    )


def _job_context(crm: CrmPortal, job: Any, **extra: Any) -> dict[str, Any]:
    return _context(crm, job=job, **extra)


@crm_view
def import_job(request: HttpRequest, crm: CrmPortal, job_id: int) -> HttpResponse:
    """The preview (rows with their errors) before confirming, then the import's progress."""
    job = queries.access_import(request.membership, job_id, own_only=crm.own_only)  # type: ignore[attr-defined]
    rows = []
    if job.status == ImportStatus.PREVIEW:
        with_errors = [r for r in job.rows if r["errors"]]
        valid = [r for r in job.rows if not r["errors"]]
        # Every problem first (up to the limit), then a sample of the valid rows.
        rows = (with_errors + valid)[:PREVIEW_ROWS]
        for row in rows:
            row["messages"] = imports.error_messages(row["errors"])
    return render(
        request,
        "crm/import_job.html",
        _job_context(crm, job, rows=rows, invalid=job.total_rows - job.valid_rows),
    )


@crm_view
def import_progress(request: HttpRequest, crm: CrmPortal, job_id: int) -> HttpResponse:
    """The progress bar alone, polled by htmx until the import is done."""
    job = queries.access_import(request.membership, job_id, own_only=crm.own_only)  # type: ignore[attr-defined]
    return render(request, "crm/_import_progress.html", _job_context(crm, job))


@require_POST
@crm_view
def import_confirm(request: HttpRequest, crm: CrmPortal, job_id: int) -> HttpResponse:
    job = queries.access_import(request.membership, job_id, own_only=crm.own_only)  # type: ignore[attr-defined]
    job = imports.do_confirm_import(job, actor=request.user)
    if job.status == ImportStatus.DONE:
        messages.success(
            request,
            ngettext(
                "%(n)d contact was imported.", "%(n)d contacts were imported.", job.created_count
            )
            % {"n": job.created_count},
        )
    return redirect(crm.url("import_job"), job.pk)
