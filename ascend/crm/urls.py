"""CRM pages: /team/crm/ (every contact), /coach/contacts/ (a coach's own), /join/<token>/,
and the client's onboarding and tasks under /me/."""

from django.urls import path

from . import views_client, views_coach, views_contacts, views_team

app_name = "crm"


def _contact_routes(portal: str, prefix: str, list_name: str) -> list:
    v = views_contacts
    kw = {"portal": portal}
    return [
        path(prefix, v.contact_list, kw, name=list_name),
        path(f"{prefix}new/", v.contact_new, kw, name=f"{portal}_contact_new"),
        path(f"{prefix}<int:contact_id>/", v.contact_detail, kw, name=f"{portal}_contact"),
        path(f"{prefix}<int:contact_id>/edit/", v.contact_edit, kw, name=f"{portal}_contact_edit"),
        path(f"{prefix}<int:contact_id>/tasks/", v.task_add, kw, name=f"{portal}_task_add"),
        path(f"{prefix}<int:contact_id>/notes/", v.note_add, kw, name=f"{portal}_note_add"),
        path(f"{prefix}invite/", v.invite, kw, name=f"{portal}_invite"),
        path(
            f"{prefix}invitations/<int:invitation_id>/resend/",
            v.invitation_resend,
            kw,
            name=f"{portal}_invitation_resend",
        ),
        path(
            f"{prefix}invitations/<int:invitation_id>/revoke/",
            v.invitation_revoke,
            kw,
            name=f"{portal}_invitation_revoke",
        ),
        path(f"{prefix}import/", v.import_upload, kw, name=f"{portal}_import"),
        path(f"{prefix}import/<int:job_id>/", v.import_job, kw, name=f"{portal}_import_job"),
        path(
            f"{prefix}import/<int:job_id>/progress/",
            v.import_progress,
            kw,
            name=f"{portal}_import_progress",
        ),
        path(
            f"{prefix}import/<int:job_id>/confirm/",
            v.import_confirm,
            kw,
            name=f"{portal}_import_confirm",
        ),
    ]


urlpatterns = [
    *_contact_routes("team", "team/crm/", "team_contacts"),
    path("team/crm/invite/packages/", views_team.invite_packages, name="invite_packages"),
    path("team/crm/types/", views_team.types_list, name="team_types"),
    path("team/crm/types/<int:type_id>/", views_team.type_rename, name="team_type"),
    path("team/crm/types/<int:type_id>/move/", views_team.type_move, name="team_type_move"),
    path("team/crm/types/<int:type_id>/delete/", views_team.type_delete, name="team_type_delete"),
    *_contact_routes("coach", "coach/contacts/", "coach_contacts"),
    path("coach/greeting/", views_coach.greeting, name="coach_greeting"),
    path("join/<str:token>/", views_client.accept_invitation, name="accept_invitation"),
    path("me/welcome/", views_client.onboarding, name="onboarding"),
    path("me/tasks/<int:task_id>/", views_client.task_tick, name="task_tick"),
]
