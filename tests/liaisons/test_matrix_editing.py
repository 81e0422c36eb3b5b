"""Editing the escalation matrix: a level is changed on its own page and through the API with the same checks as
adding one (clear errors, nothing saved), every change audited with what changed, levels removed through the API,
matrices created through the API; vendors and read-only roles may not write, another organisation's rows are 404."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from oversight.audit.models import AuditEntry
from oversight.liaisons.choices import Trigger
from oversight.liaisons.models import EscalationMatrix, EscalationRule
from oversight.liaisons.services.liaisons import matrix_save, rule_save
from tests.factories import signed_in


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def level(matrix, trigger, number) -> EscalationRule:
    return matrix.rules.get(trigger=trigger, priority="", level=number)


def test_a_level_is_changed_on_its_page_and_the_change_is_audited(world, matrix):
    rule = level(matrix, Trigger.OPEN_COMPLAINT, 2)
    client = signed_in(world.users["client_supervisor"])
    page = client.get(reverse("liaisons:rule-edit", args=[rule.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="wait_hours" value="4.00"' in body and 'value="email" selected' in body
    detail = client.get(reverse("liaisons:matrix-detail", args=[matrix.pk])).content.decode()
    assert reverse("liaisons:rule-edit", args=[rule.pk]) in detail
    saved = client.post(
        reverse("liaisons:rule-edit", args=[rule.pk]),
        {"trigger": "open_complaint", "level": "2", "wait_hours": "8", "roles": ["qc_manager"], "delivery": "in_app"},
    )
    assert saved.status_code == 302 and saved["Location"] == reverse("liaisons:matrix-detail", args=[matrix.pk])
    rule.refresh_from_db()
    assert (rule.wait_hours, rule.roles, rule.delivery) == (Decimal("8.00"), ["qc_manager"], "in_app")
    entry = AuditEntry.objects.filter(action="liaisons.escalationrule.changed", object_id=str(rule.pk)).get()
    assert entry.actor_id == world.users["client_supervisor"].pk
    assert entry.before["wait_hours"] == "4.00" and entry.after["wait_hours"] == "8.00"
    assert entry.before["delivery"] == "email" and entry.after["delivery"] == "in_app"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        # Level 2 may not wait longer than level 3 (16 h) nor less than level 1 (1 h).
        ({"level": "2", "wait_hours": "20"}, "A higher level must not wait less than a lower one."),
        ({"level": "3", "wait_hours": "4"}, "This level already exists for the trigger."),
        ({"level": "2", "wait_hours": "4", "roles": [], "users": []}, "Name at least one liaison role"),
        ({"level": "2", "wait_hours": "4", "priority": "P1"}, "Only SLA breaches are filtered by priority."),
        ({"level": "12", "wait_hours": "4"}, "Ensure this value is less than or equal to 9."),
    ],
)
def test_a_refused_change_says_why_and_saves_nothing(world, matrix, data, error):
    rule = level(matrix, Trigger.OPEN_COMPLAINT, 2)
    client = signed_in(world.users["client_admin"])
    form = {"trigger": "open_complaint", "roles": ["qc_manager"], "delivery": "email", **data}
    refused = client.post(reverse("liaisons:rule-edit", args=[rule.pk]), form)
    assert refused.status_code == 400
    assert error in refused.content.decode().replace("&#x27;", "'")
    rule.refresh_from_db()
    assert (rule.level, rule.wait_hours) == (2, Decimal("4.00"))
    assert not AuditEntry.objects.filter(action="liaisons.escalationrule.changed").exists()


def test_vendors_and_readers_do_not_edit_levels(world, matrix):
    rule = level(matrix, Trigger.OPEN_COMPLAINT, 1)
    url = reverse("liaisons:rule-edit", args=[rule.pk])
    form = {"trigger": "open_complaint", "level": "1", "wait_hours": "0", "roles": ["qc_manager"], "delivery": "email"}
    for role in ("vendor_manager", "executive", "auditor", "requester"):
        assert signed_in(world.users[role]).get(url).status_code == 403, role
        assert signed_in(world.users[role]).post(url, form).status_code == 403, role
    assert signed_in(world.users["foreign_admin"]).get(url).status_code == 404
    rule.refresh_from_db()
    assert rule.wait_hours == Decimal("1.00")


def test_the_api_adds_changes_and_removes_levels(world, matrix, api):
    admin = api("client_admin")
    created = admin.post(
        "/api/v1/escalation-rules/",
        {
            "matrix": matrix.pk,
            "trigger": "red_kri",
            "level": 1,
            "wait_hours": "2",
            "roles": ["client_supervisor"],
            "users": [world.users["client_admin"].pk],
            "delivery": "email",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    rule_id = created.json()["id"]
    assert created.json()["matrix"] == matrix.pk and created.json()["users"] == [world.users["client_admin"].pk]
    changed = admin.put(
        f"/api/v1/escalation-rules/{rule_id}/",
        {"trigger": "red_kri", "level": 1, "wait_hours": "3.5", "roles": ["client_supervisor"], "delivery": "in_app"},
        format="json",
    )
    assert changed.status_code == 200 and changed.json()["wait_hours"] == "3.50"
    assert changed.json()["users"] == []  # a PUT names the whole row
    refused = admin.put(
        f"/api/v1/escalation-rules/{rule_id}/",
        {"trigger": "red_kri", "level": 1, "wait_hours": "3.5", "delivery": "in_app"},
        format="json",
    )
    assert refused.status_code == 400 and "Name at least one" in refused.json()["error"]["message"]
    listed = admin.get("/api/v1/escalation-rules/").json()
    assert rule_id in [row["id"] for row in listed["results"]]
    assert admin.delete(f"/api/v1/escalation-rules/{rule_id}/").status_code == 204
    assert not EscalationRule.objects.filter(pk=rule_id).exists()
    actions = list(AuditEntry.objects.filter(object_id=str(rule_id)).order_by("id").values_list("action", flat=True))
    assert actions == [
        "liaisons.escalationrule.created",
        "liaisons.escalationrule.changed",
        "liaisons.escalationrule.deleted",
    ]


def test_the_api_refuses_vendors_readers_and_other_organisations(world, matrix, api):
    rule = level(matrix, Trigger.OPEN_COMPLAINT, 1)
    row = {"trigger": "open_complaint", "level": 1, "wait_hours": "0", "roles": ["qc_manager"], "delivery": "email"}
    # A vendor's own override: its manager reads it but may not change it.
    own = matrix_save(
        actor=world.users["client_admin"], organisation=world.org, vendor=world.vendor, calendar=world.calendar
    )
    theirs = rule_save(actor=world.users["client_admin"], matrix=own, **{**row, "wait_hours": Decimal("1")})
    vendor = api("vendor_manager")
    assert vendor.get(f"/api/v1/escalation-rules/{theirs.pk}/").status_code == 200
    assert vendor.put(f"/api/v1/escalation-rules/{theirs.pk}/", row, format="json").status_code == 403
    assert vendor.delete(f"/api/v1/escalation-rules/{theirs.pk}/").status_code == 403
    assert vendor.post("/api/v1/escalation-rules/", {**row, "matrix": own.pk}, format="json").status_code == 403
    # The levels of the organisation's matrix are the client's: not found for vendor staff.
    assert vendor.get(f"/api/v1/escalation-rules/{rule.pk}/").status_code == 404
    assert api("executive").put(f"/api/v1/escalation-rules/{rule.pk}/", row, format="json").status_code == 403
    assert api("executive").delete(f"/api/v1/escalation-rules/{rule.pk}/").status_code == 403
    assert api("requester").get("/api/v1/escalation-rules/").status_code == 403
    assert api("foreign_admin").put(f"/api/v1/escalation-rules/{rule.pk}/", row, format="json").status_code == 404
    assert (
        api("foreign_admin").post("/api/v1/escalation-rules/", {**row, "matrix": matrix.pk}, format="json").status_code
        == 400
    )  # the matrix is not theirs: refused like an unknown id
    rule.refresh_from_db()
    theirs.refresh_from_db()
    assert (rule.wait_hours, theirs.wait_hours) == (Decimal("1.00"), Decimal("1.00"))


def test_the_api_creates_a_vendor_matrix_and_changes_its_calendar(world, matrix, office_calendar, api):
    admin = api("client_supervisor")
    created = admin.post(
        "/api/v1/escalation-matrices/", {"vendor": world.vendor.pk, "calendar": world.calendar.pk}, format="json"
    )
    assert created.status_code == 201
    made = EscalationMatrix.objects.get(pk=created.json()["id"])
    assert (made.vendor_id, made.calendar_id) == (world.vendor.pk, world.calendar.pk)
    moved = admin.put(f"/api/v1/escalation-matrices/{made.pk}/", {"calendar": office_calendar.pk}, format="json")
    assert moved.status_code == 200 and moved.json()["calendar"]["id"] == office_calendar.pk
    assert (
        api("vendor_manager")
        .post("/api/v1/escalation-matrices/", {"calendar": world.calendar.pk}, format="json")
        .status_code
        == 403
    )
