from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field


class WorkspaceOut(Schema):
    id: int
    name: str
    slug: str
    host: str
    time_zone: str
    default_language: str
    rank_word: str


class UserOut(Schema):
    id: int
    email: str
    full_name: str
    language: str
    time_zone: str


class MeOut(Schema):
    user: UserOut
    workspace: WorkspaceOut
    roles: list[str]
    capabilities: list[str]


class MemberOut(Schema):
    id: int
    user: UserOut
    roles: list[str]
    team_leader_id: int | None
    joined_at: datetime


class InvitationIn(Schema):
    email: str = Field(..., max_length=254)
    full_name: str = Field("", max_length=150)
    roles: list[str] = Field(..., min_length=1)


class InvitationOut(Schema):
    id: int
    email: str
    full_name: str
    roles: list[str]
    created_at: datetime
    expires_at: datetime
    sent_count: int


class RolesIn(Schema):
    roles: list[str] = Field(..., min_length=1)


class TokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=80)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    token: str


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    error: ErrorDetail
