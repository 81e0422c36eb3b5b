"""Reads of the client's vendor dashboard: the organisation's vendors side by side for one month or quarter.

The one place deciding which vendors a user sees here: the client side (administrator, supervisor, executive,
auditor) of an organisation reads its vendors (``portfolio.selectors.vendor_list``); everyone else is refused
before anything is read (:class:`~oversight.core.errors.NotAllowed`). Scores, statements and contracts are read
through their own apps' selectors with the same user, so nothing invisible can enter a figure.

What each figure is (the reader's version is docs/dashboard.md)
---------------------------------------------------------------
* A vendor gets a column when it received a work order in the period or has a contract in force on at least
  one day of it.
* Work-order figures are the evaluation indicators of ``oversight.kpi`` (docs/formulas.md), vendor-wide
  (every service of the vendor), read from the pre-aggregated service facts
  (:func:`oversight.reports.metrics.fact_period_figures`): one read for every vendor and the whole trailing window
  (6 months or 4 quarters), which also gives the previous period. Which vendors received work comes from them too.
* Score: the current revision of each evaluation period of the same kind overlapping the period, one per
  contract, listed with its status; the compared value is the plain mean of the contracts' scores (no weights).
* Cost: per contract in force, the totals of its settlement statements pro rata to the months of the period
  they cover; months no statement covers take the contract's base fee (``contracts.selectors.base_fee_for``,
  pro rata when the fee period is longer than those months). Summed per currency and rounded to the cent once.
  Cost per work order = that cost ÷ work orders received, rounded to the cent; none without work orders or when
  the vendor's cost is in more than one currency.
* Displayed values are rounded half up to 0.01; the previous-period delta and the best value of a row are taken
  on those rounded values. Costs are only ranked when every ranked vendor's cost is in the same currency.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oversight import kpi
from oversight.contracts.choices import FEE_PERIOD_MONTHS, IN_FORCE_STATUSES
from oversight.contracts.selectors import base_fee_for, contract_list, contract_version_for_period
from oversight.core import kpis
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.core.filters import parse_id
from oversight.core.rounding import round_money
from oversight.core.zones import local_today
from oversight.facts.selectors import vendors_with_work
from oversight.portfolio.selectors import vendor_list
from oversight.reports.metrics import PeriodFigures, fact_period_figures
from oversight.reports.periods import (
    ReportPeriod,
    last_complete_period,
    period_containing,
    period_from_key,
    trailing_periods,
)
from oversight.scorecards.choices import PeriodKind
from oversight.scorecards.selectors import current_revisions, period_list
from oversight.settlement.selectors import statement_list
from oversight.tenancy.models import Organisation
from oversight.tenancy.roles import is_client

HUNDREDTH = Decimal("0.01")
TRAILING = {PeriodKind.MONTHLY: 6, PeriodKind.QUARTERLY: 4}

# Cost sources (stable values: the API returns them).
FROM_STATEMENTS = "statements"
FROM_BASE_FEE = "base_fee"
FROM_BOTH = "statements_and_base_fee"
COST_SOURCES = {
    FROM_STATEMENTS: _("Settlement statements"),
    FROM_BASE_FEE: _("Contract base fee, pro rata"),
    FROM_BOTH: _("Settlement statements and contract base fee for the months without one"),
}

RECEIVED = "received"
SCORE = "score"
COST = "cost"
COST_PER_WORK_ORDER = "cost_per_work_order"


@dataclass(frozen=True)
class RowSpec:
    """One compared figure: its code, label, unit and which way is better (None: not ranked)."""

    code: str
    label: object
    unit: str
    higher_is_better: bool | None


def rows() -> tuple[RowSpec, ...]:
    """The compared rows: work orders received, the registered dashboard indicators, score, cost, cost per order."""
    indicators = kpis.registry.sources(kpis.DASHBOARD)
    return (
        RowSpec(RECEIVED, _("Work orders received"), "count", None),
        *(RowSpec(s.code, s.title, s.unit, s.higher_is_better) for s in indicators),
        RowSpec(SCORE, _("Evaluation score"), "points", True),
        RowSpec(COST, _("Cost of the period"), "money", None),
        RowSpec(COST_PER_WORK_ORDER, _("Cost per work order"), "money", False),
    )


def __getattr__(name: str):
    """``ROWS`` and ``INDICATOR_CODES`` read from the registry when asked (a source may be registered later)."""
    if name == "ROWS":
        return rows()
    if name == "INDICATOR_CODES":
        return kpis.registry.codes(kpis.DASHBOARD)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------------------------------
# who and when
# --------------------------------------------------------------------------------------------------


def dashboard_organisation(*, user, organisation_id=None) -> Organisation | None:
    """The organisation whose vendors the user compares: their own; a superuser without one may choose."""
    if not is_client(user):
        raise NotAllowed(_("Only the client side reads the vendor dashboard."))
    if user.organisation_id:
        return user.organisation
    qs = Organisation.objects.order_by("name")
    if pk := parse_id(organisation_id):
        return qs.filter(pk=pk).first() or qs.first()
    return qs.first()


def resolve_period(organisation, *, key: str = "", kind: str = "") -> ReportPeriod:
    """The period asked for by key (400 for a bad key), else the default of the kind asked for (monthly)."""
    if key:
        return period_from_key(key, organisation)
    if kind and kind not in PeriodKind.values:
        raise ApplicationError(_("Unknown kind of period."), code="period_kind", extra={"field": "kind"})
    return last_complete_period(organisation, kind or PeriodKind.MONTHLY)


def period_choices(organisation, kind: str, count: int = 24) -> list[ReportPeriod]:
    """The periods of a kind offered by the picker: the running one, then the earlier ones, newest first."""
    running = period_containing(kind, local_today(organisation), organisation)
    count = count if kind == PeriodKind.MONTHLY else count // 3
    return list(reversed(trailing_periods(running, organisation, count)))


# --------------------------------------------------------------------------------------------------
# the figures
# --------------------------------------------------------------------------------------------------


@dataclass
class Cell:
    """One vendor's figure in one row: value, previous-period value, delta, and whether it is the row's best."""

    value: Decimal | None
    previous: Decimal | None = None
    currency: str = ""
    unit: str = ""
    best: bool = False

    @property
    def delta(self) -> Decimal | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def delta_text(self) -> str:
        """The change since the previous period with its sign ("" when either value is missing)."""
        delta = self.delta
        return "" if delta is None else format(delta, "+")


@dataclass
class ContractScore:
    """The score of one contract's evaluation period (current revision) overlapping the dashboard period."""

    period_id: int
    contract_id: int
    contract_number: str
    label: str
    status: str
    status_label: str
    score: Decimal | None


