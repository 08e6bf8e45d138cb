"""The ranks' notices: eligibility to the chosen staff and the client, promotion to the client.

Every text is an editable email template (Email templates page) with the
workspace's own word for ranks in it.
"""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_scopes import scope, scopes_disabled

from ascend.lib.urls import workspace_url
from ascend.notifications.inapp import notify
from ascend.notifications.outbox import send_email
from ascend.tenancy.models import RankTerm

from .models import Eligibility, RankHolding

# In-app notices, worded with the workspace's own word for ranks ("Belts · Karate: …").
STAFF_ELIGIBLE = _(
    "%(rank_word)s · %(category)s: %(client)s has met the criteria for %(rank)s. "
    "Promote them from their profile."
)
CLIENT_ELIGIBLE = _(
    "%(rank_word)s · %(category)s: you have met the criteria for %(rank)s. "
    "The team will confirm your promotion."
)
CLIENT_PROMOTED = _("%(rank_word)s · %(category)s: congratulations, you are now %(rank)s.")


def rank_word_for_reader(workspace):  # type: ignore[no-untyped-def]
    """The workspace's word for ranks, translated when shown to each reader (custom words stay)."""
    if workspace.rank_term == RankTerm.CUSTOM:
        return workspace.rank_term_custom
    return RankTerm(workspace.rank_term).label


def _context(holding: RankHolding, rank_name: str) -> dict[str, str]:
    workspace = holding.workspace
    with translation.override(holding.client.user.language or workspace.default_language):
        word = workspace.rank_word
    return {
        "client_name": str(holding.client.user),
        "category_name": holding.category.name,
        "current_rank": holding.rank.name,
        "next_rank": rank_name,
        "rank_word": word,
        "ranks_url": workspace_url(workspace, reverse("ranks:client_ranks")),
        "profile_url": workspace_url(
            workspace, reverse("ranks:client_profile", args=[holding.client_id])
        ),
    }


def notify_promoted(holding: RankHolding) -> None:
    """The client hears of a promotion (automatic, by hand or mass)."""
    client = holding.client.user
    send_email(
        workspace=holding.workspace,
        to=client.email,
        user=client,
        template="rank_promoted",
        context={**_context(holding, holding.rank.name), "recipient_name": client.get_short_name()},
    )
    notify(
        holding.workspace,
        client,
        CLIENT_PROMOTED,
        url=reverse("ranks:client_ranks"),
        params={
            "rank_word": rank_word_for_reader(holding.workspace),
            "category": holding.category.name,
            "rank": holding.rank.name,
        },
    )


def send_eligibility_notices(now: datetime) -> int:
    """Each eligibility is announced once: to the chosen staff roles, and the client if chosen."""
    from .actions import staff_to_notify

    sent = 0
    with scopes_disabled():
        pending = Eligibility.objects.filter(notified_at__isnull=True).select_related(
            "holding__client__user",
            "holding__category",
            "holding__rank",
            "holding__workspace",
            "next_rank",
        )
        for eligibility in pending:
            if not Eligibility.objects.filter(pk=eligibility.pk, notified_at__isnull=True).update(
                notified_at=now
            ):
                continue
            holding = eligibility.holding
            context = _context(holding, eligibility.next_rank.name)
            params = {
                "rank_word": rank_word_for_reader(holding.workspace),
                "category": holding.category.name,
                "client": str(holding.client.user),
                "rank": eligibility.next_rank.name,
            }
            with scope(workspace=holding.workspace):
                profile = reverse("ranks:client_profile", args=[holding.client_id])
                for staff in staff_to_notify(holding.category):
                    send_email(
                        workspace=holding.workspace,
                        to=staff.user.email,
                        user=staff.user,
                        template="rank_eligible_staff",
                        context={**context, "recipient_name": staff.user.get_short_name()},
                    )
                    notify(
                        holding.workspace, staff.user, STAFF_ELIGIBLE, url=profile, params=params
                    )
                if holding.category.notify_client:
                    client = holding.client.user
                    send_email(
                        workspace=holding.workspace,
                        to=client.email,
                        user=client,
                        template="rank_eligible_client",
                        context={**context, "recipient_name": client.get_short_name()},
                    )
                    notify(
                        holding.workspace,
                        client,
                        CLIENT_ELIGIBLE,
                        url=reverse("ranks:client_ranks"),
                        params=params,
                    )
            sent += 1
    return sent
