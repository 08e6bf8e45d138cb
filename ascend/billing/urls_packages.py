from django.urls import path

from . import views_packages as views

app_name = "packages"

urlpatterns = [
    path("", views.package_list, name="list"),
    path("new/", views.package_create, name="create"),
    path("<int:package_id>/", views.package_edit, name="package"),
    path("<int:package_id>/give/", views.package_give, name="give"),
]
