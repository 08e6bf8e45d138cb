from __future__ import annotations

from django.urls import path

from . import views_learn

app_name = "learn"

urlpatterns = [
    path("", views_learn.home, name="home"),
    path("<int:product_id>/", views_learn.product, name="product"),
    path("lessons/<int:lesson_id>/", views_learn.lesson, name="lesson"),
    path("lessons/<int:lesson_id>/complete/", views_learn.lesson_complete, name="lesson_complete"),
    path("lessons/<int:lesson_id>/rating/", views_learn.lesson_rate, name="lesson_rate"),
    path("lessons/<int:lesson_id>/comments/", views_learn.lesson_comment, name="lesson_comment"),
    path("files/<int:file_id>/", views_learn.lesson_file, name="file"),
    path(
        "announcements/<int:announcement_id>/dismiss/",
        views_learn.announcement_dismiss,
        name="announcement_dismiss",
    ),
]
