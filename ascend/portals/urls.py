from django.urls import path

from . import views

app_name = "portals"

urlpatterns = [
    path("", views.home, name="home"),
    path("team/", views.team, name="team"),
    path("coach/", views.coach, name="coach"),
    path("me/", views.client, name="client"),
    path("switch/<slug:slug>/", views.switch, name="switch"),
    path("hop/<str:token>/", views.hop, name="hop"),
]
