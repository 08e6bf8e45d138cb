"""Conversation pages in the three portals: reading, replying, polling, staff notes, new
messages and attachment downloads.

The same page serves every portal; only the decorator (who may enter the portal)
and the links differ. Every lookup goes through ``access.access_conversation``
(missing and "not yours" are the same 404); every write through ``actions``.
A reply or note sent with htmx answers with fragments (a mistake inside a 200,
since htmx swaps only 2xx); without JavaScript, a POST redirects back.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ascend.lib.errors import field_error
from ascend.lib.forms import apply_validation_error
from ascend.programs.models import Cohort
from ascend.tenancy.access import capability_required, member_required
from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership

from .access import (
    access_conversation,
    group_cohorts,
    may_post,
    may_see_staff_notes,
    people_to_write_to,
    visible_conversations,
)
from .actions import (
    do_add_staff_note,
    do_mark_read,
    do_send_message,
    do_start_cohort_conversation,
    do_start_conversation,
)
from .forms import InboxFilterForm, NewMessageForm, ReplyForm, StaffNoteForm
from .models import Attachment, Conversation, ConversationKind, Message
from .presenting import conversation_title, waiting_of
from .queries import (
    InboxState,
    conversation_messages,
    conversations_of,
    inbox_coaches,
    inbox_counts,
    inbox_for,
    seats,
)

# A long conversation opens on its latest messages.
MESSAGES_SHOWN = 200
PER_PAGE = 50

View = Callable[..., HttpResponse]


def team_messages_required(view: View) -> View:
    """The team portal's messaging pages: admins (every inbox) and auditors (read-only)."""

    @member_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        member = request.membership  # type: ignore[attr-defined]
        if not can(member, Cap.PORTAL_TEAM) or not (
            can(member, Cap.INBOXES_ALL) or can(member, Cap.MESSAGES_AUDIT)
        ):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


PORTAL_GATES: dict[str, Callable[[View], View]] = {
    "client": capability_required(Cap.PORTAL_CLIENT),
    "coach": capability_required(Cap.PORTAL_COACH),
    "team": team_messages_required,
}


def _url(portal: str, name: str, *args: Any) -> str:
    return reverse(f"messaging:{portal}_{name}", args=args)


def _forget_unread(request: HttpRequest, count: int) -> None:
    """The navigation's unread count was read before this page marked messages read."""
    member = request.membership  # type: ignore[attr-defined]
    if count and hasattr(member, "unread_messages"):
        member.unread_messages = max(0, (member.unread_messages or 0) - count)


def _reply_form(conversation: Conversation, *args: Any) -> ReplyForm:
    workspace = conversation.workspace
    return ReplyForm(*args, max_mb=workspace.attachment_max_mb, types=workspace.attachment_types)


def _after(messages: list[Message], fallback: int = 0) -> int:
    return max((m.pk for m in messages), default=fallback)


def _latest_messages(conversation: Conversation, *, with_audits: bool) -> tuple[list, bool]:
    newest_first = conversation_messages(conversation, with_audits=with_audits).order_by(
        "-created_at", "-id"
    )
    rows = list(newest_first[: MESSAGES_SHOWN + 1])
    return list(reversed(rows[:MESSAGES_SHOWN])), len(rows) > MESSAGES_SHOWN


