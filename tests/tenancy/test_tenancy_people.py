"""Who sees which people (issue 8): vendors see their own staff, a requester's name and contact only through a
work order; client roles see their organisation; requesters themselves. Pages and API follow the one gate."""

from __future__ import annotations

import pytest

from oversight.tickets.api.serializers import WorkOrderCreateInputSerializer
from oversight.tickets.filters import WorkOrderFilter
from oversight.tickets.models import WorkOrder

API = "/api/v1/users/"


def ids(response) -> set[int]:
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def contacts(world):
    """Give the client's people an e-mail and a phone, the things a vendor must not get from a list."""
    for role in ("client_supervisor", "requester", "requester_2"):
        user = world.users[role]
        user.email = f"{user.username}@hospital.example"
        user.phone = f"1380000{user.pk:04d}"
        user.save(update_fields=["email", "phone"])
    return world.users


@pytest.mark.parametrize("role", ["vendor_agent", "vendor_manager"])
def test_vendor_staff_list_only_their_own_vendors_staff(world, api, contacts, role):
    response = api(role).get(API, {"page_size": 200})
    own_staff = {u.pk for u in world.users.values() if u.vendor_id == world.vendor.pk}
    assert ids(response) == own_staff
    body = response.content.decode()
    for hidden in ("client_supervisor", "requester", "requester_2"):
        assert contacts[hidden].email not in body
        assert contacts[hidden].phone not in body
        assert api(role).get(f"{API}{contacts[hidden].pk}/").status_code == 404
    # Filtering by role or vendor cannot widen it.
    assert ids(api(role).get(API, {"role": "requester"})) == set()
    assert ids(api(role).get(API, {"vendor": world.other_vendor.pk})) == set()


@pytest.mark.parametrize("role", ["client_admin", "client_supervisor", "executive", "auditor"])
def test_client_roles_see_everyone_of_their_organisation(world, api, role):
    seen = ids(api(role).get(API, {"page_size": 200}))
    own_organisation = {u.pk for u in world.users.values() if u.organisation_id == world.org.pk}
    assert seen == own_organisation


def test_requesters_see_only_themselves(world, api):
    assert ids(api("requester").get(API)) == {world.users["requester"].pk}
    assert api("requester").get(f"{API}{world.users['requester_2'].pk}/").status_code == 404


def test_a_vendor_reads_the_requesters_name_and_contact_through_a_work_order_it_may_see(world, api, contacts):
    work_order = api("requester").post(
        "/api/v1/work-orders/",
        {"service": world.service.pk, "title": "Printer", "contact_phone": "13900001111"},
        format="json",
    )
    assert work_order.status_code == 201
    detail = api("vendor_agent").get(f"/api/v1/work-orders/{work_order.json()['id']}/").json()
    assert detail["requester"] == {"id": contacts["requester"].pk, "name": str(contacts["requester"])}
    assert detail["contact_phone"] == "13900001111"
    # Another vendor sees neither the work order nor the person.
    assert api("other_vendor_agent").get(f"/api/v1/work-orders/{work_order.json()['id']}/").status_code == 404


def test_the_service_desk_still_names_a_caller_by_exact_user_name(world, web):
    client = web("vendor_agent")
    data = {
        "idempotency_key": "desk-1",
        "service": world.service.pk,
        "title": "Caller's monitor",
        "description": "Flickers",
        "impact": 2,
        "urgency": 2,
        "requester": world.users["requester"].username,
    }
    response = client.post("/portal/new/", data)
    assert response.status_code == 302
    assert WorkOrder.objects.get().requester == world.users["requester"]


def test_people_pickers_offer_vendor_staff_only_their_own_colleagues(world):
    own_staff = {u.pk for u in world.users.values() if u.vendor_id == world.vendor.pk}
    for role in ("vendor_agent", "vendor_manager"):
        user = world.users[role]
        assignees = WorkOrderFilter({}, queryset=WorkOrder.objects.all(), user=user).filters["assignee"].queryset
        assert set(assignees.values_list("pk", flat=True)) == own_staff
        assert (
            not WorkOrderCreateInputSerializer(context={"request": type("R", (), {"user": user})()})
            .fields["requester"]
            .get_queryset()
            .exclude(vendor=world.vendor)
            .exists()
        )
