"""Support pages: /me/support/ for learners, /team/support/ for the support team, and
/team/support/team/ for the course team."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    path("me/support/", views.learner_list, name="learner_list"),
    path("me/support/new/", views.learner_new, name="learner_new"),
    path("me/support/<int:request_id>/", views.learner_thread, name="learner_thread"),
    path("me/support/<int:request_id>/rating/", views.learner_rate, name="learner_rate"),
    path("team/support/", views.queue, name="queue"),
    path("team/support/team/", views.course_team, name="course_team"),
    path(
        "team/support/team/<int:membership_id>/",
        views.member_history,
        name="member_history",
    ),
    path(
        "team/support/team/<int:membership_id>/resend-access/",
        views.resend_access,
        name="resend_access",
    ),
    path("team/support/<int:request_id>/", views.thread, name="thread"),
    path("team/support/<int:request_id>/close/", views.close, name="close"),
    path("team/support/<int:request_id>/reopen/", views.reopen, name="reopen"),
]
