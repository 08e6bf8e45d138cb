"""Every change to rank categories, ranks, visits and the ranks clients hold."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ascend.activity.actions import record_event
from ascend.activity.verbs import Verb
from ascend.lib.errors import field_error
from ascend.programs.rules import client_today
from ascend.tenancy.models import Membership
from ascend.tenancy.roles import STAFF_ROLES, Role

from . import rules
from .models import (
    Eligibility,
    HoldingDateChange,
    PromotionKind,
    Rank,
    RankCategory,
    RankHolding,
    Visit,
)


def workspace_today(workspace) -> date:  # type: ignore[no-untyped-def]
    return client_today(workspace.time_zone, timezone.now())


def ladder(category: RankCategory) -> list[Rank]:
    return list(Rank.objects.filter(category=category).order_by("position"))


# Categories and ranks --------------------------------------------------------------------


@transaction.atomic
def do_save_category(
    workspace,
    *,
    actor,
    category: RankCategory | None = None,
    name: str,  # type: ignore[no-untyped-def]
    auto_promote: bool = False,
    notify_roles: list[str] | None = None,
    notify_client: bool = True,
) -> RankCategory:
    """Create or change a category; only staff roles can be told of eligibility."""
    roles = sorted(set(notify_roles or []))
    unknown = [r for r in roles if r not in {role.value for role in STAFF_ROLES}]
    if unknown:
        raise field_error("notify_roles", _("Choose staff roles only."), "not_staff_role")
    category = category or RankCategory(workspace=workspace)
    category.name, category.auto_promote = name.strip(), auto_promote
    category.notify_roles, category.notify_client = roles, notify_client
    category.full_clean(validate_constraints=False)
    if (
        RankCategory.objects.filter(
            workspace=workspace, name__iexact=category.name, archived_at__isnull=True
        )
        .exclude(pk=category.pk)
        .exists()
    ):
        raise field_error("name", _("There is already a category with this name."), "name_taken")
    category.save()
    record_event(workspace, Verb.RANK_CATEGORY_SAVED, actor=actor, target=category)
    return category


@transaction.atomic
def do_archive_category(category: RankCategory, *, actor) -> RankCategory:  # type: ignore[no-untyped-def]
    """Take a category out of use: it leaves the pages and evaluation; holdings stay as history."""
    if category.archived_at is None:
        category.archived_at = timezone.now()
        category.save(update_fields=["archived_at"])
        record_event(
            category.workspace,
            Verb.RANK_CATEGORY_SAVED,
            actor=actor,
            target=category,
            data={"archived": True},
        )
    return category


def _check_criteria(min_visits: int | None, min_days: int | None) -> None:
    for field, value in (("min_visits", min_visits), ("min_days", min_days)):
        if value is not None and value < 0:
            raise field_error(field, _("Use zero or more."), "negative")


@transaction.atomic
def do_save_rank(
    category: RankCategory,
    *,
    actor,
    rank: Rank | None = None,
    name: str,  # type: ignore[no-untyped-def]
    colour: str = "#9aa4b2",
    min_visits: int | None = None,
    min_days: int | None = None,
) -> Rank:
    """Add a rank at the top of the ladder, or change one; criteria are zero or more."""
    _check_criteria(min_visits, min_days)
    if rank is None:
        top = Rank.objects.filter(category=category).aggregate(top=Max("position"))["top"]
        rank = Rank(
            workspace=category.workspace, category=category, position=0 if top is None else top + 1
        )
    rank.name, rank.colour = name.strip(), colour
    rank.min_visits, rank.min_days = min_visits, min_days
    rank.full_clean(validate_constraints=False)
    rank.save()
    return rank


@transaction.atomic
def do_reorder_ranks(category: RankCategory, ordered_ids: list[int], *, actor) -> list[Rank]:  # type: ignore[no-untyped-def]
    """Put the ladder in a new order. The order must name each rank of the category once."""
    current = {r.id: r for r in Rank.objects.select_for_update().filter(category=category)}
    if sorted(ordered_ids) != sorted(current) or len(set(ordered_ids)) != len(ordered_ids):
        raise field_error(
            "order", _("The new order must list each rank of the category once."), "order_clash"
        )
    # Two steps, so the unique (category, position) never sees two ranks in one place.
    offset = len(current) + 1000
    for rank in current.values():
        Rank.objects.filter(pk=rank.pk).update(position=rank.position + offset)
    for position, rank_id in enumerate(ordered_ids):
        Rank.objects.filter(pk=rank_id).update(position=position)
    record_event(
        category.workspace,
        Verb.RANK_CATEGORY_SAVED,
        actor=actor,
        target=category,
        data={"order": ordered_ids},
    )
    return ladder(category)


def do_move_rank(rank: Rank, step: int, *, actor) -> list[Rank]:  # type: ignore[no-untyped-def]
    """Move a rank one place up (+1) or down (−1) the ladder; at either end nothing moves."""
    ids = [r.id for r in ladder(rank.category)]
    index = ids.index(rank.id)
    target = index + step
    if 0 <= target < len(ids):
        ids[index], ids[target] = ids[target], ids[index]
    return do_reorder_ranks(rank.category, ids, actor=actor)


@transaction.atomic
def do_delete_rank(rank: Rank, *, actor) -> None:  # type: ignore[no-untyped-def]
    """Remove a rank nobody has ever held; the rest of the ladder closes the gap."""
    if RankHolding.objects.filter(rank=rank).exists():
        raise ValidationError(
            _("Clients hold or held this rank, so it stays in their history."), code="rank_in_use"
        )
    category = rank.category
    rank.delete()
    do_reorder_ranks(category, [r.id for r in ladder(category)], actor=actor)


# Visits ----------------------------------------------------------------------------------


def check_client(client: Membership) -> None:
    if not client.is_active or not client.is_client:
        raise field_error(
            "client", _("Only clients of this workspace have visits."), "not_a_client"
        )


@transaction.atomic
def do_record_visit(
    client: Membership,
    *,
    actor,
    occurred_at: datetime | None = None,  # type: ignore[no-untyped-def]
    class_name: str = "",
    evaluate: bool = True,
) -> Visit:
    """Record that a client came; then check whether they have earned their next rank."""
    check_client(client)
    now = timezone.now()
    occurred_at = occurred_at or now
    if occurred_at > now:
        raise field_error("occurred_at", _("A visit can't be in the future."), "future_visit")
    visit = Visit.objects.create(
        workspace=client.workspace,
        client=client,
        occurred_at=occurred_at,
        class_name=class_name.strip(),
        recorded_by=actor,
    )
    record_event(
        client.workspace,
        Verb.VISIT_RECORDED,
        actor=actor,
        target=visit,
        data={"client": str(client.user), "class": visit.class_name},
    )
    if evaluate:
        from .tasks import evaluate_client

        # Queued once the visit is saved: a failing check never undoes the visit or fails
        # the check-in (run in place when no broker is set).
        transaction.on_commit(lambda: evaluate_client.delay(client.pk), robust=True)
    return visit


@transaction.atomic
def do_record_roster(
    clients: list[Membership],
    *,
    actor,
    class_name: str,  # type: ignore[no-untyped-def]
    occurred_at: datetime | None = None,
) -> list[Visit]:
    """Tick a class roster at once: one visit per client, all or none."""
    if not clients:
        raise field_error("clients", _("Tick at least one client."), "no_clients")
    return [
        do_record_visit(c, actor=actor, occurred_at=occurred_at, class_name=class_name)
        for c in clients
    ]


@transaction.atomic
def do_correct_visit(
    visit: Visit,
    *,
    actor,
    occurred_at: datetime | None = None,  # type: ignore[no-untyped-def]
    cancel: bool = False,
    note: str = "",
) -> Visit:
    """Move or cancel a visit recorded by mistake; who corrected it and when are kept."""
    before = {
        "occurred_at": visit.occurred_at.isoformat(),
        "cancelled": visit.cancelled_at is not None,
    }
    now = timezone.now()
    if occurred_at is not None:
        if occurred_at > now:
            raise field_error("occurred_at", _("A visit can't be in the future."), "future_visit")
        visit.occurred_at = occurred_at
    if cancel:
        visit.cancelled_at = now
    visit.corrected_by, visit.corrected_at, visit.correction_note = actor, now, note.strip()[:200]
    visit.save()
    record_event(
        visit.workspace,
        Verb.VISIT_CORRECTED,
        actor=actor,
        target=visit,
        data={
            "before": before,
            "after": {
                "occurred_at": visit.occurred_at.isoformat(),
                "cancelled": visit.cancelled_at is not None,
            },
        },
    )
    return visit


# Holdings --------------------------------------------------------------------------------


def current_holding(
    client: Membership, category: RankCategory, *, lock: bool = False
) -> RankHolding | None:
    qs = RankHolding.objects.filter(client=client, category=category, ended_at__isnull=True)
    if lock:
        qs = qs.select_for_update()
    return qs.select_related("rank").first()


def _open_holding(
    client: Membership,
    rank: Rank,
    *,
    actor,
    kind: str,
    note: str,  # type: ignore[no-untyped-def]
    verb: Verb,
    previous: RankHolding | None,
) -> RankHolding:
    now = timezone.now()
    if previous is not None:
        closed = RankHolding.objects.filter(pk=previous.pk, ended_at__isnull=True).update(
            ended_at=now
        )
        if not closed:
            raise ValidationError(
                _("This client's rank just changed. Reload and try again."), code="rank_changed"
            )
        Eligibility.objects.filter(holding=previous).delete()
    try:
        with transaction.atomic():
            holding = RankHolding.objects.create(
                workspace=client.workspace,
                client=client,
                category=rank.category,
                rank=rank,
                started_on=workspace_today(client.workspace),
                started_at=now,
                kind=kind,
                by=actor if getattr(actor, "pk", None) else None,
                note=note.strip()[:300],
            )
    except IntegrityError:
        raise ValidationError(
            _("This client's rank just changed. Reload and try again."), code="rank_changed"
        ) from None
    record_event(
        client.workspace,
        verb,
        actor=actor if getattr(actor, "pk", None) else None,
        target=holding,
        data={
            "client": str(client.user),
            "rank": rank.name,
            "category": rank.category.name,
            "how": kind,
            "from": previous.rank.name if previous else None,
        },
    )
    return holding


@transaction.atomic
def do_assign_rank(client: Membership, rank: Rank, *, actor, note: str = "") -> RankHolding:  # type: ignore[no-untyped-def]
    """Put a client on any rank of a category by hand (their first, or a correction)."""
    check_client(client)
    previous = current_holding(client, rank.category, lock=True)
    if previous is not None and previous.rank_id == rank.id:
        raise field_error("rank", _("The client already holds this rank."), "same_rank")
    return _open_holding(
        client,
        rank,
        actor=actor,
        kind=PromotionKind.MANUAL,
        note=note,
        verb=Verb.RANK_ASSIGNED,
        previous=previous,
    )


@transaction.atomic
def do_promote(
    client: Membership,
    category: RankCategory,
    *,
    actor,
    note: str = "",  # type: ignore[no-untyped-def]
    kind: str = PromotionKind.MANUAL,
    send_notice: bool = True,
    from_holding: int | None = None,
) -> RankHolding:
    """Move a client to the next rank. Refused at the top of the ladder or without a rank.

    ``from_holding`` makes the promotion conditional: when the client's current
    holding is no longer that one (someone promoted them meanwhile), nothing happens.
    """
    previous = current_holding(client, category, lock=True)
    if from_holding is not None and (previous is None or previous.pk != from_holding):
        raise ValidationError(
            _("This client's rank just changed. Reload and try again."), code="rank_changed"
        )
    if previous is None:
        raise field_error(
            "rank", _("The client has no rank in this category yet: assign one first."), "no_rank"
        )
    following = rules.next_in_ladder(ladder(category), previous.rank)
    if following is None:
        raise field_error(
            "rank",
            _("%(rank)s is the last rank: there is nothing to promote to.")
            % {"rank": previous.rank},
            "top_rank",
        )
    holding = _open_holding(
        client,
        following,
        actor=actor,
        kind=kind,
        note=note,
        verb=Verb.RANK_PROMOTED,
        previous=previous,
    )
    if send_notice:
        from .notices import notify_promoted

        notify_promoted(holding)
    return holding


@transaction.atomic
def do_demote(client: Membership, category: RankCategory, *, actor, note: str = "") -> RankHolding:  # type: ignore[no-untyped-def]
    """Move a client back one rank. Refused at the first rank."""
    previous = current_holding(client, category, lock=True)
    if previous is None:
        raise field_error("rank", _("The client has no rank in this category."), "no_rank")
    before = rules.previous_in_ladder(ladder(category), previous.rank)
    if before is None:
        raise field_error(
            "rank",
            _("%(rank)s is the first rank: there is nothing to demote to.")
            % {"rank": previous.rank},
            "bottom_rank",
        )
    return _open_holding(
        client,
        before,
        actor=actor,
        kind=PromotionKind.MANUAL,
        note=note,
        verb=Verb.RANK_DEMOTED,
        previous=previous,
    )


@transaction.atomic
def do_mass_promote(category: RankCategory, *, actor) -> list[RankHolding]:  # type: ignore[no-untyped-def]
    """Promote every eligible client of the category in one step, each told of it."""
    eligible = list(
        RankHolding.objects.filter(
            category=category, ended_at__isnull=True, eligibility__isnull=False
        ).select_related("client")
    )
    promoted = []
    for holding in eligible:
        promoted.append(do_promote(holding.client, category, actor=actor, kind=PromotionKind.MASS))
    return promoted


@transaction.atomic
def do_change_holding_date(
    holding: RankHolding, started_on: date, *, actor, reason: str = ""
) -> RankHolding:  # type: ignore[no-untyped-def]
    """Correct when a client entered a rank (admins); the change is kept as history.

    The date can't be in the future, nor before the client's previous rank began.
    """
    if started_on > workspace_today(holding.workspace):
        raise field_error("started_on", _("The date can't be in the future."), "future_date")
    earlier = (
        RankHolding.objects.filter(
            client=holding.client, category=holding.category, started_at__lt=holding.started_at
        )
        .order_by("-started_at")
        .first()
    )
    if earlier is not None and started_on < earlier.started_on:
        raise field_error(
            "started_on", _("The date can't be before the previous rank began."), "before_previous"
        )
    HoldingDateChange.objects.create(
        workspace=holding.workspace,
        holding=holding,
        before=holding.started_on,
        after=started_on,
        changed_by=actor,
        reason=reason.strip()[:200],
    )
    # Visits count from the start of that day in the workspace's own time zone.
    tz = zoneinfo.ZoneInfo(holding.workspace.time_zone)
    holding.started_on = started_on
    holding.started_at = datetime.combine(started_on, datetime.min.time(), tzinfo=tz)
    holding.save(update_fields=["started_on", "started_at"])
    record_event(
        holding.workspace,
        Verb.RANK_DATE_CHANGED,
        actor=actor,
        target=holding,
        data={"after": started_on.isoformat(), "reason": reason},
    )
    return holding


def staff_to_notify(category: RankCategory) -> list[Membership]:
    """Active members holding any of the roles the category tells of eligibility."""
    from django.db.models import Q

    wanted = Q()
    for value in category.notify_roles:
        wanted |= Q(**{f"is_{Role(value).value}": True})
    if not category.notify_roles:
        return []
    return list(
        Membership.objects.filter(
            wanted, workspace=category.workspace, removed_at__isnull=True
        ).select_related("user")
    )
