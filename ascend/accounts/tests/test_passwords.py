from __future__ import annotations

import pytest
from django.test import Client

from ascend.notifications.models import OutboundEmail
from ascend.testing import PASSWORD

pytestmark = pytest.mark.django_db


def reset_link(email: str) -> str:
    body = OutboundEmail.objects.filter(to=email, template="password_reset").latest("id").body
    return next(word for word in body.split() if "/accounts/password/reset/" in word)


def test_a_reset_email_goes_through_the_outbox_in_the_persons_language(cast):
    user = cast.alpha.coach.user
    user.language = "es"
    user.save()
    client = Client(HTTP_HOST=cast.alpha.host)
    response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    email = OutboundEmail.objects.get(to=user.email, template="password_reset")
    assert email.language == "es" and "Restablece" in email.subject
    assert "http://alpha.localhost/accounts/password/reset/" in email.body


def test_the_reset_link_sets_a_new_password(cast):
    user = cast.alpha.coach.user
    client = Client(HTTP_HOST=cast.alpha.host)
    client.post("/accounts/password/reset/", {"email": user.email})
    link = reset_link(user.email).replace("http://alpha.localhost", "")
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": "brand-new-secret-42", "new_password2": "brand-new-secret-42"}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("brand-new-secret-42")


def test_an_unknown_address_gets_the_same_answer_and_no_email(cast):
    response = Client(HTTP_HOST=cast.alpha.host).post(
        "/accounts/password/reset/", {"email": "who@x.test"}
    )
    assert response.status_code == 302
    assert not OutboundEmail.objects.filter(to="who@x.test").exists()


def test_a_used_or_broken_reset_link_explains_itself(cast):
    page = Client(HTTP_HOST=cast.alpha.host).get("/accounts/password/reset/MQ/bad-token/")
    assert page.status_code == 200
    assert "no longer works" in page.content.decode()


def test_changing_the_password_tells_the_person_by_email(cast):
    client = cast.client_for(cast.alpha.client)
    response = client.post("/accounts/password/change/", {
        "old_password": PASSWORD, "new_password1": "brand-new-secret-42",
        "new_password2": "brand-new-secret-42",
    })  # fmt: skip
    assert response.status_code == 302
    assert OutboundEmail.objects.filter(
        to=cast.alpha.client.email, template="password_changed"
    ).exists()
    # The session stays signed in after the change.
    assert client.get("/me/").status_code == 200


def test_a_wrong_old_password_is_shown_at_its_field(cast):
    response = cast.client_for(cast.alpha.client).post("/accounts/password/change/", {
        "old_password": "nope", "new_password1": "brand-new-secret-42",
        "new_password2": "brand-new-secret-42",
    })  # fmt: skip
    assert response.status_code == 200
    assert 'id="id_old_password_errors"' in response.content.decode()
