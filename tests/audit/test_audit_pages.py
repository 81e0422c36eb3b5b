"""The audit trail page: readable names, links through the gate, before/after tables in the reader's zone,
picker filters, CSV/XLSX exports, read-only and only for auditors and client administrators."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import zoneinfo

import pytest
from django.utils import translation
from openpyxl import load_workbook

from oversight.audit.models import AuditEntry
from oversight.audit.presentation import readable_entries
from oversight.audit.services import audit_record
from oversight.tickets import services

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
TAG_RE = re.compile(r"<[^>]+>")


def visible_text(page: str) -> str:
    """The text a reader sees (no tags, attributes or option values)."""
    body = page.split("<main", 1)[-1]
    return html.unescape(TAG_RE.sub(" ", body))


@pytest.fixture
def trail(world, wo):
    """A work order received, then its priority changed by the supervisor (display name set)."""
    supervisor = world.users["client_supervisor"]
    supervisor.display_name = "Wang Fang"
    supervisor.save(update_fields=["display_name"])
    work_order = wo(title="Audited one")
    work_order = services.work_order_change_priority(
        actor=supervisor, work_order=work_order, impact=1, urgency=1, reason="ward down"
    )
    return work_order


def test_audit_page_shows_names_people_links_and_a_before_after_table(world, web, wo, trail):
    wo(service=world.foreign_service, requester="foreign_requester", title="Foreign audited")
    page = web("auditor").get("/audit/").content.decode()
    text = visible_text(page)
    assert "Work order received" in text
    assert "Work order priority changed" in text
    assert "tickets.workorder" not in text  # no action or object codes for the reader
    assert "Wang Fang" in text and "super_a" not in text  # the person, not the login
    assert f'href="/wo/{trail.number}/"' in page  # the object's page
    assert "Foreign audited" not in page
    assert "<h4>Before</h4>" not in page and "&quot;priority&quot;" not in page  # no raw JSON
    assert re.search(r"<th scope=\"row\">Priority</th><td>P\d \w+</td><td>P1 critical</td>", page)
    assert "Asia/Shanghai" in text  # times in the reader's zone, said so
    entry = AuditEntry.objects.filter(action="tickets.workorder.priority_changed").get()
    assert entry.at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S") in page


def test_audit_page_in_chinese(world, web, trail):
    auditor = world.users["auditor"]
    auditor.language = "zh-hans"
    auditor.save(update_fields=["language"])
    text = visible_text(web("auditor").get("/audit/").content.decode())
    assert "工单已受理" in text
    assert "工单优先级已变更" in text
    assert "全部" in text
    for word in ("Work order received", "Priority", "All", "priority_changed"):
        assert word not in text, word


def checkbox(name: str, value, label: str, checked: bool = False) -> str:
    """One choice of the shared checkbox dropdown (core.listing.ChoiceDropdown)."""
    tick = " checked" if checked else ""
    return f'<input type="checkbox" name="{name}" value="{value}"{tick}> <span>{label}</span>'


def test_filters_are_the_shared_list_controls_with_all(world, web, trail):
    client = web("auditor")
    page = client.get("/audit/").content.decode()
    for name in ("actor", "action", "object_type"):
        dropdown = re.search(rf'data-filter="{name}">\s*<summary><span class="choice-summary">([^<]+)</span>', page)
        assert dropdown and dropdown.group(1) == "All", name
    assert "<select" not in page.split("<main", 1)[1].split('id="audit-results"')[0]
    assert 'class="card filters"' in page and '<input type="date" name="date_from"' in page
    supervisor = world.users["client_supervisor"]
    assert checkbox("actor", supervisor.pk, "Wang Fang") in page
    assert checkbox("action", "tickets.workorder.priority_changed", "Work order priority changed") in page
    assert checkbox("object_type", "tickets.workorder", "Work order") in page
    # Several people at once, as repeated parameters; the chosen ones are ticked and named in the summary.
    both = client.get(f"/audit/?actor={supervisor.pk}&actor={world.users['requester'].pk}").content.decode()
    assert checkbox("actor", supervisor.pk, "Wang Fang", checked=True) in both
    results = visible_text(both).split("Object")[-1]
    assert "Work order received" in results and "Work order priority changed" in results
    assert 'data-testid="active-filters">1<' in both

    by_action = visible_text(client.get("/audit/?action=tickets.workorder.priority_changed").content.decode())
    assert "Work order priority changed" in by_action.split("Object")[-1]
    assert "Work order received" not in by_action.split("Object")[-1]
    by_actor = visible_text(client.get(f"/audit/?actor={world.users['requester'].pk}").content.decode())
    assert "Work order received" in by_actor.split("Object")[-1]
    assert "Work order priority changed" not in by_actor.split("Object")[-1]
    by_type = client.get("/audit/?object_type=tickets.workorder").content.decode()
    assert trail.number in by_type
    today = trail.created_at.astimezone(SHANGHAI).date()
    assert trail.number in client.get(f"/audit/?date_from={today}&date_to={today}").content.decode()
    later = today + dt.timedelta(days=1)
    assert trail.number not in client.get(f"/audit/?date_from={later}").content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "date_from=2026-12-08&date_to=2026-12-01",
        "actor=99999999999999999999999",
        "actor=abc",
        "action=%3Cscript%3E",
        "object_type=tickets.nothing",
        "date_from=20261301",
    ],
)
def test_bad_filters_get_a_clear_error_not_a_500(world, web, trail, query):
    response = web("auditor").get(f"/audit/?{query}")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error"' in page or "The start date is after the end date" in page
    assert trail.number not in page.split('id="audit-results"')[-1]
    assert "<script>" not in page
    assert web("auditor").get(f"/audit/export.csv?{query}").status_code == 400


def test_link_only_for_what_the_reader_may_see(world, trail):
    other_agent = world.users["other_vendor_agent"]  # vendor 2 may not see vendor 1's work order
    item = next(i for i in readable_entries(AuditEntry.objects.all(), user=other_agent) if i.entry.object_type)
    assert item.object_url == ""
    assert item.object_label.startswith(trail.number)
    admin = world.users["client_admin"]
    seen = readable_entries(AuditEntry.objects.filter(object_type="tickets.workorder"), user=admin)
    assert {i.object_url for i in seen} == {f"/wo/{trail.number}/"}


def test_a_deleted_object_keeps_its_recorded_name_without_a_link(world):
    audit_record(
        actor=None,
        action="tickets.workorder.created",
        object_type="tickets.workorder",
        object_id=987654,
        organisation=world.org,
        after={"status": "new", "sla_breached": False},
    )
    with translation.override("en"):  # the labels are read in English whatever a previous test left active
        item = readable_entries(AuditEntry.objects.filter(object_id="987654"), user=world.users["auditor"])[0]
    assert item.object_url == ""
    assert item.object_label == "Work order #987654"
    assert item.actor_name == "System"
    assert [(c.label, c.after) for c in item.changes] == [("Status", "New"), ("SLA breached", "No")]


def test_csv_export_is_readable_local_and_formula_safe(world, web, trail, settings):
    supervisor = world.users["client_supervisor"]
    supervisor.display_name = "=HYPERLINK(1)"
    supervisor.save(update_fields=["display_name"])
    response = web("auditor").get("/audit/export.csv?action=tickets.workorder.priority_changed")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="tickets.workorder.priority_changed")
    local = entry.at.astimezone(SHANGHAI)
    disposition = response["Content-Disposition"]
    assert re.search(r"audit-trail-\d{8}-\d{4}\.csv", disposition)
    stamp = re.search(r"audit-trail-(\d{8}-\d{4})", disposition).group(1)
    named = dt.datetime.strptime(stamp, "%Y%m%d-%H%M").replace(tzinfo=SHANGHAI)
    assert abs(named - local) < dt.timedelta(minutes=5)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["When", "Person", "Action", "Object type", "Object", "Object id", "Changes", "Request"]
    assert len(rows) == 2
    row = rows[1]
    assert row[0] == local.strftime("%Y-%m-%d %H:%M:%S")
    assert row[1] == "'=HYPERLINK(1)"
    assert row[2] == "Work order priority changed"
    assert row[3] == "Work order"
    assert "Priority: P" in row[6] and "→ P1" in row[6]


def test_xlsx_export_in_chinese_with_local_times(world, web, trail):
    auditor = world.users["auditor"]
    auditor.language = "zh-hans"
    auditor.save(update_fields=["language"])
    response = web("auditor").get("/audit/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("时间", "人员", "操作")
    actions = {row[2] for row in rows[1:]}
    assert {"工单已受理", "工单优先级已变更"} <= actions
    entry = AuditEntry.objects.get(action="tickets.workorder.priority_changed")
    times = {row[0] for row in rows[1:]}
    assert entry.at.astimezone(SHANGHAI).replace(tzinfo=None, microsecond=0) in {
        t.replace(microsecond=0) for t in times
    }


@pytest.mark.parametrize("role", ["client_supervisor", "executive", "vendor_manager", "vendor_agent", "requester"])
def test_roles_that_may_not_read_the_trail_get_403(world, web, trail, role):
    client = web(role)
    for url in ("/audit/", "/audit/export.csv", "/audit/export.xlsx"):
        assert client.get(url).status_code == 403, (role, url)


def test_the_other_organisations_admin_sees_nothing_of_ours(world, web, trail):
    page = web("foreign_admin").get("/audit/").content.decode()
    assert trail.number not in page and "Wang Fang" not in page
    body = b"".join(web("foreign_admin").get("/audit/export.csv").streaming_content).decode("utf-8-sig")
    assert trail.number not in body


def test_audit_page_is_read_only(world, web):
    response = web("auditor").post("/audit/", {})
    assert response.status_code == 405
