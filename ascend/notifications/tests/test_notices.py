from __future__ import annotations

import pytest
from django.utils.translation import gettext_lazy as _

from ascend.notifications.inapp import notify
from ascend.notifications.models import Notice

pytestmark = pytest.mark.django_db


def test_a_notice_is_worded_in_the_persons_language(cast):
    user = cast.alpha.admin.user
    user.language = "es"
    user.save()
    notice = notify(
        cast.alpha.workspace,
        user,
        _("%(name)s was removed. Their history stays on record."),
        params={"name": "Kenji"},
    )
    assert notice.text == "Se quitó a Kenji del espacio de trabajo. Su historial se conserva."


def test_the_unread_count_shows_in_the_navigation_without_an_extra_query(cast):
    from ascend.testing import count_queries

    client = cast.client_for(cast.alpha.admin)
    before, _sql = count_queries(lambda: client.get("/team/"))
    notify(
        cast.alpha.workspace, cast.alpha.admin.user, "Camila is ready for Yellow belt", url="/team/"
    )
    notify(cast.alpha.workspace, cast.alpha.admin.user, "Kenji is ready for Orange belt")
    page = client.get("/team/")
    after, _sql = count_queries(lambda: client.get("/team/"))
    assert 'data-testid="notices-link"' in page.content.decode()
    assert "2 unread" in page.content.decode()
    assert before == after


def test_the_notices_page_lists_only_my_notices_here_and_marks_them_read(cast):
    notify(cast.alpha.workspace, cast.alpha.admin.user, "For the alpha admin")
    notify(cast.alpha.workspace, cast.alpha.owner.user, "For the alpha owner")
    notify(cast.beta.workspace, cast.alpha.admin.user, "For the alpha admin in beta")
    client = cast.client_for(cast.alpha.admin)
    page = client.get("/notices/").content.decode()
    assert "For the alpha admin" in page
    assert "For the alpha owner" not in page and "in beta" not in page
    client.post("/notices/read/")
    assert not Notice.objects.filter(
        user=cast.alpha.admin.user, workspace=cast.alpha.workspace, read_at__isnull=True
    ).exists()
    assert Notice.objects.filter(read_at__isnull=True).count() == 2


def test_anonymous_and_strangers_do_not_get_notices(cast):
    from django.test import Client

    assert Client(HTTP_HOST=cast.alpha.host).get("/notices/").status_code == 302
    assert (
        cast.client_for(cast.beta.owner, cast.alpha.workspace).get("/notices/").status_code == 404
    )
