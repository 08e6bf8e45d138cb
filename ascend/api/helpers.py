"""Small pieces every API router shares: capability checks, lookups and answer shapes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from ascend.lib.errors import field_error
from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership


def require(request: HttpRequest, *caps: Cap) -> Membership:
    """The request's member, when one of ``caps`` is theirs; otherwise 403."""
    member: Membership = request.membership  # type: ignore[attr-defined]
    if not any(can(member, cap) for cap in caps):
        raise PermissionDenied
    return member


def get_or_404(qs: QuerySet, pk: int) -> Any:
    """One object of an already scoped queryset; missing and not-yours are the same 404."""
    try:
        return qs.get(pk=pk)
    except qs.model.DoesNotExist:
        raise Http404 from None


def referenced(qs: QuerySet, pk: int, field: str) -> Any:
    """An object named in a request body; a missing one is that field's error, not a 404."""
    found = qs.filter(pk=pk).first()
    if found is None:
        raise field_error(field, _("There is no such item in this workspace."), "not_found")
    return found


def person_out(m: Membership) -> dict:
    return {"id": m.id, "name": str(m.user), "email": m.user.email}
