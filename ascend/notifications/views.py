from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ascend.tenancy.access import capability_required
from ascend.tenancy.capabilities import Cap

from . import actions, queries
from .forms import TemplateOverrideForm
from .models import DeliveryState
from .registry import EMAIL_TEMPLATES
from .rendering import default_source, render_source

LANGUAGES = dict(settings.LANGUAGES)


@capability_required(Cap.OUTBOX_VIEW)
def outbox(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    recipient = request.GET.get("recipient", "")
    page = Paginator(
        queries.outbox(request.workspace, state=state, recipient=recipient), 50
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "notifications/outbox.html",
        {
            "page_obj": page,
            "states": DeliveryState.choices,
            "selected_state": state,
            "recipient": recipient,
            "querystring_without_page": query.urlencode() + "&" if query else "",
        },
    )


@capability_required(Cap.EMAIL_TEMPLATES_EDIT)
def template_list(request: HttpRequest) -> HttpResponse:
    existing = queries.overrides(request.workspace)
    rows = [
        {
            "spec": spec,
            "languages": [
                {"code": code, "name": name, "overridden": (spec.name, code) in existing}
                for code, name in settings.LANGUAGES
            ],
        }
        for spec in EMAIL_TEMPLATES.values()
    ]
    return render(request, "notifications/templates.html", {"rows": rows})


@capability_required(Cap.EMAIL_TEMPLATES_EDIT)
def template_edit(request: HttpRequest, name: str, language: str) -> HttpResponse:
    """Edit one template in one language, with a preview filled with sample values."""
    spec = EMAIL_TEMPLATES.get(name)
    if spec is None or language not in LANGUAGES:
        raise Http404
    sample = {**spec.sample, "workspace_name": request.workspace.name}
    override = queries.overrides(request.workspace).get((name, language))
    if override is not None:
        initial = {"subject": override.subject, "body": override.body}
    else:
        subject, body = default_source(name, language)
        initial = {"subject": subject.strip(), "body": body}
    if request.method == "POST" and request.POST.get("action") == "reset":
        actions.do_reset_template_override(request.workspace, name, language, actor=request.user)
        messages.success(request, _("The template is back to Ascend's wording."))
        return redirect("notifications:template_edit", name=name, language=language)
    form = TemplateOverrideForm(request.POST or None, initial=initial, sample=sample)
    preview = None
    if request.method == "POST" and form.is_valid():
        preview = form.cleaned_data["preview"]
        if request.POST.get("action") == "save":
            actions.do_save_template_override(
                request.workspace,
                name,
                language,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                actor=request.user,
            )
            messages.success(request, _("Template saved."))
            return redirect("notifications:template_edit", name=name, language=language)
    if preview is None and not form.is_bound:
        preview = render_source(initial["subject"], initial["body"], sample)
    if request.htmx:
        # htmx swaps only 2xx answers: the fragment carries the mistake, so it is a 200.
        return render(request, "notifications/_preview.html", {"form": form, "preview": preview})
    return render(
        request,
        "notifications/template_edit.html",
        {
            "spec": spec,
            "language": language,
            "language_name": LANGUAGES[language],
            "form": form,
            "preview": preview,
            "overridden": override is not None,
        },
        status=422 if form.errors else 200,
    )