@dataclass
class StatementRef:
    """A settlement statement counted in a cost."""

    pk: int
    contract_number: str
    label: str
    status: str
    total: Decimal
    currency: str


@dataclass
class Cost:
    """A vendor's fee for a period, per currency, with where it comes from."""

    amounts: dict[str, Decimal] = field(default_factory=dict)  # currency -> amount (rounded to the cent)
    source: str = ""  # FROM_STATEMENTS / FROM_BASE_FEE / FROM_BOTH; "" when nothing is known
    statements: list[StatementRef] = field(default_factory=list)

    @property
    def currency(self) -> str:
        """The one currency of the cost ("" when none or several)."""
        return next(iter(self.amounts)) if len(self.amounts) == 1 else ""

    @property
    def amount(self) -> Decimal | None:
        return self.amounts[self.currency] if self.currency else None

    @property
    def source_label(self):
        return COST_SOURCES.get(self.source, "")


@dataclass
class VendorColumn:
    """Everything the dashboard shows of one vendor."""

    vendor: object
    figures: PeriodFigures
    previous_figures: PeriodFigures
    trend: list[PeriodFigures]
    scores: list[ContractScore]
    previous_scores: list[ContractScore]
    cost: Cost
    previous_cost: Cost
    cells: dict[str, Cell] = field(default_factory=dict)

    @property
    def score(self) -> Decimal | None:
        return mean_score(self.scores)

    @property
    def resolution_trend(self) -> list[Decimal | None]:
        """Resolution timeliness of each trailing period, rounded like the table (the trend chart's values)."""
        return [rounded(f.value(kpi.RESOLUTION_TIMELINESS)) for f in self.trend]


@dataclass
class Row:
    """One compared figure across the vendors."""

    spec: RowSpec
    cells: list[Cell]
    columns: list[VendorColumn]

    @property
    def entries(self) -> list[tuple[VendorColumn, Cell]]:
        """(column, cell) pairs, for templates that show a figure's details beside it."""
        return list(zip(self.columns, self.cells, strict=True))


@dataclass
class Dashboard:
    """The comparison of one period: vendors as columns, figures as rows, and the trailing window for the trend."""

    organisation: Organisation
    period: ReportPeriod
    previous: ReportPeriod
    trailing: list[ReportPeriod]
    columns: list[VendorColumn]
    rows: list[Row]

    @property
    def currencies(self) -> list[str]:
        return sorted({c for col in self.columns for c in col.cost.amounts})

    @property
    def mixed_currencies(self) -> bool:
        """Whether costs are in more than one currency (then they are not ranked)."""
        return len(self.currencies) > 1


