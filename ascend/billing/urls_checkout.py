"""Buying: /pay/<payment link>/, /pay/orders/<order>/, /me/memberships/, the providers' webhook."""

from django.urls import path

from . import views_checkout as views

app_name = "checkout"

urlpatterns = [
    path("pay/<uuid:token>/", views.pay_package, name="package"),
    path("pay/orders/<uuid:token>/", views.order_page, name="order"),
    path("webhooks/payments/<str:provider>/", views.payments_webhook, name="webhook"),
    path("me/memberships/", views.client_memberships, name="memberships"),
    path("me/memberships/<int:plan_id>/", views.client_buy_membership, name="membership"),
]
