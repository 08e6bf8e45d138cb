from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django_scopes import scopes_disabled

from ascend.activity.queries import events
from ascend.lib.urls import workspace_url
from ascend.tenancy.access import capability_required
from ascend.tenancy.capabilities import Cap
from ascend.tenancy.models import Membership, Workspace
from ascend.tenancy.queries import members

from .navigation import home_portal

HOP_SALT = "ascend.portals.hop"
HOP_MAX_AGE = 60


def home(request: HttpRequest) -> HttpResponse:
    """Send each person to the portal their roles open; strangers to sign in."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    portal = home_portal(request.membership)
    if portal is None:
        return render(request, "portals/no_access.html", status=403)
    return redirect(portal.url_name)


@capability_required(Cap.PORTAL_TEAM)
def team(request: HttpRequest) -> HttpResponse:
    workspace = request.workspace
    from ascend.accounts.models import StaffInvitation

    team_members = members(workspace)
    return render(
        request,
        "portals/team.html",
        {
            "staff_count": team_members.exclude(is_client=True).count(),
            "client_count": team_members.filter(is_client=True).count(),
            "open_invitations": StaffInvitation.objects.filter(
                workspace=workspace, accepted_at__isnull=True, revoked_at__isnull=True
            ).count(),
            "recent_events": events(workspace)[:8],
        },
    )


@capability_required(Cap.PORTAL_COACH)
def coach(request: HttpRequest) -> HttpResponse:
    from ascend.programs.views_coach import coach_summary

    membership = request.membership
    return render(
        request,
        "portals/coach.html",
        {
            "leader": membership.team_leader.user if membership.team_leader else None,
            "led_coaches": members(request.workspace).filter(team_leader=membership),
            "recent_events": events(request.workspace, actor_id=request.user.pk)[:8],
            **coach_summary(membership),
        },
    )


@capability_required(Cap.PORTAL_CLIENT)
def client(request: HttpRequest) -> HttpResponse:
    from ascend.billing.views_packages import client_holdings
    from ascend.crm.views_client import dashboard_cards, onboarding_pending
    from ascend.programs.actions import workspace_today
    from ascend.programs.views_client import enrollment_cards
    from ascend.ranks.views_client import rank_cards

    if onboarding_pending(request.membership):
        return redirect("crm:onboarding")
    today = workspace_today(request.workspace)
    active, _ended = enrollment_cards(request.membership)
    return render(
        request,
        "portals/client.html",
        {
            "recent_events": events(request.workspace, actor_id=request.user.pk)[:8],
            "enrollment_cards": active,
            # Only when ranks are on, so the dashboard costs nothing more without them.
            "rank_cards": rank_cards(request.membership)
            if request.workspace.ranks_enabled
            else None,
            "holdings": client_holdings(request.membership),
            "today": today,
            # The coach's greeting, messages, tasks and shared notes (crm).
            **dashboard_cards(request.membership, today),
        },
    )


@login_required
def switch(request: HttpRequest, slug: str) -> HttpResponse:
    """Go to another workspace of the same person, signed in there too.

    Hosts don't share cookies, so the link carries a signed, one-minute token
    naming the person and the workspace; the other host signs them in with it.
    """
    with scopes_disabled():
        target = Workspace.objects.filter(
            slug=slug, memberships__user=request.user, memberships__removed_at__isnull=True
        ).first()
    if target is None:
        raise Http404
    if target == request.workspace:
        return redirect("portals:home")
    token = signing.dumps({"u": request.user.pk, "w": target.pk}, salt=HOP_SALT)
    return redirect(workspace_url(target, reverse("portals:hop", args=[token]), request))


def hop(request: HttpRequest, token: str) -> HttpResponse:
    try:
        data = signing.loads(token, salt=HOP_SALT, max_age=HOP_MAX_AGE)
    except signing.BadSignature:
        return redirect("accounts:login")
    if data.get("w") != request.workspace.pk:
        raise Http404
    membership = (
        Membership.objects.select_related("user")
        .filter(workspace=request.workspace, user_id=data.get("u"), removed_at__isnull=True)
        .first()
    )
    if membership is None or not membership.user.is_active:
        raise Http404
    if request.user != membership.user:
        login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("portals:home")
