"""The portfolio tables sort by their column headers (allowed keys only, `aria-sort` on the sorted header)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from oversight.portfolio import services
from tests.portfolio.conftest import JULY


def order_of(html: str, *names: str) -> list[str]:
    """The given names in the order the page shows them."""
    return sorted(names, key=html.index)


def header(html: str, label: str) -> str:
    """The aria-sort state of the sortable header with this label."""
    match = re.search(rf'<th scope="col" aria-sort="([a-z]+)"><a class="sort-link" href="[^"]*">{label}<', html)
    assert match is not None, label
    return match.group(1)


@pytest.fixture
def scored(world):
    admin = world.users["client_admin"]
    services.vendor_set_tier(actor=admin, vendor=world.other_vendor, tier="strategic", reason="Runs the network")
    services.vendor_set_tier(actor=admin, vendor=world.vendor, tier="ordinary", reason="Small")
    for vendor, value in ((world.vendor, "91"), (world.other_vendor, "72")):
        services.monthly_score_enter(
            actor=admin, vendor=vendor, month=JULY, dimension="technical", value=Decimal(value), note="R"
        )


def test_the_overview_sorts_by_tier_score_and_name_both_ways(web, world, scored):
    client = web("client_supervisor")
    default = client.get(reverse("portfolio:overview")).content.decode()
    assert order_of(default, "Desk Co", "Net Co") == ["Desk Co", "Net Co"]  # by name
    assert header(default, "Tier") == "none"
    by_tier = client.get(reverse("portfolio:overview"), {"sort": "tier"}).content.decode()
    assert order_of(by_tier, "Desk Co", "Net Co") == ["Net Co", "Desk Co"]  # strategic before ordinary
    assert header(by_tier, "Tier") == "ascending"
    by_score = client.get(reverse("portfolio:overview"), {"sort": "-technical"}).content.decode()
    assert order_of(by_score, "Desk Co", "Net Co") == ["Desk Co", "Net Co"]  # 91 before 72
    assert header(by_score, "Technical capability") == "descending"
    low_first = client.get(reverse("portfolio:overview"), {"sort": "technical"}).content.decode()
    assert order_of(low_first, "Desk Co", "Net Co") == ["Net Co", "Desk Co"]
    by_name_reversed = client.get(reverse("portfolio:overview"), {"sort": "-vendor"}).content.decode()
    assert order_of(by_name_reversed, "Desk Co", "Net Co") == ["Net Co", "Desk Co"]
    for bad in ("vendor__password", "--tier", "x" * 300):
        response = client.get(reverse("portfolio:overview"), {"sort": bad})
        assert response.status_code == 200
        assert 'aria-sort="ascending"' not in response.content.decode()


def test_a_vendor_without_a_score_comes_last_both_ways(web, world):
    admin = world.users["client_admin"]
    services.monthly_score_enter(
        actor=admin, vendor=world.other_vendor, month=JULY, dimension="cost", value=Decimal("60"), note="R"
    )
    client = web("client_supervisor")
    for sort in ("cost", "-cost"):
        html = client.get(reverse("portfolio:overview"), {"sort": sort}).content.decode()
        assert order_of(html, "Desk Co", "Net Co") == ["Net Co", "Desk Co"], sort


def test_the_monthly_scores_sort_by_month_or_figure_and_the_chart_stays_in_time_order(web, world):
    admin = world.users["client_admin"]
    for month, value in ((JULY, "70"), (dt.date(2026, 8, 1), "95"), (dt.date(2026, 9, 1), "80")):
        services.monthly_score_enter(
            actor=admin, vendor=world.vendor, month=month, dimension="technical", value=Decimal(value), note="R"
        )
    client = web("client_supervisor")
    url = reverse("portfolio:vendor", args=[world.vendor.pk])
    default = client.get(url).content.decode()
    newest_first = default[default.index('data-testid="score-table"') :]
    assert order_of(newest_first, "2026-07", "2026-08", "2026-09") == ["2026-09", "2026-08", "2026-07"]
    by_score = client.get(url, {"sort": "-technical"}).content.decode()
    table = by_score[by_score.index('data-testid="score-table"') :]
    assert order_of(table, "2026-07", "2026-08", "2026-09") == ["2026-08", "2026-09", "2026-07"]  # 95, 80, 70
    assert header(by_score, "Technical capability") == "descending"
    chart = by_score[: by_score.index('data-testid="score-table"')]
    assert order_of(chart, "2026-07", "2026-08", "2026-09") == ["2026-07", "2026-08", "2026-09"]


def test_coverage_and_compliance_sort_by_their_headers(web, world, contract):
    for service in (world.service, world.other_service):
        service.is_critical = True
        service.save(update_fields=["is_critical"])
    client = web("client_supervisor")
    coverage = client.get(reverse("portfolio:coverage"), {"sort": "-service"}).content.decode()
    table = coverage[: coverage.index("</table>")]
    assert order_of(table, ">Desktop<", ">Network<") == [">Network<", ">Desktop<"]
    assert header(coverage, "Service") == "descending"
    compliance_url = reverse("portfolio:compliance", args=[world.vendor.pk])
    # 4 on-site engineers and 2 service desk agents are contracted.
    fewest = client.get(compliance_url, {"sort": "contracted"}).content.decode()
    assert re.findall(r"<td>(\d+)</td><td>\d+</td><td>\d+</td><td>\d+</td>", fewest) == ["2", "4"]
    assert header(fewest, "Contracted") == "ascending"
    most = client.get(compliance_url, {"sort": "-contracted"}).content.decode()
    assert re.findall(r"<td>(\d+)</td><td>\d+</td><td>\d+</td><td>\d+</td>", most) == ["4", "2"]