def _render_conversation(
    request: HttpRequest,
    conversation: Conversation,
    portal: str,
    *,
    reply_form: ReplyForm | None = None,
    note_form: StaffNoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    member = request.membership  # type: ignore[attr-defined]
    staff = may_see_staff_notes(member, conversation)
    can_post = may_post(member, conversation)
    people = seats(conversation)
    messages, cut = _latest_messages(conversation, with_audits=staff)
    context: dict[str, Any] = {
        "conversation": conversation,
        "portal": portal,
        "title": conversation_title(conversation, member, people),
        "messages_list": messages,
        "messages_cut": cut,
        "messages_shown": MESSAGES_SHOWN,
        "after": _after(messages),
        "viewer": member,
        "staff_view": staff,
        "can_post": can_post,
        "reply_form": reply_form or (_reply_form(conversation) if can_post else None),
        "action_url": _url(portal, "conversation", conversation.pk),
        "poll_url": _url(portal, "poll", conversation.pk),
        "back_url": _url(portal, "list" if portal == "client" else "inbox"),
    }
    if staff:
        context.update(
            {
                "notes": list(
                    conversation.staff_notes.select_related("author__user").order_by(
                        "created_at", "id"
                    )
                ),
                "note_form": note_form or StaffNoteForm(),
                "note_url": _url(portal, "note", conversation.pk),
                "coaches": [p.member for p in people if p.member.is_coach]
                or ([conversation.coach] if conversation.coach else []),
                "waiting": waiting_of(conversation, conversation.workspace, timezone.now()),
            }
        )
    return render(request, "messaging/conversation.html", context, status=status)


def _load(request: HttpRequest, conversation_id: int) -> Conversation:
    conversation = access_conversation(request.membership, conversation_id)  # type: ignore[attr-defined]
    conversation.workspace = request.workspace  # type: ignore[attr-defined]
    return conversation


def conversation_page(portal: str) -> View:
    @PORTAL_GATES[portal]
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, conversation_id: int) -> HttpResponse:
        member = request.membership  # type: ignore[attr-defined]
        conversation = _load(request, conversation_id)
        if request.method == "POST":
            return _reply(request, conversation, portal)
        _forget_unread(request, do_mark_read(conversation, member))
        return _render_conversation(request, conversation, portal)

    view.__name__ = f"{portal}_conversation"
    return view


def _reply(request: HttpRequest, conversation: Conversation, portal: str) -> HttpResponse:
    member = request.membership  # type: ignore[attr-defined]
    if not may_post(member, conversation):
        raise PermissionDenied
    form = _reply_form(conversation, request.POST, request.FILES)
    if form.is_valid():
        try:
            message = do_send_message(
                conversation,
                author=member,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if not request.htmx:  # type: ignore[attr-defined]
                return redirect(
                    f"{_url(portal, 'conversation', conversation.pk)}#message-{message.pk}"
                )
            return _replied_fragment(request, conversation, portal, message)
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "messaging/_reply_form.html",
            {
                "reply_form": form,
                "action_url": _url(portal, "conversation", conversation.pk),
                "conversation": conversation,
            },
        )
    return _render_conversation(request, conversation, portal, reply_form=form, status=422)


def _replied_fragment(
    request: HttpRequest, conversation: Conversation, portal: str, message: Message
) -> HttpResponse:
    """A fresh form, and (out of band) every message since the page's last one, so a message
    that arrived while this one was being written is not skipped, and the new last id."""
    member = request.membership  # type: ignore[attr-defined]
    staff = may_see_staff_notes(member, conversation)
    after = _int(request.POST.get("after"))
    if after is None:
        after = message.pk - 1
    messages = list(conversation_messages(conversation, after=after, with_audits=staff))
    return render(
        request,
        "messaging/_replied.html",
        {
            "reply_form": _reply_form(conversation),
            "action_url": _url(portal, "conversation", conversation.pk),
            "conversation": conversation,
            "messages_list": messages,
            "after": _after(messages, after),
            "viewer": member,
            "staff_view": staff,
            "waiting": waiting_of(conversation, conversation.workspace, timezone.now())
            if staff
            else None,
            "portal": portal,
        },
    )


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def poll_fragment(portal: str) -> View:
    @PORTAL_GATES[portal]
    @require_GET
    def view(request: HttpRequest, conversation_id: int) -> HttpResponse:
        """Only the messages newer than ``after``; the conversation is read by the viewer."""
        member = request.membership  # type: ignore[attr-defined]
        conversation = _load(request, conversation_id)
        after = _int(request.GET.get("after"))
        if after is None or after < 0:
            return HttpResponse("")
        staff = may_see_staff_notes(member, conversation)
        messages = list(conversation_messages(conversation, after=after, with_audits=staff))
        do_mark_read(conversation, member)
        if not messages:
            return HttpResponse("")
        # Rendered without the request: the page's frame (navigation, workspaces) is not
        # refreshed, so a poll costs no more than its own few queries.
        return HttpResponse(
            render_to_string(
                "messaging/_poll.html",
                {
                    "messages_list": messages,
                    "after": _after(messages, after),
                    "viewer": member,
                    "staff_view": staff,
                    "conversation": conversation,
                },
            )
        )

    view.__name__ = f"{portal}_poll"
    return view


