"""The API object mounted at ``/api/v1/``: auth, the error format, the routers."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI

from ascend.billing.api import router as billing_router
from ascend.courses.api_access import router as course_access_router
from ascend.courses.api_comments import router as course_comments_router
from ascend.courses.api_content import router as course_content_router
from ascend.courses.api_learn import router as learn_router
from ascend.courses.api_reports import router as course_reports_router
from ascend.crm.api import router as crm_router
from ascend.messaging.api import router as messaging_router
from ascend.programs.api import router as programs_router
from ascend.quality.api import router as quality_router
from ascend.ranks.api import router as ranks_router
from ascend.scheduling.api import router as scheduling_router
from ascend.support.api import router as support_router

from .auth import MemberSessionAuth, TokenAuth
from .errors import install_error_handlers, json_error_urls
from .routers import router


class AscendAPI(NinjaAPI):
    """Ninja's API whose every answer, even for unknown paths and methods, is JSON."""

    @property
    def urls(self) -> tuple[list[URLPattern | URLResolver], str, str]:
        patterns, app_name, namespace = super().urls
        return json_error_urls(self, patterns), app_name, namespace


api = AscendAPI(
    title="Ascend API",
    version="1",
    description="The coaching platform's JSON API. Authenticate with a personal API token "
    "(`Authorization: Bearer asc_…`, made on your API tokens page) or the browser session.",
    # Token first: a script sending a token never needs a CSRF token, even if it has a session.
    auth=[TokenAuth(), MemberSessionAuth()],
    urls_namespace="api_v1",
)
install_error_handlers(api)
api.add_router("/", router)
api.add_router("/", programs_router)
api.add_router("/", billing_router)
api.add_router("/", ranks_router)
api.add_router("/", messaging_router)
api.add_router("/", quality_router)
api.add_router("/", crm_router)
api.add_router("/", scheduling_router)
api.add_router("/", course_content_router)
api.add_router("/", learn_router)
api.add_router("/", course_access_router)
api.add_router("/", course_comments_router)
api.add_router("/", support_router)
api.add_router("/", course_reports_router)
