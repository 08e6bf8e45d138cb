"""One error format for the whole API: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError


class ApiError(Exception):
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
        else:
            fields, message = {}, " ".join(exc.messages)
        code = getattr(exc, "code", None)
        if code is None and hasattr(exc, "error_dict"):
            codes = [e.code for v in exc.error_dict.values() for e in v if e.code]
            code = codes[0] if codes else None
        return respond(request, 422, error_body(code or "validation_error", message, fields))

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
        code = {
            400: "bad_request",
            401: "not_authenticated",
            403: "forbidden",
            404: "not_found",
            405: "method_not_allowed",
            409: "conflict",
            429: "rate_limited",
        }.get(exc.status_code, "error")
        return respond(request, exc.status_code, error_body(code, str(exc)))
