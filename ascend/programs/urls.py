"""The programs' pages in the three portals; each portal's routes live in their own module."""

from . import urls_client, urls_coach, urls_team

app_name = "programs"

urlpatterns = urls_team.urlpatterns + urls_coach.urlpatterns + urls_client.urlpatterns
