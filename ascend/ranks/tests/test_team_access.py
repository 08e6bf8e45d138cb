"""Team portal ranks pages: who may open them, and that they vanish when ranks are off."""

from __future__ import annotations

import pytest
from django.test import Client

from ascend.ranks.models import Rank, RankCategory, RankHolding

from .team_world import ALLOWED, EVERYONE, make_category, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    category, ranks = make_category(cast.alpha)
    holding = place(cast.alpha.client.membership, ranks[0])
    return category, ranks, holding


def pages(cast, world) -> list[str]:
    category, ranks, holding = world
    client_id = cast.alpha.client.membership.pk
    return [
        "/team/ranks/",
        "/team/ranks/new/",
        f"/team/ranks/{category.pk}/",
        f"/team/ranks/{category.pk}/edit/",
        f"/team/ranks/{category.pk}/ranks/{ranks[0].pk}/",
        f"/team/ranks/clients/{client_id}/",
        f"/team/ranks/holdings/{holding.pk}/date/",
        "/team/ranks/report/",
        "/team/ranks/report/chart.json",
        "/team/ranks/report/export.csv",
    ]


def writes(cast, world) -> list[tuple[str, dict]]:
    category, ranks, holding = world
    client_id = cast.alpha.client.membership.pk
    return [
        ("/team/ranks/new/", {"name": "Judo"}),
        (f"/team/ranks/{category.pk}/edit/", {"name": "Renamed"}),
        (f"/team/ranks/{category.pk}/archive/", {}),
        (f"/team/ranks/{category.pk}/ranks/", {"rank-name": "Purple", "rank-colour": "#800080"}),
        (f"/team/ranks/{category.pk}/ranks/{ranks[1].pk}/move/", {"direction": "up"}),
        (f"/team/ranks/{category.pk}/ranks/{ranks[3].pk}/delete/", {}),
        (f"/team/ranks/{category.pk}/order/", {"order": ",".join(str(r.pk) for r in ranks[::-1])}),
        (f"/team/ranks/{category.pk}/promote-eligible/", {}),
        (f"/team/ranks/clients/{client_id}/{category.pk}/promote/", {}),
        (f"/team/ranks/clients/{client_id}/{category.pk}/demote/", {}),
        (
            f"/team/ranks/clients/{client_id}/{category.pk}/assign/",
            {f"c{category.pk}-assign-rank": ranks[2].pk},
        ),  # fmt: skip
        (f"/team/ranks/holdings/{holding.pk}/date/", {"started_on": "2020-01-01", "reason": "x"}),
    ]


def snapshot():
    return (
        list(RankCategory.objects.values_list("id", "name", "archived_at")),
        list(Rank.objects.values_list("id", "name", "position")),
        list(RankHolding.objects.values_list("id", "rank_id", "ended_at", "started_on")),
    )


def test_owners_and_admins_open_every_page_and_other_roles_get_403(cast, world):
    for path in pages(cast, world):
        for role in EVERYONE:
            status = cast.client_for(getattr(cast.alpha, role)).get(path).status_code
            assert status == (200 if role in ALLOWED else 403), f"{role} on {path}: {status}"


def test_other_roles_cannot_write_and_nothing_changes(cast, world):
    before = snapshot()
    for path, data in writes(cast, world):
        for role in EVERYONE:
            if role in ALLOWED:
                continue
            status = cast.client_for(getattr(cast.alpha, role)).post(path, data).status_code
            assert status == 403, f"{role} on {path}: {status}"
    assert snapshot() == before


def test_anonymous_visitors_are_sent_to_sign_in(cast, world):
    for path in pages(cast, world):
        response = Client(HTTP_HOST=cast.alpha.host).get(path)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), path
    for path, data in writes(cast, world):
        response = Client(HTTP_HOST=cast.alpha.host).post(path, data)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), path


def test_a_member_of_beta_gets_404_on_alpha_objects_and_nothing_changes(cast, world):
    make_category(cast.beta, "Beta Judo")
    beta = cast.client_for(cast.beta.owner)
    before = snapshot()
    for path in pages(cast, world)[2:7]:
        assert beta.get(path).status_code == 404, path
    for path, data in writes(cast, world)[1:]:
        assert beta.post(path, data).status_code == 404, path
    assert snapshot() == before
    # On alpha's host, a beta member is no member at all.
    for path in pages(cast, world):
        assert cast.client_for(cast.beta.owner, cast.alpha.workspace).get(path).status_code == 404


def test_with_ranks_off_every_page_is_404_and_the_navigation_hides_them(cast, world):
    owner = cast.client_for(cast.alpha.owner)
    nav = owner.get("/team/").content.decode()
    assert 'href="/team/ranks/"' in nav and ">Belts report<" in nav
    cast.alpha.workspace.ranks_enabled = False
    cast.alpha.workspace.save(update_fields=["ranks_enabled"])
    for path in pages(cast, world):
        assert owner.get(path).status_code == 404, path
    for path, data in writes(cast, world):
        assert owner.post(path, data).status_code == 404, path
    nav = owner.get("/team/").content.decode()
    assert "/team/ranks/" not in nav
    client_page = owner.get(f"/team/clients/{cast.alpha.client.membership.pk}/").content.decode()
    assert "client-ranks-link" not in client_page


def test_the_navigation_and_headings_use_the_workspace_word(cast, world):
    workspace = cast.alpha.workspace
    workspace.rank_term, workspace.rank_term_custom = "custom", "Grades"
    workspace.save(update_fields=["rank_term", "rank_term_custom"])
    owner = cast.client_for(cast.alpha.owner)
    page = owner.get("/team/ranks/").content.decode()
    assert '<a href="/team/ranks/" aria-current="page">Grades</a>' in page
    assert ">Grades report<" in page and "<h1>Grades</h1>" in page
    report = owner.get("/team/ranks/report/").content.decode()
    assert '<a href="/team/ranks/report/" aria-current="page">Grades report</a>' in report
    assert '<a href="/team/ranks/" aria-current' not in report


def test_the_client_page_links_to_the_clients_ranks_in_the_workspace_word(cast, world):
    workspace = cast.alpha.workspace
    workspace.rank_term = "challenges"
    workspace.save(update_fields=["rank_term"])
    client_id = cast.alpha.client.membership.pk
    page = cast.client_for(cast.alpha.admin).get(f"/team/clients/{client_id}/").content.decode()
    assert (
        f'href="/team/ranks/clients/{client_id}/" data-testid="client-ranks-link">Challenges<'
        in page
    )
    profile = cast.client_for(cast.alpha.admin).get(f"/team/ranks/clients/{client_id}/")
    assert "Assign a challenge" in profile.content.decode()


def test_the_pages_speak_spanish_with_cinturones(cast, world):
    cast.alpha.owner.user.language = "es"
    cast.alpha.owner.user.save(update_fields=["language"])
    owner = cast.client_for(cast.alpha.owner)
    owner.cookies["django_language"] = "es"
    page = owner.get("/team/ranks/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Cinturones" in page


def test_a_client_who_is_not_a_client_of_the_workspace_has_no_profile(cast, world):
    owner = cast.client_for(cast.alpha.owner)
    assert owner.get(f"/team/ranks/clients/{cast.alpha.coach.membership.pk}/").status_code == 404
    assert owner.get(f"/team/ranks/clients/{cast.beta.client.membership.pk}/").status_code == 404
