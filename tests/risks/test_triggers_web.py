"""Pages and API of key risk indicators, risk events and vendor states: who reads them (the organisation's client
side; vendor staff and requesters 403, another organisation 404), the forms and their refusals, the figures shown,
and list query counts that do not grow with the rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from oversight.core.clock import frozen_at
from oversight.risks.choices_triggers import KriRule
from oversight.risks.models import KeyRiskIndicator, RiskEvent, VendorStateSettings
from oversight.risks.triggers import kri_evaluate, kri_save
from tests.query_counts import assert_flat, assert_within, count_queries
from tests.risks.triggers_fixtures import at_noon, resolved_on

D = dt.date


@pytest.fixture
def breached(world, no_service_kri):
    resolved_on(world, {D(2026, 11, 1): 2, D(2026, 11, 2): 1, D(2026, 11, 3): 1})
    with frozen_at(at_noon(D(2026, 11, 7))):
        kri_evaluate(kri=no_service_kri)
    return no_service_kri


@pytest.mark.parametrize("role", ["client_admin", "client_supervisor", "executive", "auditor"])
def test_the_client_side_reads_the_pages_with_the_traffic_light_and_the_event(web, breached, role):
    client = web(role)
    listing = client.get("/risks/kris/")
    assert listing.status_code == 200
    assert "Desk Co delivers no service" in listing.content.decode()
    assert 'class="badge light-red"' in listing.content.decode()
    detail = client.get(f"/risks/kris/{breached.pk}/").content.decode()
    assert "2026-11-04" in detail  # the breach began on the first of three red working days
    assert client.get("/risks/events/").status_code == 200
    assert client.get("/risks/vendor-states/").status_code == 200
    # The linked risk's page shows the event beside its timeline, and the KRI links to the risk.
    risk = breached.links.get().risk
    assert f'href="/risks/{risk.pk}/"' in detail
    risk_page = client.get(f"/risks/{risk.pk}/").content.decode()
    assert 'data-testid="risk-events"' in risk_page and "Desk Co delivers no service" in risk_page


@pytest.mark.parametrize("role", ["vendor_manager", "vendor_agent", "requester"])
def test_vendor_staff_and_requesters_are_refused(web, api, breached, world, role):
    for url in ("/risks/kris/", f"/risks/kris/{breached.pk}/", "/risks/events/", "/risks/vendor-states/"):
        assert web(role).get(url).status_code == 403
    for url in (
        "/api/v1/kris/",
        "/api/v1/risk-events/",
        "/api/v1/vendor-states/",
        f"/api/v1/vendor-states/{world.vendor.pk}/",
    ):
        assert api(role).get(url).status_code == 403


def test_another_organisation_sees_nothing_of_ours(web, api, breached, world):
    assert web("foreign_admin").get(f"/risks/kris/{breached.pk}/").status_code == 404
    assert web("foreign_admin").get(f"/risks/vendor-states/{world.vendor.pk}/").status_code == 404
    assert api("foreign_admin").get(f"/api/v1/kris/{breached.pk}/").status_code == 404
    assert api("foreign_admin").get("/api/v1/kris/").json()["results"] == []
    assert api("foreign_admin").get("/api/v1/risk-events/").json()["results"] == []
    forecasts = api("foreign_admin").get("/api/v1/vendor-states/").json()["forecasts"]
    assert {f["vendor"]["id"] for f in forecasts} == {world.foreign_vendor.pk}


def test_a_kri_is_created_on_the_page_and_bad_thresholds_are_explained(web, world, rated_risk):
    client = web("client_supervisor")
    form = {
        "name": "Cost overrun at Desk Co",
        "rule": KriRule.COST_DEVIATION,
        "vendor": world.vendor.pk,
        "higher_is_worse": "1",
        "amber_threshold": "12",
        "red_threshold": "10",
        "window": "month",
        "window_days": "1",
        "persistence": "1",
        "rule_days": "30",
        "starts_on": "2026-01-01",
        "risks": [rated_risk.pk],
        "raise_levels": "1",
    }
    refused = client.get("/risks/kris/new/")
    assert refused.status_code == 200
    bad = client.post("/risks/kris/new/", form)
    assert bad.status_code == 400
    assert "amber threshold must not be above the red threshold" in bad.content.decode()
    assert not KeyRiskIndicator.objects.exists()
    form["amber_threshold"] = "5"
    saved = client.post("/risks/kris/new/", form)
    kri = KeyRiskIndicator.objects.get()
    assert saved.status_code == 302 and saved["Location"] == f"/risks/kris/{kri.pk}/"
    assert list(kri.links.values_list("risk_id", "raise_levels")) == [(rated_risk.pk, 1)]
    assert web("auditor").get("/risks/kris/new/").status_code == 403
    assert web("auditor").post(f"/risks/kris/{kri.pk}/evaluate/").status_code == 403


def test_the_api_creates_reads_evaluates_and_lists_readings(api, world, rated_risk):
    client = api("client_admin")
    body = {
        "name": "No service",
        "rule": "no_service",
        "vendor": world.vendor.pk,
        "higher_is_worse": False,
        "amber_threshold": "1",
        "red_threshold": "1",
        "window": "business_days",
        "window_days": 1,
        "calendar": world.calendar.pk,
        "persistence": 3,
        "starts_on": "2026-11-01",
        "risks": [rated_risk.pk],
    }
    created = client.post("/api/v1/kris/", body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["links"][0]["number"] == rated_risk.number
    assert client.post("/api/v1/kris/", {**body, "risks": [999999]}, format="json").status_code == 400
    assert client.post("/api/v1/kris/", {**body, "status": "red"}, format="json").status_code == 400
    with frozen_at(at_noon(D(2026, 11, 5))):
        evaluated = client.post(f"/api/v1/kris/{pk}/evaluate/", format="json")
    assert evaluated.status_code == 200
    assert evaluated.json()["latest_status"] == "red"
    readings = client.get(f"/api/v1/kris/{pk}/readings/").json()["results"]
    assert [r["period_start"] for r in readings] == ["2026-11-04", "2026-11-03", "2026-11-02", "2026-11-01"]
    assert api("auditor").post(f"/api/v1/kris/{pk}/evaluate/", format="json").status_code == 403
    assert api("executive").get(f"/api/v1/kris/{pk}/").status_code == 200


def test_the_vendor_state_page_says_when_the_prior_is_used(web, api, world):
    page = web("client_supervisor").get(f"/risks/vendor-states/{world.vendor.pk}/").content.decode()
    assert 'data-testid="prior-note"' in page
    data = api("client_supervisor").get(f"/api/v1/vendor-states/{world.vendor.pk}/").json()
    assert [row["prior_used"] for row in data["matrix"]] == [True] * 5
    assert len(data["states"]) == 36 and data["forecasts"][0]["current_state"] is None


def test_the_vendor_state_settings_page_saves_and_refuses_a_bad_prior(web, world):
    client = web("client_admin")
    form = {
        "watch_below": "80",
        "warning_below": "70",
        "remediation_below": "60",
        "warning_missed": "2",
        "remediation_missed": "3",
        "watch_breaches": "5",
        "prior": "0.5 0.5 0 0 0\n0.5 0.5 0 0 0\n0 0 1 0 0\n0 0 0 1 0\n0 0 0 0 1",
        "prior_strength": "1",
        "min_observations": "3",
    }
    assert client.get("/risks/vendor-states/settings/").status_code == 200
    assert client.post("/risks/vendor-states/settings/", form).status_code == 302
    assert VendorStateSettings.objects.get(organisation=world.org).watch_below == Decimal("80")
    bad = client.post("/risks/vendor-states/settings/", {**form, "prior": "1 0\n0 1"})
    assert bad.status_code == 400 and "five rows" in bad.content.decode()
    assert client.post("/risks/vendor-states/settings/", {**form, "prior": "a b"}).status_code == 400


def test_list_query_counts_do_not_grow_with_the_rows(web, api, world, rated_risk):
    admin = world.users["client_admin"]

    def add(n: int) -> None:
        kri = kri_save(
            actor=admin,
            organisation=world.org,
            links=[(rated_risk, 1)],
            name=f"KRI {n}",
            rule=KriRule.COST_DEVIATION,
            vendor=world.vendor,
            amber_threshold=Decimal("5"),
            red_threshold=Decimal("10"),
            starts_on=D(2026, 1, 1),
        )
        RiskEvent.objects.create(
            organisation=world.org,
            kri=kri,
            episode_start=D(2026, 1, 1),
            breached_on=D(2026, 1, 1),
            raised_at=kri.created_at,
        )

    def counts() -> list[int]:
        found = []
        for client, url in (
            (web("client_admin"), "/risks/kris/"),
            (web("client_admin"), "/risks/events/"),
            (api("client_admin"), "/api/v1/kris/"),
            (api("client_admin"), "/api/v1/risk-events/"),
        ):
            client.get(url)
            with count_queries() as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    add(1)
    few = counts()
    for n in range(2, 6):
        add(n)
    many = counts()
    names = ("risks.kri_list", "risks.risk_events", "risks.api.kris", "risks.api.risk_events")
    for name, one, more in zip(names, few, many, strict=True):
        assert_flat(name, one, more)
    assert_within("risks.api.kris", many[2])
