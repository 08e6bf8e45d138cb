"""One error format for the whole API: ``{"error": {"code", "message", "fields"}}``.

Rules: every answer under ``/api/v1/`` that is not a success uses this shape —
validation (422, with ``fields`` naming each bad input), authentication (401),
roles and CSRF (403), unknown objects and paths (404), wrong methods (405) and
unexpected failures (500). ``code`` is stable and machine-readable; ``message``
is translated for people.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, URLResolver, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

logger = logging.getLogger("ascend.api")

HTTP_ERROR_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    429: "rate_limited",
}


class ApiError(Exception):
    """An error answer with a chosen status and code, raised from endpoints or auth."""

    def __init__(self, status: int, code: str, message: str, fields: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def _field_name(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "form")]
    return ".".join(parts) or "__all__"


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, body: dict) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(ApiError)
    def on_api_error(request, exc: ApiError):  # type: ignore[no-untyped-def]
        return respond(request, exc.status, error_body(exc.code, exc.message, exc.fields))

    @api.exception_handler(NinjaValidationError)
    def on_ninja_validation(request, exc: NinjaValidationError):  # type: ignore[no-untyped-def]
        fields: dict[str, list[str]] = {}
        for err in exc.errors:
            fields.setdefault(_field_name(list(err.get("loc", []))), []).append(err.get("msg", ""))
        return respond(
            request, 422, error_body("validation_error", _("Some fields need a look."), fields)
        )

    @api.exception_handler(DjangoValidationError)
    def on_django_validation(request, exc: DjangoValidationError):  # type: ignore[no-untyped-def]
        if hasattr(exc, "error_dict"):
            fields = {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
            message = " ".join(m for msgs in fields.values() for m in msgs)
            # Django keeps a code only on each message of a field, never on the dict.
            codes = [e.code for v in exc.error_dict.values() for e in v if e.code]
        else:
            fields, message = {}, " ".join(exc.messages)
            codes = [e.code for e in exc.error_list if e.code]
        return respond(
            request, 422, error_body(codes[0] if codes else "validation_error", message, fields)
        )

    @api.exception_handler(AuthenticationError)
    def on_auth(request, exc):  # type: ignore[no-untyped-def]
        return respond(
            request, 401, error_body("not_authenticated", _("Sign in or send a valid API token."))
        )

    @api.exception_handler(PermissionDenied)
    def on_forbidden(request, exc):  # type: ignore[no-untyped-def]
        return respond(request, 403, error_body("forbidden", _("Your roles don't allow this.")))

    @api.exception_handler(Http404)
    def on_not_found(request, exc):  # type: ignore[no-untyped-def]
        return respond(request, 404, error_body("not_found", _("Not found.")))

    @api.exception_handler(HttpError)
    def on_http_error(request, exc: HttpError):  # type: ignore[no-untyped-def]
        code = HTTP_ERROR_CODES.get(exc.status_code, "error")
        return respond(request, exc.status_code, error_body(code, str(exc)))

    @api.exception_handler(Exception)
    def on_unexpected(request, exc: Exception):  # type: ignore[no-untyped-def]
        # Do what Django does for a crash (log with the traceback, tell listeners such
        # as error trackers and the test client), but answer in the API's format.
        logger.error("API error: %s %s", request.method, request.path, exc_info=exc)
        got_request_exception.send(sender=None, request=request)
        return respond(
            request, 500, error_body("server_error", _("Something went wrong on our side."))
        )


def json_error_urls(
    api: NinjaAPI, patterns: list[URLPattern | URLResolver]
) -> list[URLPattern | URLResolver]:
    """The API's URL patterns, answering wrong methods and unknown paths in the error format.

    Ninja answers a wrong method with a plain-text 405, and a path it doesn't know
    falls through to the site's HTML 404 page; API clients expect JSON for both.
    """

    def method_not_allowed_as_json(
        view: Callable[..., HttpResponse],
    ) -> Callable[..., HttpResponse]:
        @wraps(view)  # keeps csrf_exempt: ninja checks CSRF itself, per auth method
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            if isinstance(response, HttpResponseNotAllowed):
                allowed = response["Allow"]
                response = api.create_response(
                    request,
                    error_body("method_not_allowed", _("This address doesn't take that method.")),
                    status=405,
                )
                response["Allow"] = allowed
            return response

        return wrapper

    @csrf_exempt  # a POST to a wrong address is a 404, not a CSRF failure
    def unknown_path(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return api.create_response(
            request, error_body("not_found", _("There is no API endpoint here.")), status=404
        )

    result: list[URLPattern | URLResolver] = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            # Ninja's root view exists only so its URL can be reversed; it raises an HTML 404.
            view = unknown_path if pattern.name == "api-root" else pattern.callback
            pattern = URLPattern(
                pattern.pattern,
                method_not_allowed_as_json(view),
                pattern.default_args,
                pattern.name,
            )
        result.append(pattern)
    # Last, so that it only answers what nothing else matched.
    result.append(re_path(r"^.*$", unknown_path, name="unknown-path"))
    return result
