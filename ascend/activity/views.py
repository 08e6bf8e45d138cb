from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ascend.tenancy.access import capability_required
from ascend.tenancy.capabilities import Cap
from ascend.tenancy.queries import members

from .queries import events
from .verbs import Verb

# The largest id a database integer column holds; bigger numbers crash SQLite's driver.
MAX_ID = 2**63 - 1


def person_id(raw: str) -> int:
    """The person filter's user id, or 0 (everyone) for anything that can't be an id."""
    try:
        value = int(raw)
    except ValueError:
        return 0
    return value if 0 < value <= MAX_ID else 0


@capability_required(Cap.ACTIVITY_VIEW_ALL)
def feed(request: HttpRequest) -> HttpResponse:
    """The workspace's event feed, filterable by type and by person."""
    verb = request.GET.get("type", "")
    if verb not in Verb.values:
        verb = ""
    actor_id = person_id(request.GET.get("person", ""))
    page = Paginator(events(request.workspace, verb=verb, actor_id=actor_id or None), 50).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "activity/feed.html",
        {
            "page_obj": page,
            "verbs": Verb.choices,
            "people": members(request.workspace),
            "selected_verb": verb,
            "selected_person": actor_id,
            "querystring_without_page": query.urlencode() + "&" if query else "",
        },
    )
