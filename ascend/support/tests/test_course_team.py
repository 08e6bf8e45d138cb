"""The course team page: members with their service figures, their history, resend access."""

from __future__ import annotations

import re

import pytest

from ascend.activity.models import Event
from ascend.activity.verbs import Verb
from ascend.courses.actions_comments import do_moderate_comments, do_reply_to_comment
from ascend.courses.tests.comments_world import comment
from ascend.notifications.models import OutboundEmail
from ascend.support.actions import do_rate_support
from ascend.support.queries import course_team_with_figures
from ascend.testing import assert_flat_queries, assert_num_queries

from .support_world import answer, ask, lessons_for

pytestmark = pytest.mark.django_db

TEAM = "/team/support/team/"


def _service(cast):  # type: ignore[no-untyped-def]
    """The attendant answered two requests (rated 4 and 2) and moderated three comments;
    the supervisor answered one (then the attendant took it over) and replied once."""
    lessons = lessons_for(cast.alpha)
    learner = cast.alpha.client
    first, second, third = (ask(learner, f"Q{n}") for n in range(3))
    answer(first, cast.alpha.attendant)
    answer(second, cast.alpha.attendant)
    answer(third, cast.alpha.supervisor)
    answer(third, cast.alpha.attendant)
    do_rate_support(first, learner=learner.membership, rating=4, actor=None)
    do_rate_support(second, learner=learner.membership, rating=2, actor=None)
    rows = [comment(lessons[0], learner.membership, f"C{n}") for n in range(3)]
    do_moderate_comments(
        cast.alpha.workspace, [r.pk for r in rows], "approved", actor=cast.alpha.attendant.user
    )
    supervisor = cast.alpha.supervisor
    do_reply_to_comment(rows[0], author=supervisor.membership, body="Hi", actor=supervisor.user)


def test_the_figures_count_answers_ratings_and_moderation_per_member(cast):
    _service(cast)
    figures = {m.pk: m for m in course_team_with_figures(cast.alpha.workspace)}
    attendant = figures[cast.alpha.attendant.membership.pk]
    supervisor = figures[cast.alpha.supervisor.membership.pk]
    assert (attendant.answered, attendant.rated, attendant.moderated) == (3, 2, 3)
    assert float(attendant.average_rating) == 3.0
    # Their own reply is not a moderation.
    assert (supervisor.answered, supervisor.rated, supervisor.moderated) == (1, 0, 0)
    assert supervisor.average_rating is None
    assert set(figures) == {
        cast.alpha.owner.membership.pk,
        cast.alpha.admin.membership.pk,
        cast.alpha.supervisor.membership.pk,
        cast.alpha.attendant.membership.pk,
    }


