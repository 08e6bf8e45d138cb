from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("outbox/", views.outbox, name="outbox"),
    path("templates/", views.template_list, name="templates"),
    path("templates/<str:name>/<str:language>/", views.template_edit, name="template_edit"),
]
