"""The client portal's program pages, under /me/."""

from django.urls import path

from . import views_client

urlpatterns: list = [
    path("me/programs/", views_client.enrollments, name="client_enrollments"),
    path("me/programs/<int:enrollment_id>/", views_client.program, name="client_program"),
    path(
        "me/programs/<int:enrollment_id>/milestones/<int:milestone_id>/",
        views_client.set_milestone,
        name="client_milestone",
    ),
    path(
        "me/programs/<int:enrollment_id>/habits/<int:habit_id>/",
        views_client.set_check_in,
        name="client_check_in",
    ),
]
