"""The API refuses a contact phone that is no telephone number, on create and on edit (400, field error)."""

from __future__ import annotations

from oversight.tickets.models import WorkOrder


def test_create_and_edit_refuse_text_that_is_no_phone_number(world, api, make_work_order):
    client = api("requester")
    created = client.post(
        "/api/v1/work-orders/",
        {"service": world.service.pk, "title": "Printer", "contact_phone": "abc-not-a-phone"},
        format="json",
    )
    assert created.status_code == 400
    assert "contact_phone" in created.content.decode()
    assert not WorkOrder.objects.exists()

    work_order = make_work_order(contact_phone="010-12345678")
    edited = client.patch(f"/api/v1/work-orders/{work_order.pk}/", {"contact_phone": "call me"}, format="json")
    assert edited.status_code == 400
    work_order.refresh_from_db()
    assert work_order.contact_phone == "010-12345678"
