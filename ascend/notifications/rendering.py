"""Turning a template name, a language and a context into a subject and a body."""

from __future__ import annotations

from django.template import Context, Template, TemplateSyntaxError
from django.template.loader import render_to_string
from django.utils import translation

from .models import EmailTemplateOverride
from .registry import get_spec


def locale_dir(language: str) -> str:
    return translation.to_locale(language)


def default_source(name: str, language: str) -> tuple[str, str]:
    """The shipped subject and body template source of one language (English if missing)."""
    from django.template.loader import get_template

    for lang in (language, "en"):
        try:
            subject = get_template(f"emails/{locale_dir(lang)}/{name}.subject.txt")
            body = get_template(f"emails/{locale_dir(lang)}/{name}.body.txt")
        except Exception:  # noqa: BLE001 - a missing translation falls back to English
            continue
        return subject.template.source, body.template.source
    raise LookupError(name)


def render_source(subject: str, body: str, context: dict[str, str]) -> tuple[str, str]:
    """Render template source with plain-string context; raises TemplateSyntaxError."""
    ctx = Context(context, autoescape=False)
    rendered_subject = Template(subject).render(ctx)
    rendered_body = Template(body).render(ctx)
    return " ".join(rendered_subject.split()), rendered_body.strip() + "\n"


def render_email(workspace, name: str, language: str, context: dict[str, str]) -> tuple[str, str]:
    """Subject and body in the language, from the workspace's override if it has one."""
    get_spec(name)  # unknown templates fail here, not at send time
    override = EmailTemplateOverride.objects.filter(
        workspace=workspace, template=name, language=language
    ).first()
    with translation.override(language):
        if override is not None:
            try:
                return render_source(override.subject, override.body, context)
            except TemplateSyntaxError:
                pass  # a broken override never stops an email: the shipped text goes out
        subject, body = default_source(name, language)
        return render_source(subject, body, context)


__all__ = ["render_email", "render_source", "default_source", "render_to_string"]
