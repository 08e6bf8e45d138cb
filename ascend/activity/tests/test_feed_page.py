from __future__ import annotations

import pytest

from ascend.activity.actions import record_event
from ascend.activity.verbs import Verb
from ascend.testing import assert_flat_queries

pytestmark = pytest.mark.django_db

URL = "/team/activity/"


def labels(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [e.verb_label for e in response.context["page_obj"]]


def test_the_feed_shows_the_workspaces_events_newest_first(cast):
    record_event(cast.alpha.workspace, Verb.MEMBER_INVITED, actor=cast.alpha.owner.user)
    record_event(cast.alpha.workspace, Verb.MEMBER_JOINED, actor=cast.alpha.coach.user)

    response = cast.client_for(cast.alpha.owner).get(URL)

    assert response.status_code == 200
    assert labels(response) == ["Team member joined", "Team member invited"]
    assert b"Alpha Coach" in response.content


def test_events_without_a_person_are_shown_as_the_system(cast):
    record_event(cast.alpha.workspace, Verb.WORKSPACE_UPDATED, actor=None)

    response = cast.client_for(cast.alpha.owner).get(URL)

    assert b"The system" in response.content


def test_the_feed_is_filtered_by_type(cast):
    record_event(cast.alpha.workspace, Verb.MEMBER_INVITED, actor=cast.alpha.owner.user)
    record_event(cast.alpha.workspace, Verb.API_TOKEN_CREATED, actor=cast.alpha.owner.user)

    response = cast.client_for(cast.alpha.admin).get(URL, {"type": "api_token.created"})

    assert labels(response) == ["API token created"]
    assert response.context["selected_verb"] == "api_token.created"


def test_an_unknown_type_shows_every_event(cast):
    record_event(cast.alpha.workspace, Verb.MEMBER_INVITED, actor=cast.alpha.owner.user)
    record_event(cast.alpha.workspace, Verb.API_TOKEN_CREATED, actor=cast.alpha.owner.user)

    response = cast.client_for(cast.alpha.admin).get(URL, {"type": "nonsense", "person": "x"})

    assert response.status_code == 200
    assert len(labels(response)) == 2


def test_the_feed_is_filtered_by_person(cast):
    record_event(cast.alpha.workspace, Verb.MEMBER_INVITED, actor=cast.alpha.owner.user)
    record_event(cast.alpha.workspace, Verb.MEMBER_JOINED, actor=cast.alpha.coach.user)

    response = cast.client_for(cast.alpha.supervisor).get(URL, {"person": cast.alpha.coach.user.id})

    assert labels(response) == ["Team member joined"]


def test_type_and_person_filters_combine(cast):
    record_event(cast.alpha.workspace, Verb.MEMBER_INVITED, actor=cast.alpha.owner.user)
    record_event(cast.alpha.workspace, Verb.MEMBER_JOINED, actor=cast.alpha.owner.user)
    record_event(cast.alpha.workspace, Verb.MEMBER_INVITED, actor=cast.alpha.admin.user)

    response = cast.client_for(cast.alpha.owner).get(
        URL, {"type": "member.invited", "person": cast.alpha.owner.user.id}
    )

    assert labels(response) == ["Team member invited"]
    assert [e.actor for e in response.context["page_obj"]] == [cast.alpha.owner.user]


@pytest.mark.parametrize("person", ["-1", "0", "99999999999999999999999", "1e3"])
def test_a_person_filter_that_names_nobody_is_handled(cast, person):
    record_event(cast.alpha.workspace, Verb.MEMBER_INVITED, actor=cast.alpha.owner.user)

    response = cast.client_for(cast.alpha.owner).get(URL, {"person": person})

    assert response.status_code == 200


def test_the_person_filter_offers_the_workspaces_members_only(cast):
    response = cast.client_for(cast.alpha.owner).get(URL)

    people = {m.user for m in response.context["people"]}
    assert cast.alpha.coach.user in people
    assert cast.beta.coach.user not in people


def test_an_empty_feed_says_what_to_do(cast):
    response = cast.client_for(cast.alpha.owner).get(URL)

    assert b"Nothing to show" in response.content


@pytest.mark.parametrize("role", ["owner", "admin", "supervisor"])
def test_owners_admins_and_supervisors_may_see_the_feed(cast, role):
    assert cast.client_for(getattr(cast.alpha, role)).get(URL).status_code == 200


@pytest.mark.parametrize(
    "role", ["coach", "head_coach", "attendant", "auditor", "operator", "client"]
)
def test_other_roles_are_refused(cast, role):
    assert cast.client_for(getattr(cast.alpha, role)).get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(cast):
    response = cast.client_for(None).get(URL)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_member_of_another_workspace_is_refused(cast):
    response = cast.client_for(cast.beta.owner).get(URL, HTTP_HOST=cast.alpha.host)

    assert response.status_code == 404


def test_another_workspaces_events_are_never_shown(cast):
    record_event(cast.alpha.workspace, Verb.API_TOKEN_CREATED, actor=cast.alpha.owner.user)
    record_event(cast.beta.workspace, Verb.MEMBER_JOINED, actor=cast.beta.owner.user)

    response = cast.client_for(cast.beta.owner).get(URL)

    assert labels(response) == ["Team member joined"]
    # Not even by naming someone from the other workspace in the filter.
    response = cast.client_for(cast.beta.owner).get(URL, {"person": cast.alpha.owner.user.id})
    assert labels(response) == []


def test_the_query_count_stays_flat_as_events_grow(cast):
    client = cast.client_for(cast.alpha.owner)
    record_event(
        cast.alpha.workspace,
        Verb.WORKSPACE_UPDATED,
        actor=cast.alpha.owner.user,
        target=cast.alpha.workspace,
    )

    def grow() -> None:
        for person in (cast.alpha.admin, cast.alpha.coach, cast.alpha.supervisor, None):
            record_event(
                cast.alpha.workspace,
                Verb.MEMBER_ROLES_CHANGED,
                actor=person.user if person else None,
                target=cast.alpha.client.membership,
            )

    assert_flat_queries(lambda: client.get(URL), grow)


def test_the_feed_is_paged_and_filters_survive_paging(cast):
    for _ in range(51):
        record_event(cast.alpha.workspace, Verb.MEMBER_INVITED, actor=cast.alpha.owner.user)

    response = cast.client_for(cast.alpha.owner).get(URL, {"type": "member.invited"})

    assert len(labels(response)) == 50
    assert b"?type=member.invited&amp;page=2" in response.content
