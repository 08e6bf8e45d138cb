"""Team portal: the ranks report — holders, eligible, automatic promotions, CSV and chart."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from ascend.ranks import actions
from ascend.ranks.models import PromotionKind
from ascend.testing import assert_flat_queries, assert_num_queries

from .team_world import make_category, make_eligible, more_clients, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    karate, belts = make_category(cast.alpha)
    judo, judo_belts = make_category(cast.alpha, "Judo")
    client, other = cast.alpha.client.membership, cast.alpha.other_client.membership
    make_eligible(place(client, belts[0]), belts[1])
    place(other, belts[0])
    actions.do_promote(other, karate, actor=None, kind=PromotionKind.AUTOMATIC)
    place(client, judo_belts[2])
    _, beta_belts = make_category(cast.beta, "Beta Karate")
    place(cast.beta.client.membership, beta_belts[0])
    return karate, belts, judo, judo_belts


def csv_rows(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_report_shows_holders_eligible_and_automatic_promotions(cast, world):
    karate, belts, judo, judo_belts = world
    page = cast.client_for(cast.alpha.owner).get("/team/ranks/report/").content.decode()
    assert "<h1>Belts report</h1>" in page
    holders = page.split('data-testid="holders"')[1].split("</table>")[0]
    assert holders.count("<tr>") == 4  # header + 3 holdings
    assert "for Yellow" in holders and "Beta" not in holders
    promoted = page.split('data-testid="promoted"')[1].split("</table>")[0]
    assert "Alpha Other Client" in promoted and "Yellow" in promoted
    summary = page.split('data-testid="distribution"')[1].split("</table>")[0]
    white_row = summary.split("<td>Karate</td>")[1].split("</tr>")[0]
    assert "White</a>" in white_row
    assert "<td>1</td>" in white_row and ">1</span>" in white_row
    assert 'data-chart-src="/team/ranks/report/chart.json' in page
    assert "vendor/chart.js/chart.umd.min.js" in page and "ascend/charts.js" in page


def test_filters_by_category_rank_and_period(cast, world):
    karate, belts, judo, judo_belts = world
    owner = cast.client_for(cast.alpha.owner)
    page = owner.get(f"/team/ranks/report/?category={judo.pk}").content.decode()
    holders = page.split('data-testid="holders"')[1].split("</table>")[0]
    assert "Judo" in holders and "Karate" not in holders
    page = owner.get(f"/team/ranks/report/?rank={belts[1].pk}").content.decode()
    holders = page.split('data-testid="holders"')[1].split("</table>")[0]
    assert holders.count("<tr>") == 2 and "Alpha Other Client" in holders
    # The automatic promotion happened today: a period in the past doesn't show it.
    last_year = actions.workspace_today(cast.alpha.workspace) - timedelta(days=365)
    page = owner.get(
        f"/team/ranks/report/?since={last_year - timedelta(days=30)}&until={last_year}"
    ).content.decode()
    assert "No automatic promotions in this period." in page
    page = owner.get("/team/ranks/report/?since=&until=").content.decode()
    assert "At any time." in page and 'data-testid="promoted"' in page


def test_a_period_ending_before_it_starts_is_refused_at_the_field(cast, world):
    page = (
        cast.client_for(cast.alpha.owner)
        .get("/team/ranks/report/?since=2025-05-01&until=2025-04-01")
        .content.decode()
    )
    assert "The end of the period is before its start." in page


def test_the_csv_streams_holders_and_promotions_with_filters(cast, world):
    karate, belts, judo, judo_belts = world
    owner = cast.client_for(cast.alpha.owner)
    response = owner.get("/team/ranks/report/export.csv")
    assert response["Content-Type"] == "text/csv" and response.streaming
    assert 'filename="rank-holders-' in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0] == [
        "Category",
        "Belts",
        "Client",
        "Email",
        "Since",
        "Visits since",
        "Eligible for",
    ]
    assert len(rows) == 4
    assert rows[1][:4] == ["Judo", "Orange", "Alpha Client", "client@alpha.test"]
    assert rows[2][0:3] == ["Karate", "White", "Alpha Client"] and rows[2][-1] == "Yellow"
    rows = csv_rows(owner.get(f"/team/ranks/report/export.csv?category={judo.pk}"))
    assert len(rows) == 2
    rows = csv_rows(owner.get("/team/ranks/report/export.csv?what=promotions"))
    assert rows[0] == ["Category", "Belts", "Client", "Email", "Promoted on"]
    assert rows[1][:3] == ["Karate", "Yellow", "Alpha Other Client"] and len(rows) == 2


def test_the_chart_endpoint_gives_the_distribution_in_chart_js_shape(cast, world):
    karate, belts, judo, judo_belts = world
    data = (
        cast.client_for(cast.alpha.owner)
        .get(f"/team/ranks/report/chart.json?category={karate.pk}")
        .json()
    )
    assert data["type"] == "bar"
    assert data["data"]["labels"] == ["White", "Yellow", "Orange", "Green"]
    assert data["data"]["datasets"][0]["data"] == [1, 1, 0, 0]
    assert data["data"]["datasets"][0]["backgroundColor"][1] == "#f2c94c"
    data = cast.client_for(cast.alpha.owner).get("/team/ranks/report/chart.json").json()
    assert "Judo · Orange" in data["data"]["labels"]


def test_the_report_csv_and_chart_query_counts_are_pinned_and_flat_as_clients_grow(cast, world):
    karate, belts, judo, judo_belts = world
    owner = cast.client_for(cast.alpha.owner)
    owner.get("/team/ranks/report/")
    with assert_num_queries(11):
        owner.get("/team/ranks/report/")
    with assert_num_queries(7):
        owner.get("/team/ranks/report/chart.json")

    def csv_all():
        csv_rows(owner.get("/team/ranks/report/export.csv"))
        csv_rows(owner.get("/team/ranks/report/export.csv?what=promotions"))

    def grow():
        for i, client in enumerate(more_clients(cast.alpha, 12)):
            holding = place(client, belts[i % 3])
            if i % 2:
                make_eligible(holding, belts[i % 3 + 1])
            if i % 3 == 0:
                actions.do_promote(client, karate, actor=None, kind=PromotionKind.AUTOMATIC)
            place(client, judo_belts[i % 4])

    page = lambda: owner.get("/team/ranks/report/")  # noqa: E731
    chart = lambda: owner.get("/team/ranks/report/chart.json")  # noqa: E731
    before = [assert_flat_queries(page, lambda: None), assert_flat_queries(chart, lambda: None),
              assert_flat_queries(csv_all, lambda: None)]  # fmt: skip
    grow()
    after = [assert_flat_queries(page, lambda: None), assert_flat_queries(chart, lambda: None),
             assert_flat_queries(csv_all, lambda: None)]  # fmt: skip
    assert before == after
