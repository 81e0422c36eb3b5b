"""The client's vendor dashboard: figures computed by hand from the scenario of tests/reports/dashboard_fixtures.py,
the score and cost rules, the currency rule, the default period, who may open it, the API and a bounded query count.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from oversight.core import clock
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.core.money import format_money
from oversight.reports import dashboard
from oversight.reports.periods import period_from_key
from tests.factories import OfferingFactory, ServiceFactory, VendorFactory
from tests.query_counts import assert_flat, count_queries
from tests.reports import dashboard_fixtures as fx

D = Decimal
URL = "/reports/dashboard/"
API = "/api/v1/vendor-dashboard/"
CLIENT_SIDE = ("client_admin", "client_supervisor", "executive", "auditor")
REFUSED = ("vendor_manager", "vendor_agent", "other_vendor_manager", "requester")


def cents(value: Decimal) -> Decimal:
    return value.quantize(D("0.01"), rounding=ROUND_HALF_UP)


@pytest.fixture
def scenario(world):
    return fx.build(world)


def board_for(world, key="2026-10", role="client_supervisor"):
    user = world.users[role]
    with clock.frozen_at(fx.NOW):
        period = period_from_key(key, world.org)
        return dashboard.vendor_dashboard(user=user, period=period, organisation=world.org)


def column(board, vendor):
    return next(c for c in board.columns if c.vendor.pk == vendor.pk)


def get(client, world, role, url):
    client.force_login(world.users[role])
    with clock.frozen_at(fx.NOW):
        return client.get(url)


def cell_text(content: str, code: str, vendor_pk: int) -> str:
    """The visible text of one dashboard cell (tags stripped, spaces collapsed)."""
    match = re.search(rf'data-testid="cell-{code}-{vendor_pk}">(.*?)</td>', content, re.S)
    assert match, f"no cell {code} for vendor {vendor_pk}"
    text = re.sub(r"<[^>]+>", " ", match.group(1))
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


# ------------------------------------------------------------------------------------------------ figures


def test_figures_of_each_vendor_computed_by_hand(world, scenario):
    board = board_for(world)
    desk, net = column(board, world.vendor), column(board, world.other_vendor)
    d, n = desk.cells, net.cells
    # Desk Co: A, B, C, D received; responses met A, C, D of 4; resolutions met A, C of 4.
    assert d["received"].value == 4
    assert d["response_timeliness"].value == cents(D(100) * 3 / 4) == D("75.00")
    assert d["resolution_timeliness"].value == D("50.00")
    # ratings 5, 2, 4, 5 stars; recommend 10, 3, 8, 9 → promoters 2, detractors 1 of 4.
    assert d["csat_mean"].value == cents(D(5 + 2 + 4 + 5) / 4) == D("4.00")
    assert d["csat_satisfied_share"].value == D("75.00")
    assert d["nps"].value == cents(D(100) * (2 - 1) / 4) == D("25.00")
    assert d["complaint_count"].value == 1
    # Net Co: E, F, H received; responses met E of 3; resolutions met E, F of 3; one rating 5 stars, recommend 10.
    assert n["received"].value == 3
    assert n["response_timeliness"].value == cents(D(100) / 3) == D("33.33")
    assert n["resolution_timeliness"].value == cents(D(200) / 3) == D("66.67")
    assert n["csat_mean"].value == D("5.00")
    assert n["csat_satisfied_share"].value == D("100.00")
    assert n["nps"].value == D("100.00")
    assert n["complaint_count"].value == 0


def test_score_and_cost_by_hand(world, scenario):
    board = board_for(world)
    desk, net = column(board, world.vendor), column(board, world.other_vendor)
    # Desk Co: the October evaluation (88.50, signed) and its statement (99 000.00) → 99 000.00 ÷ 4.
    assert desk.cells["score"].value == D("88.50")
    assert [(s.contract_number, s.score, s.status) for s in desk.scores] == [("HT-D", D("88.50"), "signed")]
    assert desk.cost.source == dashboard.FROM_STATEMENTS
    assert desk.cost.amounts == {"CNY": D("99000.00")}
    assert [st.pk for st in desk.cost.statements] == [scenario.desk_statement.pk]
    assert desk.cells["cost_per_work_order"].value == D("24750.00")
    # Net Co: no statement → the monthly base fee 10 000.00 ÷ 3 work orders = 3333.333… → 3333.33.
    assert net.cells["score"].value is None
    assert net.cost.source == dashboard.FROM_BASE_FEE
    assert net.cost.amounts == {"CNY": D("10000.00")}
    assert net.cells["cost_per_work_order"].value == cents(D("10000.00") / 3) == D("3333.33")


def test_previous_period_deltas(world, scenario):
    board = board_for(world)
    desk, net = column(board, world.vendor), column(board, world.other_vendor)
    assert board.previous.key == "2026-09"
    # September: Desk Co received S only (both targets met), no rating, no statement (base fee 120 000.00).
    assert desk.cells["received"].previous == 1 and desk.cells["received"].delta == 3
    assert desk.cells["response_timeliness"].previous == D("100.00")
    assert desk.cells["response_timeliness"].delta == D("-25.00")
    assert desk.cells["resolution_timeliness"].delta == D("-50.00")
    assert desk.cells["csat_mean"].previous is None and desk.cells["csat_mean"].delta is None
    assert desk.cells["cost"].previous == D("120000.00")
    assert desk.cells["cost"].delta == D("99000.00") - D("120000.00")
    assert desk.cells["cost_per_work_order"].previous == D("120000.00")
    assert desk.cells["cost_per_work_order"].delta_text == "-95250.00"
    # Net Co received nothing in September: no cost per work order then.
    assert net.cells["received"].previous == 0
    assert net.cells["cost_per_work_order"].previous is None


def test_best_value_of_each_row(world, scenario):
    board = board_for(world)
    best = {row.spec.code: [c.best for c in row.cells] for row in board.rows}
    order = [c.vendor.pk for c in board.columns]
    desk_first = order == [world.vendor.pk, world.other_vendor.pk]
    assert desk_first  # vendors are in name order: Desk Co, Net Co

    def who(code):
        return [name for name, flag in zip(("desk", "net"), best[code], strict=True) if flag]

    assert who("response_timeliness") == ["desk"]  # 75.00 > 33.33
    assert who("resolution_timeliness") == ["net"]  # 66.67 > 50.00
    assert who("csat_mean") == ["net"]
    assert who("nps") == ["net"]
    assert who("complaint_count") == ["net"]  # fewer is better
    assert who("cost_per_work_order") == ["net"]  # cheaper is better, same currency
    assert who("score") == []  # one value only: nothing to compare
    assert who("received") == [] and who("cost") == []  # volume and total fee are not ranked


def test_score_rule_plain_mean_preferring_the_kind_of_the_period(world, scenario):
    second_service = ServiceFactory(organisation=world.org, vendor=world.vendor, sla_policy=world.policy, code="hw")
    OfferingFactory(service=second_service)
    second = fx.make_contract(world, vendor=world.vendor, service=second_service, number="HT-D2", fee="5000.00")
    fx.evaluation(world, second, score="91.00", status="published")
    # A quarterly evaluation of a contract that also has a monthly one for October: the monthly one counts.
    fx.evaluation(world, scenario.desk_contract, score="60.00", kind="quarterly", month=10)
    # Net Co's contract is evaluated only quarterly: its Q4 score stands for October.
    fx.evaluation(world, scenario.net_contract, score="70.00", kind="quarterly", month=10)
    board = board_for(world)
    desk, net = column(board, world.vendor), column(board, world.other_vendor)
    assert [(s.contract_number, s.score, s.status) for s in desk.scores] == [
        ("HT-D", D("88.50"), "signed"),
        ("HT-D2", D("91.00"), "published"),
    ]
    assert desk.cells["score"].value == cents((D("88.50") + D("91.00")) / 2) == D("89.75")
    assert [(s.label, s.score) for s in net.scores] == [("2026-Q4", D("70.00"))]
    assert net.cells["score"].value == D("70.00")
    quarter = board_for(world, "2026-Q4")
    assert column(quarter, world.other_vendor).cells["score"].value == D("70.00")
    # In the quarter, Desk Co's HT-D has its quarterly 60.00; HT-D2 has only October (91.00): (60 + 91) / 2.
    assert column(quarter, world.vendor).cells["score"].value == D("75.50")


def test_cost_from_statements_and_base_fee_pro_rata(world, scenario):
    # Q4 2026: Desk Co's October statement (99 000.00) + the base fee of November and December (2 × 120 000.00).
    quarter = board_for(world, "2026-Q4")
    desk, net = column(quarter, world.vendor), column(quarter, world.other_vendor)
    assert desk.cost.source == dashboard.FROM_BOTH
    assert desk.cost.amounts == {"CNY": D("99000.00") + 2 * D("120000.00")}
    assert net.cost.source == dashboard.FROM_BASE_FEE
    assert net.cost.amounts == {"CNY": 3 * D("10000.00")}
    # A quarterly statement seen from one of its months: a third of its total.
    q3 = fx.evaluation(world, scenario.net_contract, score="80.00", kind="quarterly", month=7)
    fx.statement(q3, total="45000.00")
    september = column(board_for(world, "2026-09"), world.other_vendor)
    assert september.cost.source == dashboard.FROM_STATEMENTS
    assert september.cost.amounts == {"CNY": D("15000.00")}


def test_currencies_never_mixed(world):
    fx.build(world, net_currency="USD")
    board = board_for(world)
    desk, net = column(board, world.vendor), column(board, world.other_vendor)
    assert board.mixed_currencies and board.currencies == ["CNY", "USD"]
    assert (desk.cells["cost"].currency, desk.cells["cost"].value) == ("CNY", D("99000.00"))
    assert (net.cells["cost"].currency, net.cells["cost"].value) == ("USD", D("10000.00"))
    assert net.cells["cost_per_work_order"].value == D("3333.33")
    cost_row = next(r for r in board.rows if r.spec.code == "cost_per_work_order")
    assert not any(c.best for c in cost_row.cells)  # 3333.33 USD and 24750.00 CNY are not compared


def test_several_currencies_of_one_vendor_give_no_cost_per_work_order():
    cost = dashboard.Cost(amounts={"CNY": D("100.00"), "USD": D("10.00")}, source=dashboard.FROM_BASE_FEE)
    assert cost.amount is None and cost.currency == ""
    assert dashboard.cost_per_work_order(cost, 4) is None
    single = dashboard.Cost(amounts={"CNY": D("100.00")}, source=dashboard.FROM_BASE_FEE)
    assert dashboard.cost_per_work_order(single, 3) == D("33.33")
    assert dashboard.cost_per_work_order(single, 0) is None


def test_vendors_shown_are_the_organisations_with_activity_or_contract(world, scenario):
    idle = VendorFactory(organisation=world.org, name="Idle Co", code="idle")
    board = board_for(world)
    names = [c.vendor.name for c in board.columns]
    assert names == ["Desk Co", "Net Co"]
    assert idle.name not in names
    other = world.users["foreign_admin"]
    with clock.frozen_at(fx.NOW):
        period = period_from_key("2026-10", world.other_org)
        foreign = dashboard.vendor_dashboard(user=other, period=period, organisation=world.other_org)
        assert [c.vendor.name for c in foreign.columns] == []
        with pytest.raises(NotAllowed):
            dashboard.vendor_dashboard(user=other, period=period, organisation=world.org)


# ------------------------------------------------------------------------------------------------ periods


@pytest.mark.parametrize(
    ("now", "kind", "expected"),
    [
        (fx.NOW, "", "2026-10"),
        (fx.NOW, "quarterly", "2026-Q3"),
        # 31 Oct 23:00 in Shanghai is still October: the last complete month is September.
        (dt.datetime(2026, 10, 31, 15, 0, tzinfo=dt.UTC), "", "2026-09"),
        # 1 Nov 01:00 in Shanghai (31 Oct 17:00 UTC): October is complete.
        (dt.datetime(2026, 10, 31, 17, 0, tzinfo=dt.UTC), "", "2026-10"),
        (dt.datetime(2026, 1, 15, 2, 0, tzinfo=dt.UTC), "quarterly", "2025-Q4"),
    ],
)
def test_default_period_is_the_last_complete_one(world, now, kind, expected):
    with clock.frozen_at(now):
        assert dashboard.resolve_period(world.org, kind=kind).key == expected


def test_bad_period_is_refused(world, client):
    with pytest.raises(ApplicationError):
        dashboard.resolve_period(world.org, key="2026-13")
    page = get(client, world, "client_supervisor", URL + "?period=October")
    assert page.status_code == 400
    assert 'data-testid="period-error"' in page.content.decode()
    api = get(client, world, "client_supervisor", API + "?period=2026-Q5")
    assert api.status_code == 400
    assert api.json()["error"]["code"] == "period_key"
    assert get(client, world, "client_supervisor", API + "?kind=weekly").status_code == 400


# ------------------------------------------------------------------------------------------------ web and API


@pytest.mark.parametrize("role", CLIENT_SIDE)
def test_client_side_opens_the_page(world, scenario, client, role):
    response = get(client, world, role, URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="period-label"' in content and "2026-10" in content
    assert 'data-testid="comparison-chart"' in content and 'data-testid="trend-chart"' in content
    assert content.count("<svg") >= 2 and "<title>" in content  # accessible, server-side SVG
    assert reverse("portfolio:vendor", args=[world.vendor.pk]) in content
    assert reverse("reports:vendor", kwargs={"pk": world.other_vendor.pk, "period": "2026-10"}) in content
    assert content.count("Figures of this chart") == 2  # each chart's text alternative


@pytest.mark.parametrize("role", REFUSED)
def test_vendor_side_and_requesters_are_refused(world, scenario, client, role):
    assert get(client, world, role, URL).status_code == 403
    assert get(client, world, role, API).status_code == 403


def test_page_shows_the_hand_computed_figures(world, scenario, client):
    content = get(client, world, "executive", URL + "?period=2026-10").content.decode()
    desk, net = world.vendor.pk, world.other_vendor.pk
    assert cell_text(content, "response_timeliness", desk).startswith("75.00 % (best)")
    assert "-25.00" in cell_text(content, "response_timeliness", desk)
    assert cell_text(content, "resolution_timeliness", net).startswith("66.67 % (best)")
    assert cell_text(content, "cost_per_work_order", desk).startswith("CN¥24,750.00")
    assert cell_text(content, "cost_per_work_order", net).startswith("CN¥3,333.33 (best)")
    assert "88.50" in cell_text(content, "score", desk) and "HT-D" in cell_text(content, "score", desk)
    assert cell_text(content, "score", net).startswith("—")
    trend = re.search(r'data-testid="trend-chart">(.*?)</figure>', content, re.S).group(1)
    assert "2026-05" in trend and "2026-10" in trend  # six months
    assert reverse("settlement:detail", args=[scenario.desk_statement.pk]) in content


def test_page_marks_currencies_and_quarter_switch(world, client):
    fx.build(world, net_currency="USD")
    content = get(client, world, "auditor", URL).content.decode()
    assert 'data-testid="mixed-currencies"' in content
    assert cell_text(content, "cost", world.other_vendor.pk).startswith("$10,000.00")
    quarter = get(client, world, "auditor", URL + "?kind=quarterly").content.decode()
    assert "2026 Q3" in quarter


def test_htmx_request_gets_the_body_only(world, scenario, client):
    client.force_login(world.users["client_admin"])
    with clock.frozen_at(fx.NOW):
        response = client.get(URL + "?period=2026-10", headers={"HX-Request": "true"})
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<div id="dashboard-body">') and "<html" not in content


def test_api_gives_the_page_figures(world, scenario, client):
    body = get(client, world, "client_supervisor", API + "?period=2026-10").json()
    assert body["period"] == "2026-10" and body["previous_period"] == "2026-09"
    assert body["trailing_periods"] == ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    vendors = {v["id"]: v for v in body["vendors"]}
    assert list(vendors) == [world.vendor.pk, world.other_vendor.pk]
    desk, net = vendors[world.vendor.pk], vendors[world.other_vendor.pk]
    assert desk["figures"]["received"]["value"] == "4.00"
    assert desk["figures"]["response_timeliness"] == {
        "value": "75.00",
        "previous": "100.00",
        "delta": "-25.00",
        "currency": "",
        "best": True,
    }
    assert desk["figures"]["nps"]["value"] == "25.00"
    assert desk["figures"]["cost_per_work_order"]["value"] == "24750.00"
    assert desk["cost_source"] == "statements" and desk["costs"] == [{"currency": "CNY", "amount": "99000.00"}]
    assert desk["scores"][0]["score"] == "88.50" and desk["scores"][0]["status"] == "signed"
    assert net["figures"]["resolution_timeliness"]["value"] == "66.67"
    assert net["figures"]["cost_per_work_order"] == {
        "value": "3333.33",
        "previous": None,
        "delta": None,
        "currency": "CNY",
        "best": True,
    }
    assert net["resolution_trend"][-1] == {"period": "2026-10", "value": "66.67"}
    # The same figures as the page.
    content = get(client, world, "client_supervisor", URL + "?period=2026-10").content.decode()
    for vendor in (world.vendor, world.other_vendor):
        for code in ("response_timeliness", "resolution_timeliness", "csat_mean", "nps", "cost_per_work_order"):
            figure = vendors[vendor.pk]["figures"][code]
            value = figure["value"]
            if value is not None and figure["currency"]:  # the page writes money one way, per language
                with translation.override(world.users["client_supervisor"].language):
                    value = format_money(value, figure["currency"])
            shown = cell_text(content, code, vendor.pk)
            assert (value in shown) if value is not None else shown.startswith("—")


def test_api_is_in_the_schema(world, client):
    client.force_login(world.users["client_admin"])
    schema = client.get(reverse("api-schema") + "?format=json").content.decode()
    assert "/api/v1/vendor-dashboard/" in schema
    assert "cost_per_work_order" in schema and "resolution_trend" in schema


def test_query_count_does_not_grow_with_work_orders(world, scenario, client):
    client.force_login(world.users["client_supervisor"])

    def count() -> int:
        with clock.frozen_at(fx.NOW), count_queries() as ctx:
            assert client.get(URL + "?period=2026-10").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    fx.more_work_orders(world, 6)
    after = count()
    assert_flat("reports.dashboard", before, after)
