"""The register's API: record, change (If-Match), rate, review and move risks; mitigations; matrix versions
and the heat map's data; the overdue filter; refusals and outsiders; list query counts pinned."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from rest_framework.test import APIClient

from oversight.risks import services
from oversight.risks.models import Risk
from tests.query_counts import assert_flat, count_queries


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_risk_is_recorded_rated_reviewed_and_closed_through_the_api(world):
    supervisor = world.users["client_supervisor"]
    api = _api(supervisor)
    created = api.post(
        "/api/v1/risks/",
        {
            "title": "HIS 升级失败",
            "category": "technical",
            "owner": supervisor.pk,
            "cause": "c",
            "event": "e",
            "consequence": "q",
            "vendor": world.vendor.pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk, etag = created.data["id"], created["ETag"]
    rated = api.post(
        f"/api/v1/risks/{pk}/ratings/",
        {"kind": "current", "probability_level": 3, "impact_level": 5, "probability": "0.35", "impact": "3"},
        format="json",
    )
    assert rated.status_code == 201
    assert (rated.data["score"], rated.data["level"], rated.data["exposure"]) == ("15.00", "high", "1.05")
    stale = api.patch(f"/api/v1/risks/{pk}/", {"title": "x"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412  # the rating moved the review date and so the version
    detail = api.get(f"/api/v1/risks/{pk}/")
    assert detail.data["ratings"]["current"]["level"] == "high"
    assert "assess" in detail.data["allowed_actions"]
    assert api.post(f"/api/v1/risks/{pk}/transitions/assess/", {}, format="json").status_code == 200
    assert api.post(f"/api/v1/risks/{pk}/transitions/close/", {}, format="json").status_code == 400
    assert api.post(f"/api/v1/risks/{pk}/transitions/fly/", {}, format="json").status_code == 404
    review = api.post(f"/api/v1/risks/{pk}/reviews/", {"still_valid": True}, format="json")
    assert review.status_code == 201
    assert len(api.get(f"/api/v1/risks/{pk}/reviews/").data) == 1
    assert len(api.get(f"/api/v1/risks/{pk}/ratings/").data) == 1
    closed = api.post(f"/api/v1/risks/{pk}/transitions/close/", {"note": "done"}, format="json")
    assert closed.status_code == 200 and closed.data["status"] == "closed"


def test_bad_input_is_a_clear_400_never_a_500(world, make_risk):
    risk = make_risk()
    api = _api(world.users["client_admin"])
    assert api.post("/api/v1/risks/", {"title": "x", "status": "closed"}, format="json").status_code == 400
    bad = api.post(
        f"/api/v1/risks/{risk.pk}/ratings/",
        {"kind": "current", "probability_level": 6, "impact_level": 1},
        format="json",
    )
    assert bad.status_code == 400
    assert api.post(f"/api/v1/risks/{risk.pk}/ratings/", {"kind": "x"}, format="json").status_code == 400
    assert api.get("/api/v1/risks/", {"owner": "abc"}).status_code in (200, 400)


def test_outsiders_and_read_only_roles(world, make_risk):
    risk = make_risk()
    assert _api(world.users["vendor_manager"]).get("/api/v1/risks/").status_code == 403
    assert _api(world.users["requester"]).get(f"/api/v1/risks/{risk.pk}/").status_code == 403
    assert _api(world.users["foreign_admin"]).get(f"/api/v1/risks/{risk.pk}/").status_code == 404
    auditor = _api(world.users["auditor"])
    assert auditor.get(f"/api/v1/risks/{risk.pk}/").status_code == 200
    assert auditor.post(f"/api/v1/risks/{risk.pk}/transitions/close/", {"note": "x"}, format="json").status_code == 403


def test_mitigations_and_the_overdue_filter(world, make_risk):
    supervisor = world.users["client_supervisor"]
    api = _api(supervisor)
    a, b = make_risk(title="A"), make_risk(title="B", next_review_date=dt.date(2026, 1, 2))
    made = api.post(
        "/api/v1/risk-mitigations/",
        {"title": "Backup line", "owner": supervisor.pk, "due_date": "2026-02-01", "risks": [a.pk]},
        format="json",
    )
    assert made.status_code == 201 and made.data["risks"] == [{"id": a.pk, "number": a.number}]
    foreign = services.risk_create(
        actor=world.users["foreign_admin"],
        title="F",
        cause="c",
        event="e",
        consequence="q",
        category="market",
        owner=world.users["foreign_admin"],
    )
    refused = api.post(
        "/api/v1/risk-mitigations/",
        {"title": "X", "owner": supervisor.pk, "due_date": "2026-02-01", "risks": [foreign.pk]},
        format="json",
    )
    assert refused.status_code == 400
    numbers = lambda response: sorted(r["number"] for r in response.data["results"])  # noqa: E731
    assert numbers(api.get("/api/v1/risks/", {"overdue": "review"})) == [b.number]
    assert numbers(api.get("/api/v1/risks/", {"overdue": "mitigation"})) == [a.number]
    assert numbers(api.get("/api/v1/risks/", {"overdue": "any"})) == sorted([a.number, b.number])
    assert [m["title"] for m in api.get("/api/v1/risk-mitigations/", {"overdue": "true"}).data["results"]] == [
        "Backup line"
    ]
    done = api.post(f"/api/v1/risk-mitigations/{made.data['id']}/transitions/complete/", {}, format="json")
    assert done.status_code == 200 and done.data["status"] == "done"


def test_matrix_versions_and_heat_map_data(world, make_risk):
    admin = world.users["client_admin"]
    cells = [(4, 4), (4, 4), (2, 5)]
    for n, (p, i) in enumerate(cells):
        risk = make_risk(title=f"H{n}")
        services.risk_rating_record(
            risk=risk, kind="inherent", probability_level=p, impact_level=i, reason="", actor=admin
        )
        services.risk_rating_record(
            risk=risk, kind="residual", probability_level=1, impact_level=i, reason="", actor=admin
        )
    api = _api(world.users["executive"])
    versions = api.get("/api/v1/risk-matrix-versions/").data["results"]
    assert [v["number"] for v in versions] == [1]
    version = versions[0]
    assert len(version["cells"]) == 25
    assert {(c["probability"], c["impact"]): c["score"] for c in version["cells"]}[(4, 5)] == "20.00"
    data = api.get(f"/api/v1/risk-matrix-versions/{version['id']}/heat-map/", {"kind": "inherent"}).data
    counted = {(c["probability"], c["impact"]): c["count"] for c in data["cells"] if c["count"]}
    assert counted == dict(Counter(cells)) and data["total"] == 3
    assert sorted((a["inherent"], a["residual"]) for a in data["arrows"]) == sorted(([p, i], [1, i]) for p, i in cells)
    assert api.get(f"/api/v1/risk-matrix-versions/{version['id']}/heat-map/", {"kind": "worst"}).status_code == 400


def test_list_query_counts_do_not_grow(world, make_risk):
    admin = world.users["client_admin"]
    api = _api(admin)

    def measure(url):
        with count_queries() as captured:
            assert api.get(url).status_code == 200
        return len(captured)

    make_risk()
    services.mitigation_create(
        actor=admin, title="M", owner=admin, due_date=dt.date(2027, 1, 1), risks=list(Risk.objects.all())
    )
    few_risks, few_mitigations = measure("/api/v1/risks/"), measure("/api/v1/risk-mitigations/")
    for n in range(4):
        risk = make_risk(title=f"R{n}", vendor=world.vendor)
        services.mitigation_create(actor=admin, title=f"M{n}", owner=admin, due_date=dt.date(2027, 1, 1), risks=[risk])
    assert_flat("risks.api.risks", few_risks, measure("/api/v1/risks/"))
    assert_flat("risks.api.mitigations", few_mitigations, measure("/api/v1/risk-mitigations/"))
