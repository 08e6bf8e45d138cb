from __future__ import annotations

from ascend.portals.navigation import PORTALS, nav_for


def test_the_inbox_stays_current_while_reading_one_of_its_conversations(cast):
    coach = cast.alpha.coach.membership
    portal = next(p for p in PORTALS if p.key == "coach")
    items = nav_for(coach, portal, "/coach/messages/12/")
    assert [i["label"] for i in items if i["current"]] == ["Inbox"]
    items = nav_for(coach, portal, "/coach/cohorts/")
    assert "Inbox" not in [i["label"] for i in items if i["current"]]
