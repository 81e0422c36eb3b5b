"""Optimistic concurrency (ETag / If-Match → 412) and idempotent creation (Idempotency-Key)."""

from __future__ import annotations

import pytest

from oversight.tickets.models import IdempotencyKey, WorkOrder

URL = "/api/v1/work-orders/"


def create(client, world, key=None, title="Monitor flickers"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(URL, {"service": world.service.pk, "title": title}, format="json", **headers)


def test_same_idempotency_key_twice_makes_one_work_order(world, api):
    client = api("requester")
    first = create(client, world, key="form-7f3a")
    second = create(client, world, key="form-7f3a")
    assert first.status_code == 201
    assert second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert second["ETag"] == first["ETag"]
    assert WorkOrder.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1


def test_same_idempotency_key_with_another_body_is_refused_with_422(world, api):
    client = api("requester")
    first = create(client, world, key="form-7f3a")
    second = create(client, world, key="form-7f3a", title="Monitor flickers (double click)")
    assert first.status_code == 201
    assert second.status_code == 422
    error = second.json()["error"]
    assert error["code"] == "idempotency_key_reused"
    assert "different request" in error["message"]
    assert WorkOrder.objects.get().title == "Monitor flickers"
    # Whitespace around the title is not a different request; the first work order still comes back.
    assert create(client, world, key="form-7f3a", title="  Monitor flickers ").status_code == 200


def test_the_reused_key_error_is_translated(world, api):
    client = api("requester")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    create(client, world, key="k-zh")
    message = create(client, world, key="k-zh", title="Other").json()["error"]["message"]
    assert "Idempotency-Key" in message
    assert "different request" not in message


def test_a_key_stored_before_fingerprints_still_returns_its_work_order(world, api):
    client = api("requester")
    first = create(client, world, key="old-key")
    IdempotencyKey.objects.update(request_hash="")
    again = create(client, world, key="old-key", title="Changed since")
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]


def test_same_key_from_two_users_makes_two_work_orders(world, api):
    first = create(api("requester"), world, key="shared-key")
    second = create(api("requester_2"), world, key="shared-key")
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]
    assert WorkOrder.objects.count() == 2


def test_without_a_key_or_with_different_keys_each_post_creates(world, api):
    client = api("requester")
    assert create(client, world).status_code == 201
    assert create(client, world).status_code == 201
    assert create(client, world, key="a").status_code == 201
    assert create(client, world, key="b").status_code == 201
    assert WorkOrder.objects.count() == 4


def test_overlong_idempotency_key_is_refused(world, api):
    response = create(api("requester"), world, key="k" * 101)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["error"]["fields"]
    assert WorkOrder.objects.count() == 0


def test_etag_changes_with_every_change(world, api, make_work_order):
    work_order = make_work_order()
    client = api("vendor_agent")
    etag = client.get(f"{URL}{work_order.pk}/")["ETag"]
    assert etag == f'"{work_order.pk}-1"'
    after = client.post(f"{URL}{work_order.pk}/transitions/accept/", {}, format="json", HTTP_IF_MATCH=etag)
    assert after.status_code == 200
    assert after["ETag"] == f'"{work_order.pk}-2"'
    assert client.get(f"{URL}{work_order.pk}/")["ETag"] == after["ETag"]


def test_second_editor_with_a_stale_etag_gets_412_and_nothing_changes(world, api, make_work_order):
    work_order = make_work_order()
    agent, supervisor = api("vendor_agent"), api("client_supervisor")
    seen = agent.get(f"{URL}{work_order.pk}/")["ETag"]
    assert supervisor.get(f"{URL}{work_order.pk}/")["ETag"] == seen
    first = supervisor.patch(
        f"{URL}{work_order.pk}/", {"title": "Supervisor's title"}, format="json", HTTP_IF_MATCH=seen
    )
    assert first.status_code == 200
    second = agent.patch(f"{URL}{work_order.pk}/", {"title": "Agent's title"}, format="json", HTTP_IF_MATCH=seen)
    assert second.status_code == 412
    assert second.json()["error"]["code"] == "conflict"
    assert second.json()["error"]["current_version"] == 2
    work_order.refresh_from_db()
    assert work_order.title == "Supervisor's title"


@pytest.mark.parametrize(
    "path,data",
    [
        ("transitions/accept/", {}),
        ("assign/", {"assignee": "agent"}),
        ("priority/", {"impact": 1, "urgency": 1, "reason": "ICU"}),
        ("transfer/", {"service": "other", "reason": "network"}),
    ],
)
def test_post_actions_honour_if_match(world, api, make_work_order, path, data):
    work_order = make_work_order()
    data = {
        key: world.users["vendor_agent"].pk
        if value == "agent"
        else world.other_service.pk
        if value == "other"
        else value
        for key, value in data.items()
    }
    role = "client_supervisor" if path != "transitions/accept/" else "vendor_agent"
    client = api(role)
    stale = f'"{work_order.pk}-0"'
    response = client.post(f"{URL}{work_order.pk}/{path}", data, format="json", HTTP_IF_MATCH=stale)
    assert response.status_code == 412, response.content
    assert WorkOrder.objects.get(pk=work_order.pk).version == 1
    response = client.post(f"{URL}{work_order.pk}/{path}", data, format="json", HTTP_IF_MATCH=work_order.etag)
    assert response.status_code == 200, response.content
    assert WorkOrder.objects.get(pk=work_order.pk).version == 2


@pytest.mark.parametrize("header", ['"999999-1"', "garbage", 'W/"{pk}-1"', '"{pk}-abc"'])
def test_if_match_for_another_object_or_malformed_is_412(world, api, make_work_order, header):
    work_order = make_work_order()
    response = api("client_admin").patch(
        f"{URL}{work_order.pk}/", {"title": "x"}, format="json", HTTP_IF_MATCH=header.format(pk=work_order.pk)
    )
    assert response.status_code == 412
    assert WorkOrder.objects.get(pk=work_order.pk).title == "Printer jammed"


def test_if_match_star_or_a_list_containing_the_current_tag_passes(world, api, make_work_order):
    work_order = make_work_order()
    client = api("client_admin")
    assert client.patch(f"{URL}{work_order.pk}/", {"title": "one"}, format="json", HTTP_IF_MATCH="*").status_code == 200
    listed = f'"{work_order.pk}-1", "{work_order.pk}-2"'
    assert (
        client.patch(f"{URL}{work_order.pk}/", {"title": "two"}, format="json", HTTP_IF_MATCH=listed).status_code == 200
    )
    assert WorkOrder.objects.get(pk=work_order.pk).title == "two"
