"""Calling the API in tests: JSON requests, bearer tokens, and checks of the error format."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from django.test import Client

from ascend.api.actions import do_create_api_token
from ascend.tenancy.models import Workspace
from ascend.testing import Person, host_of

# One person per role (the cast's "other_*" people repeat a role).
ROLES = [
    "owner",
    "admin",
    "coach",
    "head_coach",
    "supervisor",
    "attendant",
    "auditor",
    "operator",
    "client",
]
# Written out by hand rather than read from the capability table, so that a
# change to the table that widens the API shows up here as a failing test.
MEMBER_MANAGERS = {"owner", "admin"}


def send(client: Client, method: str, path: str, body: Any = None, **extra: Any) -> HttpResponse:
    """A request with a JSON body (if any), the way API clients send it."""
    kwargs: dict[str, Any] = dict(extra)
    if body is not None:
        kwargs["data"] = json.dumps(body)
        kwargs["content_type"] = "application/json"
    return getattr(client, method.lower())(path, **kwargs)


def token_for(person: Person, name: str = "Script") -> str:
    """A fresh API token's secret for the person in their workspace."""
    _token, secret = do_create_api_token(person.workspace, person.user, name=name)
    return secret


def bearer_client(secret: str, workspace: Workspace, **kwargs: Any) -> Client:
    """A client with no session that sends ``Authorization: Bearer <secret>`` to the workspace."""
    return Client(HTTP_HOST=host_of(workspace), HTTP_AUTHORIZATION=f"Bearer {secret}", **kwargs)


def assert_error(response: HttpResponse, status: int, code: str) -> dict[str, list[str]]:
    """The answer is the API's error format with this status and code; returns its fields."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    assert body["error"]["code"] == code, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"], body
    fields = body["error"]["fields"]
    assert isinstance(fields, dict), body
    assert all(isinstance(v, list) and v for v in fields.values()), body
    return fields
