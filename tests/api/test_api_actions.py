"""Work-order API actions: every transition as a POST, assign, transfer and priority."""

from __future__ import annotations

import pytest

from oversight.tickets.choices import Status
from oversight.tickets.models import WorkOrder

URL = "/api/v1/work-orders/"


def post(client, work_order, path, data=None):
    return client.post(f"{URL}{work_order.pk}/{path}", data or {}, format="json")


def transition(client, work_order, name, data=None):
    return post(client, work_order, f"transitions/{name}/", data)


def error_of(response, status_code):
    assert response.status_code == status_code, response.content
    return response.json()["error"]


def test_full_lifecycle_through_the_api(world, api, make_work_order):
    work_order = make_work_order(offering=world.onsite_offering)
    manager, agent, requester = api("vendor_manager"), api("vendor_agent"), api("requester")

    response = post(manager, work_order, "assign/", {"assignee": world.users["vendor_agent"].pk, "team": world.team.pk})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.DISPATCHED
    assert response.json()["assignee"]["id"] == world.users["vendor_agent"].pk
    assert response.json()["team"]["id"] == world.team.pk

    steps = [
        (agent, "accept", {}, Status.ACCEPTED),
        (agent, "arrive", {}, Status.ON_SITE),
        (agent, "pause_requester", {"note": "Waiting for the ward to free the PC"}, Status.PENDING_REQUESTER),
        (agent, "resume", {}, Status.ON_SITE),
        (agent, "pause_third_party", {"note": "Part ordered"}, Status.PENDING_THIRD_PARTY),
        (agent, "resume", {}, Status.ON_SITE),
        (agent, "resolve", {"resolution": "Replaced the fuser"}, Status.RESOLVED),
        (requester, "reopen", {"note": "Jams again"}, Status.ACCEPTED),
        (agent, "resolve", {"note": "Cleaned the rollers"}, Status.RESOLVED),
        (requester, "confirm", {}, Status.CLOSED),
    ]
    for client, name, data, expected in steps:
        response = transition(client, work_order, name, data)
        assert response.status_code == 200, (name, response.content)
        body = response.json()
        assert body["status"] == expected, name
        work_order.refresh_from_db()
        assert response["ETag"] == work_order.etag
    assert work_order.resolution == "Cleaned the rollers"
    assert work_order.reopen_count == 1
    assert work_order.confirmed_by_requester is True
    actions = list(work_order.events.exclude(action="").values_list("action", flat=True))
    assert actions == ["dispatch"] + [name for _client, name, _data, _status in steps]


def test_dispatch_and_cancel(world, api, make_work_order):
    work_order = make_work_order()
    assert transition(api("client_supervisor"), work_order, "dispatch").json()["status"] == Status.DISPATCHED
    assert error_of(transition(api("requester"), work_order, "cancel"), 400)["code"] == "invalid"  # needs a reason
    response = transition(api("requester"), work_order, "cancel", {"note": "Fixed itself"})
    assert response.json()["status"] == Status.CANCELLED
    assert response.json()["allowed_actions"] == []


def test_invalid_transition_is_409_with_a_clear_message(world, api, make_work_order):
    work_order = make_work_order()
    error = error_of(transition(api("vendor_agent"), work_order, "resolve", {"resolution": "x"}), 409)
    assert error["code"] == "invalid_transition"
    assert error["message"] == "“Resolve” is not possible while the work order is “New”."


def test_resolve_needs_a_resolution(world, api, make_work_order):
    work_order = make_work_order()
    transition(api("vendor_agent"), work_order, "accept")
    error = error_of(transition(api("vendor_agent"), work_order, "resolve"), 400)
    assert "resolution" in error["message"].lower()
    assert WorkOrder.objects.get(pk=work_order.pk).status == Status.ACCEPTED


def test_repeating_a_done_transition_is_harmless(world, api, make_work_order):
    work_order = make_work_order()
    client = api("vendor_agent")
    assert transition(client, work_order, "accept").status_code == 200
    assert transition(client, work_order, "accept").status_code == 200
    assert work_order.events.filter(action="accept").count() == 1


