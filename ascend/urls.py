from django.urls import include, path

from ascend.api.urls import api
from ascend.notifications import notice_views

urlpatterns = [
    path("", include("ascend.portals.urls")),
    path("", include("ascend.programs.urls")),
    path("", include("ascend.ranks.urls")),
    path("", include("ascend.quality.urls")),
    path("", include("ascend.messaging.urls")),
    path("", include("ascend.crm.urls")),
    path("accounts/", include("ascend.accounts.urls")),
    path("team/", include("ascend.tenancy.urls")),
    path("team/activity/", include("ascend.activity.urls")),
    path("team/email/", include("ascend.notifications.urls")),
    path("team/memberships/", include("ascend.billing.urls")),
    path("team/packages/", include("ascend.billing.urls_packages")),
    path("team/orders/", include("ascend.billing.urls_orders")),
    path("", include("ascend.billing.urls_checkout")),
    path("", include("ascend.scheduling.urls")),
    path("team/courses/", include("ascend.courses.urls_content")),
    path("team/learners/", include("ascend.courses.urls_learners")),
    path("team/comments/", include("ascend.courses.urls_comments")),
    path("team/course-reports/", include("ascend.courses.urls_reports")),
    path("team/portal/", include("ascend.courses.urls_settings")),
    path("me/courses/", include("ascend.courses.urls_learn")),
    path("me/help-desk/", include("ascend.courses.urls_helpdesk")),
    path("", include("ascend.courses.urls_access")),
    path("", include("ascend.support.urls")),
    path("notices/", notice_views.notices, name="notices"),
    path("notices/read/", notice_views.read_all, name="notices_read"),
    path("api/", include("ascend.api.page_urls")),
    path("api/v1/", api.urls),
    path("webhooks/email/", include("anymail.urls")),
]
