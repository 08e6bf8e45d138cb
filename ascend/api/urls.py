from ninja import NinjaAPI

from .auth import MemberSessionAuth, TokenAuth
from .errors import install_error_handlers
from .routers import router

api = NinjaAPI(
    title="Ascend API",
    version="1",
    description="The coaching platform's JSON API. Authenticate with a personal API token "
    "(`Authorization: Bearer asc_…`, made on your API tokens page) or the browser session.",
    auth=[TokenAuth(), MemberSessionAuth()],
    urls_namespace="api_v1",
)
install_error_handlers(api)
api.add_router("/", router)