def test_unknown_transition_is_404_and_auto_close_is_not_offered(world, api, make_work_order):
    work_order = make_work_order()
    assert transition(api("client_admin"), work_order, "explode").status_code == 404
    assert transition(api("client_admin"), work_order, "auto_close").status_code == 404


def test_transition_rejects_unknown_body_fields(world, api, make_work_order):
    work_order = make_work_order()
    error = error_of(transition(api("vendor_agent"), work_order, "accept", {"status": "closed"}), 400)
    assert list(error["fields"]) == ["status"]
    assert WorkOrder.objects.get(pk=work_order.pk).status == Status.NEW


@pytest.mark.parametrize(
    "state,role,name",
    [
        (Status.NEW, "requester", "accept"),
        (Status.NEW, "client_supervisor", "accept"),
        (Status.ACCEPTED, "vendor_agent_2", "resolve"),
        (Status.ACCEPTED, "requester", "resolve"),
        (Status.RESOLVED, "vendor_agent", "confirm"),
        (Status.RESOLVED, "vendor_manager", "confirm"),
    ],
)
def test_transition_not_allowed_for_the_role_is_403(world, api, make_work_order, state, role, name):
    work_order = make_work_order()
    if state in (Status.ACCEPTED, Status.RESOLVED):
        transition(api("vendor_agent"), work_order, "accept")
    if state == Status.RESOLVED:
        transition(api("vendor_agent"), work_order, "resolve", {"resolution": "done"})
    assert WorkOrder.objects.get(pk=work_order.pk).status == state
    error = error_of(transition(api(role), work_order, name, {"resolution": "x"}), 403)
    assert error["code"] == "permission_denied"
    assert WorkOrder.objects.get(pk=work_order.pk).status == state


def test_assign_refuses_staff_of_another_vendor(world, api, make_work_order):
    work_order = make_work_order()
    error = error_of(
        post(api("client_supervisor"), work_order, "assign/", {"assignee": world.users["other_vendor_agent"].pk}), 400
    )
    assert "vendor" in error["message"]
    # A vendor manager cannot even name another vendor's staff: the id is unknown to them.
    error = error_of(
        post(api("vendor_manager"), work_order, "assign/", {"assignee": world.users["other_vendor_agent"].pk}), 400
    )
    assert "assignee" in error["fields"]


def test_requester_cannot_assign(world, api, make_work_order):
    work_order = make_work_order()
    error_of(post(api("requester"), work_order, "assign/", {"assignee": world.users["vendor_agent"].pk}), 403)


def test_transfer_by_the_client_side_moves_the_vendor(world, api, make_work_order):
    work_order = make_work_order()
    response = post(
        api("client_supervisor"),
        work_order,
        "transfer/",
        {"service": world.other_service.pk, "reason": "It is the network"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["vendor"]["id"] == world.other_vendor.pk
    assert api("vendor_agent").get(f"{URL}{work_order.pk}/").status_code == 404
    assert api("other_vendor_agent").get(f"{URL}{work_order.pk}/").status_code == 200


def test_transfer_is_refused_to_vendor_staff(world, api, make_work_order):
    work_order = make_work_order()
    error = error_of(
        post(api("vendor_manager"), work_order, "transfer/", {"service": world.service.pk, "reason": "x"}), 403
    )
    assert error["code"] == "permission_denied"
    error_of(post(api("client_supervisor"), work_order, "transfer/", {"service": world.other_service.pk}), 400)


def test_priority_follows_the_matrix_and_rebuilds_the_clocks(world, api, make_work_order):
    work_order = make_work_order(impact=3, urgency=3)
    response = post(api("client_supervisor"), work_order, "priority/", {"impact": 1, "urgency": 1, "reason": "ICU"})
    assert response.status_code == 200, response.content
    assert response.json()["priority"] == "P1"
    clock = work_order.clocks.get(metric="response")
    assert clock.target_seconds == 15 * 60
    error = error_of(
        post(api("client_supervisor"), work_order, "priority/", {"impact": 9, "urgency": 1, "reason": "x"}), 400
    )
    assert "impact" in error["fields"]
    error_of(post(api("vendor_agent"), work_order, "priority/", {"impact": 2, "urgency": 2, "reason": "x"}), 403)
