from django.urls import path

from . import views_orders as views

app_name = "orders"

urlpatterns = [
    path("", views.order_list, name="list"),
    path("<int:order_id>/", views.order_detail, name="order"),
    path("<int:order_id>/paid/", views.order_mark_paid, name="mark_paid"),
    path("<int:order_id>/cancel/", views.order_cancel, name="cancel"),
]
