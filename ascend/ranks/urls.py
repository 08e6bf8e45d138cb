"""The ranks' pages: the team portal's (categories, check-in, report, profiles) and the client's."""

from . import urls_client, urls_team

app_name = "ranks"

urlpatterns = urls_team.urlpatterns + urls_client.urlpatterns
