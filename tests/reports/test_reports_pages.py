"""Service report pages and API: the picker, the report page with charts, who gets 403/404, bad period keys (400),
the JSON matching the page, and the schema."""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from oversight.core import clock
from oversight.core.files import content_disposition
from tests.reports.conftest import NOW, VENDOR_NAME

D = Decimal


@pytest.fixture
def at_now():
    with clock.frozen_at(NOW):
        yield


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def figure_cells(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-testid="figure-([a-z_]+)">([^<]*)<', html))


def test_report_page_shows_figures_charts_and_document_links(client, world, rw, at_now):
    client.force_login(world.users["auditor"])
    url = reverse("reports:vendor", args=[world.vendor.pk, "2026-09"])
    with translation.override("en"):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    cells = figure_cells(html)
    assert cells["received"] == "4"
    assert cells["response_timeliness"] == "50.0 %"
    assert cells["onsite_timeliness"] == "—"
    assert cells["mttr"] == "8.3 h"
    assert cells["csat_mean"] == "3.67"
    assert html.count('data-testid="chart"') == 4 and html.count("<svg") >= 4
    assert reverse("reports:vendor_pdf", args=[world.vendor.pk, "2026-09"]) in html
    assert reverse("reports:vendor_xlsx", args=[world.vendor.pk, "2026-09"]) in html
    assert reverse("settlement:detail", args=[rw.statement.pk]) in html
    assert reverse("feedback:complaint_detail", args=[rw.complaint.pk]) in html
    assert rw.wo["D"].number in html and rw.wo["G"].number not in html


def test_contract_page_and_documents(client, world, rw, at_now):
    client.force_login(world.users["vendor_manager"])
    response = client.get(reverse("reports:contract", args=[rw.contract.pk, "2026-Q3"]))
    assert response.status_code == 200
    assert figure_cells(response.content.decode())["received"] == "3"  # A, B in September and P in August
    pdf = client.get(reverse("reports:contract_pdf", args=[rw.contract.pk, "2026-Q3"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    # The vendor's name (not its code) in the reader's language; non-ASCII as RFC 5987 filename*.
    assert pdf["Content-Disposition"] == content_disposition(f"Service_report-{VENDOR_NAME}-HT-9-2026-Q3.pdf")
    assert f"filename*=UTF-8''Service_report-{quote(VENDOR_NAME)}-HT-9-2026-Q3.pdf" in pdf["Content-Disposition"]
    xlsx = client.get(reverse("reports:contract_xlsx", args=[rw.contract.pk, "2026-Q3"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("client_admin", 200),
        ("executive", 200),
        ("vendor_manager", 200),
        ("other_vendor_manager", 404),
        ("foreign_admin", 404),
        ("vendor_agent", 403),
        ("requester", 403),
    ],
)
def test_who_may_open_the_first_vendors_report(client, world, rw, at_now, role, status):
    client.force_login(world.users[role])
    for name in ("reports:vendor", "reports:vendor_pdf"):
        assert client.get(reverse(name, args=[world.vendor.pk, "2026-09"])).status_code == status
    assert client.get(reverse("reports:contract", args=[rw.contract.pk, "2026-09"])).status_code == status
    assert api(world.users[role]).get(f"/api/v1/service-reports/{world.vendor.pk}/?period=2026-09").status_code == (
        status
    )


def test_anonymous_is_sent_to_the_login_page(client, world):
    response = client.get(reverse("reports:vendor", args=[world.vendor.pk, "2026-09"]))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("key", ["2026-13", "2026-Q5", "september", "2026-9-1"])
def test_a_bad_period_key_is_a_clear_400(client, world, key):
    client.force_login(world.users["client_supervisor"])
    response = client.get(reverse("reports:vendor", args=[world.vendor.pk, key]))
    assert response.status_code == 400
    assert "2026-Q3" in response.content.decode()  # says how to write one
    assert client.get(reverse("reports:vendor_xlsx", args=[world.vendor.pk, key])).status_code == 400
    body = api(world.users["client_supervisor"]).get(f"/api/v1/service-reports/{world.vendor.pk}/?period={key}")
    assert body.status_code == 400
    picker = client.get(reverse("reports:index"), {"vendor": world.vendor.pk, "period": key})
    assert picker.status_code == 400


def test_picker_lists_visible_vendors_and_redirects_to_the_last_complete_month(client, world, rw, at_now):
    client.force_login(world.users["vendor_manager"])
    page = client.get(reverse("reports:index"))
    assert page.status_code == 200
    html = page.content.decode()
    assert world.vendor.name in html and world.other_vendor.name not in html
    response = client.get(reverse("reports:index"), {"vendor": world.vendor.pk, "kind": "monthly"})
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:vendor", args=[world.vendor.pk, "2026-09"])
    response = client.get(reverse("reports:index"), {"vendor": world.vendor.pk, "kind": "quarterly"})
    assert response["Location"] == reverse("reports:vendor", args=[world.vendor.pk, "2026-Q3"])
    response = client.get(reverse("reports:index"), {"contract": rw.contract.pk, "period": "2026-08"})
    assert response["Location"] == reverse("reports:contract", args=[rw.contract.pk, "2026-08"])
    assert client.get(reverse("reports:index"), {"vendor": world.other_vendor.pk}).status_code == 404


def test_api_json_matches_the_page(client, world, rw, at_now):
    user = world.users["client_supervisor"]
    user.language = "en"  # the page follows the user's language; this API client (no session) its Accept-Language
    user.save(update_fields=["language"])
    client.force_login(user)
    with translation.override("en"):
        html = client.get(reverse("reports:contract", args=[rw.contract.pk, "2026-09"])).content.decode()
        response = api(user).get(
            f"/api/v1/service-reports/{world.vendor.pk}/?period=2026-09&contract={rw.contract.pk}",
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200
    data = response.json()
    assert data["contract"]["number"] == "HT-9" and data["period"]["key"] == "2026-09"
    assert {f["code"]: f["text"] for f in data["figures"]} == figure_cells(html)
    by_code = {f["code"]: f for f in data["figures"]}
    assert D(by_code["csat_mean"]["value"]) == D("3.5")
    assert by_code["onsite_timeliness"]["value"] is None
    assert [b["number"] for b in data["breaches"]] == [rw.wo["B"].number, rw.wo["B"].number]
    assert [p["key"] for p in data["trend"]] == ["2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09"]
    assert data["evaluations"][0]["statement_id"] == rw.statement.pk
    assert data["complaints"][0]["resolution"] == rw.complaint.resolution
    assert data["improvement_actions"] == []  # nothing raised in the register (see test_reports_content)


def test_api_documents_and_default_period(world, rw, at_now):
    client = api(world.users["vendor_manager"])
    response = client.get(f"/api/v1/service-reports/{world.vendor.pk}/")
    assert response.status_code == 200 and response.json()["period"]["key"] == "2026-09"
    pdf = client.get(f"/api/v1/service-reports/{world.vendor.pk}/pdf/?period=2026-08")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(f"/api/v1/service-reports/{world.vendor.pk}/xlsx/?period=2026-08")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    other = api(world.users["other_vendor_manager"])
    assert other.get(f"/api/v1/service-reports/{world.vendor.pk}/").status_code == 404
    # A contract of another vendor, or one the user may not see, is a 404 too.
    assert client.get(f"/api/v1/service-reports/{world.vendor.pk}/?contract=999999").status_code == 404


def test_the_report_is_in_the_api_schema_and_the_navigation(client, world):
    client.force_login(world.users["client_admin"])
    schema = client.get("/api/schema/").content.decode()
    assert "/api/v1/service-reports/{id}/" in schema
    assert "/api/v1/service-reports/{id}/pdf/" in schema
    html = client.get(reverse("reports:index")).content.decode()
    assert reverse("reports:index") in html
    client.force_login(world.users["vendor_agent"])
    assert client.get(reverse("reports:index")).status_code == 403


@pytest.mark.parametrize(
    ("role", "sees_dashboard"), [("client_supervisor", True), ("auditor", True), ("vendor_manager", False)]
)
def test_index_links_to_schedules_and_only_the_client_side_to_the_dashboard(client, world, role, sees_dashboard):
    client.force_login(world.users[role])
    html = client.get(reverse("reports:index")).content.decode()
    assert f'href="{reverse("reports:schedules")}"' in html
    assert (f'href="{reverse("reports:dashboard")}"' in html) is sees_dashboard


def test_a_period_that_has_not_begun_is_refused_clearly(client, world, rw, at_now):
    client.force_login(world.users["client_supervisor"])
    with translation.override("en"):
        page = client.get(reverse("reports:vendor", args=[world.vendor.pk, "2030-01"]))
        assert page.status_code == 400
        assert "has not begun yet" in page.content.decode()
        assert client.get(reverse("reports:vendor_pdf", args=[world.vendor.pk, "2027-Q1"])).status_code == 400
        picker = client.get(reverse("reports:index"), {"vendor": world.vendor.pk, "period": "2026-11"})
        assert picker.status_code == 400
        body = api(world.users["client_supervisor"]).get(f"/api/v1/service-reports/{world.vendor.pk}/?period=2030-01")
        assert body.status_code == 400
        assert body.json()["error"]["code"] == "period_future"
        # The running month (October 2026 while the clock says 20 October) is a report so far: allowed.
        assert client.get(reverse("reports:vendor", args=[world.vendor.pk, "2026-10"])).status_code == 200


def test_a_contract_of_another_vendor_is_refused_not_ignored(client, world, rw, at_now):
    client.force_login(world.users["client_supervisor"])
    query = {"vendor": world.other_vendor.pk, "contract": rw.contract.pk, "period": "2026-09"}
    with translation.override("en"):  # each request activates the user's language: restored after the block
        response = client.get(reverse("reports:index"), query)
        assert response.status_code == 400
        assert f"Contract {rw.contract.number} belongs to {world.vendor.name}" in response.content.decode()
        # Its own vendor and the contract: the contract's report.
        ok = client.get(reverse("reports:index"), query | {"vendor": world.vendor.pk})
        assert ok["Location"] == reverse("reports:contract", args=[rw.contract.pk, "2026-09"])
        url = f"/api/v1/service-reports/{world.other_vendor.pk}/?period=2026-09&contract={rw.contract.pk}"
        refused = api(world.users["client_supervisor"]).get(url)
        assert (refused.status_code, refused.json()["error"]["code"]) == (400, "contract_vendor")
