from django.urls import path

from . import views_team as v

urlpatterns: list = [
    path("team/programs/", v.program_list, name="team_programs"),
    path("team/programs/new/", v.program_create, name="team_program_create"),
    path("team/programs/<int:program_id>/", v.program_detail, name="team_program"),
    path("team/programs/<int:program_id>/edit/", v.program_edit, name="team_program_edit"),
    path("team/programs/<int:program_id>/delete/", v.program_delete, name="team_program_delete"),
    path("team/programs/<int:program_id>/milestones/", v.milestone_add, name="team_milestone_add"),
    path(
        "team/programs/<int:program_id>/milestones/<int:item_id>/",
        v.milestone_edit,
        name="team_milestone",
    ),
    path(
        "team/programs/<int:program_id>/milestones/<int:item_id>/delete/",
        v.milestone_delete,
        name="team_milestone_delete",
    ),
    path("team/programs/<int:program_id>/habits/", v.habit_add, name="team_habit_add"),
    path("team/programs/<int:program_id>/habits/<int:item_id>/", v.habit_edit, name="team_habit"),
    path(
        "team/programs/<int:program_id>/habits/<int:item_id>/delete/",
        v.habit_delete,
        name="team_habit_delete",
    ),
    path(
        "team/programs/<int:program_id>/cohorts/new/",
        v.cohort_create,
        name="team_cohort_create",
    ),
    path("team/cohorts/", v.cohort_list, name="team_cohorts"),
    path("team/cohorts/<int:cohort_id>/", v.cohort_edit, name="team_cohort"),
    path("team/coaches/", v.coach_list, name="team_coaches"),
    path("team/coaches/<int:membership_id>/", v.coach_detail, name="team_coach"),
    path("team/clients/", v.client_list, name="team_clients"),
    path("team/clients/export.csv", v.clients_export, name="team_clients_csv"),
    path("team/clients/new/", v.client_add, name="team_client_add"),
    path("team/clients/<int:membership_id>/", v.client_detail, name="team_client"),
    path("team/clients/<int:membership_id>/enrol/", v.client_enroll, name="team_client_enroll"),
    path(
        "team/clients/<int:membership_id>/subscribe/",
        v.client_subscribe,
        name="team_client_subscribe",
    ),
    path("team/enrolments/<int:enrollment_id>/end/", v.enrollment_end, name="team_enrollment_end"),
    path(
        "team/subscriptions/<int:subscription_id>/end/",
        v.subscription_end,
        name="team_subscription_end",
    ),
    path("team/progress/", v.progress_table, name="team_progress"),
    path("team/progress/export.csv", v.progress_export, name="team_progress_csv"),
]
