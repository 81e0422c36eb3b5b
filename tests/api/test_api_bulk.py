"""POST /api/v1/work-orders/bulk/: one change for several work orders, each through its single action,
reported item by item (done, or refused with the reason), like the board's bulk panel."""

from __future__ import annotations

from django.utils import translation

from oversight.audit.models import AuditEntry
from oversight.tickets import services
from oversight.tickets.models import WorkOrder

URL = "/api/v1/work-orders/bulk/"


def en(api, role):
    client = api(role)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_bulk_priority_changes_each_and_refuses_a_finished_one_with_the_reason(world, api, make_work_order):
    open_one = make_work_order(title="Still open")
    cancelled = make_work_order(title="Cancelled")
    services.work_order_transition(actor=world.users["requester"], work_order=cancelled, action="cancel", note="x")
    body = {"action": "priority", "ids": [open_one.pk, cancelled.pk], "impact": 3, "urgency": 3, "reason": "Ward"}
    with translation.override("en"):
        response = en(api, "client_supervisor").post(URL, body, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["action"], data["done"], data["refused"]) == ("priority", 1, 1)
    assert data["results"][0] == {"id": open_one.pk, "number": open_one.number, "done": True, "code": "", "reason": ""}
    refused = data["results"][1]
    assert (refused["id"], refused["number"], refused["done"]) == (cancelled.pk, cancelled.number, False)
    assert refused["code"] == "invalid_transition"
    assert refused["reason"] == "A finished work order cannot be re-prioritised."
    open_one.refresh_from_db()
    cancelled.refresh_from_db()
    assert (open_one.impact, open_one.urgency) == (3, 3)
    assert (cancelled.impact, cancelled.urgency) != (3, 3)
    assert AuditEntry.objects.filter(action="tickets.workorder.priority_changed", object_id=open_one.pk).count() == 1


def test_bulk_assign_is_audited_per_item_and_a_repeat_is_harmless(world, api, make_work_order):
    first, second = make_work_order(title="One"), make_work_order(title="Two")
    agent = world.users["vendor_agent"]
    body = {"action": "assign", "ids": [first.pk, second.pk, first.pk], "assignee": agent.pk, "reason": "Yours"}
    client = api("vendor_manager")
    response = client.post(URL, body, format="json")
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [first.pk, second.pk]  # a repeated id once
    assert response.json()["done"] == 2
    assert set(WorkOrder.objects.filter(pk__in=[first.pk, second.pk]).values_list("assignee_id", flat=True)) == {
        agent.pk
    }
    audited = AuditEntry.objects.filter(action="tickets.workorder.assigned", object_id__in=[first.pk, second.pk])
    assert audited.count() == 2
    versions = dict(WorkOrder.objects.filter(pk__in=[first.pk, second.pk]).values_list("pk", "version"))
    again = client.post(URL, body, format="json")
    assert again.status_code == 200 and again.json()["done"] == 2
    assert audited.count() == 2  # nothing changed, nothing audited twice
    assert dict(WorkOrder.objects.filter(pk__in=[first.pk, second.pk]).values_list("pk", "version")) == versions


def test_ids_not_found_and_invisible_are_reported_alike_and_left_alone(world, api, make_work_order):
    theirs = make_work_order(service=world.other_service, title="Other vendor's")
    mine = make_work_order(title="Mine")
    agent = world.users["vendor_agent"]
    missing = 10**12
    body = {"action": "assign", "ids": [theirs.pk, missing, mine.pk], "assignee": agent.pk}
    with translation.override("en"):
        response = en(api, "vendor_manager").post(URL, body, format="json")
    results = response.json()["results"]
    assert [item["done"] for item in results] == [False, False, True]
    assert results[0] == {
        "id": theirs.pk,
        "number": None,
        "done": False,
        "code": "not_found",
        "reason": results[1]["reason"],
    }
    assert results[1]["code"] == "not_found" and results[1]["reason"] == "Not found, or not visible to you."
    assert theirs.number not in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.assignee_id is None


def test_a_vendor_may_not_transfer_item_by_item(world, api, make_work_order):
    made = make_work_order()
    body = {"action": "transfer", "ids": [made.pk], "service": world.service.pk, "reason": "Wrong desk"}
    with translation.override("en"):
        response = en(api, "vendor_manager").post(URL, body, format="json")
    item = response.json()["results"][0]
    assert (item["done"], item["code"]) == (False, "permission_denied")
    assert item["reason"] == "Only the client side can transfer work orders."
    made.refresh_from_db()
    assert made.service_id == world.service.pk


def test_bulk_transfer_by_the_supervisor_moves_each_to_the_other_vendor(world, api, make_work_order):
    made = [make_work_order(title=f"T{n}") for n in range(3)]
    body = {"action": "transfer", "ids": [w.pk for w in made], "service": world.other_service.pk, "reason": "Net"}
    response = api("client_supervisor").post(URL, body, format="json")
    assert response.json()["done"] == 3
    assert set(WorkOrder.objects.filter(pk__in=[w.pk for w in made]).values_list("vendor_id", flat=True)) == {
        world.other_vendor.pk
    }


def test_bad_input_is_a_400_naming_the_field_and_changes_nothing(world, api, make_work_order):
    made = make_work_order()
    client = en(api, "client_supervisor")
    cases = [
        ({"action": "priority", "ids": [made.pk], "impact": 1, "urgency": 1}, "reason"),
        ({"action": "assign", "ids": [made.pk]}, "assignee"),
        ({"action": "transfer", "ids": [made.pk], "reason": "x"}, "service"),
        ({"action": "explode", "ids": [made.pk]}, "action"),
        ({"action": "assign", "ids": [], "assignee": world.users["vendor_agent"].pk}, "ids"),
        ({"action": "assign", "ids": [10**20], "assignee": world.users["vendor_agent"].pk}, "ids"),
        ({"action": "assign", "ids": list(range(1, 202)), "assignee": world.users["vendor_agent"].pk}, "ids"),
        ({"action": "assign", "ids": [made.pk], "team": world.team.pk, "status": "closed"}, "status"),
        ({"action": "transfer", "ids": [made.pk], "service": world.foreign_service.pk, "reason": "x"}, "service"),
    ]
    for body, field in cases:
        response = client.post(URL, body, format="json")
        assert response.status_code == 400, (body, response.content)
        assert field in response.content.decode(), (field, response.content)
    made.refresh_from_db()
    assert made.version == 1 and made.assignee_id is None


def test_read_only_roles_and_anonymous_callers_change_nothing(world, api, make_work_order):
    from rest_framework.test import APIClient

    made = make_work_order()
    body = {"action": "priority", "ids": [made.pk], "impact": 1, "urgency": 1, "reason": "Mine now"}
    for role in ("auditor", "executive"):
        assert api(role).post(URL, body, format="json").status_code == 403
    assert APIClient().post(URL, body, format="json").status_code == 401
    made.refresh_from_db()
    assert made.version == 1
