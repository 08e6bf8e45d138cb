from django.urls import path

from . import views

app_name = "tenancy"

urlpatterns = [
    path("members/", views.member_list, name="members"),
    path("members/invite/", views.invite, name="invite"),
    path("members/<int:membership_id>/", views.member_detail, name="member"),
    path("members/<int:membership_id>/remove/", views.remove_member, name="remove_member"),
    path(
        "invitations/<int:invitation_id>/resend/", views.resend_invitation, name="resend_invitation"
    ),
    path(
        "invitations/<int:invitation_id>/revoke/", views.revoke_invitation, name="revoke_invitation"
    ),
    path("settings/", views.workspace_settings, name="settings"),
]
