from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ascend.lib.forms import apply_validation_error
from ascend.tenancy.access import capability_required
from ascend.tenancy.capabilities import Cap

from . import actions
from .models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=80,
        help_text=gettext_lazy("What uses it, e.g. “Zapier” or “Reporting script”."),
    )


@capability_required(Cap.API_TOKENS)
def tokens(request: HttpRequest) -> HttpResponse:
    """The person's own API tokens: make one (shown once), see when each was used, revoke."""
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = actions.do_create_api_token(
                request.workspace, request.user, name=form.cleaned_data["name"]
            )
            form = TokenForm()
        except ValidationError as error:
            apply_validation_error(form, error)
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "secret": secret,
            "tokens": ApiToken.objects.filter(workspace=request.workspace, user=request.user),
        },
        status=422 if form.errors else 200,
    )


@require_POST
@capability_required(Cap.API_TOKENS)
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = ApiToken.objects.filter(
        workspace=request.workspace, user=request.user, id=token_id
    ).first()
    if token is None:
        raise Http404
    actions.do_revoke_api_token(token, actor=request.user)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("api:tokens")
