"""Work orders, their events and clocks are read-only in the admin; QR intake points are made by a service."""

from django.test import Client
from django.urls import reverse

from oversight.audit.models import AuditEntry
from oversight.tickets.models import IntakePoint, WorkOrder
from oversight.tickets.services import work_order_create


def _work_order(world):
    return work_order_create(actor=world.users["requester"], service=world.service, title="Printer jam")


def test_the_work_order_admin_is_read_only(admin_client_a, world, superuser):
    work_order = _work_order(world)
    change_url = reverse("admin:tickets_workorder_change", args=[work_order.pk])
    for client in (admin_client_a, _client_for(superuser)):
        response = client.get(change_url)
        assert response.status_code == 200
        assert response.context["has_change_permission"] is False
        assert response.context["adminform"].form.fields == {}
        assert 'name="_save"' not in response.content.decode()
        timeline = [
            i for i in response.context["inline_admin_formsets"] if i.formset.model.__name__ == "WorkOrderEvent"
        ]
        assert len(timeline) == 1 and not timeline[0].has_change_permission
        assert client.get(reverse("admin:tickets_workorder_add")).status_code == 403
        assert client.post(change_url, {"title": "Changed", "status": "closed"}).status_code == 403
        delete_url = reverse("admin:tickets_workorder_delete", args=[work_order.pk])
        assert client.post(delete_url, {"post": "yes"}).status_code == 403
    work_order.refresh_from_db()
    assert work_order.title == "Printer jam" and work_order.status == "new"
    assert WorkOrder.objects.count() == 1


def test_the_work_order_list_filters(admin_client_a, world):
    work_order = _work_order(world)
    url = reverse("admin:tickets_workorder_changelist")
    listed = admin_client_a.get(url, {"status__exact": "new"}).context["cl"].result_list
    assert [w.pk for w in listed] == [work_order.pk]
    assert not admin_client_a.get(url, {"status__exact": "closed"}).context["cl"].result_list
    assert admin_client_a.get(url, {"q": work_order.number}).context["cl"].result_list[0] == work_order
    response = admin_client_a.get(url)
    # The vendor filter offers only vendors that appear in the client admin's own work orders.
    assert "Far Co" not in response.content.decode()


def test_sla_clocks_are_read_only(admin_client_a, world):
    work_order = _work_order(world)
    clock = work_order.clocks.first()
    response = admin_client_a.get(reverse("admin:tickets_slaclock_change", args=[clock.pk]))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert admin_client_a.get(reverse("admin:tickets_slaclock_add")).status_code == 403


def test_an_intake_point_gets_a_generated_token_and_is_audited(admin_client_a, world, client_admin):
    response = admin_client_a.post(
        reverse("admin:tickets_intakepoint_add"),
        {
            "organisation": str(world.org.pk),
            "label": "Ward 3 printer",
            "service": str(world.service.pk),
            "offering": str(world.onsite_offering.pk),
            "site": str(world.dept.pk),
            "asset_tag": "PR-0003",
            "is_active": "on",
            "token": "chosen-by-the-user",
        },
    )
    assert response.status_code == 302
    point = IntakePoint.objects.get(label="Ward 3 printer")
    assert point.token != "chosen-by-the-user"
    assert len(point.token) >= 20
    entry = AuditEntry.objects.get(action="tickets.intakepoint.created", actor=client_admin)
    assert entry.organisation == world.org
    assert entry.after["token"] == "***"
    assert point.token not in str(entry.after)


def test_an_intake_point_offering_must_belong_to_its_service(admin_client_a, world):
    response = admin_client_a.post(
        reverse("admin:tickets_intakepoint_add"),
        {
            "organisation": str(world.org.pk),
            "label": "Mismatch",
            "service": str(world.other_service.pk),
            "offering": str(world.onsite_offering.pk),
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "offering" in response.context["adminform"].form.errors
    assert not IntakePoint.objects.exists()


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
