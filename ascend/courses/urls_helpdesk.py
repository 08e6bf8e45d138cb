"""Mounted at /me/help-desk/: a learner's signed way into the workspace's help desk."""

from __future__ import annotations

from django.urls import path

from . import views_settings

app_name = "helpdesk"

urlpatterns = [path("", views_settings.helpdesk_sso, name="sso")]
