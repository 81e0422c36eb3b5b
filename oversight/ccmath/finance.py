"""Finance of an outsourcing decision without Django: the yearly cash-flow table of a scenario, TCO over N years,
NPV, IRR, payback (simple and discounted), ROI and one-at-a-time sensitivity (tornado).

The specification (docs/sourcing.md explains each figure):

- A scenario shares one set of drivers between the **status quo** (the baseline: the share of contacts handled
  in-house today) and the **proposal** (another in-house share, 1 = bring everything in-house, 0 = outsource all,
  between = mixed). Only the proposal pays the one-off transition cost, in year 0.
- Year t = 1..N: contacts_t = contacts₁·(1 + volume growth)^(t−1); in-house contacts = contacts_t · share;
  productive FTE = ``staffing(in-house contacts, AHT)``; paid FTE = productive ÷ (1 − shrinkage);
  wages = paid FTE · loaded wage · (1 + wage growth)^(t−1); seats = paid FTE · seat cost per FTE-year;
  technology = the fixed yearly in-house platform cost when the share is above 0; vendor fees = outsourced
  contacts · price per contact · (1 + price growth)^(t−1); governance = the yearly vendor-management cost when
  the share is below 1. Every line is rounded half-up to cents and the year's total is the sum of its rounded
  lines, so a table always adds up.
- Staffing: :func:`erlang_staffing` (Erlang C on the average open hour) when the caller passes it; otherwise FTE is
  proportional to the workload (contacts × AHT),
  ``required_fte`` being the productive FTE for the whole year-1 volume at the given AHT. Erlang C is not linear
  (a larger queue needs proportionally fewer agents), so the app passes an Erlang C staffing function when it can.
- TCO = Σ of the yearly totals over years 0..N, undiscounted; PV of cost = Σ total_t ÷ (1 + r)^t.
- The decision's incremental cash flows are the savings: flow_t = baseline total_t − proposal total_t
  (year 0 = −transition cost). NPV = Σ flow_t ÷ (1 + r)^t with year 0 undiscounted (numpy-financial's
  convention), IRR the rate at which that NPV is 0 (``None`` when the flows never change sign or no rate exists).
- Payback = the first moment the cumulative flow reaches 0, in fractional years by linear interpolation within
  the year that crosses: (t − 1) + (−cumulative_{t−1}) ÷ flow_t; 0 when nothing is invested, ``None`` when it
  never pays back within the horizon. Discounted payback does the same with the discounted flows.
- ROI = (Σ positive flows − Σ |negative flows|) ÷ Σ |negative flows|, undiscounted over the horizon (``None``
  when nothing is invested).
- Tornado: each driver alone at (1 − X) and (1 + X) times its value, the others at base; the swing is
  |NPV(high) − NPV(low)|, sorted by swing, largest first.

Floats are used only inside numpy-financial (NPV, IRR); inputs and outputs are Decimals, money rounded half-up to
cents, rates to six places.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from decimal import ROUND_HALF_UP, Decimal

import numpy_financial as npf

from oversight.ccmath import erlang
from oversight.core.rounding import round_money as money

ZERO = Decimal(0)
ONE = Decimal(1)
FTE_PLACES = Decimal("0.01")
RATE_PLACES = Decimal("0.000001")
YEAR_PLACES = Decimal("0.01")
MAX_HORIZON_YEARS = 30

Staffing = Callable[[Decimal, Decimal], Decimal]


class FinanceInputError(ValueError):
    """An input of a scenario that the formulas cannot use (the message names the field)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _rate(value: float) -> Decimal | None:
    if value is None or not math.isfinite(value):
        return None
    return Decimal(repr(float(value))).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ScenarioInputs:
    """The drivers of one sourcing scenario (Decimals; shares and rates as fractions, 0.05 = 5 %)."""

    horizon_years: int
    discount_rate: Decimal
    annual_contacts: Decimal
    aht_seconds: Decimal
    required_fte: Decimal
    shrinkage: Decimal
    annual_wage_per_fte: Decimal
    seat_cost_per_fte: Decimal
    technology_cost: Decimal
    price_per_contact: Decimal
    governance_cost: Decimal
    transition_cost: Decimal
    in_house_share: Decimal
    baseline_in_house_share: Decimal
    volume_growth: Decimal = ZERO
    wage_growth: Decimal = ZERO
    price_growth: Decimal = ZERO

    def validate(self) -> None:
        """Raise :class:`FinanceInputError` for a value the formulas cannot use."""
        if not 1 <= int(self.horizon_years) <= MAX_HORIZON_YEARS:
            raise FinanceInputError("horizon_years", f"must be between 1 and {MAX_HORIZON_YEARS} years")
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name == "horizon_years":
                continue
            if not isinstance(value, Decimal) or not value.is_finite():
                raise FinanceInputError(item.name, "must be a finite Decimal")
            if value < 0 and item.name not in {"volume_growth", "wage_growth", "price_growth"}:
                raise FinanceInputError(item.name, "must not be negative")
        for name in ("in_house_share", "baseline_in_house_share"):
            if getattr(self, name) > 1:
                raise FinanceInputError(name, "must be between 0 and 1")
        if self.shrinkage >= 1:
            raise FinanceInputError("shrinkage", "must be below 1")
        if self.annual_contacts <= 0 or self.aht_seconds <= 0:
            raise FinanceInputError("annual_contacts", "volume and handle time must be above 0")
        for name in ("volume_growth", "wage_growth", "price_growth"):
            if getattr(self, name) <= -1:
                raise FinanceInputError(name, "must be above -1")


