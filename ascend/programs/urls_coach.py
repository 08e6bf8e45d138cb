"""The coach portal's cohort and client pages, under /coach/."""

from django.urls import path

from . import views_coach

urlpatterns: list = [
    path("coach/cohorts/", views_coach.cohorts, name="coach_cohorts"),
    path("coach/cohorts/<int:cohort_id>/", views_coach.cohort, name="coach_cohort"),
    path("coach/clients/", views_coach.clients, name="coach_clients"),
]
