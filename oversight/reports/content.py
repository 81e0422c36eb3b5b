"""The content of a service report (服务报告) as plain records, and the pure helpers that group and format it.

No models here (durations take their translated units from ``core.durations``): ``reports.selectors`` fills
these records from the database (scoped to the reader) and the web page, the PDF, the XLSX and the API only lay
them out, so all four show the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from oversight.core.durations import format_duration, format_hours

DASH = "—"


@dataclass(frozen=True)
class KeyFigure:
    """One key figure of the period with the same figure of the previous period (None: nothing to measure)."""

    code: str
    label: str
    unit: str  # percent, seconds, stars, nps, count
    value: Decimal | int | None
    previous: Decimal | int | None

    @property
    def text(self) -> str:
        return format_value(self.value, self.unit)

    @property
    def previous_text(self) -> str:
        return format_value(self.previous, self.unit)

    @property
    def change(self) -> Decimal | None:
        """value − previous (None when either is missing)."""
        if self.value is None or self.previous is None:
            return None
        return Decimal(self.value) - Decimal(self.previous)


@dataclass(frozen=True)
class VolumeRow:
    """Work orders of one service (or one category): received and resolved in the period, and breached."""

    key: int | None
    name: str
    category_id: int | None
    category: str
    received: int
    resolved: int
    breached: int


@dataclass(frozen=True)
class Breach:
    """One SLA target due in the period and missed."""

    work_order_id: int
    number: str
    title: str
    service: str
    priority: str
    metric: str  # response, onsite, resolution
    metric_label: str
    due_at: dt.datetime
    achieved_at: dt.datetime | None  # None: not achieved when the report was evaluated
    late_seconds: int

    @property
    def late_text(self) -> str:
        return format_lateness(self.late_seconds)


@dataclass(frozen=True)
class RecurringGroup:
    """Work orders received in the period that share a key (a place, or an asset)."""

    label: str
    service: str
    count: int
    first_at: dt.datetime
    last_at: dt.datetime


@dataclass(frozen=True)
class ComplaintRow:
    """A complaint opened in the period."""

    pk: int
    title: str
    work_order_id: int
    work_order_number: str
    opened_at: dt.datetime
    status: str
    status_label: str
    resolved_at: dt.datetime | None
    resolution: str


@dataclass(frozen=True)
class EvaluationRow:
    """An evaluation period of the vendor that overlaps the report period, with its visible statement."""

    period_id: int
    contract_number: str
    label: str
    kind_label: str
    status_label: str
    score: Decimal | None
    statement_id: int | None = None
    statement_status: str = ""
    currency: str = ""
    base_fee: Decimal | None = None
    deductions: Decimal | None = None
    credits: Decimal | None = None
    total: Decimal | None = None


@dataclass(frozen=True)
class ImprovementAction:
    """An item of the improvement register (oversight.improvement) in the period: its state and, once measured at
    review, its effect (before, after, change and whether the target was met) and the benefit recorded."""

    pk: int
    number: str
    title: str
    status: str
    status_label: str
    source_label: str
    owner: str
    raised_at: dt.datetime
    implemented_on: dt.date | None
    indicator: str  # the indicator's label ("" when none is named)
    target: Decimal | None
    before: Decimal | None
    after: Decimal | None
    change: Decimal | None
    relative_change: Decimal | None
    target_met: bool | None
    effect: str  # the plain statement ("" before any measurement)
    benefit_amount: Decimal | None
    currency: str


@dataclass(frozen=True)
class PartsRow:
    """A spare part the vendor's work orders used in the period: net units at one unit price, their total and the
    work orders (numbers)."""

    code: str
    name: str
    unit: str
    units: int
    unit_price: Decimal
    currency: str
    total: Decimal
    work_orders: tuple[str, ...]


@dataclass(frozen=True)
class TrendPoint:
    """The figures of one trailing period."""

    key: str
    label: str
    received: int
    resolved: int
    response: Decimal | None
    resolution: Decimal | None
    csat: Decimal | None
    nps: Decimal | None


@dataclass
class ServiceReport:
    """A vendor's (or one contract's) service report for one month or quarter, as one reader may see it."""

    organisation: Any
    vendor: Any
    contract: Any | None
    version: Any | None  # the contract version whose scope applies (None: vendor-wide or not in force)
    period: Any  # reports.periods.ReportPeriod
    previous: Any
    title: str
    generated_at: dt.datetime
    in_force: bool
    figures: list[KeyFigure]
    by_service: list[VolumeRow]
    by_category: list[VolumeRow]
    trend: list[TrendPoint]
    breaches: list[Breach]
    recurring_places: list[RecurringGroup]
    recurring_assets: list[RecurringGroup]
    complaints: list[ComplaintRow]
    evaluations: list[EvaluationRow]
    actions: list[ImprovementAction]
    parts: list[PartsRow] = field(default_factory=list)
    # What the XLSX needs beyond the page (filled by reports.selectors on demand; see report_rows()).
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.period.key

    def figure(self, code: str) -> KeyFigure:
        return next(f for f in self.figures if f.code == code)

    def breach_counts(self) -> dict[str, int]:
        """Missed targets by metric."""
        counts: dict[str, int] = {}
        for b in self.breaches:
            counts[b.metric] = counts.get(b.metric, 0) + 1
        return counts


# ------------------------------------------------------------------------------------------------ helpers


def format_value(value: Decimal | int | None, unit: str) -> str:
    """A figure for display: percent and NPS with one decimal, stars with two, durations in hours (translated unit)."""
    if value is None:
        return DASH
    if unit == "count":
        return str(int(value))
    number = Decimal(value)
    if unit == "seconds":
        return format_hours(number)
    if unit == "stars":
        return str(number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    text = str(number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    return f"{text} %" if unit == "percent" else text


def format_lateness(seconds: int) -> str:
    """A lateness as "2 d 3 h 05 min" in the reader's language; under a minute late is "< 1 min", not 0."""
    return format_duration(max(0, int(seconds)), with_minutes=True)


def breached_by_key(breaches: Iterable[Breach], key_of) -> dict:
    """Number of distinct work orders with at least one missed target, per key (``key_of(breach)``)."""
    seen: dict[Any, set[int]] = {}
    for b in breaches:
        seen.setdefault(key_of(b), set()).add(b.work_order_id)
    return {key: len(ids) for key, ids in seen.items()}


def category_rows(services: Sequence[VolumeRow], breached_per_category: dict) -> list[VolumeRow]:
    """Service rows summed per category (received and resolved add up; breached is counted per work order)."""
    totals: dict[int | None, list] = {}
    for row in services:
        entry = totals.setdefault(row.category_id, [row.category, 0, 0])
        entry[1] += row.received
        entry[2] += row.resolved
    out = [
        VolumeRow(
            key=cid,
            name=name,
            category_id=cid,
            category=name,
            received=received,
            resolved=resolved,
            breached=breached_per_category.get(cid, 0),
        )
        for cid, (name, received, resolved) in totals.items()
    ]
    return sorted(out, key=lambda r: (-r.received, r.name))


def total_row(rows: Sequence[VolumeRow], label: str, breached: int) -> VolumeRow:
    """The sum of volume rows (breached given: a work order may miss targets of several rows' metrics)."""
    return VolumeRow(
        key=None,
        name=label,
        category_id=None,
        category="",
        received=sum(r.received for r in rows),
        resolved=sum(r.resolved for r in rows),
        breached=breached,
    )