def linear_staffing(inputs: ScenarioInputs) -> Staffing:
    """FTE proportional to workload, anchored at ``required_fte`` for the whole year-1 volume at the base AHT."""
    reference = inputs.annual_contacts * inputs.aht_seconds
    fte = inputs.required_fte

    def staffing(contacts: Decimal, aht_seconds: Decimal) -> Decimal:
        return fte * contacts * aht_seconds / reference

    return staffing


def erlang_staffing(
    *,
    service_level_target: Decimal,
    threshold_seconds: Decimal,
    open_hours_per_year: Decimal,
    productive_hours_per_fte: Decimal,
    max_occupancy: Decimal = Decimal("0.85"),
) -> Staffing:
    """Productive FTE for a year's contacts by Erlang C (``ccmath.erlang``) on the average open hour.

    λ = contacts ÷ (open hours × 3600) per second; N = the **fractional** Erlang C requirement at that load for the
    service-level target within T and the occupancy cap (fractional, so a mixed split does not round twice); FTE =
    N × open hours ÷ productive hours per FTE-year. A flat load over the open hours understates the peaks: the
    interval-level staffing is the workforce app's.
    """
    if open_hours_per_year <= 0 or productive_hours_per_fte <= 0:
        raise FinanceInputError("open_hours_per_year", "open hours and productive hours must be above 0")

    def staffing(contacts: Decimal, aht_seconds: Decimal) -> Decimal:
        rate = float(contacts) / (float(open_hours_per_year) * 3600.0)
        required = erlang.erlang_c_requirement(
            rate, float(aht_seconds), float(threshold_seconds), float(service_level_target), float(max_occupancy)
        )
        agents = Decimal(repr(float(required.fractional)))
        return agents * open_hours_per_year / productive_hours_per_fte

    return staffing


@dataclass(frozen=True)
class YearRow:
    """One year of a cash-flow table (year 0 carries only the one-off transition cost)."""

    year: int
    contacts: Decimal
    in_house_contacts: Decimal
    outsourced_contacts: Decimal
    productive_fte: Decimal
    paid_fte: Decimal
    wages: Decimal
    seats: Decimal
    technology: Decimal
    vendor_fees: Decimal
    governance: Decimal
    transition: Decimal
    total: Decimal


COST_LINES = ("wages", "seats", "technology", "vendor_fees", "governance", "transition")


