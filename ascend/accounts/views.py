from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ascend.notifications.outbox import send_email

from . import actions
from .forms import (
    AcceptInvitationForm,
    EmailAuthenticationForm,
    OutboxPasswordResetForm,
    PreferencesForm,
)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = OutboxPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        form.save(request=self.request)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:preferences")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        user = self.request.user
        send_email(
            workspace=self.request.workspace,
            to=user.email,
            user=user,
            template="password_changed",
            context={"recipient_name": user.get_short_name()},
        )
        messages.success(self.request, _("Your password was changed."))
        return response


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        actions.do_update_preferences(
            request.user,
            full_name=form.cleaned_data["full_name"],
            language=form.cleaned_data["language"],
            time_zone=form.cleaned_data["time_zone"],
        )
        messages.success(request, _("Your preferences were saved."))
        return redirect("accounts:preferences")
    return render(request, "accounts/preferences.html", {"form": form})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language picker: saved on the person's profile, or in a cookie before signing in."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = redirect(next_url)
    if language not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated:
        actions.do_update_preferences(
            request.user,
            full_name=request.user.full_name,
            language=language,
            time_zone=request.user.time_zone,
        )
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Accept a team invitation: set a password (or sign in), then land in the right portal."""
    workspace = request.workspace
    try:
        invitation = actions.find_invitation(workspace, token)
    except actions.InvitationUnusable as unusable:
        return render(
            request,
            "accounts/invitation_unusable.html",
            {"reason": unusable.reason},
            status=410 if unusable.reason != "unknown" else 404,
        )
    from .models import User

    existing = User.objects.filter(email__iexact=invitation.email).first()
    if existing is not None:
        if not request.user.is_authenticated or request.user.pk != existing.pk:
            return render(
                request,
                "accounts/invitation_sign_in.html",
                {
                    "invitation": invitation,
                    "login_url": f"{reverse('accounts:login')}?next={request.path}",
                    "signed_in_as_other": request.user.is_authenticated,
                },
            )
        if request.method == "POST":
            return _accept(request, token, user=request.user)
        return render(request, "accounts/invitation_confirm.html", {"invitation": invitation})
    form = AcceptInvitationForm(
        request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name}
    )
    if request.method == "POST" and form.is_valid():
        return _accept(
            request,
            token,
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password1"],
        )
    return render(
        request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form}
    )


def _accept(request: HttpRequest, token: str, **kwargs) -> HttpResponse:  # type: ignore[no-untyped-def]
    try:
        membership = actions.do_accept_staff_invitation(request.workspace, token, **kwargs)
    except actions.InvitationUnusable as unusable:
        return render(
            request, "accounts/invitation_unusable.html", {"reason": unusable.reason}, status=410
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(request.path)
    if not request.user.is_authenticated:
        login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(
        request, _("Welcome to %(workspace)s!") % {"workspace": request.workspace.name}
    )
    return redirect("portals:home")


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:  # type: ignore[no-untyped-def]
    """Shown instead of the login form while an email is cooling off after too many failures."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"cooloff_minutes": minutes}, status=429)
