from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_preferences_save_name_language_and_time_zone(cast):
    client = cast.client_for(cast.alpha.coach)
    response = client.post("/accounts/preferences/", {
        "full_name": "Carla Coach", "language": "pt-br", "time_zone": "America/Sao_Paulo",
    })  # fmt: skip
    assert response.status_code == 302
    user = cast.alpha.coach.user
    user.refresh_from_db()
    assert (user.full_name, user.language, user.time_zone) == (
        "Carla Coach",
        "pt-br",
        "America/Sao_Paulo",
    )
    assert client.get("/coach/").headers["Content-Language"] == "pt-br"


def test_a_bad_time_zone_is_refused_at_its_field(cast):
    response = cast.client_for(cast.alpha.coach).post("/accounts/preferences/", {
        "full_name": "Carla", "language": "", "time_zone": "Mars/Base",
    })  # fmt: skip
    assert response.status_code == 200
    assert 'id="id_time_zone_errors"' in response.content.decode()


def test_empty_preferences_follow_the_workspace(cast):
    ws = cast.alpha.workspace
    ws.default_language = "es"
    ws.save()
    response = cast.client_for(cast.alpha.coach).get("/coach/")
    assert response.headers["Content-Language"] == "es"


def test_the_language_picker_saves_on_the_profile_when_signed_in(cast):
    client = cast.client_for(cast.alpha.coach)
    response = client.post("/accounts/language/", {"language": "es", "next": "/coach/"})
    assert response.status_code == 302 and response.url == "/coach/"
    cast.alpha.coach.user.refresh_from_db()
    assert cast.alpha.coach.user.language == "es"


def test_the_language_picker_uses_a_cookie_before_signing_in(cast):
    client = Client(HTTP_HOST=cast.alpha.host)
    client.post("/accounts/language/", {"language": "pt-br", "next": "/accounts/login/"})
    assert client.get("/accounts/login/").headers["Content-Language"] == "pt-br"


def test_the_language_picker_ignores_unknown_languages_and_foreign_redirects(cast):
    client = cast.client_for(cast.alpha.coach)
    response = client.post(
        "/accounts/language/", {"language": "xx", "next": "https://evil.example/"}
    )
    assert response.url == "/"
    cast.alpha.coach.user.refresh_from_db()
    assert cast.alpha.coach.user.language == ""
