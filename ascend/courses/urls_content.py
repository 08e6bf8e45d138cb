"""Team portal, mounted at /team/courses/: course content and announcements (COURSES_MANAGE)."""

from __future__ import annotations

from django.urls import path

from . import views_content as views

app_name = "courses"

urlpatterns = [
    path("", views.products, name="products"),
    path("new/", views.product_new, name="product_new"),
    path("<int:product_id>/", views.product, name="product"),
    path("<int:product_id>/edit/", views.product_edit, name="product_edit"),
    path("<int:product_id>/delete/", views.product_delete, name="product_delete"),
    path("<int:product_id>/courses/new/", views.course_new, name="course_new"),
    path("course/<int:course_id>/edit/", views.course_edit, name="course_edit"),
    path("course/<int:course_id>/move/", views.course_move, name="course_move"),
    path("course/<int:course_id>/delete/", views.course_delete, name="course_delete"),
    path("course/<int:course_id>/modules/new/", views.module_new, name="module_new"),
    path("module/<int:module_id>/edit/", views.module_edit, name="module_edit"),
    path("module/<int:module_id>/move/", views.module_move, name="module_move"),
    path("module/<int:module_id>/delete/", views.module_delete, name="module_delete"),
    path("module/<int:module_id>/lessons/new/", views.lesson_new, name="lesson_new"),
    path("lesson/<int:lesson_id>/edit/", views.lesson_edit, name="lesson_edit"),
    path("lesson/<int:lesson_id>/move/", views.lesson_move, name="lesson_move"),
    path("lesson/<int:lesson_id>/delete/", views.lesson_delete, name="lesson_delete"),
    path("lesson/<int:lesson_id>/files/", views.lesson_files, name="lesson_files"),
    path("files/<int:file_id>/", views.lesson_file, name="lesson_file"),
    path("files/<int:file_id>/delete/", views.lesson_file_delete, name="lesson_file_delete"),
    path("preview/", views.markdown_preview, name="markdown_preview"),
    path("announcements/", views.announcements, name="announcements"),
    path("announcements/new/", views.announcement_new, name="announcement_new"),
    path(
        "announcements/<int:announcement_id>/edit/",
        views.announcement_edit,
        name="announcement_edit",
    ),
    path(
        "announcements/<int:announcement_id>/toggle/",
        views.announcement_toggle,
        name="announcement_toggle",
    ),
    path(
        "announcements/<int:announcement_id>/delete/",
        views.announcement_delete,
        name="announcement_delete",
    ),
]
