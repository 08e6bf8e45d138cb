from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string

from ascend.accounts.models import User
from ascend.tenancy.models import Membership, Workspace

pytestmark = pytest.mark.django_db


def snapshot() -> tuple:
    return (
        Workspace.objects.count(),
        User.objects.count(),
        sorted(Membership.objects.values_list("user__email", "is_owner", "is_admin", "is_coach",
                                              "is_head_coach", "is_auditor", "is_operator",
                                              "is_client", "team_leader__user__email")),
    )  # fmt: skip


def test_the_demo_has_a_person_per_role_and_its_clients_and_prints_the_logins():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    ws = Workspace.objects.get()
    members = Membership.objects.filter(workspace=ws)
    assert members.filter(is_owner=True).count() == 1
    assert members.filter(is_admin=True).count() == 1
    assert members.filter(is_coach=True, is_head_coach=False).count() == 2
    assert members.filter(is_head_coach=True).count() == 1
    assert members.filter(is_auditor=True).count() == 1
    assert members.filter(is_operator=True).count() == 1
    assert members.filter(is_supervisor=True).count() == 1
    assert members.filter(is_attendant=True).count() == 1
    # Five clients in the programs, five more karate students in the demo belts, six more
    # learners of the demo course.
    assert members.filter(is_client=True).count() == 16
    assert "owner@demo.ascend.test" in out.getvalue() and "ascend-demo" in out.getvalue()
    assert User.objects.get(email="coach1@demo.ascend.test").check_password("ascend-demo")


def test_running_the_demo_twice_changes_nothing():
    call_command("seed_demo", stdout=StringIO())
    first = snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert snapshot() == first


def test_the_500_page_stands_alone_and_says_nothing_was_half_saved():
    page = render_to_string("500.html")
    assert "Something went wrong on our side" in page and "half-saved" in page