def note_action(portal: str) -> View:
    @PORTAL_GATES[portal]
    @require_POST
    def view(request: HttpRequest, conversation_id: int) -> HttpResponse:
        """Add a staff note (the coach communication area); clients never reach this."""
        member = request.membership  # type: ignore[attr-defined]
        conversation = _load(request, conversation_id)
        if not may_see_staff_notes(member, conversation):
            raise PermissionDenied
        form = StaffNoteForm(request.POST)
        if form.is_valid():
            try:
                do_add_staff_note(conversation, author=member, body=form.cleaned_data["body"])
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                form = StaffNoteForm()
                if not request.htmx:  # type: ignore[attr-defined]
                    return redirect(_url(portal, "conversation", conversation.pk) + "#notes")
        if request.htmx:  # type: ignore[attr-defined]
            notes = list(
                conversation.staff_notes.select_related("author__user").order_by("created_at", "id")
            )
            return render(
                request,
                "messaging/_notes.html",
                {
                    "notes": notes,
                    "note_form": form,
                    "note_url": _url(portal, "note", conversation.pk),
                },
            )
        return _render_conversation(request, conversation, portal, note_form=form, status=422)

    view.__name__ = f"{portal}_note"
    return view


# New message -------------------------------------------------------------------------------


def _on_recipient(error: ValidationError) -> ValidationError:
    """A refused group is shown on the one "To" field, as a refused person is."""
    if hasattr(error, "error_dict") and "cohort" in error.error_dict:
        return ValidationError({"recipient": error.error_dict["cohort"]})
    return error


def _start(member: Membership, form: NewMessageForm) -> Conversation:
    kind, target = form.chosen()
    if kind == "cohort" and target is not None:
        cohort = Cohort.objects.filter(workspace=member.workspace, pk=target).first()
        if cohort is None:
            raise field_error(
                "recipient", _("You can't write to this group."), "cohort_not_allowed"
            )
        return do_start_cohort_conversation(member, cohort=cohort)
    recipient = (
        Membership.objects.filter(workspace=member.workspace, pk=target, removed_at__isnull=True)
        .select_related("user")
        .first()
        if target is not None
        else None
    )
    if recipient is None:
        raise field_error(
            "recipient", _("You can't write to this person."), "recipient_not_allowed"
        )
    return do_start_conversation(member, recipient=recipient)


def new_message_page(portal: str) -> View:
    gate = capability_required(Cap.INBOXES_ALL) if portal == "team" else PORTAL_GATES[portal]

    @gate
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest) -> HttpResponse:
        """Write to one person or a group; the conversation, the message and its files are
        stored together or not at all."""
        member = request.membership  # type: ignore[attr-defined]
        workspace = request.workspace  # type: ignore[attr-defined]
        options = {
            "people": list(people_to_write_to(member)),
            "cohorts": list(group_cohorts(member).order_by("name", "id")),
            "max_mb": workspace.attachment_max_mb,
            "types": workspace.attachment_types,
        }
        if request.method == "POST":
            form = NewMessageForm(request.POST, request.FILES, **options)
            if form.is_valid():
                try:
                    with transaction.atomic():
                        conversation = _start(member, form)
                        conversation.workspace = workspace
                        do_send_message(
                            conversation,
                            author=member,
                            body=form.cleaned_data["body"],
                            files=form.cleaned_data["files"],
                        )
                except ValidationError as error:
                    apply_validation_error(form, _on_recipient(error))
                else:
                    return redirect(_url(portal, "conversation", conversation.pk))
            status = 422
        else:
            form = NewMessageForm(initial={"recipient": request.GET.get("to", "")}, **options)
            status = 200
        return render(
            request,
            "messaging/new.html",
            {
                "form": form,
                "portal": portal,
                "nobody": not (options["people"] or options["cohorts"]),
                "back_url": _url(portal, "list" if portal == "client" else "inbox"),
            },
            status=status,
        )

    view.__name__ = f"{portal}_new"
    return view


# Attachments -------------------------------------------------------------------------------


