"""Integrations on learner pages: the help desk's single sign-on, analytics and the ad pixel,
each only when set, and a content security policy allowing exactly their hosts."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from ascend.courses import integrations
from ascend.courses.models import PortalSettings
from ascend.courses.rules import VIDEO_FRAME_HOSTS

from .course_world import course_tree, give

pytestmark = pytest.mark.django_db

SECRET = "s3cret-shared-with-the-help-desk"
SSO = "/me/help-desk/"
LEARN = "/me/courses/"
GA = "G-ABC123XYZ9"
PIXEL = "1234567890"


def configure(workspace, **fields) -> PortalSettings:
    found, _ = PortalSettings.objects.update_or_create(workspace=workspace, defaults=fields)
    return found


def with_helpdesk(cast) -> PortalSettings:
    return configure(
        cast.alpha.workspace, helpdesk_domain="help.alpha-school.com", helpdesk_secret=SECRET
    )


def learner(cast):
    made, _lessons = course_tree(cast.alpha.workspace, modules=1, lessons=1)
    give(cast.alpha.client.membership, made)
    return cast.client_for(cast.alpha.client)


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parts = [p.strip().split() for p in header.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


def b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def decode_verified(token: str, secret: str) -> dict:
    """Check the HS256 signature with the standard library, as a help desk would."""
    header, claims, signature = token.split(".")
    expected = hmac.new(secret.encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest()
    assert hmac.compare_digest(expected, b64decode(signature)), "bad signature"
    assert json.loads(b64decode(header)) == {"alg": "HS256", "typ": "JWT"}
    return json.loads(b64decode(claims))


# Single sign-on ---------------------------------------------------------------------------


def test_the_sso_address_is_named_helpdesk_sso():
    assert reverse("helpdesk:sso") == SSO


def test_a_learner_is_sent_to_the_help_desk_with_a_signed_five_minute_token(cast):
    with_helpdesk(cast)
    browser = learner(cast)
    before = int(time.time())
    response = browser.get(SSO)
    assert response.status_code == 302
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    target = urlparse(response["Location"])
    assert (target.scheme, target.netloc, target.path) == (
        "https",
        "help.alpha-school.com",
        "/access/jwt",
    )
    claims = decode_verified(parse_qs(target.query)["jwt"][0], SECRET)
    me = cast.alpha.client
    assert claims["name"] == me.user.full_name and claims["email"] == me.email
    assert claims["external_id"] == str(me.membership.pk)
    assert before <= claims["iat"] <= int(time.time()) and claims["exp"] == claims["iat"] + 300
    again = decode_verified(
        parse_qs(urlparse(browser.get(SSO)["Location"]).query)["jwt"][0], SECRET
    )
    assert again["jti"] != claims["jti"]


def test_a_token_signed_with_another_secret_does_not_verify(cast):
    with_helpdesk(cast)
    token = parse_qs(urlparse(learner(cast).get(SSO)["Location"]).query)["jwt"][0]
    with pytest.raises(AssertionError, match="bad signature"):
        decode_verified(token, "a-different-secret-entirely!")


def test_the_token_matches_an_independent_hs256_implementation():
    token = integrations.hs256_jwt({"sub": "1234567890", "iat": 1516239022}, "your-256-bit-secret")
    header, claims, signature = token.split(".")
    assert json.loads(b64decode(claims)) == {"sub": "1234567890", "iat": 1516239022}
    expected = hmac.new(b"your-256-bit-secret", f"{header}.{claims}".encode(), hashlib.sha256)
    assert b64decode(signature) == expected.digest()


def test_without_a_help_desk_the_sso_address_is_not_found(cast):
    browser = learner(cast)
    assert browser.get(SSO).status_code == 404
    configure(cast.alpha.workspace, helpdesk_domain="help.alpha-school.com", helpdesk_secret="")
    assert browser.get(SSO).status_code == 404


@pytest.mark.parametrize("role", ["owner", "attendant", "coach"])
def test_staff_are_refused_the_learners_sso(cast, role):
    with_helpdesk(cast)
    assert cast.client_for(getattr(cast.alpha, role)).get(SSO).status_code == 403


def test_a_learner_of_another_workspace_gets_not_found_and_no_token(cast):
    with_helpdesk(cast)
    response = cast.client_for(cast.beta.client, workspace=cast.alpha.workspace).get(SSO)
    assert response.status_code == 404


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(cast):
    with_helpdesk(cast)
    response = cast.client_for(None).get(SSO)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# What learner pages show ------------------------------------------------------------------


def test_nothing_is_rendered_and_the_policy_stays_strict_when_nothing_is_set(cast):
    browser = learner(cast)
    response = browser.get(LEARN)
    page = response.content.decode()
    assert response.status_code == 200
    assert "googletagmanager" not in page and "facebook" not in page
    assert "courses/integrations.js" not in page and 'data-testid="helpdesk-link"' not in page
    csp = policy(response)
    assert csp["script-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert "connect-src" not in csp
    # Lesson pages may frame the video players, and nothing else.
    assert csp["frame-src"] == ["'self'", *VIDEO_FRAME_HOSTS]


def test_analytics_renders_gtag_from_files_and_allows_only_googles_hosts(cast):
    configure(cast.alpha.workspace, analytics_measurement_id=GA)
    response = learner(cast).get(LEARN)
    page = response.content.decode()
    assert f'src="https://www.googletagmanager.com/gtag/js?id={GA}"' in page
    assert f'data-analytics-id="{GA}"' in page and "data-pixel-id" not in page
    csp = policy(response)
    assert csp["script-src"] == ["'self'", "https://*.googletagmanager.com"]
    assert csp["connect-src"] == [
        "'self'",
        "https://*.google-analytics.com",
        "https://*.analytics.google.com",
        "https://*.googletagmanager.com",
    ]
    assert csp["img-src"] == [
        "'self'",
        "data:",
        "https://*.google-analytics.com",
        "https://*.googletagmanager.com",
    ]
    assert "facebook" not in response["Content-Security-Policy"]


def test_the_pixel_renders_metas_loader_and_allows_only_metas_hosts(cast):
    configure(cast.alpha.workspace, ad_pixel_id=PIXEL)
    response = learner(cast).get(LEARN)
    page = response.content.decode()
    assert f'data-pixel-id="{PIXEL}"' in page and "data-analytics-id" not in page
    assert f"https://www.facebook.com/tr?id={PIXEL}&amp;ev=PageView&amp;noscript=1" in page
    csp = policy(response)
    assert csp["script-src"] == ["'self'", "https://connect.facebook.net"]
    assert csp["img-src"] == ["'self'", "data:", "https://www.facebook.com"]
    assert csp["connect-src"] == [
        "'self'",
        "https://www.facebook.com",
        "https://connect.facebook.net",
    ]
    assert "google" not in response["Content-Security-Policy"]


def test_learner_pages_carry_no_inline_script(cast):
    configure(cast.alpha.workspace, analytics_measurement_id=GA, ad_pixel_id=PIXEL)
    with_helpdesk(cast)
    page = learner(cast).get(LEARN).content.decode()
    tags = re.findall(r"<script[^>]*>", page)
    assert tags and all("src=" in t or 'type="application/json"' in t for t in tags)


def test_the_help_desk_link_appears_on_learner_pages_only_when_configured(cast):
    browser = learner(cast)
    assert 'data-testid="helpdesk-link"' not in browser.get(LEARN).content.decode()
    with_helpdesk(cast)
    for url in (LEARN, "/me/support/"):
        page = browser.get(url).content.decode()
        assert f'href="{SSO}" data-testid="helpdesk-link"' in page, url


def test_staff_pages_keep_the_strict_policy_and_no_tags(cast):
    configure(cast.alpha.workspace, analytics_measurement_id=GA, ad_pixel_id=PIXEL)
    with_helpdesk(cast)
    response = cast.client_for(cast.alpha.owner).get("/team/course-reports/")
    page = response.content.decode()
    assert "googletagmanager" not in page and "helpdesk-link" not in page
    csp = policy(response)
    assert csp["script-src"] == ["'self'"] and "connect-src" not in csp and "frame-src" not in csp


def test_the_rest_of_the_client_portal_is_not_tracked(cast):
    configure(cast.alpha.workspace, analytics_measurement_id=GA, ad_pixel_id=PIXEL)
    browser = learner(cast)
    response = browser.get("/me/messages/")
    assert response.status_code == 200
    assert "googletagmanager" not in response.content.decode()
    assert policy(response)["script-src"] == ["'self'"]


def test_another_workspaces_integrations_do_not_reach_this_one(cast):
    configure(cast.beta.workspace, analytics_measurement_id=GA, ad_pixel_id=PIXEL)
    response = learner(cast).get(LEARN)
    assert "googletagmanager" not in response.content.decode()
    assert policy(response)["script-src"] == ["'self'"]


def test_widening_keeps_what_a_view_already_added():
    merged = integrations.widen(
        {"script-src": ["https://example.org"]},
        {"script-src": ("https://a.test",), "frame-src": ("https://b.test",)},
    )
    assert merged == {
        "script-src": ["https://example.org", "https://a.test"],
        "frame-src": ["'self'", "https://b.test"],
    }
