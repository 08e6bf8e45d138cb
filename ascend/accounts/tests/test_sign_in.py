from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client, override_settings

from ascend.testing import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client: Client, email: str, password: str):  # type: ignore[no-untyped-def]
    return client.post("/accounts/login/", {"username": email, "password": password})


def test_people_sign_in_with_their_email_in_any_case(cast):
    client = Client(HTTP_HOST=cast.alpha.host)
    response = sign_in(client, cast.alpha.coach.email.upper(), PASSWORD)
    assert response.status_code == 302
    assert client.get("/").url == "/coach/"


def test_a_wrong_password_says_what_to_check(cast):
    response = sign_in(Client(HTTP_HOST=cast.alpha.host), cast.alpha.coach.email, "nope")
    assert response.status_code == 200
    assert "don&#x27;t match an account" in response.content.decode()


@override_settings(AXES_FAILURE_LIMIT=3, AXES_COOLOFF_TIME=timedelta(minutes=15))
def test_too_many_failures_pause_sign_in_with_a_clear_message(cast):
    client = Client(HTTP_HOST=cast.alpha.host)
    for _ in range(3):
        sign_in(client, cast.alpha.coach.email, "nope")
    locked = sign_in(client, cast.alpha.coach.email, PASSWORD)
    assert locked.status_code == 429
    assert "Try again in 15 minutes" in locked.content.decode()
    # Another person signing in from the same address is not locked out.
    assert sign_in(client, cast.alpha.admin.email, PASSWORD).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=2, AXES_COOLOFF_TIME=timedelta(minutes=15))
def test_the_lock_lifts_after_the_cool_off(cast):
    from axes.models import AccessAttempt
    from django.utils import timezone

    client = Client(HTTP_HOST=cast.alpha.host)
    for _ in range(2):
        sign_in(client, cast.alpha.coach.email, "nope")
    assert sign_in(client, cast.alpha.coach.email, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert sign_in(client, cast.alpha.coach.email, PASSWORD).status_code == 302


def test_signing_out_ends_the_session(cast):
    client = cast.client_for(cast.alpha.coach)
    client.post("/accounts/logout/")
    assert client.get("/coach/").status_code == 302
