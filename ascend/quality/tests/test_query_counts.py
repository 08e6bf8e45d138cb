"""The audit and quality pages read a fixed number of queries however many replies there are."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ascend.messaging.actions import do_start_conversation
from ascend.messaging.testing import enrol
from ascend.quality.models import Grade
from ascend.tenancy.roles import Role
from ascend.testing import Crew, assert_flat_queries, assert_num_queries, make_person

from .quality_world import audit, exchange

pytestmark = pytest.mark.django_db

QUEUE = 9
AUDITS = 7
TEAM_QUALITY = 9
COACH_QUALITY = 9


@pytest.fixture
def busy(cast, talk):
    """Replies of the coach this week and last, some audited; a high sample rate."""
    workspace = cast.alpha.workspace
    workspace.audit_sample_per_week = 50
    workspace.save(update_fields=["audit_sample_per_week"])
    start = timezone.now() - timedelta(days=6)
    replies = exchange(cast.alpha, talk, 3, start)
    audit(cast.alpha, replies[0], Grade.NEEDS_IMPROVEMENT)
    return talk


def grow(cast, talk, cohort):
    """More replies, audits, conversations and clients: nothing on the pages may read per row."""

    def more():
        start = timezone.now() - timedelta(days=5)
        replies = exchange(cast.alpha, talk, 4, start)
        for reply, grade in zip(replies, [Grade.OUTSTANDING, Grade.SUGGESTION], strict=False):
            audit(cast.alpha, reply, grade)
        for i in range(3):
            person = make_person(cast.alpha.workspace, {Role.CLIENT}, f"more{i}@alpha.test")
            enrol(cohort, person.membership)
            chat = do_start_conversation(person.membership, recipient=cast.alpha.coach.membership)
            pair = Crew(cast.alpha.workspace, {"client": person, "coach": cast.alpha.coach})
            exchange(pair, chat, 2, start)

    return more


def test_the_audit_queue_reads_a_pinned_number_of_queries_flat_as_replies_grow(cast, busy, cohort):
    auditor = cast.client_for(cast.alpha.auditor)
    auditor.get("/team/audits/")
    with assert_num_queries(QUEUE):
        auditor.get("/team/audits/?done=all")
    assert (
        assert_flat_queries(lambda: auditor.get("/team/audits/?done=all"), grow(cast, busy, cohort))
        == QUEUE
    )


def test_the_coachs_audits_read_a_pinned_number_of_queries_flat_as_audits_grow(cast, busy, cohort):
    coach = cast.client_for(cast.alpha.coach)
    coach.get("/coach/audits/")
    with assert_num_queries(AUDITS):
        coach.get("/coach/audits/")
    page = lambda: coach.get("/coach/audits/")  # noqa: E731
    assert assert_flat_queries(page, grow(cast, busy, cohort)) == AUDITS


def test_the_quality_pages_read_a_pinned_number_of_queries_flat_as_replies_grow(cast, busy, cohort):
    admin = cast.client_for(cast.alpha.admin)
    head = cast.client_for(cast.alpha.head_coach)
    admin.get("/team/quality/")
    with assert_num_queries(TEAM_QUALITY):
        admin.get("/team/quality/")
    with assert_num_queries(COACH_QUALITY):
        head.get("/coach/quality/")

    def pages():
        admin.get("/team/quality/")
        head.get("/coach/quality/")
        b"".join(admin.get("/team/quality/?format=csv").streaming_content)

    assert assert_flat_queries(pages, grow(cast, busy, cohort)) > 0
