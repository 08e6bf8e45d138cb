"""/api/v1/packages, /api/v1/clients/{id}/packages and /api/v1/orders.

Rules: owners and admins read, create and change packages, give them, read
orders and mark them paid; a coach reads their list (the workspace's one-to-one
packages and their own, on offer); a client's holdings are read by admins, the
client and a coach of theirs; a buyer reads nothing; another workspace's
objects are 404s; bad input is a 422 at the field with a stable code; lists
run the same queries however many rows.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from ascend.api.tests.helpers import ROLES, assert_error, bearer_client, send, token_for
from ascend.billing.models import Order, OrderStatus, Package, PackageHolding, PackageKind
from ascend.billing.packages import do_give_package, do_save_package
from ascend.billing.payments import do_mark_order_paid, do_start_package_order
from ascend.crm.models import ClientInvitation
from ascend.testing import assert_flat_queries

pytestmark = pytest.mark.django_db

MANAGERS = {"owner", "admin"}
BODY = {"name": "Ten sessions", "kind": "one_to_one", "sessions": 10, "price": "450.00",
        "currency": "eur", "validity_days": 90}  # fmt: skip


def _package(crew, name="Workspace pack", **fields):  # type: ignore[no-untyped-def]
    values = {"name": name, "sessions": 5, "price": Decimal("200"), "currency": "USD",
              "validity_days": 60, **fields}  # fmt: skip
    return do_save_package(crew.workspace, actor=None, **values)


@pytest.fixture
def packages(cast):
    a = cast.alpha
    return {
        "workspace": _package(a, "Workspace pack"),
        "group": _package(a, "Workspace group", kind=PackageKind.GROUP),
        "mine": _package(a, "Coach group", kind=PackageKind.GROUP, coach=a.coach.membership),
        "theirs": _package(a, "Other coach pack", coach=a.other_coach.membership),
        "off": _package(a, "Retired pack", is_active=False),
        "beta": _package(cast.beta, "Beta pack"),
    }


def _order(package, email="rosa@example.com"):  # type: ignore[no-untyped-def]
    return do_start_package_order(
        package, buyer_name="Rosa Diaz", buyer_email=email, provider="manual"
    )


@pytest.mark.parametrize("role", ROLES)
def test_who_lists_packages(cast, packages, role):
    response = cast.client_for(getattr(cast.alpha, role)).get("/api/v1/packages")
    names = None if response.status_code != 200 else [p["name"] for p in response.json()]
    if role in MANAGERS:
        assert names == ["Coach group", "Other coach pack", "Retired pack", "Workspace group",
                         "Workspace pack"]  # fmt: skip
    elif role == "coach":
        assert names == ["Coach group", "Workspace pack"]
    elif role == "head_coach":
        assert names == ["Workspace pack"]
    else:
        assert_error(response, 403, "forbidden")


def test_a_package_reads_with_its_payment_link(cast, packages):
    package = packages["mine"]
    body = cast.client_for(cast.alpha.admin).get(f"/api/v1/packages/{package.pk}").json()
    assert body["payment_url"] == f"http://alpha.localhost/pay/{package.payment_token}/"
    assert body["coach"]["id"] == cast.alpha.coach.membership.pk
    assert (body["price"], body["currency"], body["sessions"]) == ("200.00", "USD", 5)


def test_a_package_not_on_your_list_or_of_another_workspace_is_a_404(cast, packages):
    coach = cast.client_for(cast.alpha.coach)
    assert_error(coach.get(f"/api/v1/packages/{packages['theirs'].pk}"), 404, "not_found")
    admin = cast.client_for(cast.alpha.admin)
    assert_error(admin.get(f"/api/v1/packages/{packages['beta'].pk}"), 404, "not_found")
    assert_error(
        send(admin, "patch", f"/api/v1/packages/{packages['beta'].pk}", {"name": "x"}),
        404,
        "not_found",
    )


@pytest.mark.parametrize("role", ROLES)
def test_only_managers_create_packages(cast, role):
    response = send(cast.client_for(getattr(cast.alpha, role)), "post", "/api/v1/packages", BODY)
    if role in MANAGERS:
        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["currency"], body["price"], body["coach"]) == ("EUR", "450.00", None)
        assert Package.objects.get().name == "Ten sessions"
    else:
        assert_error(response, 403, "forbidden")
        assert not Package.objects.exists()


def test_a_token_creates_a_coachs_package(cast):
    client = bearer_client(token_for(cast.alpha.owner), cast.alpha.workspace)
    body = {**BODY, "kind": "group", "sessions": None, "coach": cast.alpha.coach.membership.pk}
    response = send(client, "post", "/api/v1/packages", body)
    assert response.status_code == 201
    assert response.json()["sessions"] is None
    assert Package.objects.get().coach == cast.alpha.coach.membership


@pytest.mark.parametrize(
    "change, field, code",
    [
        ({"currency": "euros"}, "currency", "validation_error"),
        ({"currency": "E1"}, "currency", "currency"),
        ({"price": "-1"}, "price", "validation_error"),
        ({"price": "1.234"}, "price", "validation_error"),
        ({"validity_days": 0}, "validity_days", "validation_error"),
        ({"sessions": 0}, "sessions", "validation_error"),
        ({"kind": "crowd"}, "kind", "validation_error"),
        ({"name": ""}, "name", "validation_error"),
    ],
)
def test_bad_package_input_is_a_422_at_the_field(cast, change, field, code):
    response = send(
        cast.client_for(cast.alpha.admin), "post", "/api/v1/packages", {**BODY, **change}
    )
    fields = assert_error(response, 422, code)
    assert field in fields
    assert not Package.objects.exists()


@pytest.mark.parametrize("who", ["beta_coach", "alpha_client"])
def test_a_package_coach_must_be_a_coach_of_this_workspace(cast, who):
    coach = (cast.beta.coach if who == "beta_coach" else cast.alpha.client).membership
    response = send(
        cast.client_for(cast.alpha.admin), "post", "/api/v1/packages", {**BODY, "coach": coach.pk}
    )
    fields = assert_error(response, 422, "not_found" if who == "beta_coach" else "not_a_coach")
    assert "coach" in fields


def test_changing_a_package_changes_only_what_is_sent(cast, packages):
    package = packages["workspace"]
    response = send(
        cast.client_for(cast.alpha.admin),
        "patch",
        f"/api/v1/packages/{package.pk}",
        {"price": "99.90", "sessions": None, "is_active": False},
    )
    assert response.status_code == 200, response.content
    package.refresh_from_db()
    assert (package.price, package.sessions, package.is_active) == (Decimal("99.90"), None, False)
    assert package.name == "Workspace pack" and package.validity_days == 60
    refused = send(cast.client_for(cast.alpha.admin), "patch", f"/api/v1/packages/{package.pk}",
                   {"name": None})  # fmt: skip
    assert "name" in assert_error(refused, 422, "required")


def test_a_coach_cannot_change_a_package_on_their_list(cast, packages):
    response = send(cast.client_for(cast.alpha.coach), "patch",
                    f"/api/v1/packages/{packages['mine'].pk}", {"name": "Mine now"})  # fmt: skip
    assert_error(response, 403, "forbidden")


@pytest.mark.parametrize("role", ROLES)
def test_only_managers_give_a_package(cast, packages, role):
    body = {"client": cast.alpha.client.membership.pk, "starts_on": "2026-01-10"}
    response = send(cast.client_for(getattr(cast.alpha, role)), "post",
                    f"/api/v1/packages/{packages['workspace'].pk}/give", body)  # fmt: skip
    if role in MANAGERS:
        assert response.status_code == 201, response.content
        holding = response.json()
        assert (holding["starts_on"], holding["expires_on"]) == ("2026-01-10", "2026-03-10")
        assert (holding["sessions_left"], holding["source"]) == (5, "staff")
    else:
        assert_error(response, 403, "forbidden")
        assert not PackageHolding.objects.exists()


@pytest.mark.parametrize(
    "target, package, code",
    [("beta_client", "workspace", "not_found"), ("alpha_coach", "workspace", "not_a_client"),
     ("alpha_client", "off", "package_inactive")],
)  # fmt: skip
def test_giving_refuses_clearly(cast, packages, target, package, code):
    person = {"beta_client": cast.beta.client, "alpha_coach": cast.alpha.coach,
              "alpha_client": cast.alpha.client}[target]  # fmt: skip
    response = send(cast.client_for(cast.alpha.admin), "post",
                    f"/api/v1/packages/{packages[package].pk}/give",
                    {"client": person.membership.pk})  # fmt: skip
    assert_error(response, 422, code)
    assert not PackageHolding.objects.exists()


def test_a_far_start_date_is_a_422_not_a_crash(cast, packages):
    body = {"client": cast.alpha.client.membership.pk, "starts_on": "9999-12-31"}
    response = send(cast.client_for(cast.alpha.admin), "post",
                    f"/api/v1/packages/{packages['workspace'].pk}/give", body)  # fmt: skip
    assert "starts_on" in assert_error(response, 422, "validation_error")


@pytest.fixture
def holdings(cast, packages):
    client = cast.alpha.client.membership
    do_give_package(packages["workspace"], client, actor=None)
    do_give_package(packages["mine"], client, actor=None)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_a_clients_packages(cast, holdings, role):
    response = cast.client_for(getattr(cast.alpha, role)).get(
        f"/api/v1/clients/{holdings.pk}/packages"
    )
    if role in MANAGERS | {"client"}:
        assert response.status_code == 200
        assert {h["package"]["name"] for h in response.json()} == {"Workspace pack", "Coach group"}
    else:
        assert_error(response, 404, "not_found")


def test_a_coach_reads_the_packages_of_a_client_they_invited(cast, holdings):
    from ascend.crm.actions import client_types
    from ascend.crm.models import Contact

    ws = cast.alpha.workspace
    contact_type = client_types(ws)[0]
    Contact.objects.create(workspace=ws, full_name="Alpha Client", email=cast.alpha.client.email,
                           client_type=contact_type, coach=cast.alpha.coach.membership,
                           member=holdings, source="invitation")  # fmt: skip
    response = cast.client_for(cast.alpha.coach).get(f"/api/v1/clients/{holdings.pk}/packages")
    assert response.status_code == 200 and len(response.json()) == 2
    other = cast.client_for(cast.alpha.other_coach).get(f"/api/v1/clients/{holdings.pk}/packages")
    assert_error(other, 404, "not_found")


def test_another_clients_or_workspaces_holdings_are_404s(cast, holdings):
    other = cast.client_for(cast.alpha.other_client)
    assert_error(other.get(f"/api/v1/clients/{holdings.pk}/packages"), 404, "not_found")
    beta = cast.client_for(cast.beta.admin)
    assert_error(beta.get(f"/api/v1/clients/{holdings.pk}/packages"), 404, "not_found")


@pytest.fixture
def orders(cast, packages):
    paid = _order(packages["workspace"])
    do_mark_order_paid(paid, actor=cast.alpha.admin.user)
    waiting = _order(packages["mine"], email=cast.alpha.client.email)
    theirs = _order(packages["beta"], email="someone@example.com")
    return {"paid": paid, "waiting": waiting, "beta": theirs}


@pytest.mark.parametrize("role", ROLES)
def test_only_managers_read_orders(cast, orders, role):
    client = cast.client_for(getattr(cast.alpha, role))
    listing = client.get("/api/v1/orders")
    one = client.get(f"/api/v1/orders/{orders['waiting'].pk}")
    if role in MANAGERS:
        assert [o["buyer_email"] for o in listing.json()] == [
            cast.alpha.client.email, "rosa@example.com",
        ]  # fmt: skip
        assert one.json()["client"]["id"] == cast.alpha.client.membership.pk
    else:
        # A buyer, even a client of the workspace, reads their order only on its page.
        assert_error(listing, 403, "forbidden")
        assert_error(one, 403, "forbidden")


def test_orders_filter_and_page(cast, orders):
    admin = cast.client_for(cast.alpha.admin)
    paid = admin.get("/api/v1/orders?status=paid").json()
    assert [o["id"] for o in paid] == [orders["paid"].pk]
    assert paid[0]["outcome"] == "invitation_sent" and paid[0]["paid_at"]
    assert admin.get("/api/v1/orders?provider=stripe").json() == []
    assert admin.get("/api/v1/orders?kind=membership").json() == []
    assert len(admin.get("/api/v1/orders?limit=1&offset=1").json()) == 1
    assert_error(admin.get("/api/v1/orders?status=lost"), 422, "validation_error")


def test_another_workspaces_order_is_a_404(cast, orders):
    admin = cast.client_for(cast.alpha.admin)
    assert_error(admin.get(f"/api/v1/orders/{orders['beta'].pk}"), 404, "not_found")
    response = send(admin, "post", f"/api/v1/orders/{orders['beta'].pk}/mark-paid")
    assert_error(response, 404, "not_found")
    orders["beta"].refresh_from_db()
    assert orders["beta"].status == OrderStatus.PENDING


@pytest.mark.parametrize("role", ROLES)
def test_only_managers_mark_an_order_paid(cast, packages, role):
    order = _order(packages["workspace"])
    response = send(
        cast.client_for(getattr(cast.alpha, role)), "post", f"/api/v1/orders/{order.pk}/mark-paid"
    )
    order.refresh_from_db()
    if role in MANAGERS:
        assert response.status_code == 200
        assert response.json()["status"] == "paid" and order.status == OrderStatus.PAID
        assert ClientInvitation.objects.count() == 1
    else:
        assert_error(response, 403, "forbidden")
        assert order.status == OrderStatus.PENDING


def test_marking_paid_twice_is_a_422_already_paid(cast, orders):
    response = send(cast.client_for(cast.alpha.admin), "post",
                    f"/api/v1/orders/{orders['paid'].pk}/mark-paid")  # fmt: skip
    assert_error(response, 422, "already_paid")
    assert ClientInvitation.objects.count() == 1


def test_lists_run_the_same_queries_however_many_rows(cast, packages):
    admin = cast.client_for(cast.alpha.admin)
    coach = cast.client_for(cast.alpha.coach)
    client = cast.alpha.client.membership

    def grow():  # type: ignore[no-untyped-def]
        for n in range(8):
            package = _package(cast.alpha, f"Extra {n}", coach=cast.alpha.coach.membership)
            do_give_package(package, client, actor=None)
            order = _order(package, email=f"buyer{n}@example.com")
            if n % 2:
                do_mark_order_paid(order, actor=None)
        _order(packages["workspace"], email=client.user.email)

    def read():  # type: ignore[no-untyped-def]
        admin.get("/api/v1/packages")
        coach.get("/api/v1/packages")
        admin.get("/api/v1/orders")
        admin.get(f"/api/v1/clients/{client.pk}/packages")

    do_give_package(packages["workspace"], client, actor=None)
    _order(packages["workspace"])
    assert_flat_queries(read, grow)
    assert Order.objects.filter(workspace=cast.alpha.workspace).count() > 8
