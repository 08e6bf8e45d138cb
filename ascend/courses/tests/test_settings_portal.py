"""The portal settings page: moderation, help desk, analytics and pixel ids, the secret."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ascend.activity.models import Event
from ascend.activity.verbs import Verb
from ascend.courses.actions_settings import clean_domain, do_save_portal_settings
from ascend.courses.models import PortalSettings

pytestmark = pytest.mark.django_db

URL = "/team/portal/"
SECRET = "s3cret-shared-with-the-help-desk"
VALID = {
    "comment_moderation": "automatic",
    "helpdesk_domain": "help.alpha-school.com",
    "helpdesk_secret": SECRET,
    "analytics_measurement_id": "G-ABC123XYZ9",
    "ad_pixel_id": "1234567890",
}


def saved(cast) -> PortalSettings:
    return PortalSettings.objects.get(workspace=cast.alpha.workspace)


def test_the_page_is_named_portal_settings_edit():
    assert reverse("portal_settings:edit") == URL


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_owners_and_admins_open_the_settings(cast, role):
    assert cast.client_for(getattr(cast.alpha, role)).get(URL).status_code == 200


@pytest.mark.parametrize("role", ["supervisor", "attendant", "coach", "auditor", "client"])
def test_other_roles_are_refused_the_settings(cast, role):
    browser = cast.client_for(getattr(cast.alpha, role))
    assert browser.get(URL).status_code == 403
    assert browser.post(URL, VALID).status_code == 403
    assert not PortalSettings.objects.filter(
        workspace=cast.alpha.workspace, ad_pixel_id="1234567890"
    ).exists()


def test_a_member_of_another_workspace_gets_not_found(cast):
    browser = cast.client_for(cast.beta.owner, workspace=cast.alpha.workspace)
    assert browser.get(URL).status_code == 404
    assert browser.post(URL, VALID).status_code == 404


def test_saving_every_setting_records_an_event_without_the_secret(cast):
    browser = cast.client_for(cast.alpha.admin)
    response = browser.post(URL, VALID)
    assert response.status_code == 302 and response["Location"] == URL
    found = saved(cast)
    assert (found.comment_moderation, found.helpdesk_domain, found.helpdesk_secret) == (
        "automatic", "help.alpha-school.com", SECRET,
    )  # fmt: skip
    assert (found.analytics_measurement_id, found.ad_pixel_id) == ("G-ABC123XYZ9", "1234567890")
    assert found.helpdesk_enabled
    event = Event.objects.get(workspace=cast.alpha.workspace, verb=Verb.PORTAL_SETTINGS_SAVED)
    assert event.actor == cast.alpha.admin.user
    assert event.data["helpdesk_secret"] == "changed"
    assert SECRET not in str(event.data)
    assert "Portal settings saved." in browser.get(URL).content.decode()


def test_the_secret_is_never_shown_again_and_an_empty_one_keeps_it(cast):
    browser = cast.client_for(cast.alpha.owner)
    browser.post(URL, VALID)
    page = browser.get(URL).content.decode()
    assert SECRET not in page
    assert "A secret is saved (••••••••)" in page
    browser.post(URL, {**VALID, "helpdesk_secret": "", "ad_pixel_id": "99999"})
    assert saved(cast).helpdesk_secret == SECRET
    assert saved(cast).ad_pixel_id == "99999"


def test_a_new_secret_replaces_the_old_and_remove_clears_it(cast):
    browser = cast.client_for(cast.alpha.owner)
    browser.post(URL, VALID)
    browser.post(URL, {**VALID, "helpdesk_secret": "another-secret-of-enough-length"})
    assert saved(cast).helpdesk_secret == "another-secret-of-enough-length"
    browser.post(
        URL, {**VALID, "helpdesk_domain": "", "helpdesk_secret": "", "remove_helpdesk_secret": "on"}
    )
    found = saved(cast)
    assert (found.helpdesk_secret, found.helpdesk_domain, found.helpdesk_enabled) == ("", "", False)
    last = Event.objects.filter(verb=Verb.PORTAL_SETTINGS_SAVED).order_by("-id").first()
    assert last.data["helpdesk_secret"] == "removed"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("analytics_measurement_id", "UA-12345-1", "A measurement id looks like G-XXXXXXXXXX."),
        ("ad_pixel_id", "12ab", "A pixel id is 5–20 digits."),
        ("helpdesk_domain", "not a domain", "Write a domain name such as help.example.com."),
        ("helpdesk_secret", "short", "The shared secret must be at least 16 characters long."),
        ("comment_moderation", "sometimes", "Select a valid choice."),
    ],
)
def test_bad_values_are_told_next_to_their_field_and_nothing_is_saved(cast, field, value, message):
    browser = cast.client_for(cast.alpha.owner)
    response = browser.post(URL, {**VALID, field: value})
    assert response.status_code == 422
    page = response.content.decode()
    assert f'id="id_{field}_errors"' in page or field == "comment_moderation"
    assert message in page
    assert not PortalSettings.objects.filter(
        workspace=cast.alpha.workspace, ad_pixel_id="1234567890"
    ).exists()
    assert not Event.objects.filter(verb=Verb.PORTAL_SETTINGS_SAVED).exists()


def test_what_was_typed_stays_in_the_form_when_it_fails(cast):
    page = (
        cast.client_for(cast.alpha.owner).post(URL, {**VALID, "ad_pixel_id": "x"}).content.decode()
    )
    assert 'value="G-ABC123XYZ9"' in page and 'value="help.alpha-school.com"' in page
    assert SECRET not in page  # even what was just typed is not sent back


def test_a_domain_needs_a_secret_and_a_secret_needs_a_domain(cast):
    browser = cast.client_for(cast.alpha.owner)
    page = browser.post(URL, {**VALID, "helpdesk_secret": ""}).content.decode()
    assert "Add the help desk&#x27;s shared secret: it signs learners in." in page
    page = browser.post(URL, {**VALID, "helpdesk_domain": ""}).content.decode()
    assert "Add the help desk&#x27;s domain, or remove the shared secret." in page
    assert (
        not PortalSettings.objects.filter(workspace=cast.alpha.workspace)
        .exclude(helpdesk_secret="")
        .exists()
    )


def test_pasted_addresses_and_lower_case_ids_are_tidied(cast):
    found = do_save_portal_settings(
        cast.alpha.workspace,
        actor=cast.alpha.owner.user,
        comment_moderation="manual",
        helpdesk_domain=" https://Help.Alpha-School.com/support/home ",
        helpdesk_secret=SECRET,
        analytics_measurement_id=" g-abc123xyz9 ",
        ad_pixel_id=" 12345 ",
    )
    assert (found.helpdesk_domain, found.analytics_measurement_id, found.ad_pixel_id) == (
        "help.alpha-school.com", "G-ABC123XYZ9", "12345",
    )  # fmt: skip
    assert clean_domain("HELP.example.com.") == "help.example.com"


def test_empty_ids_switch_the_integrations_off(cast):
    browser = cast.client_for(cast.alpha.owner)
    browser.post(URL, VALID)
    browser.post(URL, {**VALID, "analytics_measurement_id": "", "ad_pixel_id": ""})
    found = saved(cast)
    assert (found.analytics_measurement_id, found.ad_pixel_id) == ("", "")


def test_settings_of_one_workspace_do_not_touch_another(cast):
    cast.client_for(cast.alpha.owner).post(URL, VALID)
    beta = PortalSettings.objects.filter(workspace=cast.beta.workspace).first()
    assert beta is None or beta.ad_pixel_id == ""
