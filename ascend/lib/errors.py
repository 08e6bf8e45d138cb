"""Validation errors that name the field they belong to and carry a stable code."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def field_error(field: str, message: str, code: str) -> ValidationError:
    """An error shown next to ``field`` on a form and as ``fields[field]`` in the API."""
    return ValidationError({field: ValidationError(message, code=code)})
