"""The evaluation API: periods, results, commitments, drill-down, timeline, transitions as POST actions, manual
entries with evidence, disputes and decisions, schemes; and the OpenAPI schema stays valid and warning-free."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.test import APIClient

from oversight.core import clock
from oversight.scorecards.models import Dispute, EvaluationPeriod, IndicatorScheme
from tests.query_counts import assert_flat, count_queries
from tests.scorecards.conftest import EVAL_AT, Q3_DAY, simple_indicators

D = Decimal
HOUR = dt.timedelta(hours=1)


def api(world, role) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=world.users[role])
    return client


def post(client, url, data=None, **kwargs):
    return client.post(url, data or {}, format=kwargs.pop("format", "json"), **kwargs)


@pytest.fixture
def period_url(q3):
    return f"/api/v1/evaluation-periods/{q3.pk}/"


def test_open_a_period_on_demand_then_find_it_again(world, contract, simple_scheme, fixture_data):
    client = api(world, "client_supervisor")
    body = {"contract": contract.pk, "kind": "quarterly", "day": Q3_DAY.isoformat()}
    with clock.frozen_at(EVAL_AT):
        created = post(client, "/api/v1/evaluation-periods/", body)
    assert created.status_code == 201, created.json()
    data = created.json()
    assert (data["label"], data["status"], data["total_score"], data["months"]) == ("2026-Q3", "draft", "60.33", 3)
    assert data["unit_counts"] == {"incident": 5}
    with clock.frozen_at(EVAL_AT):
        again = post(client, "/api/v1/evaluation-periods/", body)
    assert again.status_code == 200
    assert again.json()["id"] == data["id"]
    refused = post(api(world, "vendor_manager"), "/api/v1/evaluation-periods/", body)
    assert refused.status_code == 403  # the vendor sees its contract but only the client opens evaluations
    unknown = post(client, "/api/v1/evaluation-periods/", {**body, "status": "locked"})
    assert unknown.status_code == 400  # no mass assignment


def test_results_commitments_and_drilldown(world, q3, period_url, fixture_data):
    client = api(world, "auditor")
    results = client.get(period_url + "results/").json()
    response = next(r for r in results if r["code"] == "response")
    assert (response["value"], response["numerator"], response["denominator"]) == ("60.000000", "3.000000", "5.000000")
    assert response["contribution"] == "24.000000"
    assert response["sets"]["numerator"]["count"] == 3
    drill = client.get(response["sets"]["denominator"]["url"]).json()
    wo = fixture_data.wo
    assert drill["ids"] == [wo[k].pk for k in "ABCDE"]
    assert [r["number"] for r in drill["records"]] == [wo[k].number for k in "ABCDE"]
    csat = client.get(period_url + "drilldown/?indicator=csat&set=numerator").json()
    assert csat["record_type"] == "rating"
    assert [r["stars"] for r in csat["records"]] == [5, 2, 4]
    commitments = client.get(period_url + "commitments/").json()
    row = next(c for c in commitments if c["code"] == "csat")
    assert (row["met"], row["forfeited_share_percent"]) == (False, "50.00")
    assert D(row["measured_exact"]) == D(200) / D(3)
    late = client.get(period_url + "drilldown/?commitment=response&set=denominator&limit=2&offset=1").json()
    assert [r["id"] for r in late["records"]] == [wo["B"].pk, wo["C"].pk]
    assert client.get(period_url + "drilldown/?indicator=response&set=nothing").status_code == 404
    assert client.get(period_url + "drilldown/").status_code == 400


def test_the_whole_workflow_through_the_api(world, q3, period_url, fixture_data):
    supervisor, manager = api(world, "client_supervisor"), api(world, "vendor_manager")
    with clock.frozen_at(EVAL_AT + HOUR):
        assert post(supervisor, period_url + "publish/").json()["status"] == "published"
    with clock.frozen_at(EVAL_AT + 2 * HOUR):
        dispute = manager.post(
            period_url + "disputes/",
            {"indicator": "response", "work_order": fixture_data.wo["B"].number, "reason": "Wrong phone number."},
            format="multipart",
        )
    assert dispute.status_code == 201, dispute.json()
    dispute_id = dispute.json()["id"]
    assert manager.get(period_url).json()["status"] == "disputed"
    with clock.frozen_at(EVAL_AT + 3 * HOUR):
        decided = post(supervisor, f"/api/v1/evaluation-disputes/{dispute_id}/accept/", {"reason": "Checked."})
    assert decided.status_code == 200, decided.json()
    assert (decided.json()["score_before"], decided.json()["score_after"]) == ("60.33", "66.33")
    assert post(manager, f"/api/v1/evaluation-disputes/{dispute_id}/accept/", {"reason": "me"}).status_code == 403
    with clock.frozen_at(EVAL_AT + 4 * HOUR):
        assert post(supervisor, period_url + "sign/").json()["status"] == "signed_client"
        assert post(manager, period_url + "sign/").json()["status"] == "signed"
        locked = post(supervisor, period_url + "lock/").json()
    assert (locked["status"], locked["total_score"]) == ("locked", "66.33")
    refused = post(supervisor, period_url + "recompute/")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "invalid_transition"
    with clock.frozen_at(EVAL_AT + 5 * HOUR):
        revision = post(supervisor, period_url + "revise/", {"reason": "Late records."})
    assert revision.status_code == 201
    assert (revision.json()["revision"], revision.json()["revision_of"]) == (2, q3.pk)
    listed = supervisor.get("/api/v1/evaluation-periods/").json()
    assert [p["id"] for p in listed["results"]] == [revision.json()["id"]]
    every = supervisor.get("/api/v1/evaluation-periods/?all_revisions=true").json()
    assert {p["id"] for p in every["results"]} == {q3.pk, revision.json()["id"]}
    events = supervisor.get(period_url + "events/").json()
    assert [e["kind"] for e in events][-2:] == ["status_changed", "revised"]


def test_manual_entries_with_evidence_through_the_api(world, contract, template_scheme, fixture_data):
    client = api(world, "client_supervisor")
    with clock.frozen_at(EVAL_AT):
        period = post(
            client, "/api/v1/evaluation-periods/", {"contract": contract.pk, "kind": "quarterly", "day": "2026-07-01"}
        ).json()
    url = f"/api/v1/evaluation-periods/{period['id']}/manual-entries/"
    upload = SimpleUploadedFile("check.txt", "抽查记录\n".encode(), "text/plain")
    created = client.post(
        url, {"indicator": "dress_badge", "value": "3", "note": "Spot check", "files": [upload]}, format="multipart"
    )
    assert created.status_code == 201, created.json()
    entry = created.json()
    assert (entry["indicator"], entry["value"], entry["evidence"][0]["original_name"]) == (
        "dress_badge",
        "3.0000",
        "check.txt",
    )
    download = client.get(entry["evidence"][0]["download"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).decode() == "抽查记录\n"
    assert client.get(url).json()[0]["id"] == entry["id"]
    bad = post(client, url, {"indicator": "dress_badge", "value": "2.5"})
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "event_count"
    result = next(
        r
        for r in client.get(f"/api/v1/evaluation-periods/{period['id']}/results/").json()
        if r["code"] == "dress_badge"
    )
    assert result["points"] == "7.000000"


def test_schemes_are_read_by_the_vendor_and_versioned_by_client_admins(world, contract, simple_scheme):
    admin = api(world, "client_admin")
    body = {
        "contract": contract.pk,
        "name": "Simple v2",
        "indicators": [{**i.__dict__, "weight": str(i.weight), "target": None} for i in simple_indicators()],
    }
    created = post(admin, "/api/v1/indicator-schemes/", body)
    assert created.status_code == 201, created.json()
    assert created.json()["number"] == 2
    body["indicators"][0]["weight"] = "39.5"
    refused = post(admin, "/api/v1/indicator-schemes/", body)
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "weights_sum"
    assert "99.50" in refused.json()["error"]["message"]
    template = post(admin, "/api/v1/indicator-schemes/from-template/", {"contract": contract.pk})
    assert template.status_code == 201
    assert len(template.json()["indicators"]) == 17
    assert post(api(world, "client_supervisor"), "/api/v1/indicator-schemes/", body).status_code in (400, 403)
    vendor = api(world, "vendor_manager").get(f"/api/v1/indicator-schemes/?contract={contract.pk}").json()
    assert [s["number"] for s in vendor["results"]] == [3, 2, 1]
    assert api(world, "other_vendor_manager").get(f"/api/v1/indicator-schemes/{simple_scheme.pk}/").status_code == 404
    assert IndicatorScheme.objects.filter(contract=contract).count() == 3


def test_the_period_list_keeps_a_fixed_number_of_queries(world, contract, simple_scheme, fixture_data):
    client = api(world, "client_supervisor")

    def count() -> int:
        with count_queries() as queries:
            assert client.get("/api/v1/evaluation-periods/").status_code == 200
        return len(queries)

    with clock.frozen_at(EVAL_AT):
        post(client, "/api/v1/evaluation-periods/", {"contract": contract.pk, "kind": "monthly", "day": "2026-07-01"})
    one = count()
    with clock.frozen_at(EVAL_AT):
        for day in ("2026-08-01", "2026-09-01", "2026-07-15"):
            kind = "quarterly" if day == "2026-07-15" else "monthly"
            post(client, "/api/v1/evaluation-periods/", {"contract": contract.pk, "kind": kind, "day": day})
    assert EvaluationPeriod.objects.count() == 4
    assert_flat("scorecards.api.periods", one, count())


def test_dispute_decisions_are_listed_with_the_period(world, q3, period_url, fixture_data):
    with clock.frozen_at(EVAL_AT + HOUR):
        post(api(world, "client_supervisor"), period_url + "publish/")
    with clock.frozen_at(EVAL_AT + 2 * HOUR):
        post(api(world, "vendor_manager"), period_url + "disputes/", {"indicator": "csat", "reason": "Few ratings."})
    listed = api(world, "vendor_agent").get(period_url + "disputes/").json()
    assert [(d["indicator"], d["status"], d["work_order"]) for d in listed] == [("csat", "open", None)]
    assert Dispute.objects.count() == 1
    agent = post(api(world, "vendor_agent"), period_url + "disputes/", {"indicator": "csat", "reason": "me too"})
    assert agent.status_code == 403


def test_the_openapi_schema_is_valid_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    text = (tmp_path / "schema.yaml").read_text()
    for path in (
        "/api/v1/evaluation-periods/{id}/drilldown/",
        "/api/v1/evaluation-periods/{id}/manual-entries/",
        "/api/v1/evaluation-disputes/{id}/accept/",
        "/api/v1/indicator-schemes/from-template/",
    ):
        assert path in text
