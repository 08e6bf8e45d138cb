from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ascend.messaging.actions import do_mark_read
from ascend.messaging.notices import send_unread_emails
from ascend.messaging.testing import coached_cohort, coaching_conversation, say
from ascend.notifications.models import OutboundEmail


@pytest.fixture
def talk(cast):
    coached_cohort(cast.alpha)
    return coaching_conversation(cast.alpha)


def _emails_to(person):
    return OutboundEmail.objects.filter(template="unread_messages", to=person.email)


def test_a_message_unread_for_the_workspace_delay_sends_one_email(cast, talk):
    now = timezone.now()
    say(talk, cast.alpha.client, "Are we on for Friday?", now - timedelta(minutes=31))
    say(talk, cast.alpha.client, "And Saturday?", now - timedelta(minutes=5))
    assert send_unread_emails(now) == 1
    (email,) = _emails_to(cast.alpha.coach)
    assert "Are we on for Friday?" in email.body
    assert "/coach/messages/" in email.body
    # The same unread run is never emailed twice.
    assert send_unread_emails(now + timedelta(hours=2)) == 0
    assert _emails_to(cast.alpha.coach).count() == 1


def test_no_email_before_the_delay(cast, talk):
    now = timezone.now()
    say(talk, cast.alpha.client, "Hi", now - timedelta(minutes=10))
    assert send_unread_emails(now) == 0


def test_the_delay_is_a_workspace_setting(cast, talk):
    workspace = cast.alpha.workspace
    workspace.unread_email_minutes = 5
    workspace.save()
    now = timezone.now()
    say(talk, cast.alpha.client, "Hi", now - timedelta(minutes=6))
    assert send_unread_emails(now) == 1


def test_reading_ends_the_run_and_the_next_unread_message_starts_a_new_one(cast, talk):
    now = timezone.now()
    say(talk, cast.alpha.client, "One", now - timedelta(hours=3))
    assert send_unread_emails(now - timedelta(hours=2)) == 1
    do_mark_read(talk, cast.alpha.coach.membership)
    say(talk, cast.alpha.client, "Two", now - timedelta(hours=1))
    assert send_unread_emails(now) == 1
    assert _emails_to(cast.alpha.coach).count() == 2


def test_a_message_read_in_time_sends_nothing(cast, talk):
    now = timezone.now()
    say(talk, cast.alpha.coach, "Welcome!", now - timedelta(hours=1))
    do_mark_read(talk, cast.alpha.client.membership)
    assert send_unread_emails(now) == 0


def test_the_email_links_the_client_to_their_own_portal(cast, talk):
    now = timezone.now()
    say(talk, cast.alpha.coach, "How was week one?", now - timedelta(hours=1))
    assert send_unread_emails(now) == 1
    (email,) = _emails_to(cast.alpha.client)
    assert f"/me/messages/{talk.pk}/" in email.body
