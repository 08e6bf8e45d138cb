"""Communication quality pages: every coach's for admins and auditors, a head coach's team,
a coach's own figures; the month filter, the chart and the CSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from ascend.messaging.actions import do_start_conversation
from ascend.messaging.testing import enrol, say
from ascend.programs.testing import make_cohort, make_program
from ascend.quality.models import Grade
from ascend.quality.presenting import add_months

from .quality_world import audit, exchange

pytestmark = pytest.mark.django_db


def this_month_start() -> datetime:
    now = timezone.now()
    return now.replace(day=1, hour=9, minute=0, second=0, microsecond=0)


@pytest.fixture
def other_talk(cast):
    program = make_program(cast.alpha.workspace, habits=0, milestones=0)
    other_cohort = make_cohort(program, cast.alpha.other_coach.membership)
    enrol(other_cohort, cast.alpha.other_client.membership)
    return do_start_conversation(
        cast.alpha.other_client.membership, recipient=cast.alpha.other_coach.membership
    )


@pytest.fixture
def figures(cast, talk, other_talk):
    """This month: the coach 4 replies (1 needs improvement, answered in 1 h each); the other
    coach 2 replies answered in 3 h 20 min."""
    start = this_month_start()
    replies = exchange(cast.alpha, talk, 4, start)
    audit(cast.alpha, replies[0], Grade.NEEDS_IMPROVEMENT)
    for i in range(2):
        asked = start + timedelta(days=i)
        say(other_talk, cast.alpha.other_client, "Q", asked)
        say(other_talk, cast.alpha.other_coach, "A", asked + timedelta(hours=3, minutes=20))
    return replies


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def chart_of(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="quality-chart" type="application/json">') + len(
        '<script id="quality-chart" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_admins_see_every_coach_per_month_with_quality_percentile_and_response_times(cast, figures):
    page = cast.client_for(cast.alpha.admin).get("/team/quality/")
    assert page.status_code == 200
    rows = {row.coach.pk: row for row in page.context["report"].rows}
    coach = rows[cast.alpha.coach.membership.pk]
    other = rows[cast.alpha.other_coach.membership.pk]
    assert (coach.quality.replies, coach.quality.needs_improvement) == (4, 1)
    assert (coach.quality_percent, coach.quality.percentile) == (75.0, 50)
    assert (other.quality_percent, other.quality.percentile) == (100.0, 100)
    assert coach.median_text == "1 h" and other.mean_text == "3 h 20 min"
    html = page.content.decode()
    assert "75%" in html and "3 h 20 min" in html
    assert "Within goal (9 h)" in html


def test_the_chart_has_a_line_per_coach_over_the_months(cast, figures):
    page = cast.client_for(cast.alpha.auditor).get("/team/quality/")
    chart = chart_of(page)
    assert chart["type"] == "line"
    assert len(chart["data"]["labels"]) == 6
    lines = {d["label"]: d["data"] for d in chart["data"]["datasets"]}
    assert lines["Alpha Coach"] == [None] * 5 + [75.0]
    assert lines["Alpha Other Coach"] == [None] * 5 + [100.0]
    assert 'data-chart-json="quality-chart"' in page.content.decode()


def test_the_months_default_to_the_last_six_and_can_be_chosen(cast, figures):
    admin = cast.client_for(cast.alpha.admin)
    report = admin.get("/team/quality/").context["report"]
    first, last = report.first, report.last
    assert add_months(first, 5) == last == this_month_start().date()
    earlier = add_months(last, -2)
    older = admin.get(f"/team/quality/?since={earlier:%Y-%m}&until={earlier:%Y-%m}")
    assert older.context["report"].rows == []
    assert "No replies in these months" in older.content.decode()
    wrong = admin.get(f"/team/quality/?since={last:%Y-%m}&until={earlier:%Y-%m}")
    assert "The last month is before the first." in wrong.content.decode()


def test_the_team_page_can_show_one_coach(cast, figures):
    page = cast.client_for(cast.alpha.admin).get(
        f"/team/quality/?coach={cast.alpha.other_coach.membership.pk}"
    )
    assert [r.coach.pk for r in page.context["report"].rows] == [
        cast.alpha.other_coach.membership.pk
    ]


def test_the_csv_is_streamed_with_the_same_columns(cast, figures):
    answer = cast.client_for(cast.alpha.admin).get("/team/quality/?format=csv")
    assert answer.status_code == 200
    assert answer.streaming
    assert answer["Content-Type"] == "text/csv"
    assert "communication-quality-" in answer["Content-Disposition"]
    header, *rows = csv_rows(answer)
    assert header == [
        "Coach", "Email", "Month", "Replies sent", "Needs improvement", "Quality (%)",
        "Percentile", "Replies timed", "Median response (min)", "Mean response (min)",
        "Within goal (%)", "Within target (%)",
    ]  # fmt: skip
    month = this_month_start().strftime("%Y-%m")
    assert ["Alpha Coach", "coach@alpha.test", month, "4", "1", "75.0", "50", "4", "60.0",
            "60.0", "100.0", "100.0"] in rows  # fmt: skip
    assert ["Alpha Other Coach", "other.coach@alpha.test", month, "2", "0", "100.0", "100",
            "2", "200.0", "200.0", "100.0", "100.0"] in rows  # fmt: skip
    assert len(rows) == 2


def test_a_coach_sees_only_their_own_months_percentile_and_chart(cast, figures):
    page = cast.client_for(cast.alpha.coach).get("/coach/quality/")
    assert page.status_code == 200
    assert [r.coach.pk for r in page.context["report"].rows] == [cast.alpha.coach.membership.pk]
    html = page.content.decode()
    assert 'data-testid="own-summary"' in html and "My quality over the months" in html
    assert "Alpha Other Coach" not in html
    assert 'name="coach"' not in html
    (line,) = chart_of(page)["data"]["datasets"]
    assert line["label"] == "Alpha Coach"
    header, *rows = csv_rows(cast.client_for(cast.alpha.coach).get("/coach/quality/?format=csv"))
    assert [r[0] for r in rows] == ["Alpha Coach"]


def test_a_head_coach_sees_the_coaches_they_lead_and_themselves(cast, figures):
    page = cast.client_for(cast.alpha.head_coach).get("/coach/quality/")
    coaches = {c.pk for c in page.context["report"].coaches}
    assert coaches == {cast.alpha.head_coach.membership.pk, cast.alpha.coach.membership.pk}
    assert [r.coach.pk for r in page.context["report"].rows] == [cast.alpha.coach.membership.pk]
    one = cast.client_for(cast.alpha.head_coach).get(
        f"/coach/quality/?coach={cast.alpha.coach.membership.pk}"
    )
    assert one.status_code == 200


def test_the_month_follows_the_workspaces_time_zone(cast, talk):
    workspace = cast.alpha.workspace
    workspace.time_zone = "America/New_York"
    workspace.save(update_fields=["time_zone"])
    say(talk, cast.alpha.client, "Late", datetime(2026, 3, 1, 1, 0, tzinfo=UTC))
    say(talk, cast.alpha.coach, "Late answer", datetime(2026, 3, 1, 2, 0, tzinfo=UTC))
    page = cast.client_for(cast.alpha.admin).get("/team/quality/?since=2026-02&until=2026-03")
    (row,) = page.context["report"].rows
    assert row.month.isoformat() == "2026-02-01"
