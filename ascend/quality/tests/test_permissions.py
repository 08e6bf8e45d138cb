"""Who may open the audit queue, audit a reply, acknowledge an audit, see the quality pages
and another coach's quality: every person of the cast, and a member of another workspace.

Refusals: 403 for a member whose roles don't open the page, 404 for what they can't see
(another coach's audit, another coach's figures) and for another workspace's members.
"""

from __future__ import annotations

import pytest

from ascend.quality.models import Audit, Grade

from .quality_world import audit

pytestmark = pytest.mark.django_db

PEOPLE = [
    "client", "other_client", "coach", "other_coach", "head_coach", "auditor", "admin", "beta",
]  # fmt: skip


def browser_of(cast, who: str):
    """A signed-in test client on alpha's host; ``beta`` is beta's admin visiting alpha."""
    if who == "beta":
        return cast.client_for(cast.beta.admin, workspace=cast.alpha.workspace)
    return cast.client_for(getattr(cast.alpha, who))


def expect(table: dict[str, int], who: str) -> int:
    return table.get(who, 403)


OPEN_QUEUE = {"auditor": 200, "beta": 404}
AUDIT_REPLY = {"auditor": 302, "beta": 404}
ACKNOWLEDGE = {"coach": 302, "other_coach": 404, "head_coach": 404, "beta": 404}
TEAM_QUALITY = {"auditor": 200, "admin": 200, "beta": 404}
COACH_QUALITY = {"coach": 200, "other_coach": 200, "head_coach": 200, "beta": 404}
# /coach/quality/?coach=<the coach>: themselves and their head coach.
COACHS_QUALITY = {"coach": 200, "other_coach": 404, "head_coach": 200, "beta": 404}
# /team/quality/?coach=<the coach>
COACHS_QUALITY_TEAM = {"auditor": 200, "admin": 200, "beta": 404}


@pytest.mark.parametrize("who", PEOPLE)
def test_opening_the_audit_queue(cast, reply, who):
    assert browser_of(cast, who).get("/team/audits/").status_code == expect(OPEN_QUEUE, who)


@pytest.mark.parametrize("who", PEOPLE)
def test_auditing_a_reply(cast, reply, who):
    data = {f"m{reply.pk}-grade": Grade.OUTSTANDING, f"m{reply.pk}-feedback": "Well said."}
    browser = browser_of(cast, who)
    assert browser.get(f"/team/audits/messages/{reply.pk}/").status_code == (
        200 if who == "auditor" else expect(AUDIT_REPLY, who)
    )
    answer = browser.post(f"/team/audits/messages/{reply.pk}/", data)
    assert answer.status_code == expect(AUDIT_REPLY, who)
    assert Audit.objects.exists() is (who == "auditor")


@pytest.mark.parametrize("who", PEOPLE)
def test_acknowledging_an_audit(cast, reply, who):
    graded = audit(cast.alpha, reply)
    answer = browser_of(cast, who).post(f"/coach/audits/{graded.pk}/acknowledge/")
    assert answer.status_code == expect(ACKNOWLEDGE, who)
    graded.refresh_from_db()
    assert (graded.acknowledged_at is not None) is (who == "coach")


@pytest.mark.parametrize("who", PEOPLE)
def test_seeing_the_quality_pages(cast, reply, who):
    browser = browser_of(cast, who)
    assert browser.get("/team/quality/").status_code == expect(TEAM_QUALITY, who)
    assert browser.get("/team/quality/?format=csv").status_code == expect(TEAM_QUALITY, who)
    assert browser.get("/coach/quality/").status_code == expect(COACH_QUALITY, who)


@pytest.mark.parametrize("who", PEOPLE)
def test_seeing_another_coachs_quality(cast, reply, who):
    coach = cast.alpha.coach.membership.pk
    browser = browser_of(cast, who)
    assert browser.get(f"/coach/quality/?coach={coach}").status_code == expect(COACHS_QUALITY, who)
    assert browser.get(f"/coach/quality/?coach={coach}&format=csv").status_code == expect(
        COACHS_QUALITY, who
    )
    assert browser.get(f"/team/quality/?coach={coach}").status_code == expect(
        COACHS_QUALITY_TEAM, who
    )


@pytest.mark.parametrize("who", PEOPLE)
def test_seeing_the_coachs_audits(cast, reply, who):
    """The audits page lists only one's own audits; a head coach's team tab, the coaches
    they lead. Feedback never reaches the others."""
    audit(cast.alpha, reply, Grade.SUGGESTION, "Secret feedback")
    browser = browser_of(cast, who)
    for path in ("/coach/audits/", "/coach/audits/?tab=team"):
        answer = browser.get(path)
        allowed = {"coach", "other_coach", "head_coach"}
        assert answer.status_code == (200 if who in allowed else expect({"beta": 404}, who))
        shown = answer.status_code == 200 and "Secret feedback" in answer.content.decode()
        # A coach who leads nobody has no team tab: ?tab=team shows their own.
        sees = who == "coach" or (who == "head_coach" and "tab" in path)
        assert shown is sees, (who, path)


def test_another_workspaces_auditor_and_coach_cannot_reach_alpha_replies_or_audits(cast, reply):
    graded = audit(cast.alpha, reply)
    auditor = cast.client_for(cast.beta.auditor)
    assert auditor.get(f"/team/audits/messages/{reply.pk}/").status_code == 404
    data = {f"m{reply.pk}-grade": Grade.OUTSTANDING, f"m{reply.pk}-feedback": "x"}
    assert auditor.post(f"/team/audits/messages/{reply.pk}/", data).status_code == 404
    coach = cast.client_for(cast.beta.coach)
    assert coach.post(f"/coach/audits/{graded.pk}/acknowledge/").status_code == 404
    assert coach.get(f"/coach/quality/?coach={cast.alpha.coach.membership.pk}").status_code == 404
    admin = cast.client_for(cast.beta.admin)
    assert admin.get(f"/team/quality/?coach={cast.alpha.coach.membership.pk}").status_code == 404
    assert (
        "Alpha Coach"
        not in cast.client_for(cast.beta.auditor).get("/team/audits/").content.decode()
    )
