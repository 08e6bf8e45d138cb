"""The coach's audits page, acknowledging feedback, and the partial shown on a message."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from ascend.messaging.testing import say
from ascend.quality.models import Audit, Grade

from .quality_world import HX, audit, exchange

pytestmark = pytest.mark.django_db


def test_the_coach_sees_grade_feedback_link_and_follow_up(cast, reply):
    audit(cast.alpha, reply, Grade.NEEDS_IMPROVEMENT, "Say what comes next.")
    html = cast.client_for(cast.alpha.coach).get("/coach/audits/").content.decode()
    assert 'class="audit audit--yellow"' in html
    assert "Needs improvement" in html and "Say what comes next." in html
    assert f'href="/coach/messages/{reply.conversation_id}/#message-{reply.pk}"' in html
    assert "24 h not yet passed" in html
    assert ">Acknowledge</button>" in html


def test_unacknowledged_audits_come_first(cast, talk):
    older, newer = exchange(cast.alpha, talk, 2, timezone.now() - timedelta(days=3))
    first = audit(cast.alpha, older, Grade.OUTSTANDING, "First feedback")
    audit(cast.alpha, newer, Grade.SUGGESTION, "Second feedback")
    Audit.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=2))
    html = cast.client_for(cast.alpha.coach).get("/coach/audits/").content.decode()
    assert html.index("First feedback") > html.index("Second feedback")
    Audit.objects.exclude(pk=first.pk).update(acknowledged_at=timezone.now())
    html = cast.client_for(cast.alpha.coach).get("/coach/audits/").content.decode()
    assert html.index("First feedback") < html.index("Second feedback")


def test_acknowledging_with_htmx_swaps_the_partial(cast, reply):
    graded = audit(cast.alpha, reply)
    answer = cast.client_for(cast.alpha.coach).post(f"/coach/audits/{graded.pk}/acknowledge/", **HX)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert html.strip().startswith(f'<div class="audit audit--yellow" id="audit-{graded.pk}"')
    assert "Acknowledged" in html and "<form" not in html
    graded.refresh_from_db()
    assert graded.acknowledged_at is not None


def test_acknowledging_without_javascript_goes_back_to_the_page_it_came_from(cast, reply):
    graded = audit(cast.alpha, reply)
    page = f"/coach/messages/{reply.conversation_id}/"
    answer = cast.client_for(cast.alpha.coach).post(
        f"/coach/audits/{graded.pk}/acknowledge/", {"next": page}
    )
    assert (answer.status_code, answer["Location"]) == (302, page)
    answer = cast.client_for(cast.alpha.coach).post(f"/coach/audits/{graded.pk}/acknowledge/")
    assert answer["Location"] == "/coach/audits/"


def test_acknowledging_needs_a_post(cast, reply):
    graded = audit(cast.alpha, reply)
    answer = cast.client_for(cast.alpha.coach).get(f"/coach/audits/{graded.pk}/acknowledge/")
    assert answer.status_code == 405


def test_a_head_coach_sees_the_audits_of_the_coaches_they_lead_read_only(cast, reply):
    audit(cast.alpha, reply, Grade.OUTSTANDING, "Lovely tone.")
    leader = cast.client_for(cast.alpha.head_coach)
    mine = leader.get("/coach/audits/").content.decode()
    assert "Lovely tone." not in mine and "Coaches I lead" in mine
    team = leader.get("/coach/audits/?tab=team").content.decode()
    assert "Lovely tone." in team and "Alpha Coach" in team
    assert ">Acknowledge</button>" not in team
    assert "Not acknowledged yet" in team


def test_a_coach_who_leads_nobody_has_no_team_tab(cast, reply):
    audit(cast.alpha, reply, Grade.OUTSTANDING, "Lovely tone.")
    html = cast.client_for(cast.alpha.other_coach).get("/coach/audits/?tab=team").content.decode()
    assert "Coaches I lead" not in html and "Lovely tone." not in html
    assert "No audits yet" in html


def test_the_partial_shows_staff_the_audit_and_the_coach_the_button(cast, talk, reply):
    graded = audit(cast.alpha, reply, Grade.SUGGESTION, "Add a link to the video.")
    message = type(reply).objects.select_related("audit__auditor__user").get(pk=reply.pk)

    def render_for(person):
        request = RequestFactory().get(f"/coach/messages/{talk.pk}/")
        request.user, request.membership = person.user, person.membership
        request.workspace = person.workspace
        return render_to_string(
            "quality/_message_audit.html",
            {"message": message, "membership": person.membership},
            request=request,
        )

    for_coach = render_for(cast.alpha.coach)
    assert 'class="audit audit--blue"' in for_coach
    assert "Suggestion" in for_coach and "Add a link to the video." in for_coach
    assert "Audited by Alpha Auditor" in for_coach
    assert f'action="/coach/audits/{graded.pk}/acknowledge/"' in for_coach
    assert f'value="/coach/messages/{talk.pk}/"' in for_coach
    for_leader = render_for(cast.alpha.head_coach)
    assert "Add a link to the video." in for_leader and "acknowledge/" not in for_leader
    say(talk, cast.alpha.coach, "Here is the link", graded.created_at + timedelta(minutes=50))
    message = type(reply).objects.select_related("audit__auditor__user").get(pk=reply.pk)
    assert "Followed up in 50 min" in render_for(cast.alpha.coach)


def test_the_partial_is_empty_for_a_message_without_audit(cast, reply):
    html = render_to_string(
        "quality/_message_audit.html", {"message": reply, "membership": cast.alpha.coach.membership}
    )
    assert html.strip() == ""
