"""The audit-entries API: for auditors and client administrators only, filterable, never written."""

from __future__ import annotations

API = "/api/v1/"


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_audit_entries_for_auditors_and_client_admins_only(world, api, make_work_order):
    work_order = make_work_order()
    client = api("auditor")
    response = client.get(f"{API}audit-entries/", {"action": "tickets.workorder.created"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["object_type"], r["object_id"]) for r in rows] == [("tickets.workorder", str(work_order.pk))]
    by_object = client.get(f"{API}audit-entries/", {"object_type": "tickets.workorder", "object_id": work_order.pk})
    assert by_object.json()["count"] >= 1
    assert client.get(f"{API}audit-entries/", {"action_prefix": "catalog."}).json()["count"] >= 1
    assert api("client_admin").get(f"{API}audit-entries/").status_code == 200
    assert (
        api("foreign_admin").get(f"{API}audit-entries/", {"action": "tickets.workorder.created"}).json()["count"] == 0
    )
    for role in ("client_supervisor", "executive", "vendor_manager", "requester"):
        assert api(role).get(f"{API}audit-entries/").status_code == 403, role
    entry_id = rows[0]["id"]
    assert client.delete(f"{API}audit-entries/{entry_id}/").status_code == 405
    assert (
        api("client_admin").patch(f"{API}audit-entries/{entry_id}/", {"action": "x"}, format="json").status_code == 405
    )


def test_audit_entries_api_adds_readable_fields(world, api, make_work_order):
    work_order = make_work_order()
    requester = world.users["requester"]
    requester.display_name = "Nurse Li"
    requester.save(update_fields=["display_name"])
    row = api("auditor").get(f"{API}audit-entries/", {"action": "tickets.workorder.created"}).json()["results"][0]
    # The stored fields stay as they were...
    assert row["action"] == "tickets.workorder.created"
    assert row["object_type"] == "tickets.workorder"
    assert row["actor_repr"] == requester.username
    assert isinstance(row["after"], dict)
    # ...and the readable ones say the same for a person.
    assert row["action_label"] == "Work order received"
    assert row["actor_name"] == "Nurse Li"
    assert row["object_type_label"] == "Work order"
    assert row["object_label"].startswith(work_order.number)
    assert row["object_url"] == f"/wo/{work_order.number}/"
    changes = {c["field"]: c for c in row["changes"]}
    assert changes["priority"]["label"] == "Priority"
    assert changes["service"]["label"] == "Service"
    assert changes["service"]["after"] == "Desktop"  # a related row by its name, not its id
    assert row["at"].endswith("+08:00")  # the reader's zone
    detail = api("auditor").get(f"{API}audit-entries/{row['id']}/").json()
    assert detail["action_label"] == "Work order received"


def test_audit_entries_api_labels_in_chinese(world, api, make_work_order):
    make_work_order()
    auditor = world.users["auditor"]
    auditor.language = "zh-hans"
    auditor.save(update_fields=["language"])
    row = api("auditor").get(f"{API}audit-entries/", {"action": "tickets.workorder.created"}).json()["results"][0]
    assert row["action_label"] == "工单已受理"
    assert row["object_type_label"] == "工单"
