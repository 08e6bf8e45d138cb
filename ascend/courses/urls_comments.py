"""Comment moderation pages: /team/comments/ (``Cap.COURSES_COMMENTS``)."""

from __future__ import annotations

from django.urls import path

from . import views_comments as v

app_name = "comments"

urlpatterns = [
    path("", v.comment_list, name="list"),
    path("moderate/", v.comment_moderate, name="moderate"),
    path("<int:comment_id>/", v.comment_detail, name="detail"),
    path("<int:comment_id>/moderate/", v.comment_moderate_one, name="moderate_one"),
]
