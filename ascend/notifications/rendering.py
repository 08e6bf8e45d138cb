"""Turning a template name, a language and a context into a subject and a body."""

from __future__ import annotations

from typing import Any

from django.template import Context, Engine, TemplateSyntaxError
from django.template.loader import get_template, render_to_string
from django.utils import translation

from .models import EmailTemplateOverride
from .registry import get_spec

# Email wording is edited by workspace admins, so it is compiled by an engine of its own:
# no template loaders (``{% include %}`` and ``{% extends %}`` find nothing) and no
# ``{% load %}``-able libraries, only the built-in tags and filters over plain strings.
EMAIL_ENGINE = Engine(loaders=[], libraries={}, autoescape=False)


def locale_dir(language: str) -> str:
    return translation.to_locale(language)


def default_source(name: str, language: str) -> tuple[str, str]:
    """The shipped subject and body template source of one language (English if missing)."""
    for lang in (language, "en"):
        try:
            subject = get_template(f"emails/{locale_dir(lang)}/{name}.subject.txt")
            body = get_template(f"emails/{locale_dir(lang)}/{name}.body.txt")
        except Exception:  # noqa: BLE001 - a missing translation falls back to English
            continue
        return subject.template.source, body.template.source
    raise LookupError(name)


def render_source(subject: str, body: str, context: dict[str, Any]) -> tuple[str, str]:
    """Render template source with plain-string context; raises TemplateSyntaxError.

    Mistakes that only show when rendering (``{% url 'nowhere' %}``, a bad
    ``{% include %}``) are raised as TemplateSyntaxError too, so callers have one
    error to catch for "this wording can't be used".
    """
    ctx = Context(context, autoescape=False)
    try:
        rendered_subject = EMAIL_ENGINE.from_string(subject).render(ctx)
        rendered_body = EMAIL_ENGINE.from_string(body).render(ctx)
    except TemplateSyntaxError:
        raise
    except Exception as error:  # noqa: BLE001 - see the docstring
        raise TemplateSyntaxError(str(error)) from error
    # Whitespace is collapsed so a subject can never carry a line break into the headers.
    return " ".join(rendered_subject.split()), rendered_body.strip() + "\n"


def render_email(
    workspace: Any, name: str, language: str, context: dict[str, str]
) -> tuple[str, str]:
    """Subject and body in the language, from the workspace's override if it has one.

    A broken override never stops an email: the shipped wording goes out instead.
    """
    get_spec(name)  # unknown templates fail here, not at send time
    override = EmailTemplateOverride.objects.filter(
        workspace=workspace, template=name, language=language
    ).first()
    with translation.override(language):
        if override is not None:
            try:
                return render_source(override.subject, override.body, context)
            except TemplateSyntaxError:
                pass
        subject, body = default_source(name, language)
        return render_source(subject, body, context)


__all__ = ["render_email", "render_source", "default_source", "render_to_string"]
