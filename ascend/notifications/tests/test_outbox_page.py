from __future__ import annotations

import pytest

from ascend.notifications.models import DeliveryState, OutboundEmail
from ascend.testing import assert_flat_queries

pytestmark = pytest.mark.django_db

URL = "/team/email/outbox/"


def email(workspace, to: str, state: str = DeliveryState.SENT, subject: str = "") -> OutboundEmail:  # type: ignore[no-untyped-def]
    return OutboundEmail.objects.create(
        workspace=workspace,
        to=to,
        template="password_changed",
        language="en",
        subject=subject or f"Subject for {to}",
        body="Body",
        state=state,
    )


def subjects(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [m.subject for m in response.context["page_obj"]]


def test_the_owner_sees_the_workspaces_emails_newest_first(cast):
    email(cast.alpha.workspace, "first@example.com")
    email(cast.alpha.workspace, "second@example.com")

    response = cast.client_for(cast.alpha.owner).get(URL)

    assert response.status_code == 200
    assert subjects(response) == ["Subject for second@example.com", "Subject for first@example.com"]
    assert b"second@example.com" in response.content


def test_emails_are_filtered_by_state(cast):
    email(cast.alpha.workspace, "sent@example.com", DeliveryState.SENT)
    email(cast.alpha.workspace, "bounced@example.com", DeliveryState.BOUNCED)

    response = cast.client_for(cast.alpha.admin).get(URL, {"state": "bounced"})

    assert subjects(response) == ["Subject for bounced@example.com"]


def test_an_unknown_state_shows_every_email(cast):
    email(cast.alpha.workspace, "sent@example.com", DeliveryState.SENT)
    email(cast.alpha.workspace, "bounced@example.com", DeliveryState.BOUNCED)

    response = cast.client_for(cast.alpha.admin).get(URL, {"state": "lost"})

    assert len(subjects(response)) == 2


def test_emails_are_filtered_by_part_of_the_recipients_address(cast):
    email(cast.alpha.workspace, "sam@example.com")
    email(cast.alpha.workspace, "alex@example.org")

    response = cast.client_for(cast.alpha.owner).get(URL, {"recipient": " EXAMPLE.ORG "})

    assert subjects(response) == ["Subject for alex@example.org"]


def test_state_and_recipient_filters_combine(cast):
    email(cast.alpha.workspace, "sam@example.com", DeliveryState.SENT)
    email(cast.alpha.workspace, "sam@example.org", DeliveryState.FAILED)
    email(cast.alpha.workspace, "alex@example.org", DeliveryState.FAILED)

    response = cast.client_for(cast.alpha.owner).get(URL, {"state": "failed", "recipient": "sam"})

    assert subjects(response) == ["Subject for sam@example.org"]


def test_an_empty_outbox_says_what_to_expect(cast):
    response = cast.client_for(cast.alpha.owner).get(URL)

    assert b"No emails here" in response.content


@pytest.mark.parametrize(
    "role", ["coach", "head_coach", "supervisor", "attendant", "auditor", "operator", "client"]
)
def test_only_owners_and_admins_may_see_the_outbox(cast, role):
    response = cast.client_for(getattr(cast.alpha, role)).get(URL)

    assert response.status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(cast):
    response = cast.client_for(None).get(URL)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_owner_of_another_workspace_is_refused(cast):
    email(cast.alpha.workspace, "alpha-only@example.com")

    response = cast.client_for(cast.beta.owner).get(URL, HTTP_HOST=cast.alpha.host)

    assert response.status_code == 404


def test_another_workspaces_emails_are_never_shown(cast):
    email(cast.alpha.workspace, "alpha-only@example.com")
    email(cast.beta.workspace, "beta-only@example.com")

    response = cast.client_for(cast.beta.owner).get(URL)

    assert response.status_code == 200
    assert subjects(response) == ["Subject for beta-only@example.com"]
    assert b"alpha-only@example.com" not in response.content


def test_the_query_count_stays_flat_as_emails_grow(cast):
    client = cast.client_for(cast.alpha.owner)
    email(cast.alpha.workspace, "one@example.com")

    def grow() -> None:
        for i in range(10):
            email(cast.alpha.workspace, f"more{i}@example.com", DeliveryState.BOUNCED)

    assert_flat_queries(lambda: client.get(URL), grow)


def test_the_list_is_paged_and_filters_survive_paging(cast):
    for i in range(51):
        email(cast.alpha.workspace, f"p{i}@example.com", DeliveryState.SENT)

    response = cast.client_for(cast.alpha.owner).get(URL, {"state": "sent"})

    assert len(subjects(response)) == 50
    assert b"?state=sent&amp;page=2" in response.content
