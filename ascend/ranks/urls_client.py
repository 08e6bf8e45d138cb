"""The operator's check-in pages (/team/check-in/) and the client's own ranks (/me/ranks/)."""

from django.urls import path

from . import views_checkin, views_client

urlpatterns: list = [
    path("team/check-in/", views_checkin.checkin, name="checkin"),
    path("team/check-in/search/", views_checkin.checkin_search, name="checkin_search"),
    path("team/check-in/record/", views_checkin.checkin_record, name="checkin_record"),
    path("team/check-in/roster/", views_checkin.roster, name="checkin_roster"),
    path(
        "team/check-in/visits/<int:visit_id>/",
        views_checkin.correct_visit,
        name="checkin_correct",
    ),
    path("me/ranks/", views_client.client_ranks, name="client_ranks"),
]
