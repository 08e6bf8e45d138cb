"""The daily evaluation (``manage.py ranks_daily``, the Celery task) at scale and run twice.

Rules: each category either promotes at once (automatic) or marks the client
eligible and tells the chosen staff and the client; the job is safe to run
twice — the second run changes nothing and sends nothing — and twice at once;
its query count stays the same however many ranked clients there are when
nothing changes.
"""

from __future__ import annotations

import threading
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from ascend.activity.models import Event
from ascend.notifications.models import Notice, OutboundEmail
from ascend.ranks import evaluation
from ascend.ranks.models import Eligibility, RankHolding
from ascend.ranks.tasks import run_daily as run_daily_task
from ascend.tenancy.roles import Role
from ascend.testing import assert_flat_queries, assert_num_queries, make_person

from .ranks_world import add_visits, hold, make_category

pytestmark = pytest.mark.django_db


def footprint() -> dict[str, object]:
    """Everything a run can change or send."""
    return {
        "holdings": sorted(RankHolding.objects.values_list("id", "rank_id", "ended_at")),
        "eligible": sorted(Eligibility.objects.values_list("id", "notified_at")),
        "emails": OutboundEmail.objects.count(),
        "notices": Notice.objects.count(),
        "events": Event.objects.count(),
    }


@pytest.fixture
def two_categories(cast):
    """Karate promotes by hand after notice (admins and operators told); Judo automatically."""
    karate = make_category(
        cast.alpha.workspace,
        "Karate",
        criteria=[(3, 10), (None, None)],
        notify_roles=["admin", "operator"],
    )
    judo = make_category(
        cast.alpha.workspace, "Judo", criteria=[(None, 20), (None, None)], auto_promote=True
    )
    client = cast.alpha.client.membership
    hold(client, karate[1][0], days_ago=12)
    hold(client, judo[1][0], days_ago=25)
    add_visits(client, 4)
    return karate, judo


def test_automatic_categories_promote_the_others_mark_eligible_and_notify(cast, two_categories):
    (karate, (white, _black)), (judo, (_judo_white, judo_next)) = two_categories
    counts = evaluation.run_daily()
    assert counts == {"promoted": 1, "eligible": 1, "notices": 1}
    client = cast.alpha.client.membership
    assert RankHolding.objects.get(client=client, category=judo, ended_at=None).rank == judo_next
    promoted = RankHolding.objects.get(client=client, category=judo, ended_at=None)
    assert promoted.kind == "automatic" and promoted.by is None
    karate_now = RankHolding.objects.get(client=client, category=karate, ended_at=None)
    assert karate_now.rank == white
    assert karate_now.eligibility.next_rank.name == "Yellow"
    staff_emails = OutboundEmail.objects.filter(template="rank_eligible_staff")
    assert sorted(staff_emails.values_list("to", flat=True)) == sorted(
        [cast.alpha.admin.email, cast.alpha.operator.email]
    )
    assert OutboundEmail.objects.filter(template="rank_eligible_client").count() == 1
    assert OutboundEmail.objects.filter(template="rank_promoted").count() == 1
    assert Event.objects.filter(verb="rank.eligible").count() == 1
    assert Event.objects.filter(verb="rank.promoted").count() == 1


def test_the_second_run_changes_nothing_and_sends_nothing(cast, two_categories):
    evaluation.run_daily()
    after_first = footprint()
    assert evaluation.run_daily() == {"promoted": 0, "eligible": 0, "notices": 0}
    assert footprint() == after_first


def test_the_command_and_the_task_run_the_same_job(cast, two_categories):
    out = StringIO()
    call_command("ranks_daily", stdout=out)
    assert "Promoted: 1, newly eligible: 1, eligibilities announced: 1." in out.getvalue()
    first = footprint()
    assert run_daily_task.delay().get() == {"promoted": 0, "eligible": 0, "notices": 0}
    assert footprint() == first
    assert settings.CELERY_BEAT_SCHEDULE["ranks-daily"]["task"] == "ranks.run_daily"


def test_a_new_eligibility_after_a_promotion_is_announced_again(cast, two_categories):
    (karate, (white, _black)), _judo = two_categories
    karate_three, ranks = make_category(
        cast.alpha.workspace, "Kendo", criteria=[(1, None), (1, None), (None, None)]
    )
    client = cast.alpha.client.membership
    hold(client, ranks[0], days_ago=1)
    add_visits(client, 1)
    evaluation.run_daily()
    from ascend.ranks.actions import do_promote

    do_promote(client, karate_three, actor=cast.alpha.admin.user)
    assert evaluation.run_daily()["eligible"] == 0  # no visit since the new rank began
    add_visits(client, 1)
    counts = evaluation.run_daily()
    assert counts["eligible"] == 1 and counts["notices"] == 1
    to_client = OutboundEmail.objects.filter(
        template="rank_eligible_client", to=cast.alpha.client.email
    )
    assert to_client.count() == 3  # Karate, Kendo's first rank, Kendo's second


def test_the_query_count_stays_flat_as_ranked_clients_grow(cast):
    _category, (white, _yellow, _orange) = make_category(cast.alpha.workspace)
    _auto, (auto_white, _auto_next) = make_category(
        cast.alpha.workspace, "Judo", criteria=[(50, None), (None, None)], auto_promote=True
    )
    made = iter(range(10_000))

    def grow(clients: int) -> None:
        for _ in range(clients):
            n = next(made)
            person = make_person(cast.alpha.workspace, {Role.CLIENT}, f"kid{n}@alpha.test")
            hold(person.membership, white, days_ago=2)  # 3 visits needed: not yet
            hold(person.membership, auto_white, days_ago=200)
            add_visits(person.membership, 1)

    grow(10)  # 20 holdings
    evaluation.run_daily()
    # Holdings with their visit counts and ladders, the pending notices: nothing to write.
    with assert_num_queries(3):
        evaluation.run_daily()
    assert_flat_queries(evaluation.run_daily, lambda: grow(90))  # 200 holdings


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_do_nothing_twice(cast):
    _karate, (white, _yellow, _orange) = make_category(
        cast.alpha.workspace, "Karate", notify_roles=["admin", "operator"]
    )
    _judo, (judo_white, judo_next) = make_category(
        cast.alpha.workspace, "Judo", criteria=[(2, None), (None, None)], auto_promote=True
    )
    clients = [cast.alpha.client.membership, cast.alpha.other_client.membership]
    for client in clients:
        hold(client, white, days_ago=5)
        hold(client, judo_white, days_ago=5)
        add_visits(client, 3)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait(timeout=10)
            evaluation.run_daily()
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert RankHolding.objects.filter(rank=judo_next, ended_at=None).count() == 2
    assert RankHolding.objects.filter(category__name="Judo").count() == 4
    assert Eligibility.objects.count() == 2
    # Each eligibility told once to the admin, the operator and the client.
    assert OutboundEmail.objects.filter(template="rank_eligible_staff").count() == 4
    assert OutboundEmail.objects.filter(template="rank_eligible_client").count() == 2
    assert OutboundEmail.objects.filter(template="rank_promoted").count() == 2
    assert Notice.objects.count() == 4 + 2 + 2
    assert Event.objects.filter(verb="rank.eligible").count() == 2
    assert Event.objects.filter(verb="rank.promoted").count() == 2
