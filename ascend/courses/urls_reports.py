"""Course reports in the team portal, at /team/course-reports/."""

from __future__ import annotations

from django.urls import path

from . import views_reports

app_name = "course_reports"

urlpatterns = [
    path("", views_reports.index, name="index"),
    path("support/", views_reports.support, name="support"),
    path("attendants/", views_reports.attendants, name="attendants"),
    path("lessons/", views_reports.lessons, name="lessons"),
    path("general/", views_reports.general, name="general"),
]
