"""A scenario's figures as labelled rows, shared by the page, the comparison, the XLSX and the PDF (one wording).

Money is formatted with `core.money.format_money`; rates (IRR, ROI) as percentages with two decimals; payback in
years; a figure that does not exist (no IRR without a sign change, no payback within the horizon) as a dash."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from oversight.ccmath import finance
from oversight.core.charts import TornadoBar, tornado_chart
from oversight.core.money import format_money
from oversight.core.rounding import round_money
from oversight.sourcing import scenarios
from oversight.sourcing.choices import DRIVER_LABELS
from oversight.sourcing.models import Scenario

HUNDRED = Decimal(100)
DASH = "—"


def percent(value: Decimal | None) -> str:
    """A fraction as a percentage with two decimals (0.280948 -> "28.09 %"), a dash for None."""
    if value is None:
        return DASH
    return f"{(value * HUNDRED).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)} %"


def years(value: Decimal | None) -> str:
    """Years with two decimals, or "not within the horizon" for None."""
    if value is None:
        return _("not within the horizon")
    return _("%(years)s years") % {"years": value}


def figure_rows(scenario: Scenario, result: finance.Evaluation) -> list[tuple[str, str]]:
    """(label, value) of the decision's figures, in the order every output shows them."""
    currency = scenario.currency
    return [
        (_("TCO today (status quo)"), format_money(result.tco_baseline, currency)),
        (_("TCO of the proposal"), format_money(result.tco_proposal, currency)),
        (_("Present value of cost today"), format_money(result.pv_cost_baseline, currency)),
        (_("Present value of cost of the proposal"), format_money(result.pv_cost_proposal, currency)),
        (_("NPV of switching"), format_money(result.npv, currency)),
        (_("IRR"), percent(result.irr)),
        (_("Payback"), years(result.payback_years)),
        (_("Discounted payback"), years(result.discounted_payback_years)),
        (_("ROI"), percent(result.roi)),
    ]


def driver_rows(scenario: Scenario) -> list[tuple[str, str]]:
    """(label, value) of the scenario's drivers, as entered."""
    rows = [(str(Scenario._meta.get_field("kind").verbose_name), scenario.get_kind_display())]
    names = ("service_level_target", "service_level_seconds", "open_hours_per_year", "productive_hours_per_fte")
    for name in (*names, "max_occupancy", *scenarios.INPUT_FIELDS):
        value = getattr(scenario, name)
        shown = _("computed by Erlang C") if value is None else str(value)
        rows.append((str(Scenario._meta.get_field(name).verbose_name), shown))
    return rows


TABLE_COLUMNS = (
    "contacts",
    "in_house_contacts",
    "outsourced_contacts",
    "paid_fte",
    "wages",
    "seats",
    "technology",
    "vendor_fees",
    "governance",
    "transition",
    "total",
)


def table_header() -> list[str]:
    """The header of a cash-flow table."""
    labels = {
        "contacts": _("Contacts"),
        "in_house_contacts": _("In-house contacts"),
        "outsourced_contacts": _("Outsourced contacts"),
        "paid_fte": _("Paid FTE"),
        "wages": _("Wages"),
        "seats": _("Seats"),
        "technology": _("Technology"),
        "vendor_fees": _("Vendor fees"),
        "governance": _("Vendor management"),
        "transition": _("Transition"),
        "total": _("Total"),
    }
    return [_("Year"), *(labels[key] for key in TABLE_COLUMNS)]


def table_rows(rows: list[finance.YearRow]) -> list[list]:
    """The rows of a cash-flow table as numbers (Decimals), year first."""
    return [[row.year, *(getattr(row, key) for key in TABLE_COLUMNS)] for row in rows]


def flow_rows(result: finance.Evaluation, rate: Decimal) -> list[list]:
    """Per year: the saving (status quo − proposal), its discounted value and both cumulatives."""
    discounted = finance.discounted_flows(rate, result.flows)
    out, cumulative, cumulative_pv = [], Decimal(0), Decimal(0)
    for year, (flow, pv) in enumerate(zip(result.flows, discounted, strict=True)):
        cumulative += flow
        cumulative_pv += pv
        out.append([year, flow, round_money(pv), cumulative, round_money(cumulative_pv)])
    return out


def flow_header() -> list[str]:
    return [_("Year"), _("Saving"), _("Discounted saving"), _("Cumulative saving"), _("Cumulative discounted")]


def driver_value(driver: str, value: Decimal) -> str:
    """A driver's value for reading: rates as percentages, amounts and quantities with two decimals."""
    if driver in scenarios.PERCENT_FIELDS:
        return percent(value)
    return format_money(value)


def tornado_rows(bars: list[finance.TornadoBar], *, formatted: bool = False) -> list[list]:
    """Per driver: its label, low and high values and the NPV at each, and the swing (numbers, or text)."""
    if formatted:
        return [
            [
                str(DRIVER_LABELS[b.driver]),
                driver_value(b.driver, b.low_value),
                driver_value(b.driver, b.high_value),
                *(format_money(v) for v in (b.npv_low, b.npv_high, b.swing)),
            ]
            for b in bars
        ]
    return [[str(DRIVER_LABELS[b.driver]), b.low_value, b.high_value, b.npv_low, b.npv_high, b.swing] for b in bars]


def tornado_header() -> list[str]:
    return [_("Driver"), _("Low value"), _("High value"), _("NPV at low"), _("NPV at high"), _("Swing")]


def tornado_svg(base: Decimal, bars: list[finance.TornadoBar]) -> str:
    """The tornado of the NPV as inline SVG (every text escaped by the chart)."""
    return mark_safe(  # noqa: S308 - the chart escapes every text it draws
        tornado_chart(
            bars=[TornadoBar(str(DRIVER_LABELS[b.driver]), b.npv_low, b.npv_high) for b in bars],
            base=base,
            low_label=_("Driver −10 %"),
            high_label=_("Driver +10 %"),
            base_label=_("Base NPV %(npv)s") % {"npv": format_money(base)},
            label=_("NPV sensitivity to each driver (±10 %)"),
        )
    )
