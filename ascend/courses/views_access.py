"""Public pages of learner access: the access email's link, and a product's payment link.

Rules: /access/<uid>/<token>/ — on the first visit (no password yet) the learner
chooses a password, is signed in and lands on "My courses"; someone who already
has a password is sent to sign in; a link that is unknown, tampered with, used
(a password was set) or too old shows a clear page (410), never a 500.
/buy/<payment token>/ — a product on sale: its name and price, who buys it and how
they pay, then the order as packages do it; a product not on sale is a 410 page.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from ascend.accounts.models import User
from ascend.billing.payments import do_start_course_order
from ascend.billing.providers import CheckoutFailed, available_providers
from ascend.billing.views_checkout import _checkout_failed_message, _send_to_checkout
from ascend.lib.forms import apply_validation_error
from ascend.tenancy.models import Membership

from .actions_access import access_link_tokens, learner_home_path
from .forms_access import CourseCheckoutForm, SetLearnerPasswordForm
from .models import LearnerAccess, Lesson, Product

log = logging.getLogger("ascend.payments")

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _user_of(uidb64: str) -> User | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


def _is_learner_here(request: HttpRequest, user: User) -> bool:
    membership = Membership.objects.filter(
        workspace=request.workspace,  # type: ignore[attr-defined]
        user=user,
        removed_at__isnull=True,
    ).first()
    return (
        membership is not None
        and LearnerAccess.objects.filter(learner=membership, removed_at__isnull=True).exists()
    )


def _sign_in_url() -> str:
    return f"{reverse('accounts:login')}?{urlencode({'next': learner_home_path()})}"


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def access_link(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The access email's link: choose a password once, then the courses."""
    user = _user_of(uidb64)
    if user is None or not _is_learner_here(request, user):
        return _unusable(request, "unknown")
    if not access_link_tokens.check_token(user, token):
        return _unusable(request, "used")
    if user.has_usable_password():
        if request.user.is_authenticated and request.user.pk == user.pk:
            return redirect(learner_home_path())
        return redirect(_sign_in_url())
    form = SetLearnerPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        login(request, user, backend=MODEL_BACKEND)
        return redirect(learner_home_path())
    return render(
        request,
        "courses/access/set_password.html",
        {"form": form, "learner": user},
        status=422 if form.errors else 200,
    )


def _unusable(request: HttpRequest, reason: str) -> HttpResponse:
    return render(
        request,
        "courses/access/link_unusable.html",
        {"reason": reason, "sign_in_url": _sign_in_url()},
        status=404 if reason == "unknown" else 410,
    )


def access_product_on_sale(request: HttpRequest, token: Any) -> Product:
    """The product whose payment link this is, in this workspace, or 404."""
    product = Product.objects.filter(
        workspace=request.workspace,  # type: ignore[attr-defined]
        payment_token=token,
    ).first()
    if product is None:
        raise Http404
    return product


def buy(request: HttpRequest, token: Any) -> HttpResponse:
    """A product's payment link: what it is, who buys it, how they pay."""
    product = access_product_on_sale(request, token)
    if not product.is_active:
        return render(request, "courses/access/buy_gone.html", {"product": product}, status=410)
    initial: dict[str, Any] = {}
    if request.user.is_authenticated:
        initial = {"buyer_name": str(request.user), "buyer_email": request.user.email}
    form = CourseCheckoutForm(
        request.POST or None, initial=initial, providers=available_providers()
    )
    if request.method == "POST" and form.is_valid():
        try:
            order = do_start_course_order(product, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            try:
                return _send_to_checkout(request, order, request.path)
            except CheckoutFailed as error:
                log.warning("Checkout of order %s failed: %s", order.pk, error)
                form.add_error(None, _checkout_failed_message())
    lessons = Lesson.objects.filter(module__course__product=product).count()
    return render(
        request,
        "courses/access/buy.html",
        {
            "product": product,
            "form": form,
            "courses": list(product.courses.all()),
            "lessons": lessons,
        },
        status=422 if form.errors else 200,
    )
