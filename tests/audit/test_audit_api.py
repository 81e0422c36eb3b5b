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
