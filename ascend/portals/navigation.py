"""The three portals and their navigation, chosen by the capability table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ascend.tenancy.capabilities import Cap, can
from ascend.tenancy.models import Membership


@dataclass(frozen=True)
class Portal:
    key: str
    label: str | Promise
    url_name: str
    path_prefix: str
    cap: Cap


PORTALS = [
    Portal("team", _("Team portal"), "portals:team", "/team/", Cap.PORTAL_TEAM),
    Portal("coach", _("Coach portal"), "portals:coach", "/coach/", Cap.PORTAL_COACH),
    Portal("client", _("My coaching"), "portals:client", "/me/", Cap.PORTAL_CLIENT),
]


@dataclass(frozen=True)
class NavItem:
    portal: str
    # A label, or a function of the workspace giving one (e.g. its own word for ranks).
    label: str | Promise | Callable[[Any], str]
    url_name: str
    cap: Cap
    # Shown only when this is true of the workspace (e.g. ranks switched on).
    shown: Callable[[Any], bool] | None = None
    # A count shown as a badge: the name of a context value counted on the membership
    # (e.g. "unread_messages", see tenancy.queries.active_membership).
    badge: str | None = None
    # Other paths under which this item is the current one (e.g. an inbox's conversations).
    also_under: tuple[str, ...] = ()
    # The menu it sits in when a portal has too many links for one row (``nav_entries``).
    group: str | Promise | Callable[[Any], str] | None = None


def _ranks_on(workspace: Any) -> bool:
    return bool(workspace.ranks_enabled)


def _rank_report_label(workspace: Any) -> str:
    return _("%(rank_word)s report") % {"rank_word": workspace.rank_word}


COACHING, SALES, QUALITY, COURSES, WORKSPACE = (
    _("Coaching"),
    _("Sales"),
    pgettext_lazy("navigation menu", "Quality"),
    _("Courses"),
    _("Workspace"),
)


def _ranks_group(workspace: Any) -> str:
    return str(workspace.rank_word)


NAVIGATION: list[NavItem] = [
    NavItem("team", _("Dashboard"), "portals:team", Cap.PORTAL_TEAM),
    NavItem(
        "team",
        _("Inbox"),
        "messaging:team_inbox",
        Cap.INBOXES_ALL,
        badge="unread_messages",
        also_under=("/team/messages/",),
    ),
    # Auditors read every coaching conversation there too (the same link, once).
    NavItem(
        "team",
        _("Inbox"),
        "messaging:team_inbox",
        Cap.MESSAGES_AUDIT,
        also_under=("/team/messages/",),
    ),
    NavItem("team", _("Programs"), "programs:team_programs", Cap.PROGRAMS_MANAGE, group=COACHING),
    NavItem("team", _("Cohorts"), "programs:team_cohorts", Cap.PROGRAMS_MANAGE, group=COACHING),
    NavItem("team", _("Coaches"), "programs:team_coaches", Cap.PROGRAMS_MANAGE, group=COACHING),
    NavItem("team", _("Clients"), "programs:team_clients", Cap.CLIENTS_VIEW_ALL, group=COACHING),
    NavItem("team", _("Progress"), "programs:team_progress", Cap.CLIENTS_VIEW_ALL, group=COACHING),
    NavItem("team", _("CRM"), "crm:team_contacts", Cap.CLIENTS_VIEW_ALL, group=SALES),
    NavItem("team", _("Memberships"), "billing:plans", Cap.PROGRAMS_MANAGE, group=SALES),
    NavItem("team", _("Packages"), "packages:list", Cap.PROGRAMS_MANAGE, group=SALES),
    NavItem("team", _("Orders"), "orders:list", Cap.PROGRAMS_MANAGE, group=SALES),
    NavItem(
        "team",
        lambda ws: ws.rank_word,
        "ranks:team_categories",
        Cap.RANKS_MANAGE,
        _ranks_on,
        group=_ranks_group,
    ),
    NavItem(
        "team",
        _rank_report_label,
        "ranks:team_report",
        Cap.RANKS_MANAGE,
        _ranks_on,
        group=_ranks_group,
    ),
    NavItem(
        "team", _("Check-in"), "ranks:checkin", Cap.VISITS_RECORD, _ranks_on, group=_ranks_group
    ),
    NavItem("team", _("Audits"), "quality:audit_queue", Cap.MESSAGES_AUDIT, group=QUALITY),
    NavItem("team", _("Quality"), "quality:team_quality", Cap.QUALITY_ALL, group=QUALITY),
    NavItem("team", _("Course content"), "courses:products", Cap.COURSES_MANAGE, group=COURSES),
    NavItem(
        "team",
        _("Announcements"),
        "courses:announcements",
        Cap.COURSES_MANAGE,
        group=COURSES,
    ),
    NavItem("team", _("Learners"), "learners:list", Cap.COURSES_LEARNERS, group=COURSES),
    NavItem("team", _("Comments"), "comments:list", Cap.COURSES_COMMENTS, group=COURSES),
    NavItem("team", _("Support"), "support:queue", Cap.COURSES_SUPPORT, group=COURSES),
    NavItem("team", _("Course team"), "support:course_team", Cap.COURSES_TEAM, group=COURSES),
    NavItem(
        "team", _("Course reports"), "course_reports:index", Cap.COURSES_REPORTS, group=COURSES
    ),
    NavItem(
        "team", _("Portal settings"), "portal_settings:edit", Cap.COURSES_MANAGE, group=COURSES
    ),
    NavItem("team", _("Team"), "tenancy:members", Cap.MEMBERS_VIEW, group=WORKSPACE),
    NavItem("team", _("Activity"), "activity:feed", Cap.ACTIVITY_VIEW_ALL, group=WORKSPACE),
    NavItem("team", _("Outbox"), "notifications:outbox", Cap.OUTBOX_VIEW, group=WORKSPACE),
    NavItem(
        "team",
        _("Email templates"),
        "notifications:templates",
        Cap.EMAIL_TEMPLATES_EDIT,
        group=WORKSPACE,
    ),
    NavItem("team", _("Settings"), "tenancy:settings", Cap.WORKSPACE_SETTINGS, group=WORKSPACE),
    NavItem("coach", _("Dashboard"), "portals:coach", Cap.PORTAL_COACH),
    NavItem(
        "coach",
        _("Inbox"),
        "messaging:coach_inbox",
        Cap.PORTAL_COACH,
        badge="unread_messages",
        also_under=("/coach/messages/",),
    ),
    NavItem("coach", _("My cohorts"), "programs:coach_cohorts", Cap.PORTAL_COACH),
    NavItem("coach", _("My clients"), "programs:coach_clients", Cap.PORTAL_COACH),
    NavItem("coach", _("Contacts"), "crm:coach_contacts", Cap.PORTAL_COACH),
    NavItem("coach", _("Sessions"), "scheduling:coach_sessions", Cap.PORTAL_COACH),
    NavItem("coach", _("Audits"), "quality:coach_audits", Cap.PORTAL_COACH),
    NavItem("coach", _("Quality"), "quality:coach_quality", Cap.PORTAL_COACH),
    NavItem("client", _("Dashboard"), "portals:client", Cap.PORTAL_CLIENT),
    NavItem("client", _("Programs"), "programs:client_enrollments", Cap.PORTAL_CLIENT),
    NavItem("client", _("Sessions"), "scheduling:client_sessions", Cap.PORTAL_CLIENT),
    NavItem("client", _("Memberships"), "checkout:memberships", Cap.PORTAL_CLIENT),
    NavItem(
        "client", _("Messages"), "messaging:client_list", Cap.PORTAL_CLIENT, badge="unread_messages"
    ),
    NavItem("client", lambda ws: ws.rank_word, "ranks:client_ranks", Cap.PORTAL_CLIENT, _ranks_on),
    NavItem("client", _("Courses"), "learn:home", Cap.COURSES_LEARN),
    NavItem("client", _("Support"), "support:learner_list", Cap.COURSES_LEARN),
]


def portals_for(membership: Membership | None) -> list[Portal]:
    """The portals this member may enter, in a fixed order (team, coach, client)."""
    return [portal for portal in PORTALS if can(membership, portal.cap)]


def home_portal(membership: Membership | None) -> Portal | None:
    """Where a member lands after signing in: the first portal their roles open."""
    allowed = portals_for(membership)
    return allowed[0] if allowed else None


def current_portal(path: str, allowed: list[Portal]) -> Portal | None:
    for portal in allowed:
        if path.startswith(portal.path_prefix):
            return portal
    return None


def nav_for(membership: Membership | None, portal: Portal | None, path: str) -> list[dict]:
    """Navigation links of the portal the page belongs to, marking the current one."""
    if portal is None:
        return []
    items = []
    workspace = membership.workspace if membership is not None else None
    for item in NAVIGATION:
        if item.portal == portal.key and can(membership, item.cap):
            if item.shown is not None and not item.shown(workspace):
                continue
            url = reverse(item.url_name)
            if any(i["url"] == url for i in items):
                continue  # the same page granted by a second capability
            current = path == url if url == portal.path_prefix else path.startswith(url)
            current = current or any(path.startswith(p) for p in item.also_under)
            label = item.label(workspace) if callable(item.label) else item.label
            group = item.group(workspace) if callable(item.group) else item.group
            badge = getattr(membership, item.badge, 0) if item.badge else 0
            items.append(
                {"label": label, "url": url, "current": current, "badge": badge, "group": group}
            )
    # Only the closest match is current ("/team/ranks/report/" is not also "/team/ranks/").
    longest = max((len(i["url"]) for i in items if i["current"]), default=0)
    for i in items:
        i["current"] = i["current"] and len(i["url"]) == longest
    return items


# A portal with more links than this groups them into menus; smaller roles keep one row.
FLAT_NAV_LIMIT = 9


def nav_entries(items: list[dict]) -> list[dict]:
    """The links as the top bar shows them: each alone, or gathered into its group's menu.

    Rule: when a member sees more than ``FLAT_NAV_LIMIT`` links, links of the same
    group (two or more of them) become one menu, placed where its first link was; a
    menu is current when one of its links is. Otherwise every link stands alone.
    """
    if len(items) <= FLAT_NAV_LIMIT:
        return [{"link": item} for item in items]
    sizes: dict[Any, int] = {}
    for item in items:
        if item["group"] is not None:
            sizes[str(item["group"])] = sizes.get(str(item["group"]), 0) + 1
    entries: list[dict] = []
    menus: dict[str, dict] = {}
    for item in items:
        key = str(item["group"]) if item["group"] is not None else None
        if key is None or sizes[key] < 2:
            entries.append({"link": item})
            continue
        if key not in menus:
            menus[key] = {"label": item["group"], "items": [], "current": False, "badge": 0}
            entries.append({"menu": menus[key]})
        menus[key]["items"].append(item)
        menus[key]["current"] = menus[key]["current"] or item["current"]
        menus[key]["badge"] += item["badge"] or 0
    return entries
