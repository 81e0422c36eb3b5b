"""Work-order API: create, list with filters, detail and the descriptive PATCH."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.core import clock
from oversight.tickets import services
from oversight.tickets.api.serializers import WorkOrderUpdateInputSerializer
from oversight.tickets.choices import Action, Status
from oversight.tickets.models import WorkOrder
from tests.factories import SiteFactory

URL = "/api/v1/work-orders/"


def detail_url(work_order) -> str:
    return f"{URL}{work_order.pk}/"


def numbers(response) -> set[str]:
    return {row["number"] for row in response.json()["results"]}


def assert_error(response, status_code: int, code: str | None = None) -> dict:
    assert response.status_code == status_code, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def test_create_returns_201_with_detail_etag_and_location(world, api):
    client = api("requester")
    response = client.post(
        URL,
        {"service": world.service.pk, "title": "Screen is black", "description": "Since this morning", "impact": 1},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    work_order = WorkOrder.objects.get(pk=body["id"])
    assert body["number"] == work_order.number
    assert body["channel"] == "api"
    assert body["status"] == Status.NEW
    assert body["requester"]["id"] == world.users["requester"].pk
    assert body["vendor"] == {"id": world.vendor.pk, "name": "Desk Co"}
    assert body["impact"] == 1
    assert body["etag"] == work_order.etag
    assert response["ETag"] == work_order.etag
    assert response["Location"] == f"{URL}{work_order.pk}/"
    assert "cancel" in body["allowed_actions"]
    assert work_order.created_by == world.users["requester"]


def test_create_on_behalf_of_a_caller_by_phone(world, api):
    response = api("client_supervisor").post(
        URL,
        {
            "service": world.service.pk,
            "title": "Caller reports outage",
            "requester": world.users["requester"].pk,
            "channel": "phone",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["requester"]["id"] == world.users["requester"].pk
    assert response.json()["channel"] == "phone"
    assert response.json()["created_by"]["id"] == world.users["client_supervisor"].pk


def test_create_validates_input_with_the_one_error_body(world, api):
    error = assert_error(api("requester").post(URL, {"service": world.service.pk}, format="json"), 400, "invalid")
    assert "title" in error["fields"]


@pytest.mark.parametrize("field", ["service", "site", "requester"])
def test_create_refuses_objects_of_another_organisation(world, api, field):
    foreign = {
        "service": lambda: world.foreign_service.pk,
        "site": lambda: SiteFactory(organisation=world.other_org).pk,
        "requester": lambda: world.users["foreign_requester"].pk,
    }
    payload = {"service": world.service.pk, "title": "x", field: foreign[field]()}
    error = assert_error(api("client_admin").post(URL, payload, format="json"), 400)
    assert field in error["fields"]
    assert WorkOrder.objects.count() == 0


def test_requester_cannot_create_for_someone_else(world, api):
    response = api("requester").post(
        URL, {"service": world.service.pk, "title": "x", "requester": world.users["requester_2"].pk}, format="json"
    )
    error = assert_error(response, 400)
    assert "requester" in error["fields"]


@pytest.mark.parametrize(
    "field,value",
    [
        ("status", "resolved"),
        ("vendor", 1),
        ("organisation", 1),
        ("priority", "P1"),
        ("sla_breached", False),
        ("sla_state", "met"),
        ("sla_next_due_at", "2030-01-01T00:00:00Z"),
        ("number", "X1"),
        ("version", 99),
        ("created_at", "2020-01-01T00:00:00Z"),
        ("assignee", 1),
        ("created_by", 1),
    ],
)
def test_create_rejects_server_owned_fields(world, api, field, value):
    response = api("client_admin").post(URL, {"service": world.service.pk, "title": "x", field: value}, format="json")
    error = assert_error(response, 400, "invalid")
    assert list(error["fields"]) == [field]
    assert WorkOrder.objects.count() == 0


def test_list_shows_visible_work_orders_with_pagination(world, api, make_work_order):
    mine = make_work_order()
    make_work_order(service=world.other_service)
    make_work_order(requester="foreign_requester", service=world.foreign_service)
    response = api("vendor_agent").get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert numbers(response) == {mine.number}
    assert api("client_admin").get(URL).json()["count"] == 2


def test_list_filters(world, api, make_work_order):
    client = api("client_admin")
    urgent = make_work_order(title="Ventilator network down", impact=1, urgency=1)
    other = make_work_order(service=world.other_service, title="Switch", site=world.other_dept)
    services.work_order_transition(actor=world.users["vendor_manager"], work_order=urgent, action=Action.ACCEPT)
    assert numbers(client.get(URL, {"status": "accepted"})) == {urgent.number}
    assert numbers(client.get(URL, {"status": ["new", "accepted"]})) == {urgent.number, other.number}
    assert numbers(client.get(URL, {"status": "open"})) == {urgent.number, other.number}
    assert numbers(client.get(URL, {"priority": "P1"})) == {urgent.number}
    assert numbers(client.get(URL, {"vendor": world.other_vendor.pk})) == {other.number}
    assert numbers(client.get(URL, {"service": world.service.pk})) == {urgent.number}
    assert numbers(client.get(URL, {"site": world.other_dept.pk})) == {other.number}
    assert numbers(client.get(URL, {"q": "ventilator"})) == {urgent.number}
    assert numbers(client.get(URL, {"q": other.number})) == {other.number}
    assert numbers(client.get(URL, {"breached": "false"})) == {urgent.number, other.number}
    assert numbers(client.get(URL, {"breached": "true"})) == set()
    future = (clock.now() + dt.timedelta(days=30)).isoformat()
    past = (clock.now() - dt.timedelta(days=1)).isoformat()
    assert numbers(client.get(URL, {"created_after": past, "created_before": future})) == {urgent.number, other.number}
    assert numbers(client.get(URL, {"created_before": past})) == set()
    other.refresh_from_db()
    urgent.refresh_from_db()
    # The P3 still awaits its response (60 min); the accepted P1 runs only its resolution clock (240 min).
    assert other.sla_next_due_at < urgent.sla_next_due_at
    cut = (other.sla_next_due_at + dt.timedelta(minutes=1)).isoformat()
    assert numbers(client.get(URL, {"due_before": cut})) == {other.number}
    assert numbers(client.get(URL, {"due_after": cut})) == {urgent.number}


def test_breached_filter_finds_running_clocks_past_due(world, api, make_work_order):
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
    with clock.frozen_at(start):
        late = make_work_order(title="Late", impact=1, urgency=1)
    with clock.frozen_at(start + dt.timedelta(hours=2)):
        fresh = make_work_order(title="Fresh", impact=3, urgency=3)
        client = api("client_supervisor")
        assert numbers(client.get(URL, {"breached": "true"})) == {late.number}
        assert numbers(client.get(URL, {"breached": "false"})) == {fresh.number}
        row = next(r for r in client.get(URL).json()["results"] if r["number"] == late.number)
        assert row["sla_state_live"] == "breached"


def test_list_ordering_from_the_allowlist(world, api, make_work_order):
    first = make_work_order(title="a", impact=3, urgency=3)
    second = make_work_order(title="b", impact=1, urgency=1)
    client = api("client_admin")
    assert [r["number"] for r in client.get(URL, {"ordering": "priority"}).json()["results"]] == [
        second.number,
        first.number,
    ]
    assert [r["number"] for r in client.get(URL, {"ordering": "created_at"}).json()["results"]][0] == first.number
    error = assert_error(client.get(URL, {"ordering": "requester__password"}), 400, "invalid")
    assert "ordering" in error["fields"]


def test_list_refuses_a_filter_value_the_user_cannot_see(world, api, make_work_order):
    make_work_order()
    error = assert_error(api("vendor_agent").get(URL, {"vendor": world.other_vendor.pk}), 400)
    assert "vendor" in error["fields"]


def test_detail_by_id_and_by_number(world, api, make_work_order):
    work_order = make_work_order()
    client = api("vendor_agent")
    by_id = client.get(detail_url(work_order))
    by_number = client.get(f"{URL}{work_order.number}/")
    assert by_id.status_code == by_number.status_code == 200
    assert by_id.json() == by_number.json()
    body = by_id.json()
    assert by_id["ETag"] == work_order.etag
    assert body["sla_policy_version"]["number"] == 1
    assert body["allowed_actions"] == ["dispatch", "accept"]
    assert body["permissions"] == {
        "edit": True,
        "comment": True,
        "comment_internal": True,
        "assign": True,
        "transfer": False,
        "change_priority": False,
    }
    assert client.get(f"{URL}NOPE123/").status_code == 404


def test_detail_permissions_of_a_read_only_role(world, api, make_work_order):
    body = api("auditor").get(detail_url(make_work_order())).json()
    assert body["allowed_actions"] == []
    assert not any(body["permissions"].values())


def test_patch_changes_descriptive_fields_only(world, api, make_work_order):
    work_order = make_work_order()
    response = api("vendor_agent").patch(
        detail_url(work_order),
        {"title": "Printer jammed on 3F", "location_detail": "Room 301", "site": world.other_dept.pk},
        format="json",
    )
    assert response.status_code == 200, response.content
    work_order.refresh_from_db()
    assert (work_order.title, work_order.location_detail, work_order.site) == (
        "Printer jammed on 3F",
        "Room 301",
        world.other_dept,
    )
    assert work_order.version == 2
    assert response["ETag"] == work_order.etag
    assert work_order.events.filter(kind="fields_changed").count() == 1


@pytest.mark.parametrize(
    "field,value",
    [
        ("status", "closed"),
        ("vendor", 2),
        ("organisation", 2),
        ("service", 2),
        ("priority", "P1"),
        ("assignee", 1),
        ("requester", 1),
        ("sla_state", "met"),
        ("sla_breached", False),
        ("sla_next_due_at", None),
        ("sla_policy_version", 1),
        ("resolved_at", "2020-01-01T00:00:00Z"),
        ("created_at", "2020-01-01T00:00:00Z"),
        ("version", 7),
        ("number", "X"),
        ("reopen_count", 0),
        ("id", 5),
    ],
)
def test_patch_rejects_every_other_field(world, api, make_work_order, field, value):
    work_order = make_work_order()
    response = api("client_admin").patch(detail_url(work_order), {"title": "ok", field: value}, format="json")
    error = assert_error(response, 400, "invalid")
    assert list(error["fields"]) == [field]
    work_order.refresh_from_db()
    assert work_order.title == "Printer jammed"
    assert work_order.version == 1


def test_patch_fields_are_exactly_the_services_editable_fields():
    assert set(WorkOrderUpdateInputSerializer().fields) == set(services.EDITABLE_FIELDS)


def test_patch_by_requester_after_dispatch_is_forbidden(world, api, make_work_order):
    work_order = make_work_order()
    services.work_order_transition(actor=world.users["vendor_manager"], work_order=work_order, action=Action.DISPATCH)
    assert_error(api("requester").patch(detail_url(work_order), {"title": "new"}, format="json"), 403)


def test_put_and_delete_are_not_offered(world, api, make_work_order):
    work_order = make_work_order()
    client = api("client_admin")
    assert client.put(detail_url(work_order), {"title": "x"}, format="json").status_code == 405
    assert client.delete(detail_url(work_order)).status_code == 405
    assert WorkOrder.objects.filter(pk=work_order.pk).exists()
