"""The course portal's settings (/team/portal/)."""

from __future__ import annotations

from django.urls import path

from . import views_settings

app_name = "portal_settings"

urlpatterns = [
    path("", views_settings.edit, name="edit"),
]
