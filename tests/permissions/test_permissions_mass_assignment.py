"""Mass assignment is impossible: no API body or HTML form moves an object to another vendor or
organisation, sets a server-owned field (timestamps, SLA columns, number, version, requester...) or raises
its sender's role; ids of objects the sender cannot see are refused exactly like ids that do not exist."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from oversight.tickets.models import Comment, WorkOrder
from tests.permissions.permissions_support import (
    PNG,
    PROBE_PK,
    READ_ONLY,
    SIGNED_IN_ROLES,
    Payload,
    body_text,
    db_state,
    in_rollback,
    send,
)

# What the issue lets a PATCH (and the HTML edit form) change: the descriptive fields. Every other
# column of the model, present or added later, must be refused.
DESCRIPTIVE = {"title", "description", "location_detail", "asset_tag", "contact_phone", "site"}


def _json_value(value):
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def server_owned_fields(source: WorkOrder) -> dict[str, object]:
    """Every non-descriptive column of WorkOrder (by name and by attname), with a plausible value from `source`."""
    values = {}
    for model_field in WorkOrder._meta.concrete_fields:
        if model_field.name in DESCRIPTIVE:
            continue
        value = _json_value(getattr(source, model_field.attname))
        if value is None:
            value = "2030-01-01T00:00:00+00:00" if model_field.get_internal_type() == "DateTimeField" else 1
        values[model_field.name] = value
        values[model_field.attname] = value
    return values | {"etag": '"1-99"', "allowed_actions": ["resolve"], "permissions": {"edit": True}}


def _patch(client, wo, data):
    return send(client, "patch", f"/api/v1/work-orders/{wo.pk}/", Payload(data, json=True))


@pytest.mark.parametrize(("role", "key"), [("client_admin", "A1"), ("vendor_manager", "A1"), ("requester_2", "A2")])
def test_api_patch_refuses_every_server_owned_field_and_changes_nothing(matrix, clients, role, key):
    client = clients(role)
    wo = matrix.work_orders[key]
    fields = server_owned_fields(matrix.work_orders["X1"])
    assert {"vendor", "organisation", "status", "sla_breached", "created_at", "number", "version"} <= set(fields)
    problems = []
    # The role may edit the descriptive fields: a clean PATCH works (so the refusals below are about the fields).
    response, changes = in_rollback(lambda: _patch(client, wo, {"title": "PmxFine"}))
    assert response.status_code == 200 and "work orders" in changes, response.content
    for name, value in fields.items():
        for data in ({name: value}, {"title": "PmxSneaky", name: value}):
            response, changes = in_rollback(lambda d=data: _patch(client, wo, d))
            body = response.json() if response.status_code == 400 else {}
            if response.status_code != 400 or name not in body.get("error", {}).get("fields", {}) or changes:
                problems.append(f"{role} PATCH {data}: {response.status_code} {body} changed={changes}")
    assert not problems, "\n".join(problems)


def test_api_create_refuses_server_owned_fields_and_creates_nothing(matrix, clients):
    client = clients("client_admin")
    fields = server_owned_fields(matrix.work_orders["B1"])
    creatable = {"service", "offering", "requester", "kind", "impact", "urgency", "channel"}
    base = {"service": matrix.world.service.pk, "title": "PmxCreate"}
    response, changes = in_rollback(lambda: send(client, "post", "/api/v1/work-orders/", Payload(base, json=True)))
    assert response.status_code == 201 and "work orders" in changes
    problems = []
    for name, value in fields.items():
        if name in creatable:
            continue
        response, changes = in_rollback(
            lambda n=name, v=value: send(client, "post", "/api/v1/work-orders/", Payload(base | {n: v}, json=True))
        )
        if response.status_code != 400 or changes:
            problems.append(f"POST with {name}={value!r}: {response.status_code} changed={changes}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", SIGNED_IN_ROLES)
def test_nobody_raises_their_own_role_or_moves_themselves(matrix, clients, role):
    client, user = clients(role), matrix.users[role]
    escalation = {
        "role": "client_admin",
        "is_staff": True,
        "is_superuser": True,
        "is_active": True,
        "organisation": matrix.world.other_org.pk,
        "vendor": matrix.world.other_vendor.pk,
        "department": matrix.world.other_dept.pk,
        "sees_department_work_orders": True,
        "teams": [matrix.objects["team"]["A.V2"].pk],
        "username": "pmx-root",
        "password": "pmx-new-password",
    }
    problems = []
    for url in ("/api/v1/users/me/", f"/api/v1/users/{user.pk}/", "/api/v1/users/"):
        for method in ("post", "put", "patch", "delete"):
            response, changes = in_rollback(lambda u=url, m=method: send(client, m, u, Payload(escalation, json=True)))
            if response.status_code not in (403, 405) or changes:
                problems.append(f"{method.upper()} {url}: {response.status_code} changed={changes}")
    # The preferences pages take a language and a time zone; anything else in the form is ignored.
    for url, data in (
        ("/preferences/", {"language": "en", "time_zone": "UTC"}),
        ("/preferences/language/", {"language": "en"}),
    ):
        before = db_state()[-1]
        response, _changes = in_rollback(
            lambda u=url, d=data: (send(client, "post", u, Payload(d | escalation)), db_state()[-1])
        )
        response, users_after = response
        mine_before = next(row for row in before if row[0] == user.pk)
        mine_after = next(row for row in users_after if row[0] == user.pk)
        if mine_before[:9] != mine_after[:9] or mine_before[11] != mine_after[11]:
            problems.append(f"POST {url} changed {mine_before} -> {mine_after}")
        others = [row for row in before if row[0] != user.pk]
        if others != [row for row in users_after if row[0] != user.pk]:
            problems.append(f"POST {url} changed someone else")
    assert not problems, "\n".join(problems)


def test_html_edit_form_ignores_server_owned_fields(matrix, clients):
    client = clients("client_admin")
    wo = matrix.work_orders["A1"]
    fields = {k: v for k, v in server_owned_fields(matrix.work_orders["X1"]).items() if not isinstance(v, dict | list)}
    data = {"expected_version": wo.version, "title": "PmxEditedOnPage", "description": "", **fields}

    def edit():
        response = send(client, "post", f"/wo/{wo.number}/edit/", Payload(data))
        return response, WorkOrder.objects.get(pk=wo.pk)

    (response, after), changes = in_rollback(edit)
    assert response.status_code == 302, body_text(response)[:500]
    assert after.title == "PmxEditedOnPage"
    for model_field in WorkOrder._meta.concrete_fields:
        if model_field.name in DESCRIPTIVE | {"version", "updated_at"}:
            continue
        assert getattr(after, model_field.attname) == getattr(wo, model_field.attname), model_field.name


@pytest.mark.parametrize("role", ["requester", "vendor_agent", "client_supervisor"])
def test_html_create_form_decides_vendor_organisation_status_and_number_itself(matrix, clients, role):
    client, user = clients(role), matrix.users[role]
    data = {
        "idempotency_key": f"pmx-{role}",
        "service": matrix.world.service.pk,
        "title": "PmxFormCreate",
        "description": "PmxFormCreate",
        "impact": 2,
        "urgency": 2,
        "vendor": matrix.world.other_vendor.pk,
        "organisation": matrix.world.other_org.pk,
        "status": "closed",
        "number": "PMX-FORGED-1",
        "sla_breached": "on",
        "created_by": matrix.users["client_admin"].pk,
        "channel": "email",
    }

    def create():
        response = send(client, "post", "/portal/new/", Payload(data))
        return response, WorkOrder.objects.filter(title="PmxFormCreate").first()

    (response, created), _changes = in_rollback(create)
    assert response.status_code == 302, body_text(response)[:500]
    assert created.vendor_id == matrix.world.vendor.pk
    assert created.organisation_id == matrix.world.org.pk
    assert created.status == "new" and not created.sla_breached
    assert created.number.startswith(matrix.world.org.work_order_prefix) and created.number != "PMX-FORGED-1"
    assert created.created_by_id == user.pk and created.requester_id == user.pk


def _error_shape(response, *ids) -> tuple:
    text = body_text(response)
    for pk in ids:
        text = re.sub(rf"(?<!\d){pk}(?!\d)", "<id>", text)
    return response.status_code, text


@pytest.mark.parametrize(
    ("role", "field", "hidden"),
    [
        ("requester", "requester", "requester_2"),
        ("requester", "requester", "foreign_requester"),
        ("requester", "service", "foreign"),
        ("requester", "site", "foreign"),
        ("requester", "offering", "foreign"),
        ("vendor_agent", "service", "A.V2"),
        ("vendor_agent", "requester", "foreign_requester"),
        ("client_admin", "service", "foreign"),
        ("client_admin", "requester", "foreign_admin"),
        ("client_admin", "site", "foreign"),
    ],
)
def test_api_create_with_an_invisible_id_fails_like_a_missing_id(matrix, clients, role, field, hidden):
    client = clients(role)
    if field == "requester":
        hidden_pk = matrix.users[hidden].pk
    elif field == "site":
        hidden_pk = matrix.objects["site"]["X"].pk
    else:
        key = "X" if hidden == "foreign" else hidden
        hidden_pk = matrix.objects[field][key].pk
    base = {"service": matrix.world.service.pk, "title": "PmxForged"}

    def post(pk):
        return in_rollback(lambda: send(client, "post", "/api/v1/work-orders/", Payload(base | {field: pk}, json=True)))

    (got, changes), (missing, _c) = post(hidden_pk), post(PROBE_PK)
    assert got.status_code == 400 and not changes, body_text(got)
    assert _error_shape(got, hidden_pk) == _error_shape(missing, PROBE_PK)


@pytest.mark.parametrize("role", ["vendor_agent", "vendor_manager"])
def test_vendor_staff_cannot_hand_work_to_another_vendor(matrix, clients, role):
    client = clients(role)
    wo = matrix.work_orders["A1"]
    problems = []
    other_agent, other_team = matrix.users["other_vendor_agent"], matrix.objects["team"]["A.V2"]
    for field, hidden_pk in (("assignee", other_agent.pk), ("team", other_team.pk)):

        def assign(pk, f=field):
            return in_rollback(
                lambda: send(client, "post", f"/api/v1/work-orders/{wo.pk}/assign/", Payload({f: pk}, json=True))
            )

        (got, changes), (missing, _c) = assign(hidden_pk), assign(PROBE_PK)
        if got.status_code != 400 or changes or _error_shape(got, hidden_pk) != _error_shape(missing, PROBE_PK):
            problems.append(f"api assign {field}={hidden_pk}: {got.status_code} {body_text(got)[:300]} {changes}")
        page, changes = in_rollback(
            lambda f=field, pk=hidden_pk: send(
                client, "post", f"/wo/{wo.number}/assign/", Payload({"expected_version": wo.version, f: pk})
            )
        )
        if page.status_code != 400 or changes:
            problems.append(f"page assign {field}={hidden_pk}: {page.status_code} {changes}")
    # Transfers between vendors are the client's: refused to vendor staff on both paths.
    for url, data in (
        (
            f"/api/v1/work-orders/{wo.pk}/transfer/",
            Payload({"service": matrix.world.other_service.pk, "reason": "x"}, json=True),
        ),
        (
            f"/wo/{wo.number}/transfer/",
            Payload({"expected_version": wo.version, "service": matrix.world.other_service.pk, "reason": "x"}),
        ),
    ):
        response, changes = in_rollback(lambda u=url, d=data: send(client, "post", u, d))
        if response.status_code not in (400, 403) or changes:
            problems.append(f"transfer {url}: {response.status_code} {changes}")
    assert not problems, "\n".join(problems)


def test_client_cannot_assign_a_work_order_to_another_vendors_staff(matrix, clients):
    client = clients("client_supervisor")
    wo = matrix.work_orders["A1"]
    response, changes = in_rollback(
        lambda: send(
            client,
            "post",
            f"/api/v1/work-orders/{wo.pk}/assign/",
            Payload({"assignee": matrix.users["other_vendor_agent"].pk}, json=True),
        )
    )
    assert response.status_code == 400 and not changes, body_text(response)


@pytest.mark.parametrize("role", ["requester", "requester_2", "dept_requester", "other_requester", "foreign_requester"])
def test_requesters_write_no_internal_notes_and_no_foreign_fields(matrix, clients, role):
    client = clients(role)
    user = matrix.users[role]
    # Their own work order (the department grant shows dept_requester requester_2's).
    wo = (
        next(wo for wo in matrix.work_orders.values() if user.pk in (wo.requester_id,))
        if role != "dept_requester"
        else (matrix.work_orders["A2"])
    )
    url = f"/api/v1/work-orders/{wo.pk}/comments/"
    problems = []
    for data, wanted in (
        ({"body": "PmxSecretNote", "is_internal": True}, {403}),
        ({"body": "PmxNote", "author": matrix.users["client_admin"].pk}, {400}),
        ({"body": "PmxNote", "work_order": matrix.work_orders["B1"].pk}, {400}),
        ({"body": "PmxNote", "created_at": "2020-01-01T00:00:00Z"}, {400}),
    ):
        response, changes = in_rollback(lambda d=data: send(client, "post", url, Payload(d, json=True)))
        if response.status_code not in wanted or changes:
            problems.append(f"comment {data}: {response.status_code} {changes}")
    upload = Payload({"file": SimpleUploadedFile("p.png", PNG, content_type="image/png"), "is_internal": "true"})
    response, changes = in_rollback(lambda: send(client, "post", f"/api/v1/work-orders/{wo.pk}/attachments/", upload))
    if response.status_code != 403 or changes:
        problems.append(f"internal attachment: {response.status_code} {changes}")

    def page_comment():
        response = send(client, "post", f"/wo/{wo.number}/comment/", Payload({"body": "PmxPage", "is_internal": "on"}))
        return response, list(
            Comment.objects.filter(work_order=wo, body="PmxPage").values_list("is_internal", flat=True)
        )

    (page, stored), _changes = in_rollback(page_comment)
    if any(stored):
        problems.append(f"page comment with is_internal: {page.status_code} stored internal")
    assert user.role not in READ_ONLY
    assert not problems, "\n".join(problems)


def test_client_cannot_move_work_to_another_organisation(matrix, clients):
    """Transfer to another organisation's service and a location elsewhere fail like ids that do not exist."""
    client = clients("client_admin")
    wo = matrix.work_orders["A1"]
    foreign_service, foreign_site = matrix.objects["service"]["X"], matrix.objects["site"]["X"]
    cases = (
        (f"/api/v1/work-orders/{wo.pk}/transfer/", "post", "service", foreign_service.pk, {"reason": "PmxMove"}),
        (f"/api/v1/work-orders/{wo.pk}/", "patch", "site", foreign_site.pk, {}),
    )
    for url, method, field, hidden_pk, extra in cases:

        def call(pk, u=url, m=method, f=field, e=extra):
            return in_rollback(lambda: send(client, m, u, Payload({f: pk, **e}, json=True)))

        (got, changes), (missing, _c) = call(hidden_pk), call(PROBE_PK)
        assert got.status_code == 400 and not changes, body_text(got)
        assert _error_shape(got, hidden_pk) == _error_shape(missing, PROBE_PK)
    page, changes = in_rollback(
        lambda: send(
            client,
            "post",
            f"/wo/{wo.number}/transfer/",
            Payload({"expected_version": wo.version, "service": foreign_service.pk, "reason": "PmxMove"}),
        )
    )
    assert page.status_code == 400 and not changes


