"""Every change to the workspace's list of client types (Lead, Prospect, Contact, Client…).

The list is the workspace's own: admins add, rename and reorder types; a type
some contacts still have can't be deleted, and the list never becomes empty.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ascend.activity.actions import record_event
from ascend.activity.verbs import Verb
from ascend.lib.errors import field_error
from ascend.tenancy.models import Workspace

from .actions import client_types
from .models import ClientType, Contact


@transaction.atomic
def do_save_client_type(
    workspace: Workspace, *, actor: Any, name: str, client_type: ClientType | None = None
) -> ClientType:
    """Add a type at the end of the list, or rename one.

    Rules: a name of 1–60 characters, not already on the list (ignoring case).
    """
    client_types(workspace)  # a new workspace's defaults come first
    name = " ".join((name or "").split())
    if not name:
        raise field_error("name", _("Give the client type a name."), "name_required")
    if len(name) > 60:
        raise field_error("name", _("Keep the name under 60 characters."), "name_too_long")
    taken = ClientType.objects.filter(workspace=workspace, name__iexact=name)
    if client_type is not None:
        taken = taken.exclude(pk=client_type.pk)
    if taken.exists():
        raise field_error(
            "name", _("“%(name)s” is already on the list.") % {"name": name}, "duplicate"
        )
    if client_type is None:
        last = ClientType.objects.filter(workspace=workspace).aggregate(m=Max("position"))["m"]
        client_type = ClientType(workspace=workspace, position=(last or 0) + 1)
    old_name = client_type.name
    client_type.name = name
    client_type.save()
    record_event(
        workspace,
        Verb.CLIENT_TYPE_SAVED,
        actor=actor,
        target=client_type,
        data={"old_name": old_name} if old_name and old_name != name else {},
    )
    return client_type


@transaction.atomic
def do_move_client_type(client_type: ClientType, *, actor: Any, up: bool) -> list[ClientType]:
    """Move a type one place up or down the list; the first can't go up nor the last down."""
    types = list(ClientType.objects.select_for_update().filter(workspace=client_type.workspace_id))
    index = next(i for i, t in enumerate(types) if t.pk == client_type.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(types):
        types[index], types[other] = types[other], types[index]
        for position, each in enumerate(types):
            if each.position != position:
                each.position = position
                each.save(update_fields=["position"])
        record_event(
            client_type.workspace,
            Verb.CLIENT_TYPE_SAVED,
            actor=actor,
            target=client_type,
            data={"position": other},
        )
    return types


@transaction.atomic
def do_delete_client_type(client_type: ClientType, *, actor: Any) -> None:
    """Delete a type nobody has.

    Rules: a type some contacts have is refused, saying how many (move them to
    another type first); the last type on the list stays.
    """
    used = Contact.objects.filter(client_type=client_type).count()
    if used:
        raise ValidationError(
            ngettext(
                "“%(name)s” is the type of %(n)d contact: give them another type first.",
                "“%(name)s” is the type of %(n)d contacts: give them another type first.",
                used,
            )
            % {"name": client_type.name, "n": used},
            code="in_use",
        )
    if ClientType.objects.filter(workspace=client_type.workspace_id).count() <= 1:
        raise ValidationError(_("Keep at least one client type."), code="last_type")
    record_event(client_type.workspace, Verb.CLIENT_TYPE_DELETED, actor=actor, target=client_type)
    client_type.delete()
