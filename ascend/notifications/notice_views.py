from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ascend.tenancy.access import member_required

from .inapp import mark_all_read
from .models import Notice


@member_required
def notices(request: HttpRequest) -> HttpResponse:
    """The person's own notices in this workspace, newest first; unread ones stand out."""
    qs = Notice.objects.filter(workspace=request.workspace, user=request.user)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request, "notifications/notices.html", {"page_obj": page, "querystring_without_page": ""}
    )


@require_POST
@member_required
def read_all(request: HttpRequest) -> HttpResponse:
    mark_all_read(request.workspace, request.user)
    return redirect("notices")
