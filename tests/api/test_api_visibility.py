"""Visibility through the API: other vendors' and organisations' objects are 404 everywhere, read-only roles
get 403 on every write, anonymous callers get 401."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from oversight.tickets import services
from oversight.tickets.models import WorkOrder

URL = "/api/v1/work-orders/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

# Which of the three work orders (a: vendor 1, b: vendor 2, x: other organisation) each role sees.
VISIBLE = {
    "client_admin": {"a", "b"},
    "client_supervisor": {"a", "b"},
    "executive": {"a", "b"},
    "auditor": {"a", "b"},
    "vendor_manager": {"a"},
    "vendor_agent": {"a"},
    "vendor_agent_2": {"a"},
    "requester": {"a"},
    "requester_2": set(),
    "other_vendor_manager": {"b"},
    "other_vendor_agent": {"b"},
    "other_requester": {"b"},
    "foreign_admin": {"x"},
    "foreign_requester": {"x"},
}


@pytest.fixture
def orders(world):
    """Three work orders, each with a public comment and an attachment."""
    made = {
        "a": services.work_order_create(actor=world.users["requester"], service=world.service, title="A"),
        "b": services.work_order_create(actor=world.users["other_requester"], service=world.other_service, title="B"),
        "x": services.work_order_create(
            actor=world.users["foreign_requester"], service=world.foreign_service, title="X"
        ),
    }
    attachments = {}
    for name, work_order in made.items():
        services.comment_create(actor=work_order.requester, work_order=work_order, body=f"comment {name}")
        upload = SimpleUploadedFile(f"{name}.png", PNG, content_type="image/png")
        attachments[name] = services.attachment_create(actor=work_order.requester, work_order=work_order, upload=upload)
    return made, attachments


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_each_role_reads_exactly_what_it_may_see(world, api, orders, role):
    made, attachments = orders
    client = api(role)
    listed = client.get(URL).json()
    assert {row["title"] for row in listed["results"]} == {made[n].title for n in VISIBLE[role]}
    assert listed["count"] == len(VISIBLE[role])
    for name, work_order in made.items():
        expected = 200 if name in VISIBLE[role] else 404
        for path in ("", "events/", "clocks/", "comments/", "attachments/"):
            response = client.get(f"{URL}{work_order.pk}/{path}")
            assert response.status_code == expected, (role, name, path)
        assert client.get(f"{URL}{work_order.number}/").status_code == expected
        assert client.get(f"/api/v1/attachments/{attachments[name].pk}/").status_code == expected
        assert client.get(f"/api/v1/attachments/{attachments[name].pk}/download/").status_code == expected
        # Searching for an invisible number finds nothing (counts leak nothing either).
        assert client.get(URL, {"q": work_order.number}).json()["count"] == (1 if name in VISIBLE[role] else 0)


def test_not_found_body_is_the_same_for_missing_and_invisible(world, api, orders):
    made, _attachments = orders
    client = api("vendor_agent")
    invisible = client.get(f"{URL}{made['b'].pk}/")
    missing = client.get(f"{URL}999999/")
    assert invisible.status_code == missing.status_code == 404
    assert invisible.json() == missing.json()
    assert invisible.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("role", ["vendor_agent", "vendor_manager", "requester"])
def test_writes_to_invisible_work_orders_are_404_and_change_nothing(world, api, orders, role):
    made, _attachments = orders
    target = made["b"]
    version = WorkOrder.objects.get(pk=target.pk).version
    client = api(role)
    writes = [
        ("patch", f"{URL}{target.pk}/", {"title": "hijack"}),
        ("post", f"{URL}{target.pk}/transitions/accept/", {}),
        ("post", f"{URL}{target.pk}/transitions/cancel/", {"note": "x"}),
        ("post", f"{URL}{target.pk}/assign/", {"assignee": world.users["vendor_agent"].pk}),
        ("post", f"{URL}{target.pk}/priority/", {"impact": 1, "urgency": 1, "reason": "x"}),
        ("post", f"{URL}{target.pk}/transfer/", {"service": world.service.pk, "reason": "x"}),
        ("post", f"{URL}{target.pk}/comments/", {"body": "hello"}),
    ]
    for method, url, data in writes:
        response = getattr(client, method)(url, data, format="json")
        assert response.status_code == 404, (method, url)
    upload = SimpleUploadedFile("p.png", PNG, content_type="image/png")
    assert client.post(f"{URL}{target.pk}/attachments/", {"file": upload}, format="multipart").status_code == 404
    target.refresh_from_db()
    assert (target.title, target.status, target.version) == ("B", "new", version)


@pytest.mark.parametrize("role", ["executive", "auditor"])
def test_read_only_roles_get_403_on_every_write(world, api, orders, role):
    made, _attachments = orders
    target = made["a"]
    version = WorkOrder.objects.get(pk=target.pk).version
    client = api(role)
    writes = [
        ("post", URL, {"service": world.service.pk, "title": "x"}),
        ("patch", f"{URL}{target.pk}/", {"title": "x"}),
        ("post", f"{URL}{target.pk}/transitions/cancel/", {"note": "x"}),
        ("post", f"{URL}{target.pk}/assign/", {"assignee": world.users["vendor_agent"].pk}),
        ("post", f"{URL}{target.pk}/priority/", {"impact": 1, "urgency": 1, "reason": "x"}),
        ("post", f"{URL}{target.pk}/transfer/", {"service": world.other_service.pk, "reason": "x"}),
        ("post", f"{URL}{target.pk}/comments/", {"body": "x"}),
        ("post", f"{URL}{target.pk}/attachments/", {}),
    ]
    for method, url, data in writes:
        response = getattr(client, method)(url, data, format="json")
        assert response.status_code == 403, (method, url, response.content)
        assert response.json()["error"]["code"] == "permission_denied"
    target.refresh_from_db()
    assert (target.title, target.status, target.version) == ("A", "new", version)
    assert WorkOrder.objects.count() == 3


def test_requesters_never_see_internal_items_of_their_own_work_order(world, api, orders):
    made, _attachments = orders
    target = made["a"]
    agent = world.users["vendor_agent"]
    services.comment_create(actor=agent, work_order=target, body="internal remark", is_internal=True)
    upload = SimpleUploadedFile("i.png", PNG, content_type="image/png")
    internal = services.attachment_create(actor=agent, work_order=target, upload=upload, is_internal=True)
    client = api("requester")
    assert all(not c["is_internal"] for c in client.get(f"{URL}{target.pk}/comments/").json()["results"])
    assert all(not e["is_internal"] for e in client.get(f"{URL}{target.pk}/events/").json()["results"])
    assert internal.pk not in [a["id"] for a in client.get(f"{URL}{target.pk}/attachments/").json()["results"]]
    assert client.get(f"/api/v1/attachments/{internal.pk}/download/").status_code == 404
    staff = api("client_supervisor")
    assert any(c["is_internal"] for c in staff.get(f"{URL}{target.pk}/comments/").json()["results"])


def test_department_grant_widens_a_requesters_view(world, api, orders):
    made, _attachments = orders
    colleague = world.users["requester_2"]
    assert api(colleague).get(f"{URL}{made['a'].pk}/").status_code == 404
    colleague.sees_department_work_orders = True
    colleague.save(update_fields=["sees_department_work_orders"])
    assert api(colleague).get(f"{URL}{made['a'].pk}/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        URL,
        "/api/v1/services/",
        "/api/v1/users/me/",
        "/api/v1/notifications/",
        "/api/v1/audit-entries/",
        "/api/v1/calendars/",
        "/api/v1/attachments/1/download/",
    ],
)
def test_anonymous_callers_get_401(db, path):
    response = APIClient().get(path)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_token_authentication(world):
    from oversight.tenancy.services import api_token_create

    _token, secret = api_token_create(actor=None, owner=world.users["vendor_agent"], name="script")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    response = client.get("/api/v1/users/me/")
    assert response.status_code == 200
    assert response.json()["username"] == "agent_a"
    client.credentials(HTTP_AUTHORIZATION="Token wrong")
    assert client.get("/api/v1/users/me/").status_code == 401


def test_unknown_api_paths_answer_with_the_json_error_body(db):
    response = APIClient().get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
