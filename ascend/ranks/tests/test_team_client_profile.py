"""Team portal: one client's ranks — current rank, progress, manual changes, history, dates."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ascend.notifications.models import OutboundEmail
from ascend.ranks import actions
from ascend.ranks.models import HoldingDateChange, PromotionKind, RankHolding
from ascend.testing import assert_flat_queries, assert_num_queries

from .team_world import add_visits, make_category, make_eligible, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def ladder(cast):
    return make_category(cast.alpha)


@pytest.fixture
def client(cast):
    return cast.alpha.client.membership


def url(client) -> str:
    return f"/team/ranks/clients/{client.pk}/"


def current(client, category):
    return RankHolding.objects.get(client=client, category=category, ended_at__isnull=True)


def test_the_profile_shows_the_current_rank_progress_and_eligibility(cast, ladder, client):
    category, ranks = ladder
    holding = place(client, ranks[1], days_ago=12)
    add_visits(client, 4)
    make_eligible(holding, ranks[2])
    page = cast.client_for(cast.alpha.owner).get(url(client)).content.decode()
    section = page.split(f'data-testid="category-{category.pk}"')[1].split("</section>")[0]
    assert 'data-testid="current-rank">Yellow<' in section
    assert "By hand" in section and "since" in section
    assert "Next: Orange — needs 10 visits and 30 days." in section
    assert "Visits: 4 of 10" in section and "Days: 12 of 30" in section
    assert '<progress class="meter" value="4" max="10"' in section
    assert "Eligible for Orange" in section
    assert "Promote to Orange" in section and "Back to White" in section


def test_a_client_without_a_rank_is_told_what_to_do_next(cast, ladder, client):
    page = cast.client_for(cast.alpha.owner).get(url(client)).content.decode()
    assert "No belt in this category yet. Assign the first one below." in page
    assert 'data-testid="promote-form"' not in page and "Assign a belt" in page


def test_assigning_a_rank_with_a_note(cast, ladder, client):
    category, ranks = ladder
    owner = cast.client_for(cast.alpha.owner)
    response = owner.post(
        f"{url(client)}{category.pk}/assign/",
        {
            f"c{category.pk}-assign-rank": ranks[2].pk,
            f"c{category.pk}-assign-note": "Came from another dojo",
        },
    )
    assert response.status_code == 302 and response.url == url(client)
    holding = current(client, category)
    assert holding.rank == ranks[2] and holding.note == "Came from another dojo"
    assert holding.kind == PromotionKind.MANUAL and holding.by == cast.alpha.owner.user


def test_assigning_the_rank_already_held_is_refused_at_the_field(cast, ladder, client):
    category, ranks = ladder
    place(client, ranks[1])
    response = cast.client_for(cast.alpha.owner).post(
        f"{url(client)}{category.pk}/assign/", {f"c{category.pk}-assign-rank": ranks[1].pk}
    )
    assert response.status_code == 422
    assert "The client already holds this rank." in response.content.decode()


def test_promoting_tells_the_client_and_demoting_moves_back(cast, ladder, client):
    category, ranks = ladder
    place(client, ranks[0])
    owner = cast.client_for(cast.alpha.admin)
    response = owner.post(
        f"{url(client)}{category.pk}/promote/",
        {f"c{category.pk}-promote-note": "Great kata"},
        follow=True,
    )
    assert "was promoted to Yellow and told" in response.content.decode()
    holding = current(client, category)
    assert holding.rank == ranks[1] and holding.note == "Great kata"
    assert OutboundEmail.objects.filter(template="rank_promoted", to=client.user.email).count() == 1
    owner.post(
        f"{url(client)}{category.pk}/demote/", {f"c{category.pk}-demote-note": "Missed grading"}
    )
    holding = current(client, category)
    assert holding.rank == ranks[0] and holding.note == "Missed grading"


def test_promoting_past_the_last_rank_is_refused_with_the_reason_and_changes_nothing(
    cast, ladder, client
):
    category, ranks = ladder
    place(client, ranks[-1])
    response = cast.client_for(cast.alpha.owner).post(
        f"{url(client)}{category.pk}/promote/", {f"c{category.pk}-promote-note": "Again"}
    )
    assert response.status_code == 422
    section = response.content.decode().split('data-testid="promote-form"')[1].split("</form>")[0]
    assert "Green is the last rank: there is nothing to promote to." in section
    assert 'value="Again"' in section
    assert current(client, category).rank == ranks[-1]
    assert RankHolding.objects.filter(client=client).count() == 1


def test_demoting_below_the_first_rank_is_refused_with_the_reason(cast, ladder, client):
    category, ranks = ladder
    place(client, ranks[0])
    response = cast.client_for(cast.alpha.owner).post(f"{url(client)}{category.pk}/demote/", {})
    assert response.status_code == 422
    section = response.content.decode().split('data-testid="demote-form"')[1].split("</form>")[0]
    assert "White is the first rank: there is nothing to demote to." in section
    assert current(client, category).rank == ranks[0]


def test_promoting_a_client_without_a_rank_is_refused(cast, ladder, client):
    category, ranks = ladder
    response = cast.client_for(cast.alpha.owner).post(f"{url(client)}{category.pk}/promote/", {})
    assert response.status_code == 422
    assert "has no rank in this category yet" in response.content.decode()
    assert not RankHolding.objects.filter(client=client).exists()


def test_the_history_lists_every_rank_with_dates_who_and_how(cast, ladder, client):
    category, ranks = ladder
    place(client, ranks[0])
    actions.do_promote(client, category, actor=None, kind=PromotionKind.AUTOMATIC)
    actions.do_promote(client, category, actor=cast.alpha.admin.user, kind=PromotionKind.MASS)
    page = cast.client_for(cast.alpha.owner).get(url(client)).content.decode()
    history = page.split('data-testid="history"')[1].split("</table>")[0]
    rows = history.split("<tr>")[2:]
    assert len(rows) == 3
    assert "Orange" in rows[0] and "Current" in rows[0] and "Mass promotion" in rows[0]
    assert "Alpha Admin" in rows[0]
    assert "Yellow" in rows[1] and "Automatic" in rows[1]
    assert "White" in rows[2] and "By hand" in rows[2]


def test_an_admin_changes_when_a_rank_began_and_the_change_is_kept(cast, ladder, client):
    category, ranks = ladder
    holding = place(client, ranks[0], days_ago=40)
    actions.do_promote(client, category, actor=None)
    newer = current(client, category)
    admin = cast.client_for(cast.alpha.admin)
    form = admin.get(f"/team/ranks/holdings/{newer.pk}/date/").content.decode()
    assert "The date has not been changed before." in form
    day = actions.workspace_today(cast.alpha.workspace) - timedelta(days=10)
    response = admin.post(
        f"/team/ranks/holdings/{newer.pk}/date/",
        {"started_on": day.isoformat(), "reason": "Graded at the summer camp"},
    )
    assert response.status_code == 302 and response.url == url(client)
    newer.refresh_from_db()
    assert newer.started_on == day
    change = HoldingDateChange.objects.get(holding=newer)
    assert change.after == day and change.changed_by == cast.alpha.admin.user
    page = admin.get(url(client)).content.decode()
    assert 'data-testid="date-change"' in page and "Graded at the summer camp" in page
    assert holding.pk != newer.pk


def test_a_date_in_the_future_or_before_the_previous_rank_is_refused_at_the_field(
    cast, ladder, client
):
    category, ranks = ladder
    place(client, ranks[0], days_ago=5)
    actions.do_promote(client, category, actor=None)
    newer = current(client, category)
    admin = cast.client_for(cast.alpha.admin)
    today = actions.workspace_today(cast.alpha.workspace)
    for day, message in [
        (today + timedelta(days=1), "The date can&#x27;t be in the future."),
        (today - timedelta(days=30), "The date can&#x27;t be before the previous rank began."),
    ]:
        response = admin.post(
            f"/team/ranks/holdings/{newer.pk}/date/", {"started_on": day.isoformat(), "reason": "x"}
        )
        assert response.status_code == 422 and message in response.content.decode()
    response = admin.post(
        f"/team/ranks/holdings/{newer.pk}/date/", {"started_on": today.isoformat()}
    )
    assert response.status_code == 422 and "This field is required." in response.content.decode()
    assert not HoldingDateChange.objects.exists()


def test_a_holding_of_another_workspace_is_404(cast, ladder, client):
    _, beta_ranks = make_category(cast.beta, "Beta Judo")
    beta_holding = place(cast.beta.client.membership, beta_ranks[0])
    admin = cast.client_for(cast.alpha.admin)
    assert admin.get(f"/team/ranks/holdings/{beta_holding.pk}/date/").status_code == 404
    beta_category = beta_holding.category
    assert admin.post(f"{url(client)}{beta_category.pk}/promote/").status_code == 404


def test_the_profile_query_count_is_pinned_and_flat_as_history_and_categories_grow(
    cast, ladder, client
):
    category, ranks = ladder
    holding = place(client, ranks[0])
    make_eligible(holding, ranks[1])
    owner = cast.client_for(cast.alpha.owner)
    owner.get(url(client))
    with assert_num_queries(11):
        owner.get(url(client))

    def grow():
        actions.do_promote(client, category, actor=None)
        actions.do_promote(client, category, actor=cast.alpha.admin.user)
        newest = current(client, category)
        actions.do_change_holding_date(
            newest, newest.started_on, actor=cast.alpha.admin.user, reason="r"
        )
        judo, judo_ranks = make_category(cast.alpha, "Judo")
        place(client, judo_ranks[1])
        add_visits(client, 5)

    assert_flat_queries(lambda: owner.get(url(client)), grow)
