from django.urls import path

from . import views_team as v

urlpatterns: list = [
    path("team/ranks/", v.category_list, name="team_categories"),
    path("team/ranks/new/", v.category_create, name="team_category_create"),
    path("team/ranks/<int:category_id>/", v.category_detail, name="team_category"),
    path("team/ranks/<int:category_id>/edit/", v.category_edit, name="team_category_edit"),
    path("team/ranks/<int:category_id>/archive/", v.category_archive, name="team_category_archive"),
    path("team/ranks/<int:category_id>/ranks/", v.rank_add, name="team_rank_add"),
    path("team/ranks/<int:category_id>/order/", v.rank_reorder, name="team_rank_reorder"),
    path("team/ranks/<int:category_id>/ranks/<int:rank_id>/", v.rank_edit, name="team_rank"),
    path(
        "team/ranks/<int:category_id>/ranks/<int:rank_id>/move/",
        v.rank_move,
        name="team_rank_move",
    ),
    path(
        "team/ranks/<int:category_id>/ranks/<int:rank_id>/delete/",
        v.rank_delete,
        name="team_rank_delete",
    ),
    path(
        "team/ranks/<int:category_id>/promote-eligible/",
        v.mass_promote,
        name="team_mass_promote",
    ),
    path("team/ranks/clients/<int:membership_id>/", v.client_profile, name="client_profile"),
    path(
        "team/ranks/clients/<int:membership_id>/<int:category_id>/assign/",
        v.client_assign,
        name="team_client_assign",
    ),
    path(
        "team/ranks/clients/<int:membership_id>/<int:category_id>/promote/",
        v.client_promote,
        name="team_client_promote",
    ),
    path(
        "team/ranks/clients/<int:membership_id>/<int:category_id>/demote/",
        v.client_demote,
        name="team_client_demote",
    ),
    path("team/ranks/holdings/<int:holding_id>/date/", v.holding_date, name="team_holding_date"),
    path("team/ranks/report/", v.report, name="team_report"),
    path("team/ranks/report/chart.json", v.report_chart, name="team_report_chart"),
    path("team/ranks/report/export.csv", v.report_export, name="team_report_csv"),
]
