"""The audit trail page: the organisation's entries with filters, read-only."""

from __future__ import annotations

import datetime as dt


def test_audit_page_lists_the_organisations_entries_with_filters(world, web, wo):
    work_order = wo(title="Audited one")
    wo(service=world.foreign_service, requester="foreign_requester", title="Foreign audited")
    client = web("auditor")
    page = client.get("/audit/").content.decode()
    assert "tickets.workorder.created" in page
    assert work_order.number in page
    assert "Foreign audited" not in page
    filtered = client.get("/audit/?action=tenancy").content.decode()
    assert "tickets.workorder.created" not in filtered
    by_object = client.get(f"/audit/?object_type=tickets.workorder&object_id={work_order.pk}").content.decode()
    assert work_order.number in by_object
    by_actor = client.get("/audit/?actor=nurse_a").content.decode()
    assert work_order.number in by_actor
    assert work_order.number not in client.get("/audit/?actor=someone_else").content.decode()
    today = work_order.created_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    assert work_order.number in client.get(f"/audit/?date_from={today}&date_to={today}").content.decode()
    later = today + dt.timedelta(days=1)
    assert work_order.number not in client.get(f"/audit/?date_from={later}").content.decode()
    bad = client.get(f"/audit/?date_from={later}&date_to={today}").content.decode()
    assert "The start date is after the end date" in bad


def test_audit_page_is_read_only(world, web):
    response = web("auditor").post("/audit/", {})
    assert response.status_code == 405
