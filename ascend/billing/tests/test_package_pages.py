from __future__ import annotations

from decimal import Decimal

import pytest

from ascend.billing.models import Package, PackageHolding
from ascend.billing.packages import do_give_package, do_save_package
from ascend.testing import assert_flat_queries

FORM = {"name": "Ten sessions", "description": "", "kind": "one_to_one", "sessions": "10",
        "price": "450.00", "currency": "eur", "validity_days": "90", "coach": "",
        "is_active": "on"}  # fmt: skip


def _package(workspace, **fields):
    values = {"name": "Five sessions", "sessions": 5, "price": Decimal("200"),
              "currency": "USD", "validity_days": 60, **fields}  # fmt: skip
    return do_save_package(workspace, actor=None, **values)


@pytest.mark.parametrize(
    "role, status",
    [("owner", 200), ("admin", 200), ("coach", 403), ("auditor", 403), ("client", 403)],
)
def test_the_packages_page_is_for_owners_and_admins(cast, role, status):
    response = cast.client_for(getattr(cast.alpha, role)).get("/team/packages/")
    assert response.status_code == status


def test_an_admin_creates_a_package_with_an_upper_case_currency(cast):
    response = cast.client_for(cast.alpha.admin).post("/team/packages/new/", FORM)
    package = Package.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{package.pk}/")
    assert package.currency == "EUR" and package.sessions == 10


def test_bad_values_are_shown_next_to_the_field_and_nothing_is_saved(cast):
    response = cast.client_for(cast.alpha.admin).post(
        "/team/packages/new/", {**FORM, "currency": "euros", "price": "-3"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_price_errors"' in page
    assert not Package.objects.exists()


def test_another_workspaces_package_is_not_found(cast):
    package = _package(cast.beta.workspace)
    response = cast.client_for(cast.alpha.admin).get(f"/team/packages/{package.pk}/")
    assert response.status_code == 404


def test_giving_a_package_to_an_existing_client_records_it_and_charges_nothing(cast):
    package = _package(cast.alpha.workspace)
    response = cast.client_for(cast.alpha.admin).post(
        f"/team/packages/{package.pk}/give/", {"client": cast.alpha.client.membership.pk}
    )
    assert response.status_code == 302
    holding = PackageHolding.objects.get()
    assert holding.client == cast.alpha.client.membership and holding.sessions_used == 0


def test_a_client_of_another_workspace_cannot_be_given_a_package(cast):
    package = _package(cast.alpha.workspace)
    response = cast.client_for(cast.alpha.admin).post(
        f"/team/packages/{package.pk}/give/", {"client": cast.beta.client.membership.pk}
    )
    assert response.status_code == 422
    assert not PackageHolding.objects.exists()


def test_the_client_dashboard_shows_their_packages(cast):
    package = _package(cast.alpha.workspace, name="Spring pack")
    do_give_package(package, cast.alpha.client.membership, actor=None)
    page = cast.client_for(cast.alpha.client).get("/me/").content.decode()
    assert 'data-testid="my-packages"' in page and "Spring pack" in page
    other = cast.client_for(cast.alpha.other_client).get("/me/").content.decode()
    assert "Spring pack" not in other


def test_the_packages_page_runs_the_same_queries_however_many_packages(cast):
    client = cast.client_for(cast.alpha.admin)

    def grow():
        for n in range(10):
            package = _package(
                cast.alpha.workspace, name=f"P{n}", coach=cast.alpha.coach.membership
            )
            do_give_package(package, cast.alpha.client.membership, actor=None)

    assert_flat_queries(lambda: client.get("/team/packages/"), grow)