def mean_score(scores: list[ContractScore]) -> Decimal | None:
    """The plain mean of the contracts' scores that have one, rounded half up to 0.01 (None when none has)."""
    values = [s.score for s in scores if s.score is not None]
    if not values:
        return None
    return rounded(sum(values, Decimal(0)) / len(values))


def _months(first: dt.date, last: dt.date) -> list[tuple[int, int]]:
    """The (year, month) of every calendar month touched by ``[first, last]``."""
    out, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def vendors_for(*, user, organisation, period: ReportPeriod) -> list:
    """The visible vendors of the organisation with a work order received in the period or a contract in force."""
    vendors = list(vendor_list(user=user).filter(organisation=organisation))
    ids = [v.pk for v in vendors]
    active = vendors_with_work(organisation=organisation, vendor_ids=ids, first=period.first, last=period.last)
    active |= {
        c.vendor_id for c in _contracts_in_force(user=user, vendor_ids=ids, first=period.first, last=period.last)
    }
    return [v for v in vendors if v.pk in active]


def _contracts_in_force(*, user, vendor_ids, first: dt.date, last: dt.date) -> list:
    """Visible activated contracts of the vendors whose term touches ``[first, last]`` (not terminated before)."""
    return list(
        contract_list(user=user)
        .filter(
            vendor_id__in=vendor_ids,
            status__in=IN_FORCE_STATUSES,
            activated_at__isnull=False,
            starts_on__lte=last,
            ends_on__gte=first,
        )
        .exclude(terminated_on__lt=first)
        .order_by("number")
    )


def _scores(*, user, vendor_ids, first: ReportPeriod, last: ReportPeriod) -> list:
    """Current revisions of the vendors' evaluation periods (either kind) overlapping ``first`` .. ``last``."""
    return list(
        current_revisions(period_list(user=user))
        .filter(
            vendor_id__in=vendor_ids,
            start_at__lt=last.end_at,
            end_at__gt=first.start_at,
        )
        .order_by("contract__number", "starts_on")
    )


def _scores_in(evaluations, vendor_id: int, period: ReportPeriod) -> list[ContractScore]:
    """Per contract, its evaluations of the period's kind overlapping it, else those of the other kind.

    A contract evaluated quarterly still has a score to compare in a monthly view: its quarter's (labelled so).
    """
    overlapping = [
        e for e in evaluations if e.vendor_id == vendor_id and e.start_at < period.end_at and e.end_at > period.start_at
    ]
    chosen = []
    for contract_id in dict.fromkeys(e.contract_id for e in overlapping):
        own = [e for e in overlapping if e.contract_id == contract_id]
        chosen.extend([e for e in own if e.kind == period.kind] or own)
    return [
        ContractScore(
            period_id=e.pk,
            contract_id=e.contract_id,
            contract_number=e.contract.number,
            label=e.label,
            status=e.status,
            status_label=str(e.get_status_display()),
            score=e.total_score,
        )
        for e in chosen
    ]


def _base_fee(version, months: int) -> Decimal:
    """The base fee for ``months`` months: ``base_fee_for`` when the fee period divides them, else pro rata."""
    try:
        return base_fee_for(version, months)
    except ApplicationError:
        return version.fixed_fee * months / FEE_PERIOD_MONTHS[version.fee_period]


def cost_for(*, contracts, statements, period: ReportPeriod) -> Cost:
    """A vendor's fee for the period from its contracts in force and their statements (module docstring)."""
    view = set(_months(period.first, period.last))
    exact: dict[str, Decimal] = defaultdict(Decimal)
    used_statements = used_fee = False
    refs = []
    after = period.last + dt.timedelta(days=1)
    for contract in contracts:
        if contract.starts_on > period.last or contract.ends_on < period.first:
            continue
        if contract.terminated_on is not None and contract.terminated_on < period.first:
            continue
        covered: set[tuple[int, int]] = set()
        for st in sorted((s for s in statements if s.contract_id == contract.pk), key=lambda s: s.period.starts_on):
            months = _months(st.period.starts_on, st.period.ends_on)
            overlap = (view & set(months)) - covered
            if not overlap:
                continue
            exact[st.currency] += st.total * len(overlap) / len(months)
            covered |= overlap
            used_statements = True
            refs.append(StatementRef(st.pk, contract.number, st.period.label, st.status, st.total, st.currency))
        missing = len(view - covered)
        if missing:
            version = contract_version_for_period(contract, period.first, after)
            if version is not None:
                exact[contract.currency] += _base_fee(version, missing)
                used_fee = True
    source = (
        FROM_BOTH
        if used_statements and used_fee
        else FROM_STATEMENTS
        if used_statements
        else FROM_BASE_FEE
        if used_fee
        else ""
    )
    return Cost(amounts={c: round_money(v) for c, v in sorted(exact.items())}, source=source, statements=refs)


