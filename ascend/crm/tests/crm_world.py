"""Helpers for the CRM tests: contacts, packages and invitations in the cast's workspaces."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.test import Client

from ascend.billing.models import Package, PackageKind
from ascend.billing.packages import do_save_package
from ascend.crm import actions
from ascend.crm.models import ClientInvitation, Contact
from ascend.notifications.models import OutboundEmail
from ascend.testing import host_of

PASSWORD = "a-long-passphrase"


def client_type(workspace: Any, name: str = "Lead") -> Any:
    return next(t for t in actions.client_types(workspace) if t.name == name)


def contact(
    workspace: Any, email: str = "lee@example.com", *, coach: Any = None, **fields: Any
) -> Contact:
    return actions.do_save_contact(
        workspace,
        actor=None,
        full_name=fields.pop("full_name", "Lee Lead"),
        email=email,
        client_type=fields.pop("client_type", None) or client_type(workspace),
        coach=coach,
        **fields,
    )


def package(workspace: Any, name: str = "Ten sessions", **fields: Any) -> Package:
    values = {"sessions": 10, "price": Decimal("500"), "currency": "USD", "validity_days": 90,
              "kind": PackageKind.ONE_TO_ONE, **fields}  # fmt: skip
    return do_save_package(workspace, actor=None, name=name, **values)


def invite(crew: Any, email: str = "nia@example.com", *, by: str = "admin", coach: str = "coach",
           **fields: Any) -> ClientInvitation:  # fmt: skip
    return actions.do_invite_client(
        crew.workspace,
        actor=getattr(crew, by).membership,
        full_name=fields.pop("full_name", "Nia Client"),
        email=email,
        client_type=fields.pop("client_type", None) or client_type(crew.workspace, "Client"),
        coach=getattr(crew, coach).membership,
        **fields,
    )


def accept_link(email: str) -> str:
    """The path of the newest invitation link emailed to ``email``."""
    body = OutboundEmail.objects.filter(to=email, template="client_invitation").latest("id").body
    return re.search(r"/join/[^/\s]+/", body).group(0)


def anonymous(crew: Any) -> Client:
    return Client(HTTP_HOST=host_of(crew.workspace))
