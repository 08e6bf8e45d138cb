"""Messaging pages in the three portals (/me/, /coach/, /team/) and attachment downloads."""

from django.urls import path

from . import views

app_name = "messaging"


def _conversation_routes(portal: str, prefix: str) -> list:
    return [
        path(
            f"{prefix}messages/<int:conversation_id>/",
            getattr(views, f"{portal}_conversation"),
            name=f"{portal}_conversation",
        ),
        path(
            f"{prefix}messages/<int:conversation_id>/new/",
            getattr(views, f"{portal}_poll"),
            name=f"{portal}_poll",
        ),
        path(f"{prefix}messages/new/", getattr(views, f"{portal}_new"), name=f"{portal}_new"),
    ]


urlpatterns: list = [
    path("me/messages/", views.client_list, name="client_list"),
    *_conversation_routes("client", "me/"),
    path("coach/inbox/", views.coach_inbox, name="coach_inbox"),
    *_conversation_routes("coach", "coach/"),
    path("coach/messages/<int:conversation_id>/notes/", views.coach_note, name="coach_note"),
    path("team/inbox/", views.team_inbox, name="team_inbox"),
    *_conversation_routes("team", "team/"),
    path("team/messages/<int:conversation_id>/notes/", views.team_note, name="team_note"),
    path("messages/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
]
