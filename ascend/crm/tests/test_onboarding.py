"""The onboarding at /me/welcome/: profile → goals → time zone → consent → done, one step a
page, each saved by ``do_save_onboarding_step``; the dashboard waits until it is done."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ascend.crm.actions_client import do_save_onboarding_step
from ascend.crm.models import ClientProfile, OnboardingStep

from .crm_world import PASSWORD, accept_link, anonymous, invite

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(cast):
    """A client who just accepted their invitation, signed in."""
    invite(cast.alpha)
    browser = anonymous(cast.alpha)
    browser.post(
        accept_link("nia@example.com"),
        {"full_name": "Nia", "password1": PASSWORD, "password2": PASSWORD},
    )
    return browser


def _profile() -> ClientProfile:
    return ClientProfile.objects.select_related("member__user").get()


def test_the_steps_go_in_order_and_finish_on_the_dashboard(newcomer):
    page = newcomer.get("/me/welcome/").content.decode()
    assert "Step 1 of 5" in page and 'aria-current="step"' in page and "About you" in page
    response = newcomer.post("/me/welcome/", {"full_name": "Nia Okafor", "phone": "+1 555 0100"})
    assert response.status_code == 302 and response.url == "/me/welcome/?step=goals"
    page = newcomer.get(response.url).content.decode()
    assert "Step 2 of 5" in page and 'href="/me/welcome/?step=profile"' in page  # back link
    newcomer.post("/me/welcome/?step=goals", {"goals": "Run a 10k by June."})
    newcomer.post("/me/welcome/?step=time_zone", {"time_zone": "Europe/Lisbon"})
    response = newcomer.post("/me/welcome/?step=consent", {"consent": "on"})
    assert response.url == "/me/welcome/?step=done"
    assert "all set" in newcomer.get(response.url).content.decode()
    profile = _profile()
    assert profile.member.user.full_name == "Nia Okafor" and profile.phone == "+1 555 0100"
    assert profile.goals == "Run a 10k by June."
    assert profile.member.user.time_zone == "Europe/Lisbon"
    assert profile.consent_at is not None and profile.onboarded_at is not None
    assert newcomer.get("/me/").status_code == 200


def test_consent_is_required(newcomer):
    profile = _profile()
    ClientProfile.objects.filter(pk=profile.pk).update(step=OnboardingStep.CONSENT)
    response = newcomer.post("/me/welcome/?step=consent", {})
    assert response.status_code == 422
    assert 'id="id_consent_errors"' in response.content.decode()
    assert _profile().consent_at is None
    assert newcomer.get("/me/").url == "/me/welcome/"


def test_a_bad_time_zone_or_an_empty_name_is_refused_at_the_field(newcomer):
    response = newcomer.post("/me/welcome/", {"full_name": "  "})
    assert response.status_code == 422 and 'id="id_full_name_errors"' in response.content.decode()
    newcomer.post("/me/welcome/", {"full_name": "Nia"})
    newcomer.post("/me/welcome/?step=goals", {"goals": ""})  # goals may wait
    response = newcomer.post("/me/welcome/?step=time_zone", {"time_zone": "Mars/Olympus"})
    assert response.status_code == 422 and 'id="id_time_zone_errors"' in response.content.decode()


def test_steps_ahead_cannot_be_opened_nor_saved(cast, newcomer):
    assert newcomer.get("/me/welcome/?step=consent").url == "/me/welcome/"
    with pytest.raises(ValidationError):
        do_save_onboarding_step(_profile(), "consent", actor=None, consent=True)
    assert _profile().step == OnboardingStep.PROFILE


def test_going_back_to_change_a_step_keeps_the_progress(newcomer):
    newcomer.post("/me/welcome/", {"full_name": "Nia"})
    newcomer.post("/me/welcome/?step=goals", {"goals": "Sleep more."})
    newcomer.post("/me/welcome/?step=profile", {"full_name": "Nia O."})
    assert _profile().step == OnboardingStep.TIME_ZONE
    assert _profile().member.user.full_name == "Nia O."


def test_a_client_without_onboarding_goes_straight_to_the_dashboard(cast):
    client = cast.client_for(cast.alpha.client)
    assert client.get("/me/").status_code == 200
    assert client.get("/me/welcome/").url == "/me/"
