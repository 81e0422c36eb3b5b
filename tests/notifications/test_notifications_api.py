"""The notifications API: each user reads only their own notifications and marks them read."""

from __future__ import annotations

from oversight.notifications.services import notification_create

API = "/api/v1/"


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_notifications_are_own_and_can_be_marked_read(world, api, make_work_order):
    work_order = make_work_order()
    mine, _ = notification_create(
        recipient=world.users["vendor_agent"],
        kind="sla.warning",
        dedupe_key="n1",
        subject="Due soon",
        work_order=work_order,
    )
    notification_create(recipient=world.users["vendor_agent"], kind="info", dedupe_key="n2", subject="Other")
    theirs, _ = notification_create(
        recipient=world.users["vendor_manager"], kind="info", dedupe_key="n3", subject="Not yours"
    )
    client = api("vendor_agent")
    listed = client.get(f"{API}notifications/").json()
    assert {row["subject"] for row in listed["results"]} >= {"Due soon", "Other"}
    assert "Not yours" not in {row["subject"] for row in listed["results"]}
    assert client.get(f"{API}notifications/{theirs.pk}/").status_code == 404
    assert client.post(f"{API}notifications/{theirs.pk}/read/").status_code == 404
    response = client.post(f"{API}notifications/{mine.pk}/read/")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    assert response.json()["work_order_number"] == work_order.number
    unread = client.get(f"{API}notifications/", {"unread": "true"}).json()["results"]
    assert mine.pk not in {row["id"] for row in unread}
    marked = client.post(f"{API}notifications/read-all/", {}, format="json").json()["marked"]
    assert marked == len(unread)
    assert client.get(f"{API}notifications/", {"unread": "true"}).json()["count"] == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None
    bad = client.post(f"{API}notifications/read-all/", {"recipient": 1}, format="json")
    assert bad.status_code == 400
