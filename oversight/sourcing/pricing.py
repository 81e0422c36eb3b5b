"""The expected charge of a contact-centre contract for a period, and the cost indicators from the settlement —
pure Python (no Django): `sourcing.charges` and `sourcing.kpis` load the figures and call these functions.

Units of each pricing basis, from the period's current interval facts summed over the contract's queues:

- per FTE-month: paid hours ÷ the contract's paid hours per FTE-month;
- per productive hour: Σ staffed (productive) agents × interval length in hours;
- per handled contact: answered contacts;
- per handled minute: (talk + hold + after-call work) ÷ 60.

Base charge = units × rate, rounded half-up to cents. With an outcome term, the KPI of the period (abandonment
rate = abandoned ÷ offered × 100; ASA = total wait ÷ answered; AHT = handle time ÷ answered) is compared with the
target: at or below it (all three are better lower) the charge gets + bonus %, above it − malus %; without a value
(no contacts) neither. Expected charge = base + adjustment, each rounded to cents.

Cost indicators (the settlement's statement total over the period's volume): cost per contact = amount ÷ answered;
cost per resolution = amount ÷ resolved, resolved = answered × FCR share where the FCR share of the period is
supplied (no value otherwise); cost per productive hour = amount ÷ productive hours. No volume: no value.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from oversight.core.rounding import round_money
from oversight.kpi import IndicatorResult

ZERO = Decimal(0)
HUNDRED = Decimal(100)
SIXTY = Decimal(60)
KPI_PLACES = Decimal("0.0001")

FTE_MONTH = "fte_month"
PRODUCTIVE_HOUR = "productive_hour"
HANDLED_CONTACT = "handled_contact"
MINUTE = "minute"

ABANDONMENT = "abandonment_rate"
ASA = "asa_seconds"
AHT = "aht_seconds"


@dataclass(frozen=True)
class Usage:
    """What the contract's queues did in a period (sums of the current interval facts)."""

    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    wait_seconds: Decimal = ZERO
    handle_seconds: Decimal = ZERO
    productive_hours: Decimal = ZERO
    paid_hours: Decimal = ZERO


@dataclass(frozen=True)
class Terms:
    """A commercial model as plain values (percentages as 5 = 5 %)."""

    basis: str
    rate: Decimal
    hours_per_fte_month: Decimal = Decimal(174)
    outcome_kpi: str = ""
    outcome_target: Decimal | None = None
    bonus_percent: Decimal = ZERO
    malus_percent: Decimal = ZERO


@dataclass(frozen=True)
class Charge:
    """The expected charge of a period and how it was reached."""

    units: Decimal
    base: Decimal
    kpi_value: Decimal | None
    target_met: bool | None
    adjustment: Decimal
    total: Decimal


def units(terms: Terms, usage: Usage) -> Decimal:
    """The quantity the rate applies to (see the module docstring)."""
    if terms.basis == FTE_MONTH:
        return usage.paid_hours / terms.hours_per_fte_month
    if terms.basis == PRODUCTIVE_HOUR:
        return usage.productive_hours
    if terms.basis == HANDLED_CONTACT:
        return Decimal(usage.answered)
    if terms.basis == MINUTE:
        return usage.handle_seconds / SIXTY
    raise ValueError(f"unknown pricing basis {terms.basis!r}")


def kpi_value(kpi: str, usage: Usage) -> Decimal | None:
    """The outcome KPI of a period (four places), None without its denominator."""
    if kpi == ABANDONMENT:
        value = None if usage.offered == 0 else Decimal(usage.abandoned) * HUNDRED / usage.offered
    elif kpi == ASA:
        value = None if usage.answered == 0 else usage.wait_seconds / usage.answered
    elif kpi == AHT:
        value = None if usage.answered == 0 else usage.handle_seconds / usage.answered
    else:
        raise ValueError(f"unknown outcome KPI {kpi!r}")
    return None if value is None else value.quantize(KPI_PLACES, rounding=ROUND_HALF_UP)


def expected_charge(terms: Terms, usage: Usage) -> Charge:
    """Units × rate, plus the bonus or minus the malus of the outcome term."""
    quantity = units(terms, usage)
    base = round_money(quantity * terms.rate)
    value, met, adjustment = None, None, ZERO
    if terms.outcome_kpi and terms.outcome_target is not None:
        value = kpi_value(terms.outcome_kpi, usage)
        if value is not None:
            met = value <= terms.outcome_target
            percent = terms.bonus_percent if met else -terms.malus_percent
            adjustment = round_money(base * percent / HUNDRED)
    return Charge(
        units=quantity.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
        base=base,
        kpi_value=value,
        target_met=met,
        adjustment=adjustment,
        total=base + adjustment,
    )


def per_unit(amount: Decimal | None, volume: Decimal | int | None) -> Decimal | None:
    """An amount divided by a volume, rounded half-up to cents; None without an amount or a volume."""
    if amount is None or volume is None or volume <= 0:
        return None
    return round_money(Decimal(amount) / Decimal(volume))


def resolved(answered: int, fcr_share: Decimal | None) -> Decimal | None:
    """Resolved contacts = answered × FCR share (a fraction 0..1); None where no FCR share is supplied."""
    if fcr_share is None:
        return None
    return Decimal(answered) * fcr_share


# --------------------------------------------------------------------------------------------------- indicators

COST_PER_CONTACT = "cost_per_contact"
COST_PER_RESOLUTION = "cost_per_resolution"
COST_PER_PRODUCTIVE_HOUR = "cost_per_productive_hour"


@dataclass(frozen=True)
class StatementCost:
    """One approved settlement statement of the vendor in the window, with its period's volume."""

    id: int
    amount: Decimal
    answered: int
    productive_hours: Decimal
    fcr_share: Decimal | None = None


def _cost_per(code: str, rows: list[StatementCost], volume) -> IndicatorResult:
    """Σ amount ÷ Σ volume over the statements (a statement without its volume counts in neither)."""
    counted = [(row, volume(row)) for row in rows]
    counted = [(row, v) for row, v in counted if v is not None]
    amount = sum((row.amount for row, _ in counted), ZERO)
    total = sum((v for _, v in counted), ZERO)
    ids = tuple(row.id for row, _ in counted)
    return IndicatorResult(
        code=code,
        unit="points",
        numerator=amount,
        denominator=total,
        value=per_unit(amount, total) if counted else None,
        numerator_ids=ids,
        denominator_ids=ids,
    )


def cost_per_contact(rows: list[StatementCost]) -> IndicatorResult:
    """Settled amount ÷ answered contacts of the settled periods."""
    return _cost_per(COST_PER_CONTACT, rows, lambda r: Decimal(r.answered))


def cost_per_resolution(rows: list[StatementCost]) -> IndicatorResult:
    """Settled amount ÷ resolved contacts (answered × FCR share) of the periods whose FCR share is supplied."""
    return _cost_per(COST_PER_RESOLUTION, rows, lambda r: resolved(r.answered, r.fcr_share))


def cost_per_productive_hour(rows: list[StatementCost]) -> IndicatorResult:
    """Settled amount ÷ productive hours (staffed agents × interval length) of the settled periods."""
    return _cost_per(COST_PER_PRODUCTIVE_HOUR, rows, lambda r: r.productive_hours)
