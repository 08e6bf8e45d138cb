"""The ranks' notices: eligibility to the chosen staff and the client, promotion to the client.

Rules: when a client becomes eligible (categories without automatic promotion),
every active member holding a role the category names hears of it by email and
in-app, with a link to the client's ranks profile; the client hears too when the
category says so, with a link to their own ranks page; each eligibility is
announced once, however often the evaluation runs; a promotion tells the client
by email and in-app. In-app texts use the workspace's word for ranks, in the
reader's language (a custom word stays as the workspace wrote it).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from ascend.notifications.models import Notice, OutboundEmail
from ascend.ranks import evaluation
from ascend.ranks.actions import do_promote
from ascend.ranks.models import RankHolding

from .ranks_world import add_visits, hold, make_category

pytestmark = pytest.mark.django_db


def notices_of(person) -> list[Notice]:  # type: ignore[no-untyped-def]
    return list(Notice.objects.filter(user=person.user, workspace=person.workspace))


@pytest.fixture
def eligible(cast):
    """The client meets Karate's White → Yellow criteria (3 visits); admins and operators told."""
    category, ranks = make_category(cast.alpha.workspace, notify_roles=["admin", "operator"])
    hold(cast.alpha.client.membership, ranks[0], days_ago=4)
    add_visits(cast.alpha.client.membership, 3)
    return category, ranks


def test_the_chosen_staff_hear_by_email_and_in_app_with_a_link_to_the_client(cast, eligible):
    evaluation.run_daily()
    profile = reverse("ranks:client_profile", args=[cast.alpha.client.membership.id])
    for person in (cast.alpha.admin, cast.alpha.operator):
        (notice,) = notices_of(person)
        assert notice.text == (
            "Belts · Karate: Alpha Client has met the criteria for Yellow. "
            "Promote them from their profile."
        )
        assert notice.url == profile
        email = OutboundEmail.objects.get(template="rank_eligible_staff", to=person.email)
        assert profile in email.body
    for person in (cast.alpha.owner, cast.alpha.coach, cast.alpha.other_client, cast.beta.admin):
        assert notices_of(person) == []
    assert OutboundEmail.objects.filter(template="rank_eligible_staff").count() == 2


def test_the_client_hears_with_a_link_to_their_ranks_page(cast, eligible):
    evaluation.run_daily()
    (notice,) = notices_of(cast.alpha.client)
    assert notice.text.startswith("Belts · Karate: you have met the criteria for Yellow.")
    assert notice.url == reverse("ranks:client_ranks")
    assert OutboundEmail.objects.filter(
        template="rank_eligible_client", to=cast.alpha.client.email
    ).exists()


def test_the_client_is_not_told_when_the_category_says_so(cast, eligible):
    category, _ranks = eligible
    category.notify_client = False
    category.save()
    evaluation.run_daily()
    assert notices_of(cast.alpha.client) == []
    assert not OutboundEmail.objects.filter(template="rank_eligible_client").exists()
    assert len(notices_of(cast.alpha.admin)) == 1


def test_a_removed_member_is_not_told(cast, eligible):
    from django.utils import timezone

    operator = cast.alpha.operator.membership
    operator.removed_at = timezone.now()
    operator.save()
    evaluation.run_daily()
    assert notices_of(cast.alpha.operator) == []


def test_each_eligibility_is_announced_once_however_often_it_is_checked(cast, eligible):
    client = cast.alpha.client.membership
    evaluation.evaluate_client(client.id)
    add_visits(client, 1)
    evaluation.evaluate_client(client.id)
    evaluation.run_daily()
    evaluation.run_daily()
    assert len(notices_of(cast.alpha.admin)) == 1
    assert len(notices_of(cast.alpha.client)) == 1
    assert OutboundEmail.objects.filter(template="rank_eligible_staff").count() == 2
    assert OutboundEmail.objects.filter(template="rank_eligible_client").count() == 1


def test_a_promotion_tells_the_client_in_app_too(cast, eligible):
    category, _ranks = eligible
    evaluation.run_daily()
    do_promote(cast.alpha.client.membership, category, actor=cast.alpha.admin.user)
    texts = [n.text for n in notices_of(cast.alpha.client)]
    assert "Belts · Karate: congratulations, you are now Yellow." in texts
    assert OutboundEmail.objects.filter(template="rank_promoted").count() == 1
    # The eligibility went with the old rank; the next one is announced afresh in its time.
    add_visits(cast.alpha.client.membership, 5)
    holding = RankHolding.objects.get(client=cast.alpha.client.membership, ended_at=None)
    RankHolding.objects.filter(pk=holding.pk).update(
        started_on=holding.started_on.replace(year=holding.started_on.year - 1)
    )
    evaluation.run_daily()
    assert len(notices_of(cast.alpha.admin)) == 2


def test_each_reader_sees_the_word_in_their_own_language(cast, eligible):
    cast.alpha.operator.user.language = "es"
    cast.alpha.operator.user.save()
    evaluation.run_daily()
    (spanish,) = notices_of(cast.alpha.operator)
    assert spanish.text.startswith("Cinturones · Karate:")
    (english,) = notices_of(cast.alpha.admin)
    assert english.text.startswith("Belts · Karate:")


@pytest.mark.parametrize(
    ("term", "custom", "word"),
    [
        ("rankings", "", "Rankings"),
        ("challenges", "", "Challenges"),
        ("custom", "Grades", "Grades"),
    ],
)
def test_the_notices_use_the_workspaces_word(cast, eligible, term, custom, word):
    workspace = cast.alpha.workspace
    workspace.rank_term, workspace.rank_term_custom = term, custom
    workspace.save()
    evaluation.run_daily()
    assert notices_of(cast.alpha.admin)[0].text.startswith(f"{word} · Karate:")
    assert notices_of(cast.alpha.client)[0].text.startswith(f"{word} · Karate:")