def cash_flow_table(
    inputs: ScenarioInputs, *, share: Decimal, with_transition: bool, staffing: Staffing | None = None
) -> list[YearRow]:
    """The yearly cost table (years 0..N) of handling the volume with ``share`` of it in-house."""
    inputs.validate()
    staffing = staffing or linear_staffing(inputs)
    transition = money(inputs.transition_cost) if with_transition else ZERO
    rows = [YearRow(0, ZERO, ZERO, ZERO, ZERO, ZERO, ZERO, ZERO, ZERO, ZERO, ZERO, transition, transition)]
    for year in range(1, int(inputs.horizon_years) + 1):
        step = year - 1
        contacts = inputs.annual_contacts * (ONE + inputs.volume_growth) ** step
        in_house = contacts * share
        outsourced = contacts - in_house
        productive = staffing(in_house, inputs.aht_seconds) if in_house > 0 else ZERO
        paid = productive / (ONE - inputs.shrinkage)
        lines = {
            "wages": money(paid * inputs.annual_wage_per_fte * (ONE + inputs.wage_growth) ** step),
            "seats": money(paid * inputs.seat_cost_per_fte),
            "technology": money(inputs.technology_cost) if share > 0 else ZERO,
            "vendor_fees": money(outsourced * inputs.price_per_contact * (ONE + inputs.price_growth) ** step),
            "governance": money(inputs.governance_cost) if share < 1 else ZERO,
            "transition": ZERO,
        }
        rows.append(
            YearRow(
                year=year,
                contacts=contacts.quantize(ONE, rounding=ROUND_HALF_UP),
                in_house_contacts=in_house.quantize(ONE, rounding=ROUND_HALF_UP),
                outsourced_contacts=outsourced.quantize(ONE, rounding=ROUND_HALF_UP),
                productive_fte=productive.quantize(FTE_PLACES, rounding=ROUND_HALF_UP),
                paid_fte=paid.quantize(FTE_PLACES, rounding=ROUND_HALF_UP),
                total=sum(lines.values(), ZERO),
                **lines,
            )
        )
    return rows


def tco(rows: Sequence[YearRow]) -> Decimal:
    """Total cost of ownership: the undiscounted sum of the yearly totals, year 0 included."""
    return sum((row.total for row in rows), ZERO)


def present_value(rate: Decimal, amounts: Sequence[Decimal]) -> Decimal:
    """Σ amount_t ÷ (1 + rate)^t, year 0 undiscounted, rounded to cents (numpy-financial's ``npv``)."""
    value = float(npf.npv(float(rate), [float(amount) for amount in amounts]))
    return money(Decimal(repr(value)))


def npv(rate: Decimal, flows: Sequence[Decimal]) -> Decimal:
    """Net present value of cash flows starting at year 0, rounded to cents."""
    return present_value(rate, flows)


def irr(flows: Sequence[Decimal]) -> Decimal | None:
    """Internal rate of return (six places), ``None`` when the flows never change sign or no rate solves it."""
    signs = {flow > 0 for flow in flows if flow != 0}
    if len(signs) < 2:
        return None
    return _rate(npf.irr([float(flow) for flow in flows]))


def payback(flows: Sequence[Decimal]) -> Decimal | None:
    """Years until the cumulative flow first climbs back to 0, interpolated within that year (two places).

    0 when the cumulative flow is never below 0; ``None`` when it is still below 0 at the horizon.
    """
    cumulative = ZERO
    invested = False
    for year, flow in enumerate(flows):
        previous = cumulative
        cumulative += flow
        if cumulative < 0:
            invested = True
        elif previous < 0:
            return (Decimal(year - 1) + (-previous) / flow).quantize(YEAR_PLACES, rounding=ROUND_HALF_UP)
    return None if invested else ZERO.quantize(YEAR_PLACES)


def discounted_flows(rate: Decimal, flows: Sequence[Decimal]) -> list[Decimal]:
    """Each flow divided by (1 + rate)^t (unrounded Decimals)."""
    return [flow / (ONE + rate) ** year for year, flow in enumerate(flows)]


def discounted_payback(rate: Decimal, flows: Sequence[Decimal]) -> Decimal | None:
    """Payback of the discounted flows (see :func:`payback`)."""
    return payback(discounted_flows(rate, flows))


