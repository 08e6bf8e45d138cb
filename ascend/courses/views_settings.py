"""The course portal's settings page (/team/portal/) and the learners' help-desk sign-in."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ascend.lib.forms import apply_validation_error
from ascend.tenancy.access import capability_required
from ascend.tenancy.capabilities import Cap

from . import integrations
from .actions_settings import do_save_portal_settings
from .forms_settings import PortalSettingsForm
from .queries import portal_settings


@capability_required(Cap.COURSES_MANAGE)
def edit(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace  # type: ignore[attr-defined]
    saved = portal_settings(workspace)
    form = PortalSettingsForm(request.POST or None, saved=saved)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_save_portal_settings(
                workspace,
                actor=request.user,
                comment_moderation=data["comment_moderation"],
                helpdesk_domain=data["helpdesk_domain"],
                helpdesk_secret=data["helpdesk_secret"],
                remove_helpdesk_secret=data.get("remove_helpdesk_secret", False),
                analytics_measurement_id=data["analytics_measurement_id"],
                ad_pixel_id=data["ad_pixel_id"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Portal settings saved."))
            return redirect("portal_settings:edit")
    return render(
        request,
        "courses/settings/edit.html",
        {"form": form, "saved": saved},
        status=422 if form.errors else 200,
    )


@never_cache
@capability_required(Cap.COURSES_LEARN)
def helpdesk_sso(request: HttpRequest) -> HttpResponse:
    """Send the learner to the help desk, signed in with a five-minute HS256 token."""
    found = integrations.settings_of(request.workspace)  # type: ignore[attr-defined]
    if found is None or not found.helpdesk_enabled:
        raise Http404
    url = integrations.helpdesk_sso_url(found, request.membership)  # type: ignore[attr-defined]
    return HttpResponseRedirect(url)
