"""The changes API: list, filters and detail through the gate, requesting and editing with If-Match, transitions,
the risk questionnaire, votes by the step's members only, the review and caused incidents, conflicts with their
reason codes, the catalogue of standard changes, the calendar (windows and a date range) and CAB meetings."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from oversight.changes import services
from oversight.changes.models import Change, ChangeWindow
from oversight.core import clock
from oversight.tickets import services as tickets


@pytest.fixture
def api():
    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


def _iso(value: dt.datetime) -> str:
    return value.isoformat()


def test_list_filters_and_detail_follow_the_gate(world, api, change):
    mine = change(title="Ours")
    theirs = change(
        title="Theirs",
        implementer=world.other_vendor,
        services=[world.other_service],
        actor=world.users["client_admin"],
    )
    agent = api(world.users["vendor_agent"])
    assert {r["title"] for r in agent.get("/api/v1/changes/").json()["results"]} == {"Ours"}
    assert agent.get(f"/api/v1/changes/{theirs.pk}/").status_code == 404
    assert api(world.users["requester"]).get("/api/v1/changes/").status_code == 403
    sup = api(world.users["client_supervisor"])
    assert {r["title"] for r in sup.get(f"/api/v1/changes/?implementer={world.other_vendor.pk}").json()["results"]} == {
        "Theirs"
    }
    assert sup.get("/api/v1/changes/?q=ours").json()["count"] == 1
    detail = sup.get(f"/api/v1/changes/{mine.pk}/")
    body = detail.json()
    assert detail["ETag"] == mine.etag and body["services"] == [world.service.pk]
    assert body["risk"]["level"] == mine.risk_level and body["risk"]["rule_score"] == mine.risk_rule_score
    assert "assess" in body["allowed_actions"] and [e["kind"] for e in body["events"]] == ["created"]
    assert api(world.users["auditor"]).get(f"/api/v1/changes/{mine.pk}/").json()["allowed_actions"] == []


def test_request_edit_with_if_match_and_refusals(world, api, window):
    agent = api(world.users["vendor_agent"])
    start, end = window(48, 2)
    response = agent.post(
        "/api/v1/changes/",
        {
            "title": "Upgrade the switch",
            "implementer": world.vendor.pk,
            "services": [world.service.pk],
            "implementation_plan": "Upgrade",
            "backout_plan": "Downgrade",
            "planned_start": _iso(start),
            "planned_end": _iso(end),
            "risk_answers": {"reach": 3, "clinical": 3, "experience": 2, "backout": 1, "complexity": 0},
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith("CHG-") and body["risk"]["questionnaire_level"] is not None
    pk = body["id"]
    # Another vendor's implementer, an unknown field and a server-owned field are 400s.
    refused = agent.post("/api/v1/changes/", {"title": "x", "implementer": world.other_vendor.pk}, format="json")
    assert refused.status_code == 400 and "implementer" in refused.content.decode()
    assert agent.post("/api/v1/changes/", {"title": "x", "status": "closed"}, format="json").status_code == 400
    etag = response["ETag"]
    patched = agent.patch(f"/api/v1/changes/{pk}/", {"title": "Upgrade both"}, format="json", HTTP_IF_MATCH=etag)
    assert patched.status_code == 200 and patched.json()["title"] == "Upgrade both"
    stale = agent.patch(f"/api/v1/changes/{pk}/", {"title": "Again"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412 and stale.json()["error"]["code"] == "conflict"
    bad_window = agent.patch(
        f"/api/v1/changes/{pk}/", {"planned_start": _iso(end), "planned_end": _iso(start)}, format="json"
    )
    assert bad_window.status_code == 400
    assert Change.objects.get(pk=pk).title == "Upgrade both"


def test_transitions_review_incidents_and_conflicts(world, api, change, window):
    sup = api(world.users["client_supervisor"])
    start, end = window(24, 2)
    c = change(planned_start=start, planned_end=end)
    url = f"/api/v1/changes/{c.pk}"
    assert sup.post(f"{url}/transitions/fly/", {}, format="json").status_code == 404
    assert sup.post(f"{url}/transitions/close/", {}, format="json").status_code == 409
    # The vendor's agent may not authorise (403), nor anyone reject without a reason (400).
    agent = api(world.users["vendor_agent"])
    assert agent.post(f"{url}/transitions/assess/", {}, format="json").status_code == 403
    assert sup.post(f"{url}/transitions/assess/", {}, format="json").status_code == 200
    assert sup.post(f"{url}/transitions/reject/", {}, format="json").status_code == 400
    for step in ("authorise", "schedule"):
        assert sup.post(f"{url}/transitions/{step}/", {}, format="json").status_code == 200, step
    for step in ("start", "complete"):
        assert agent.post(f"{url}/transitions/{step}/", {}, format="json").status_code == 200, step
    assert sup.post(f"{url}/review/", {"outcome": "failed"}, format="json").status_code == 400  # say what went wrong
    reviewed = sup.post(f"{url}/review/", {"outcome": "backed_out", "notes": "Rolled back"}, format="json")
    assert reviewed.status_code == 200 and reviewed.json()["outcome"] == "backed_out"
    wo = tickets.work_order_create(actor=world.users["requester"], service=world.service, title="No network")
    linked = sup.post(f"{url}/incidents/", {"work_orders": [wo.pk]}, format="json")
    assert linked.status_code == 200 and [i["work_order"] for i in linked.json()["incidents"]] == [wo.pk]
    assert agent.post(f"{url}/incidents/", {"work_orders": [wo.pk]}, format="json").status_code == 403
    unlinked = sup.post(f"{url}/incidents/unlink/", {"work_order": wo.pk}, format="json")
    assert unlinked.status_code == 200 and unlinked.json()["incidents"] == []
    closed = sup.post(f"{url}/transitions/close/", {}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


def test_conflicts_name_codes_and_hide_what_the_reader_may_not_see(world, api, change, window, ci):
    sup = world.users["client_supervisor"]
    start, end = window(24, 2)
    server = ci(name="HIS server")
    mine = change(planned_start=start, planned_end=end, cis=[server])
    other = change(
        title="Other vendor's work",
        implementer=world.other_vendor,
        services=[world.other_service],
        cis=[server],
        planned_start=start,
        planned_end=end,
        actor=world.users["client_admin"],
    )
    for action in ("assess", "authorise"):
        other = services.change_transition(actor=sup, change=other, action=action)
    other = services.change_transition(actor=sup, change=other, action="schedule")
    services.window_create(
        actor=sup, name="Ward audit", kind="blackout", hard=False, start=start - dt.timedelta(hours=1), end=end
    )
    codes = {c["code"]: c for c in api(sup).get(f"/api/v1/changes/{mine.pk}/conflicts/").json()}
    assert set(codes) == {"blackout", "same_ci"}
    assert codes["same_ci"]["change"] == {"id": other.pk, "number": other.number}
    assert codes["blackout"]["hard"] is False and codes["blackout"]["window"] is not None
    # The implementer's agent sees the conflict and its code, not the other vendor's change.
    seen = {c["code"]: c for c in api(world.users["vendor_agent"]).get(f"/api/v1/changes/{mine.pk}/conflicts/").json()}
    assert seen["same_ci"]["change"] is None and seen["same_ci"]["label"]


def test_only_a_member_of_the_open_step_votes(world, api, change):
    admin, sup = world.users["client_admin"], world.users["client_supervisor"]
    services.approval_policy_set(
        actor=admin,
        change_type="normal",
        steps=[{"name": "CAB", "rule": "all", "members": [(sup, None), (admin, None)]}],
    )
    c = services.change_transition(actor=sup, change=change(), action="assess")
    url = f"/api/v1/changes/{c.pk}/vote/"
    body = api(sup).get(f"/api/v1/changes/{c.pk}/").json()
    assert body["my_vote"] is not None and [r["status"] for r in body["steps"][0]["requests"]] == ["pending"] * 2
    assert api(world.users["executive"]).post(url, {"approve": True}, format="json").status_code == 403
    assert api(world.users["vendor_manager"]).post(url, {"approve": True}, format="json").status_code == 403
    assert api(sup).post(url, {"approve": False}, format="json").status_code == 400  # a rejection needs a reason
    assert api(sup).post(url, {"approve": True, "comment": "Fine"}, format="json").status_code == 200
    assert api(sup).post(url, {"approve": True}, format="json").status_code == 403  # voted already
    done = api(admin).post(url, {"approve": True}, format="json").json()
    assert done["status"] == "authorised" and done["steps"][0]["status"] == "approved"


def test_templates_and_a_standard_change(world, api):
    admin = api(world.users["client_admin"])
    payload = {"name": "Toner", "implementation_plan": "Swap", "backout_plan": "Swap back", "service": world.service.pk}
    created = admin.post("/api/v1/change-templates/", payload, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert (
        api(world.users["vendor_manager"]).post("/api/v1/change-templates/", payload, format="json").status_code == 403
    )
    assert admin.post("/api/v1/change-templates/", payload, format="json").status_code == 400  # same name
    assert [t["name"] for t in api(world.users["vendor_agent"]).get("/api/v1/change-templates/").json()["results"]] == [
        "Toner"
    ]
    standard = api(world.users["vendor_agent"]).post(
        "/api/v1/changes/",
        {"title": "Toner ward 3", "type": "standard", "template": pk, "implementer": world.vendor.pk},
        format="json",
    )
    assert standard.status_code == 201 and standard.json()["implementation_plan"] == "Swap"
    retired = admin.patch(f"/api/v1/change-templates/{pk}/", {"active": False}, format="json")
    assert retired.status_code == 200 and retired.json()["active"] is False


def test_calendar_windows_and_range(world, api, change):
    admin = api(world.users["client_admin"])
    start = dt.datetime(2026, 12, 6, 18, tzinfo=dt.UTC)  # Monday 02:00 in Shanghai
    created = admin.post(
        "/api/v1/change-windows/",
        {
            "name": "Sunday night maintenance",
            "kind": "maintenance",
            "start": _iso(start),
            "end": _iso(start + dt.timedelta(hours=4)),
            "rrule": "FREQ=WEEKLY",
            "vendors": [world.other_vendor.pk],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    window_id = created.json()["id"]
    bad = admin.post(
        "/api/v1/change-windows/",
        {"name": "x", "kind": "blackout", "start": _iso(start), "end": _iso(start), "rrule": ""},
        format="json",
    )
    assert bad.status_code == 400
    valid = {"name": "Mine", "kind": "blackout", "start": _iso(start), "end": _iso(start + dt.timedelta(hours=1))}
    assert api(world.users["vendor_manager"]).post("/api/v1/change-windows/", valid, format="json").status_code == 403
    # A vendor sees the window, not which other vendor it names.
    seen = api(world.users["vendor_agent"]).get(f"/api/v1/change-windows/{window_id}/").json()
    assert seen["vendors"] == []
    c = change(planned_start=start + dt.timedelta(days=7), planned_end=start + dt.timedelta(days=7, hours=1))
    with clock.frozen_at(start):
        cal = admin.get("/api/v1/change-windows/calendar/?since=2026-12-07&until=2026-12-20")
    assert cal.status_code == 200, cal.content
    body = cal.json()
    # Hand: weekly from 7 Dec 02:00 (Shanghai); the range 7–20 Dec holds the 7th and the 14th.
    assert [o["start"][:10] for o in body["windows"]] == ["2026-12-07", "2026-12-14"]
    assert [ch["id"] for ch in body["changes"]] == [c.pk]
    assert admin.get("/api/v1/change-windows/calendar/?since=2026-12-20&until=2026-12-07").status_code == 400
    assert admin.get("/api/v1/change-windows/calendar/?since=2026-01-01&until=2026-12-31").status_code == 400
    assert admin.get("/api/v1/change-windows/calendar/?since=x").status_code == 400
    # Without a range: the reader's month. 31 Dec 17:00 UTC is already 1 January in Shanghai.
    with clock.frozen_at(dt.datetime(2026, 12, 31, 17, tzinfo=dt.UTC)):
        month = admin.get("/api/v1/change-windows/calendar/").json()
    assert (month["since"], month["until"]) == ("2027-01-01T00:00:00+08:00", "2027-02-01T00:00:00+08:00")
    assert [o["start"][:10] for o in month["windows"]] == ["2027-01-04", "2027-01-11", "2027-01-18", "2027-01-25"]
    with clock.frozen_at(start):
        june = admin.get("/api/v1/change-windows/calendar/?since=2027-06-10").json()
    assert (june["since"][:10], june["until"][:10]) == ("2027-06-10", "2027-07-01")
    off = admin.post(f"/api/v1/change-windows/{window_id}/deactivate/", {}, format="json")
    assert off.status_code == 200 and off.json()["active"] is False
    assert not ChangeWindow.objects.get(pk=window_id).active


def test_cab_meeting_agenda_and_decision(world, api, change):
    sup = api(world.users["client_supervisor"])
    c = services.change_transition(actor=world.users["client_supervisor"], change=change(), action="assess")
    created = sup.post("/api/v1/cab-meetings/", {"title": "Weekly CAB", "starts_at": _iso(clock.now())}, format="json")
    assert created.status_code == 201, created.content
    meeting = created.json()
    assert [i["change"]["id"] for i in meeting["items"]] == [c.pk]
    assert api(world.users["vendor_manager"]).get(f"/api/v1/cab-meetings/{meeting['id']}/").status_code == 403
    url = f"/api/v1/cab-meetings/{meeting['id']}/decide/"
    item = meeting["items"][0]["id"]
    assert sup.post(url, {"item": item, "decision": "reject"}, format="json").status_code == 400  # needs a reason
    assert sup.post(url, {"item": 987654321, "decision": "defer"}, format="json").status_code == 404
    decided = sup.post(url, {"item": item, "decision": "authorise", "note": "Go"}, format="json")
    assert decided.status_code == 200 and decided.json()["items"][0]["decision"] == "authorise"
    assert Change.objects.get(pk=c.pk).status == "authorised"


def test_list_query_counts_do_not_grow_with_the_rows(world, api, change):
    from tests.query_counts import assert_flat, count_queries

    sup, admin = world.users["client_supervisor"], world.users["client_admin"]
    client = api(sup)
    start = clock.now() + dt.timedelta(days=3)

    def add(n: int) -> None:
        change(title=f"Change {n}", services=[world.service, world.other_service], actor=sup)
        services.change_template_create(
            actor=admin, name=f"Template {n}", implementation_plan="a", backout_plan="b", service=world.service
        )
        services.window_create(
            actor=admin,
            name=f"Window {n}",
            kind="blackout",
            start=start,
            end=start + dt.timedelta(hours=1),
            services=[world.service],
            vendors=[world.vendor],
        )

    urls = ("/api/v1/changes/", "/api/v1/change-templates/", "/api/v1/change-windows/")

    def counts() -> list[int]:
        found = []
        for url in urls:
            with count_queries() as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    add(1)
    few = counts()
    for n in range(2, 5):
        add(n)
    many = counts()
    names = ("changes.api.changes", "changes.api.templates", "changes.api.windows")
    for name, one, more in zip(names, few, many, strict=True):
        assert_flat(name, one, more)
