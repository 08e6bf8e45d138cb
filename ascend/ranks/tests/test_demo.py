"""The demo belts loaded by ``manage.py seed_demo``.

Rules: ranks are switched on with the word "Belts"; a Karate category that tells
admins, operators and the client (not automatic) with five belts in order, each
but the last with visit and day criteria; ten students spread over every belt,
with their earlier belts as history and about a year of visits in the past;
some eligible, and told so; the same story every time, and loading twice
changes nothing.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from ascend.accounts.models import User
from ascend.activity.models import Event
from ascend.notifications.models import Notice, OutboundEmail
from ascend.ranks import demo
from ascend.ranks.models import Eligibility, Rank, RankCategory, RankHolding, Visit
from ascend.tenancy.models import Workspace
from ascend.testing import MODEL_BACKEND

pytestmark = pytest.mark.django_db

MODELS = [RankCategory, Rank, RankHolding, Visit, Eligibility, Notice, OutboundEmail, Event]


@pytest.fixture
def workspace() -> Workspace:
    call_command("seed_demo", stdout=StringIO())
    return Workspace.objects.get()


def snapshot() -> dict:
    return {
        model.__name__: sorted(
            repr(tuple(v for k, v in row.items() if k not in {"id"}))
            for row in model.objects.values(
                *[
                    f.attname
                    for f in model._meta.concrete_fields
                    if f.get_internal_type() not in {"DateTimeField"}
                ]
            )
        )
        for model in MODELS
    }


def story() -> list[tuple]:
    return sorted(
        (h.client.user.email, h.rank.name, (timezone.localdate() - h.started_on).days, h.kind)
        for h in RankHolding.objects.select_related("client__user", "rank")
    ) + sorted(Counter(Visit.objects.values_list("client__user__email", flat=True)).items())


def test_belts_are_switched_on(workspace):
    assert workspace.ranks_enabled is True
    assert workspace.rank_word == "Belts"


def test_a_karate_category_with_five_belts_in_order(workspace):
    category = RankCategory.objects.get()
    assert category.name == "Karate"
    assert category.auto_promote is False and category.notify_client is True
    assert sorted(category.notify_roles) == ["admin", "operator"]
    belts = list(category.ranks.order_by("position"))
    assert [b.name for b in belts] == ["White", "Yellow", "Orange", "Green", "Black"]
    assert [(b.min_visits, b.min_days) for b in belts] == [
        (10, 30),
        (20, 60),
        (30, 90),
        (40, 120),
        (None, None),
    ]
    assert len({b.colour for b in belts}) == 5


def test_students_are_spread_over_every_belt_some_eligible(workspace):
    current = RankHolding.objects.filter(ended_at__isnull=True).select_related("rank")
    assert current.count() == 10
    spread = Counter(h.rank.name for h in current)
    assert set(spread) == {"White", "Yellow", "Orange", "Green", "Black"}
    eligible = Eligibility.objects.select_related("holding__client__user", "next_rank")
    assert {(e.holding.client.user.email, e.next_rank.name) for e in eligible} == {
        ("client1@demo.ascend.test", "Black"),
        ("client2@demo.ascend.test", "Green"),
        ("client3@demo.ascend.test", "Yellow"),
        ("client8@demo.ascend.test", "Orange"),
    }
    assert all(e.notified_at for e in eligible)
    admin = User.objects.get(email="admin@demo.ascend.test")
    operator = User.objects.get(email="operator@demo.ascend.test")
    assert Notice.objects.filter(user=admin).count() == 4
    assert Notice.objects.filter(user=operator).count() == 4
    assert OutboundEmail.objects.filter(template="rank_eligible_client").count() == 4


def test_a_year_of_visits_in_the_past_and_a_history_of_belts(workspace):
    now = timezone.now()
    first = Visit.objects.order_by("occurred_at").first()
    assert now - first.occurred_at > timedelta(days=300)
    assert not Visit.objects.filter(occurred_at__gt=now).exists()
    assert Visit.objects.count() > 300
    black = RankHolding.objects.get(ended_at__isnull=True, rank__name="Black")
    history = RankHolding.objects.filter(client=black.client).order_by("started_at")
    assert [h.rank.name for h in history] == ["White", "Yellow", "Orange", "Green", "Black"]
    for earlier, later in zip(history, history[1:], strict=False):
        assert earlier.ended_at == later.started_at
    assert RankHolding.objects.filter(kind="mass").exists()


def test_loading_twice_changes_nothing(workspace):
    first = snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert snapshot() == first
    assert demo.load_demo_ranks(workspace, password="x") is False
    assert snapshot() == first


def test_the_same_story_every_time(workspace):
    first = story()
    Eligibility.objects.all().delete()
    Visit.objects.all().delete()
    RankHolding.objects.all().delete()
    Rank.objects.all().delete()
    RankCategory.objects.all().delete()
    assert demo.load_demo_ranks(workspace, password="x") is True
    assert story() == first


def test_a_demo_student_sees_their_belts_through_the_api(workspace, client):
    client.defaults["HTTP_HOST"] = "alpha.localhost"
    client.force_login(User.objects.get(email="client3@demo.ascend.test"), backend=MODEL_BACKEND)
    data = client.get("/api/v1/my-ranks").json()
    (current,) = data["current"]
    assert (current["rank"]["name"], current["next_rank"]["name"]) == ("White", "Yellow")
    assert current["eligible"] is True
    assert data["rank_word"] == "Belts"