def roi(flows: Sequence[Decimal]) -> Decimal | None:
    """(Σ gains − Σ investments) ÷ Σ investments, undiscounted, six places; ``None`` when nothing is invested."""
    invested = -sum((flow for flow in flows if flow < 0), ZERO)
    if invested == 0:
        return None
    gained = sum((flow for flow in flows if flow > 0), ZERO)
    return ((gained - invested) / invested).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Evaluation:
    """Everything the scenario page shows: both tables and the decision's figures."""

    baseline: list[YearRow]
    proposal: list[YearRow]
    flows: list[Decimal]
    tco_baseline: Decimal
    tco_proposal: Decimal
    pv_cost_baseline: Decimal
    pv_cost_proposal: Decimal
    npv: Decimal
    irr: Decimal | None
    payback_years: Decimal | None
    discounted_payback_years: Decimal | None
    roi: Decimal | None


def evaluate(inputs: ScenarioInputs, *, staffing: Staffing | None = None) -> Evaluation:
    """The status quo's and the proposal's tables, TCO, PV of cost, and NPV/IRR/payback/ROI of switching."""
    inputs.validate()
    staffing = staffing or linear_staffing(inputs)
    baseline = cash_flow_table(inputs, share=inputs.baseline_in_house_share, with_transition=False, staffing=staffing)
    proposal = cash_flow_table(inputs, share=inputs.in_house_share, with_transition=True, staffing=staffing)
    flows = [old.total - new.total for old, new in zip(baseline, proposal, strict=True)]
    rate = inputs.discount_rate
    return Evaluation(
        baseline=baseline,
        proposal=proposal,
        flows=flows,
        tco_baseline=tco(baseline),
        tco_proposal=tco(proposal),
        pv_cost_baseline=present_value(rate, [row.total for row in baseline]),
        pv_cost_proposal=present_value(rate, [row.total for row in proposal]),
        npv=npv(rate, flows),
        irr=irr(flows),
        payback_years=payback(flows),
        discounted_payback_years=discounted_payback(rate, flows),
        roi=roi(flows),
    )


# The drivers the tornado varies (the main ones; shares and growth rates stay at base).
SENSITIVITY_DRIVERS = (
    "annual_contacts",
    "aht_seconds",
    "annual_wage_per_fte",
    "shrinkage",
    "seat_cost_per_fte",
    "technology_cost",
    "price_per_contact",
    "governance_cost",
    "transition_cost",
    "discount_rate",
)


@dataclass(frozen=True)
class TornadoBar:
    """One driver of the tornado: its low and high values and the NPV at each."""

    driver: str
    low_value: Decimal
    high_value: Decimal
    npv_low: Decimal
    npv_high: Decimal
    swing: Decimal


def tornado(
    inputs: ScenarioInputs,
    *,
    change: Decimal = Decimal("0.10"),
    drivers: Sequence[str] = SENSITIVITY_DRIVERS,
    staffing: Staffing | None = None,
) -> tuple[Decimal, list[TornadoBar]]:
    """The base NPV and one bar per driver (each alone at ±``change``), sorted by swing, largest first.

    Staffing stays anchored to the base inputs, so a larger volume or AHT needs proportionally more FTE (or what
    the given ``staffing`` function says).
    """
    if not ZERO < change < ONE:
        raise FinanceInputError("change", "must be between 0 and 1")
    inputs.validate()
    staffing = staffing or linear_staffing(inputs)
    base = evaluate(inputs, staffing=staffing).npv
    bars = []
    for driver in drivers:
        value = getattr(inputs, driver)
        low, high = value * (ONE - change), value * (ONE + change)
        if driver == "shrinkage" and high >= 1:
            high = value  # a shrinkage of 100 % or more has no meaning
        npv_low = evaluate(replace(inputs, **{driver: low}), staffing=staffing).npv
        npv_high = evaluate(replace(inputs, **{driver: high}), staffing=staffing).npv
        bars.append(TornadoBar(driver, low, high, npv_low, npv_high, abs(npv_high - npv_low)))
    bars.sort(key=lambda bar: (-bar.swing, drivers.index(bar.driver)))
    return base, bars