@pytest.mark.parametrize("role", ["client_admin", "auditor", "foreign_admin"])
def test_the_audit_trail_cannot_be_written_through_the_api(matrix, clients, role):
    client = clients(role)
    entry = matrix.objects["audit_entry"]["A" if role != "foreign_admin" else "X"]
    body = {"action": "pmx.forged", "actor": matrix.users[role].pk, "after": {"x": 1}, "at": "2020-01-01T00:00:00Z"}
    problems = []
    for url in ("/api/v1/audit-entries/", f"/api/v1/audit-entries/{entry.pk}/"):
        for method in ("post", "put", "patch", "delete"):
            response, changes = in_rollback(lambda u=url, m=method: send(client, m, u, Payload(body, json=True)))
            if response.status_code not in (403, 405) or changes:
                problems.append(f"{method.upper()} {url}: {response.status_code} changed={changes}")
    assert client.get(f"/api/v1/audit-entries/{entry.pk}/").status_code == 200
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("hidden", ["nurse_x", "admin_x", "agent_b"])
def test_service_desk_cannot_submit_for_someone_it_cannot_see(matrix, clients, hidden):
    """On behalf of a person of another organisation (or another vendor's staff): the same error as nobody."""
    client = clients("vendor_agent")
    data = {
        "service": matrix.world.service.pk,
        "title": "PmxOnBehalf",
        "description": "PmxOnBehalf",
        "impact": 2,
        "urgency": 2,
    }

    def submit(name):
        response = send(client, "post", "/portal/new/", Payload(data | {"requester": name, "idempotency_key": name}))
        return response.status_code, dict(response.context["form"].errors) if response.context else None

    (got, changes), (missing, _c) = in_rollback(lambda: submit(hidden)), in_rollback(lambda: submit("pmx-nobody"))
    assert got[0] == 400 and not changes
    assert got == missing
