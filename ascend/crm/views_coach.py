"""Coach portal only: the greeting a coach writes for their clients' dashboards."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ascend.lib.forms import apply_validation_error
from ascend.tenancy.access import capability_required
from ascend.tenancy.capabilities import Cap

from .actions_client import do_save_greeting
from .forms import GreetingForm
from .models import CoachGreeting


@capability_required(Cap.PORTAL_COACH)
def greeting(request: HttpRequest) -> HttpResponse:
    coach = request.membership  # type: ignore[attr-defined]
    current = CoachGreeting.objects.filter(coach=coach).first()
    form = GreetingForm(
        request.POST if request.method == "POST" else None,
        initial={"text": current.text if current else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = do_save_greeting(coach, actor=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Your greeting was saved.") if saved else _("Your greeting was removed."),
            )
            return redirect("crm:coach_greeting")
    return render(
        request,
        "crm/greeting.html",
        {"form": form, "greeting": current},
        status=422 if form.errors else 200,
    )
