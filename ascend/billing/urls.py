from django.urls import path

from . import views

app_name = "billing"

urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("new/", views.plan_create, name="plan_create"),
    path("<int:plan_id>/", views.plan_edit, name="plan"),
]
