from django.urls import path

from . import views

app_name = "scheduling"

urlpatterns = [
    path("me/sessions/", views.client_sessions, name="client_sessions"),
    path("me/sessions/<int:session_id>/accept/", views.accept_proposal, name="accept_proposal"),
    path("me/sessions/<int:session_id>/cancel/", views.cancel, name="client_cancel"),
    path("coach/sessions/", views.coach_sessions, name="coach_sessions"),
    path("coach/sessions/<int:session_id>/accept/", views.accept, name="accept"),
    path("coach/sessions/<int:session_id>/propose/", views.propose, name="propose"),
    path("coach/sessions/<int:session_id>/decline/", views.decline, name="decline"),
    path("coach/sessions/<int:session_id>/cancel/", views.cancel, name="coach_cancel"),
]
