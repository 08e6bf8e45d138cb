"""The course portal's settings (/team/portal/) and the learners' help-desk sign-in."""

from __future__ import annotations

from django.urls import path

from . import views_settings

app_name = "portal_settings"

urlpatterns = [
    path("", views_settings.edit, name="edit"),
    path("help-desk/", views_settings.helpdesk_sso, name="helpdesk_sso"),
]
