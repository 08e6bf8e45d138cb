"""Public learner access: the access email's link and a product's payment link."""

from __future__ import annotations

from django.urls import path

from . import views_access

app_name = "course_access"

urlpatterns = [
    path("access/<str:uidb64>/<str:token>/", views_access.access_link, name="link"),
    path("buy/<uuid:token>/", views_access.buy, name="buy"),
]
