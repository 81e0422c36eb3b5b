"""The spare parts API: lists through the gate, POST creates ledger rows, refusals in the one error body."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from oversight.parts import services as parts
from oversight.parts.models import StockMovement
from tests.parts.conftest import receive


@pytest.fixture
def api(world):
    def make(role) -> APIClient:
        client = APIClient()
        client.force_authenticate(user=world.users[role])
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make


def test_levels_give_to_order_and_low(world, stock, api):
    parts.level_set(actor=stock.supervisor, item=stock.toner, location=stock.store, reorder_point=3, target_stock=8)
    receive(stock, stock.toner, stock.store, 2)
    body = api("vendor_agent").get("/api/v1/parts/levels/").json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [(r["on_hand"], r["reorder_point"], r["target_stock"], r["to_order"], r["is_low"]) for r in rows] == [
        (2, 3, 8, 6, True)
    ]
    assert api("other_vendor_agent").get(f"/api/v1/parts/items/{stock.toner.pk}/").status_code == 404


def test_post_records_a_movement_and_refuses_out_of_stock_with_409(world, stock, api, work_order):
    wo = work_order()
    receive(stock, stock.toner, stock.store, 1)
    client = api("vendor_agent")
    payload = {"item": stock.toner.pk, "location": stock.store.pk, "kind": "consume", "quantity": 1}
    made = client.post("/api/v1/parts/movements/", {**payload, "work_order": wo.number}, format="json")
    assert made.status_code == 201, made.json()
    assert (made.json()["quantity"], made.json()["work_order"], made.json()["unit_price"]) == (-1, wo.number, "450.00")
    refused = client.post("/api/v1/parts/movements/", {**payload, "work_order": wo.number}, format="json")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "out_of_stock"
    assert "0 个 of Toner cartridge are on hand" in refused.json()["error"]["message"]
    assert StockMovement.objects.filter(kind="consume").count() == 1


def test_bad_input_is_400_and_read_only_roles_403(world, stock, api):
    client = api("client_supervisor")
    missing_reason = {"item": stock.toner.pk, "location": stock.store.pk, "kind": "adjust", "quantity": 2}
    assert client.post("/api/v1/parts/movements/", missing_reason, format="json").status_code == 400
    unknown = {"item": stock.toner.pk, "location": stock.store.pk, "kind": "receive", "quantity": 1, "on_hand": 9}
    assert client.post("/api/v1/parts/movements/", unknown, format="json").status_code == 400
    ok = {"item": stock.toner.pk, "location": stock.store.pk, "kind": "receive", "quantity": 1}
    assert api("auditor").post("/api/v1/parts/movements/", ok, format="json").status_code == 403
    # Another vendor's part is "does not exist" for the input field.
    foreign = {"item": stock.switch.pk, "location": stock.store.pk, "kind": "receive", "quantity": 1}
    assert api("vendor_agent").post("/api/v1/parts/movements/", foreign, format="json").status_code == 400


def test_transfer_writes_two_rows(world, stock, api):
    receive(stock, stock.toner, stock.store, 3)
    body = {"item": stock.toner.pk, "source": stock.store.pk, "destination": stock.ward.pk, "quantity": 2}
    made = api("vendor_agent").post("/api/v1/parts/movements/transfer/", body, format="json")
    assert made.status_code == 201
    assert [(r["kind"], r["quantity"]) for r in made.json()] == [("transfer_out", -2), ("transfer_in", 2)]


def test_items_and_locations_are_created_by_the_client(world, stock, api):
    item = {
        "code": "HD-1",
        "name": "服务器硬盘",
        "unit": "块",
        "unit_price": "1800.00",
        "vendor": world.other_vendor.pk,
    }
    made = api("client_supervisor").post("/api/v1/parts/items/", item, format="json")
    assert made.status_code == 201
    assert made.json()["vendor"]["id"] == world.other_vendor.pk
    assert (
        api("vendor_manager").post("/api/v1/parts/items/", {**item, "code": "HD-2"}, format="json").status_code == 403
    )
    place = {"code": "dc", "name": "数据中心", "site": world.dept.pk}
    assert api("client_admin").post("/api/v1/parts/locations/", place, format="json").status_code == 201


def test_list_query_counts_do_not_grow_with_the_rows(world, stock, api, work_order):
    from django.urls import reverse

    from tests.factories import signed_in
    from tests.query_counts import assert_flat, count_queries

    client, page = api("client_supervisor"), signed_in(world.users["client_supervisor"])
    receive(stock, stock.toner, stock.store, 1)

    def counts() -> list[int]:
        found = []
        for url, get in (
            ("/api/v1/parts/levels/", client.get),
            ("/api/v1/parts/movements/", client.get),
            (reverse("parts:overview"), page.get),
        ):
            with count_queries() as queries:
                assert get(url).status_code == 200
            found.append(len(queries))
        return found

    few = counts()
    wo = work_order()
    receive(stock, stock.switch, stock.ward, 3)
    receive(stock, stock.toner, stock.ward, 2)
    parts.movement_record(
        actor=stock.supervisor, item=stock.toner, location=stock.store, kind="consume", quantity=1, work_order=wo
    )
    many = counts()
    for name, one, more in zip(("parts.api.levels", "parts.api.movements", "parts.overview"), few, many, strict=True):
        assert_flat(name, one, more)