def test_the_page_shows_each_member_with_their_figures(cast):
    _service(cast)
    page = cast.client_for(cast.alpha.supervisor).get(TEAM).content.decode()
    row = page[page.index(f'data-testid="member-{cast.alpha.attendant.membership.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Alpha Attendant" in row and "Attendant" in row
    cells = re.findall(r'<td class="num">(\d+)</td>', row)
    assert cells == ["3", "3"]
    assert "3.0 ★" in row and "2 ratings" in row
    assert "Alpha Coach" not in page and "Alpha Client" not in page


@pytest.mark.parametrize("who", ["owner", "admin", "supervisor"])
def test_owners_admins_and_supervisors_open_the_course_team(cast, who):
    client = cast.client_for(getattr(cast.alpha, who))
    assert client.get(TEAM).status_code == 200
    assert client.get(f"{TEAM}{cast.alpha.attendant.membership.pk}/").status_code == 200


@pytest.mark.parametrize("who", ["attendant", "coach", "auditor", "operator", "client"])
def test_other_roles_are_refused_the_course_team(cast, who):
    client = cast.client_for(getattr(cast.alpha, who))
    target = cast.alpha.attendant.membership.pk
    assert client.get(TEAM).status_code == 403
    assert client.get(f"{TEAM}{target}/").status_code == 403
    assert client.post(f"{TEAM}{target}/resend-access/").status_code == 403
    assert not OutboundEmail.objects.exists()


def test_members_of_another_workspace_are_refused(cast):
    stranger = cast.client_for(cast.beta.owner, workspace=cast.alpha.workspace)
    target = cast.alpha.attendant.membership.pk
    assert stranger.get(TEAM).status_code == 404
    own = cast.client_for(cast.beta.owner)
    assert own.get(f"{TEAM}{target}/").status_code == 404
    assert own.post(f"{TEAM}{target}/resend-access/").status_code == 404
    assert not OutboundEmail.objects.exists()


def test_a_coach_or_client_is_not_a_course_team_member_here(cast):
    client = cast.client_for(cast.alpha.owner)
    for person in (cast.alpha.coach, cast.alpha.client):
        assert client.get(f"{TEAM}{person.membership.pk}/").status_code == 404
        assert client.post(f"{TEAM}{person.membership.pk}/resend-access/").status_code == 404
    assert not OutboundEmail.objects.exists()


def test_the_history_lists_requests_answered_and_comments_moderated(cast):
    _service(cast)
    client = cast.client_for(cast.alpha.admin)
    url = f"{TEAM}{cast.alpha.attendant.membership.pk}/"
    support = client.get(url).content.decode()
    assert all(f">Q{n}</a>" in support for n in range(3))
    comments = client.get(url, {"tab": "comments"}).content.decode()
    assert all(f"C{n}" in comments for n in range(3))
    supervisor = client.get(f"{TEAM}{cast.alpha.supervisor.membership.pk}/").content.decode()
    assert ">Q2</a>" in supervisor and ">Q0</a>" not in supervisor


def test_resend_access_emails_a_password_setting_link(cast):
    target = cast.alpha.attendant
    response = cast.client_for(cast.alpha.supervisor).post(
        f"{TEAM}{target.membership.pk}/resend-access/"
    )
    assert response.status_code == 302 and response["Location"] == TEAM
    email = OutboundEmail.objects.get()
    assert email.to == target.email and email.template == "password_reset"
    link = re.search(r"https?://\S+/reset/\S+", email.body)
    assert link and "alpha.localhost" in link.group(0)
    assert Event.objects.filter(verb=Verb.COURSE_ACCESS_SENT, target_id=str(target.membership.pk))
    # The link really sets a password.
    path = link.group(0).split("alpha.localhost", 1)[1]
    anonymous = cast.client_for(None)
    opened = anonymous.get(path, follow=True)
    assert opened.status_code == 200
    form_path = opened.redirect_chain[-1][0] if opened.redirect_chain else path
    done = anonymous.post(
        form_path, {"new_password1": "Fresh-pass-4567", "new_password2": "Fresh-pass-4567"}
    )
    assert done.status_code == 302
    target.user.refresh_from_db()
    assert target.user.check_password("Fresh-pass-4567")


def test_the_team_page_runs_the_same_queries_however_much_service(cast):
    client = cast.client_for(cast.alpha.owner)
    counter = iter(range(1000))
    lessons = lessons_for(cast.alpha)

    def grow() -> None:
        n = next(counter)
        for who in ("attendant", "supervisor"):
            asked = ask(cast.alpha.client, f"Grow {n} {who}")
            answer(asked, getattr(cast.alpha, who))
            do_rate_support(asked, learner=cast.alpha.client.membership, rating=5, actor=None)
            row = comment(lessons[0], cast.alpha.client.membership)
            do_moderate_comments(
                cast.alpha.workspace, [row.pk], "spam", actor=getattr(cast.alpha, who).user
            )

    grow()
    assert_flat_queries(lambda: client.get(TEAM), grow)
    url = f"{TEAM}{cast.alpha.attendant.membership.pk}/"
    assert_flat_queries(lambda: client.get(url), grow)
    assert_flat_queries(lambda: client.get(url, {"tab": "comments"}), grow)
    # workspace, session, user, membership; the team with every figure; the switcher.
    with assert_num_queries(6):
        client.get(TEAM)
