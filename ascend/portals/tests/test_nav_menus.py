"""A portal with many links groups them into menus; a role with few links keeps one row."""

from __future__ import annotations

import pytest

from ascend.portals.navigation import FLAT_NAV_LIMIT, nav_entries

pytestmark = pytest.mark.django_db


def _link(label, group=None, current=False, badge=0):
    return {"label": label, "url": f"/{label}/", "current": current, "badge": badge,
            "group": group}  # fmt: skip


def test_few_links_stay_in_one_row_even_with_groups():
    items = [_link(str(n), group="G") for n in range(FLAT_NAV_LIMIT)]
    assert [e.get("link") for e in nav_entries(items)] == items


def test_many_links_gather_by_group_where_the_first_one_was_and_lone_ones_stay_links():
    items = [
        _link("home"),
        _link("a", "Sales"),
        _link("inbox", badge=2),
        _link("b", "Sales", current=True),
        _link("c", "Solo"),
    ]
    items += [_link(f"w{n}", "Workspace") for n in range(FLAT_NAV_LIMIT)]  # fmt: skip
    entries = nav_entries(items)
    shape = [e["link"]["label"] if "link" in e else f"menu:{e['menu']['label']}" for e in entries]
    assert shape == ["home", "menu:Sales", "inbox", "c", "menu:Workspace"]
    sales = entries[1]["menu"]
    assert [i["label"] for i in sales["items"]] == ["a", "b"] and sales["current"] is True
    assert entries[4]["menu"]["current"] is False


def test_an_admin_sees_menus_and_an_auditor_a_row_of_links(cast):
    admin_page = cast.client_for(cast.alpha.admin).get("/team/").content.decode()
    assert 'class="menu nav__menu"' in admin_page and ">Sales" in admin_page
    auditor_page = cast.client_for(cast.alpha.auditor).get("/team/").content.decode()
    assert "nav__menu" not in auditor_page
