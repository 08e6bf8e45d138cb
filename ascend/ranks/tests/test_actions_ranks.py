from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ascend.activity.models import Event
from ascend.notifications.models import OutboundEmail
from ascend.ranks import actions
from ascend.ranks.models import Eligibility, HoldingDateChange, RankHolding
from ascend.ranks.testing import add_visits, backdate, make_ladder

pytestmark = pytest.mark.django_db


def code(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return next(e.code for errors in error.error_dict.values() for e in errors)
    return error.code


def test_assign_promote_and_demote_keep_a_full_history(cast):
    category, (white, yellow, orange) = make_ladder(cast.alpha.workspace)
    client, admin = cast.alpha.client.membership, cast.alpha.admin.user
    actions.do_assign_rank(client, white, actor=admin, note="First class")
    actions.do_promote(client, category, actor=admin, note="Great kata")
    actions.do_demote(client, category, actor=admin, note="Graded by mistake")
    history = list(RankHolding.objects.filter(client=client).order_by("started_at", "id"))
    assert [h.rank for h in history] == [white, yellow, white]
    assert [h.ended_at is None for h in history] == [False, False, True]
    assert all(h.by == admin for h in history)
    assert {"rank.assigned", "rank.promoted", "rank.demoted"} <= set(
        Event.objects.values_list("verb", flat=True)
    )
    assert (
        OutboundEmail.objects.filter(template="rank_promoted", to=cast.alpha.client.email).count()
        == 1
    )


def test_promoting_past_the_last_rank_and_demoting_below_the_first_are_refused(cast):
    category, (white, _yellow, orange) = make_ladder(cast.alpha.workspace)
    client = cast.alpha.client.membership
    actions.do_assign_rank(client, orange, actor=None)
    with pytest.raises(ValidationError) as caught:
        actions.do_promote(client, category, actor=None)
    assert code(caught.value) == "top_rank"
    actions.do_assign_rank(client, white, actor=None)
    with pytest.raises(ValidationError) as caught:
        actions.do_demote(client, category, actor=None)
    assert code(caught.value) == "bottom_rank"
    assert RankHolding.objects.filter(client=client, ended_at__isnull=True).get().rank == white


def test_promoting_without_a_rank_asks_to_assign_one_first(cast):
    category, _ranks = make_ladder(cast.alpha.workspace)
    with pytest.raises(ValidationError) as caught:
        actions.do_promote(cast.alpha.client.membership, category, actor=None)
    assert code(caught.value) == "no_rank"


def test_only_clients_hold_ranks_and_have_visits(cast):
    _category, (white, *_rest) = make_ladder(cast.alpha.workspace)
    with pytest.raises(ValidationError):
        actions.do_assign_rank(cast.alpha.coach.membership, white, actor=None)
    with pytest.raises(ValidationError):
        actions.do_record_visit(cast.alpha.operator.membership, actor=None)


def test_criteria_below_zero_and_order_clashes_change_nothing(cast):
    category, ranks = make_ladder(cast.alpha.workspace)
    with pytest.raises(ValidationError) as caught:
        actions.do_save_rank(category, actor=None, name="Purple", min_visits=-1)
    assert code(caught.value) == "negative"
    with pytest.raises(ValidationError) as caught:
        actions.do_reorder_ranks(category, [ranks[0].id, ranks[0].id, ranks[1].id], actor=None)
    assert code(caught.value) == "order_clash"
    assert [r.id for r in actions.ladder(category)] == [r.id for r in ranks]


def test_reordering_changes_which_rank_comes_next(cast):
    category, (white, yellow, orange) = make_ladder(cast.alpha.workspace)
    actions.do_reorder_ranks(category, [white.id, orange.id, yellow.id], actor=None)
    client = cast.alpha.client.membership
    actions.do_assign_rank(client, white, actor=None)
    assert actions.do_promote(client, category, actor=None).rank == orange
    actions.do_move_rank(orange, -1, actor=None)
    assert [r.name for r in actions.ladder(category)] == [
        "Orange belt",
        "White belt",
        "Yellow belt",
    ]


def test_a_held_rank_cannot_be_deleted_and_an_unused_one_closes_the_gap(cast):
    category, (white, yellow, orange) = make_ladder(cast.alpha.workspace)
    actions.do_assign_rank(cast.alpha.client.membership, white, actor=None)
    with pytest.raises(ValidationError) as caught:
        actions.do_delete_rank(white, actor=None)
    assert code(caught.value) == "rank_in_use"
    actions.do_delete_rank(yellow, actor=None)
    assert [(r.name, r.position) for r in actions.ladder(category)] == [
        ("White belt", 0),
        ("Orange belt", 1),
    ]


def test_a_visit_that_meets_the_criteria_makes_the_client_eligible_and_tells_once(
    cast, django_capture_on_commit_callbacks
):
    category, (white, *_rest) = make_ladder(
        cast.alpha.workspace, notify_roles=("admin", "operator")
    )
    client = cast.alpha.client.membership
    actions.do_assign_rank(client, white, actor=None)
    add_visits(client, 2)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_record_visit(client, actor=cast.alpha.operator.user, class_name="Kids karate")
    assert Eligibility.objects.filter(holding__client=client).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_record_visit(client, actor=cast.alpha.operator.user)
    told = sorted(
        OutboundEmail.objects.filter(template="rank_eligible_staff").values_list("to", flat=True)
    )
    assert told == sorted([cast.alpha.admin.email, cast.alpha.operator.email])
    assert OutboundEmail.objects.filter(template="rank_eligible_client").count() == 1


def test_an_automatic_category_promotes_on_the_visit_that_meets_the_criteria(
    cast, django_capture_on_commit_callbacks
):
    category, (white, yellow, _orange) = make_ladder(cast.alpha.workspace, auto=True)
    client = cast.alpha.client.membership
    actions.do_assign_rank(client, white, actor=None)
    add_visits(client, 2)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_record_visit(client, actor=None)
    current = RankHolding.objects.get(client=client, ended_at__isnull=True)
    assert current.rank == yellow and current.kind == "automatic"


def test_visits_count_from_entering_the_rank_so_a_demotion_starts_the_count_again(
    cast, django_capture_on_commit_callbacks
):
    category, (white, yellow, _orange) = make_ladder(cast.alpha.workspace, auto=True)
    client = cast.alpha.client.membership
    holding = backdate(actions.do_assign_rank(client, white, actor=None), 20)
    add_visits(client, 5, days_ago=30)  # before the rank: they don't count
    from ascend.ranks.evaluation import run_daily

    run_daily()
    assert RankHolding.objects.get(client=client, ended_at__isnull=True).pk == holding.pk
    add_visits(client, 3, days_ago=1)
    run_daily()
    assert RankHolding.objects.get(client=client, ended_at__isnull=True).rank == yellow
    actions.do_demote(client, category, actor=None)
    run_daily()
    assert RankHolding.objects.get(client=client, ended_at__isnull=True).rank == white


def test_mass_promotion_promotes_every_eligible_client_and_tells_each(cast):
    from ascend.ranks.evaluation import run_daily

    category, (white, yellow, _orange) = make_ladder(cast.alpha.workspace)
    for person in (cast.alpha.client, cast.alpha.other_client):
        actions.do_assign_rank(person.membership, white, actor=None)
        add_visits(person.membership, 3)
    run_daily()
    promoted = actions.do_mass_promote(category, actor=cast.alpha.admin.user)
    assert {h.rank for h in promoted} == {yellow} and {h.kind for h in promoted} == {"mass"}
    assert OutboundEmail.objects.filter(template="rank_promoted").count() == 2
    assert not Eligibility.objects.exists()


def test_admins_correct_a_promotion_date_and_the_change_is_kept(cast):
    _category, (white, *_rest) = make_ladder(cast.alpha.workspace)
    holding = actions.do_assign_rank(cast.alpha.client.membership, white, actor=None)
    earlier = timezone.localdate() - timedelta(days=40)
    actions.do_change_holding_date(
        holding, earlier, actor=cast.alpha.admin.user, reason="Graded in class"
    )
    holding.refresh_from_db()
    assert holding.started_on == earlier
    change = HoldingDateChange.objects.get()
    assert change.after == earlier and change.changed_by == cast.alpha.admin.user
    with pytest.raises(ValidationError) as caught:
        actions.do_change_holding_date(
            holding, timezone.localdate() + timedelta(days=2), actor=None
        )
    assert code(caught.value) == "future_date"


def test_visits_can_be_corrected_with_who_and_when_kept(cast):
    visit = actions.do_record_visit(
        cast.alpha.client.membership, actor=cast.alpha.operator.user, evaluate=False
    )
    actions.do_correct_visit(visit, actor=cast.alpha.admin.user, cancel=True, note="Wrong client")
    visit.refresh_from_db()
    assert (
        visit.cancelled_at and visit.corrected_by == cast.alpha.admin.user and visit.correction_note
    )
    with pytest.raises(ValidationError):
        actions.do_record_visit(
            cast.alpha.client.membership,
            actor=None,
            occurred_at=timezone.now() + timedelta(hours=2),
        )
