"""Sourcing pages and API: a scenario is saved from the form, shown with its figures and tornado, compared side by
side, exported as XLSX and PDF that hold the figures; vendors get no scenario page; the commercial model page shows
the expected charge beside the settled amount; the API saves, reads and changes (If-Match) a scenario."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from oversight.sourcing import services
from oversight.sourcing.models import Scenario
from tests.sourcing.conftest import scenario_fields

D = Decimal


def _post_fields(**overrides) -> dict:
    return {k: str(v) for k, v in scenario_fields(**overrides).items()}


def test_save_a_scenario_from_the_form_and_read_its_figures(client, world):
    client.force_login(world.users["client_supervisor"])
    with translation.override("en"):
        response = client.post("/sourcing/scenarios/new/", _post_fields(), HTTP_ACCEPT_LANGUAGE="en")
    scenario = Scenario.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/sourcing/scenarios/{scenario.pk}/"
    page = client.get(f"/sourcing/scenarios/{scenario.pk}/").content.decode()
    # TCO of the worked example (test_sourcing_finance): 3,039,000.00 today, 2,894,390.63 proposed
    assert "3,039,000.00" in page and "2,894,390.63" in page
    assert "<svg" in page and 'data-testid="tornado-table"' in page


def test_a_bad_form_is_shown_again_with_the_reason(client, world):
    client.force_login(world.users["client_supervisor"])
    response = client.post("/sourcing/scenarios/new/", _post_fields(kind="mixed"))
    assert response.status_code == 400
    assert not Scenario.objects.exists()


def test_exports_open_and_hold_the_figures(client, world, scenario):
    client.force_login(world.users["executive"])
    response = client.get(f"/sourcing/scenarios/{scenario.pk}/export/?format=xlsx")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    # the proposal's year-3 total and the switch's flows, as numbers
    assert 1035015.63 in values and 73984.37 in values
    with translation.override("en"):
        response = client.get(f"/sourcing/scenarios/{scenario.pk}/export/?format=pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(b"".join(response))).pages)
    assert "2,894,390.63" in text and "96.41 %" in text  # TCO of the proposal, ROI 0.964062


def test_compare_two_scenarios_side_by_side(client, world, scenario):
    mixed = services.scenario_create(
        actor=world.users["client_admin"],
        organisation=world.org,
        **scenario_fields(name="一半自营", kind="mixed", in_house_share=D(50)),
    )
    client.force_login(world.users["auditor"])
    page = client.get(f"/sourcing/compare/?ids={scenario.pk}&ids={mixed.pk}").content.decode()
    assert "收回自营" in page and "一半自营" in page and "2,894,390.63" in page
    response = client.get(f"/sourcing/compare/?ids={scenario.pk}&ids={mixed.pk}&format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][1:] == ("收回自营", "一半自营")
    assert client.get(f"/sourcing/compare/?ids={scenario.pk}").status_code == 302  # one is not a comparison


def test_vendors_and_requesters_have_no_scenario_page(client, world, scenario):
    for role in ("vendor_manager", "vendor_agent", "requester"):
        client.force_login(world.users[role])
        assert client.get("/sourcing/").status_code == 403
        assert client.get(f"/sourcing/scenarios/{scenario.pk}/").status_code == 403
        assert client.get("/api/v1/sourcing-scenarios/").status_code == 403
    client.force_login(world.users["foreign_admin"])
    assert client.get(f"/sourcing/scenarios/{scenario.pk}/").status_code == 404


def test_commercial_model_page_shows_expected_and_settled(client, world, cc):
    model = services.commercial_model_create(
        actor=world.users["client_admin"], contract_version=cc["version"], basis="handled_contact", rate="3.50"
    )
    client.force_login(world.users["vendor_manager"])
    page = client.get(f"/sourcing/commercial/{model.pk}/").content.decode()
    assert "630.00" in page  # 180 answered x 3.50
    total = f"{cc['statement'].total:,.2f}"
    assert total in page
    api = client.get(f"/api/v1/sourcing-commercial-models/{model.pk}/charges/").json()
    assert api[0]["expected"] == "630.00" and api[0]["actual"] == str(cc["statement"].total)
    client.force_login(world.users["other_vendor_manager"])
    assert client.get(f"/sourcing/commercial/{model.pk}/").status_code == 404


def test_api_saves_reads_and_changes_a_scenario(client, world):
    client.force_login(world.users["client_admin"])
    body = {k: str(v) for k, v in scenario_fields().items()}
    created = client.post("/api/v1/sourcing-scenarios/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["evaluation"]["tco_proposal"] == "2894390.63"
    assert data["evaluation"]["payback_years"] == "1.30"
    assert D(data["tornado"][0]["swing"]) >= D(data["tornado"][-1]["swing"])
    etag = created["ETag"]
    changed = client.patch(
        f"/api/v1/sourcing-scenarios/{data['id']}/",
        {"price_per_contact": "10"},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
    )
    assert changed.status_code == 200 and changed.json()["version"] == 2
    stale = client.patch(
        f"/api/v1/sourcing-scenarios/{data['id']}/",
        {"price_per_contact": "11"},
        content_type="application/json",
        HTTP_IF_MATCH=etag,
    )
    assert stale.status_code == 412
    bad = client.post("/api/v1/sourcing-scenarios/", {**body, "in_house_share": "50"}, content_type="application/json")
    assert bad.status_code == 400 and "error" in bad.json()