@member_required
@require_GET
def attachment(request: HttpRequest, attachment_id: int) -> HttpResponse:
    """A file of a message the viewer may read, as a download (never shown inline)."""
    member = request.membership  # type: ignore[attr-defined]
    found = Attachment.objects.filter(
        workspace=member.workspace,
        pk=attachment_id,
        message__conversation__in=visible_conversations(member).values("pk"),
    ).first()
    if found is None:
        raise Http404
    content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
    response = FileResponse(
        found.file.open("rb"), as_attachment=True, filename=found.name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response  # type: ignore[return-value]  # a streaming response


# Lists: the client's conversations and the inboxes -----------------------------------------


def _querystring_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode() + "&" if query else ""


@capability_required(Cap.PORTAL_CLIENT)
def client_list(request: HttpRequest) -> HttpResponse:
    """The client's conversations, latest first, with what is unread."""
    member = request.membership  # type: ignore[attr-defined]
    page = Paginator(conversations_of(member), PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "conversation": c,
            "title": conversation_title(c, member, c.participants.all()),
            "is_group": c.kind == ConversationKind.COHORT,
            "url": _url("client", "conversation", c.pk),
        }
        for c in page.object_list
    ]
    return render(
        request,
        "messaging/client_list.html",
        {
            "rows": rows,
            "page_obj": page,
            "querystring_without_page": _querystring_without_page(request),
        },
    )


def _inbox(request: HttpRequest, *, team: bool) -> HttpResponse:
    member = request.membership  # type: ignore[attr-defined]
    workspace = request.workspace  # type: ignore[attr-defined]
    portal = "team" if team else "coach"
    many_coaches = team or can(member, Cap.INBOXES_OF_LED_COACHES)
    coaches = list(inbox_coaches(member, team=team)) if many_coaches else None
    # Auditors answer nobody: they come to pick replies to audit, so they start on everything.
    default_state = InboxState.WAITING if can(member, Cap.MESSAGES_CLIENTS) else InboxState.ALL
    query = request.GET.copy()
    if not query.get("state"):
        query["state"] = default_state.value
    form = InboxFilterForm(query, coaches=coaches)
    form.is_valid()  # a value that can't be read is simply not applied
    data = form.cleaned_data
    state = InboxState(data.get("state") or default_state)
    q = data.get("q") or ""
    coach_id = data.get("coach") if many_coaches else None
    now = timezone.now()
    page = Paginator(
        inbox_for(member, state=state, q=q, coach_id=coach_id, team=team, now=now), PER_PAGE
    ).get_page(request.GET.get("page"))
    rows = [
        {
            "conversation": c,
            "title": conversation_title(c, member),
            "is_group": c.kind == ConversationKind.COHORT,
            "waiting": waiting_of(c, workspace, now),
            "url": _url(portal, "conversation", c.pk),
        }
        for c in page.object_list
    ]
    return render(
        request,
        "messaging/inbox.html",
        {
            "rows": rows,
            "page_obj": page,
            "form": form,
            "state": state.value,
            "filtered": bool(q or coach_id) or state not in (InboxState.WAITING, InboxState.ALL),
            "counts": inbox_counts(member, q=q, coach_id=coach_id, team=team, now=now),
            "show_coach": many_coaches,
            "read_only": not can(member, Cap.MESSAGES_CLIENTS),
            "can_write": can(member, Cap.MESSAGES_CLIENTS)
            and (not team or can(member, Cap.INBOXES_ALL)),
            "portal": portal,
            "new_url": _url(portal, "new"),
            "goal_hours": workspace.response_goal_hours,
            "target_hours": workspace.response_target_hours,
            "querystring_without_page": _querystring_without_page(request),
        },
    )


@capability_required(Cap.PORTAL_COACH)
def coach_inbox(request: HttpRequest) -> HttpResponse:
    """Conversations waiting for the coach (and the coaches they lead), least time left first."""
    return _inbox(request, team=False)


@team_messages_required
def team_inbox(request: HttpRequest) -> HttpResponse:
    """Every coach's inbox for admins; every coaching conversation, read-only, for auditors."""
    return _inbox(request, team=True)


client_conversation = conversation_page("client")
coach_conversation = conversation_page("coach")
team_conversation = conversation_page("team")
client_poll = poll_fragment("client")
coach_poll = poll_fragment("coach")
team_poll = poll_fragment("team")
coach_note = note_action("coach")
team_note = note_action("team")
client_new = new_message_page("client")
coach_new = new_message_page("coach")
team_new = new_message_page("team")
