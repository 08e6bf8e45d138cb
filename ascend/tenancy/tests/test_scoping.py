from __future__ import annotations

import pytest
from django_scopes import ScopeError, scope

from ascend.tenancy.models import Membership

pytestmark = pytest.mark.django_db


def test_a_query_outside_a_workspace_scope_fails_loudly(cast):
    with scope(), pytest.raises(ScopeError):
        list(Membership.objects.all())


def test_inside_a_workspace_scope_queries_see_only_that_workspace(cast):
    with scope(workspace=cast.alpha.workspace):
        found = list(Membership.objects.all())
    assert found
    assert {m.workspace_id for m in found} == {cast.alpha.workspace.id}
