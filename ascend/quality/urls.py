"""Audit and communication quality pages in the team portal (auditors, admins) and the
coach portal (coaches and head coaches)."""

from django.urls import path

from . import views_coach, views_quality, views_team

app_name = "quality"

urlpatterns = [
    path("team/audits/", views_team.audit_queue, name="audit_queue"),
    path("team/audits/messages/<int:message_id>/", views_team.audit_message, name="audit_message"),
    path("team/quality/", views_quality.team_quality, name="team_quality"),
    path("coach/audits/", views_coach.my_audits, name="coach_audits"),
    path("coach/audits/<int:audit_id>/acknowledge/", views_coach.acknowledge, name="acknowledge"),
    path("coach/quality/", views_quality.coach_quality, name="coach_quality"),
]