def cost_per_work_order(cost: Cost, received: int) -> Decimal | None:
    """The period's cost ÷ work orders received, rounded half up to the cent (None: no work orders, no cost)."""
    if not received or cost.amount is None:
        return None
    return round_money(cost.amount / received)


def _statements(*, user, vendor_ids, first: ReportPeriod, last: ReportPeriod) -> list:
    """The vendors' latest statements (none superseding them) whose periods overlap ``first`` .. ``last``."""
    return list(
        statement_list(user=user).filter(
            Q(vendor_id__in=vendor_ids),
            superseded_by__isnull=True,
            period__start_at__lt=last.end_at,
            period__end_at__gt=first.start_at,
        )
    )


def _mark_best(row: Row) -> None:
    """Highlight the best value of a ranked row (ties all highlighted; at least two values; one currency)."""
    better = row.spec.higher_is_better
    known = [c for c in row.cells if c.value is not None]
    if better is None or len(known) < 2:
        return
    if len({c.currency for c in known}) > 1:
        return  # never rank across currencies
    best = max(c.value for c in known) if better else min(c.value for c in known)
    for cell in known:
        cell.best = cell.value == best


def _cells(column: VendorColumn) -> dict[str, Cell]:
    cells = _raw_cells(column)
    for spec in rows():
        cells[spec.code].unit = spec.unit
    return cells


def _raw_cells(column: VendorColumn) -> dict[str, Cell]:
    now, before = column.figures, column.previous_figures
    cells = {RECEIVED: Cell(Decimal(now.received), Decimal(before.received))}
    for source in kpis.registry.sources(kpis.DASHBOARD):
        code = source.code
        if source.unit == kpis.Unit.COUNT:  # a count: shown whole
            cells[code] = Cell(now.value(code), before.value(code))
        else:
            cells[code] = Cell(rounded(now.value(code)), rounded(before.value(code)))
    cells[SCORE] = Cell(mean_score(column.scores), mean_score(column.previous_scores))
    cost, previous_cost = column.cost, column.previous_cost
    same = cost.currency and cost.currency == previous_cost.currency
    cells[COST] = Cell(cost.amount, previous_cost.amount if same else None, currency=cost.currency)
    cells[COST_PER_WORK_ORDER] = Cell(
        cost_per_work_order(cost, now.received),
        cost_per_work_order(previous_cost, before.received) if same else None,
        currency=cost.currency,
    )
    return cells


def vendor_dashboard(*, user, period: ReportPeriod, organisation) -> Dashboard:
    """The side-by-side comparison of the organisation's vendors the user may see, for one period."""
    if not is_client(user) or (user.organisation_id and user.organisation_id != organisation.pk):
        raise NotAllowed(_("Only the client side reads the vendor dashboard."))
    trailing = trailing_periods(period, organisation, TRAILING[period.kind])
    previous = trailing[-2]
    vendors = vendors_for(user=user, organisation=organisation, period=period)
    ids = [v.pk for v in vendors]
    contracts = _contracts_in_force(user=user, vendor_ids=ids, first=previous.first, last=period.last)
    evaluations = _scores(user=user, vendor_ids=ids, first=previous, last=period)
    statements = _statements(user=user, vendor_ids=ids, first=previous, last=period)
    columns = []
    by_vendor = fact_period_figures(
        organisation=organisation, vendor_ids=ids, periods=trailing, only=kpis.registry.codes(kpis.DASHBOARD)
    )
    for vendor in vendors:
        figures = by_vendor[vendor.pk]
        own = [c for c in contracts if c.vendor_id == vendor.pk]
        own_statements = [s for s in statements if s.vendor_id == vendor.pk]
        column = VendorColumn(
            vendor=vendor,
            figures=figures[-1],
            previous_figures=figures[-2],
            trend=figures,
            scores=_scores_in(evaluations, vendor.pk, period),
            previous_scores=_scores_in(evaluations, vendor.pk, previous),
            cost=cost_for(contracts=own, statements=own_statements, period=period),
            previous_cost=cost_for(contracts=own, statements=own_statements, period=previous),
        )
        column.cells = _cells(column)
        columns.append(column)
    compared = []
    for spec in rows():
        row = Row(spec=spec, cells=[col.cells[spec.code] for col in columns], columns=columns)
        _mark_best(row)
        compared.append(row)
    return Dashboard(
        organisation=organisation, period=period, previous=previous, trailing=trailing, columns=columns, rows=compared
    )
