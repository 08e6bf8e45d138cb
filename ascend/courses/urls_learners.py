"""The Learners page under /team/learners/."""

from __future__ import annotations

from django.urls import path

from . import views_learners as views

app_name = "learners"

urlpatterns = [
    path("", views.learner_list, name="list"),
    path("give/", views.give, name="give"),
    path("import/", views.import_upload, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("<int:learner_id>/", views.learner_detail, name="detail"),
    path("<int:learner_id>/products/", views.add_product, name="add_product"),
    path("<int:learner_id>/send-access/", views.send_access, name="send_access"),
    path("<int:learner_id>/password-reset/", views.password_reset, name="password_reset"),
    path("<int:learner_id>/email/", views.correct_email, name="correct_email"),
    path("access/<int:access_id>/expiry/", views.change_expiry, name="change_expiry"),
    path("access/<int:access_id>/remove/", views.remove_access, name="remove_access"),
]
