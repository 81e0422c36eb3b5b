"""Earned value management (EVM) with Decimals: the figures of a project at a status date, earned value per
deliverable by its method, planned value time-phased over working days, earned schedule and traffic lights.

Conventions (ADR "earned value"):
- Every ratio is computed from the unrounded amounts, never from a rounded index: EAC = BAC/CPI is computed as
  BAC·AC/EV, so the MISSION reference (BAC 4000, EV 2500, AC 2800) gives 4480.00 exactly, not the 4479 of a
  textbook that rounds CPI to 0.89 first. Amounts are rounded half-up to cents and indices to four places only
  when they are returned.
- A figure that divides by zero is ``None`` ("not yet measurable"), never 0 and never an exception: SPI before any
  value is planned, CPI and the EAC formulas before any cost is recorded or any value earned, TCPI once the whole
  budget is spent.
- Time is counted in working days of a business calendar: day k of the schedule is the k-th working day from the
  project's first planned day; a status date counts the working days up to and including it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext

from oversight.businesstime.engine import CalendarDataMissing, CalendarSpec

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
INDEX_PLACES = Decimal("0.0001")
_CURVE_PLACES = Decimal("1e-12")

# Earned-value methods of a deliverable (the codes the projects app stores).
METHOD_FIXED_0_100 = "0_100"
METHOD_FIXED_50_50 = "50_50"
METHOD_FIXED_20_80 = "20_80"
METHOD_PERCENT = "percent"
METHOD_MILESTONES = "milestones"
METHOD_UNITS = "units"
METHODS = (
    METHOD_FIXED_0_100,
    METHOD_FIXED_50_50,
    METHOD_FIXED_20_80,
    METHOD_PERCENT,
    METHOD_MILESTONES,
    METHOD_UNITS,
)
# Share of the budget earned when a deliverable of a fixed-formula method starts (the rest when it finishes).
_START_SHARE = {METHOD_FIXED_0_100: ZERO, METHOD_FIXED_50_50: Decimal("0.5"), METHOD_FIXED_20_80: Decimal("0.2")}

LIGHT_GREEN = "green"
LIGHT_YELLOW = "yellow"
LIGHT_RED = "red"
LIGHT_UNKNOWN = "unknown"
_LIGHT_RANK = {LIGHT_UNKNOWN: 0, LIGHT_GREEN: 1, LIGHT_YELLOW: 2, LIGHT_RED: 3}


def money(value: Decimal | None) -> Decimal | None:
    """An amount rounded half-up to cents (``None`` stays ``None``)."""
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


def index(value: Decimal | None) -> Decimal | None:
    """An index (SPI, CPI, TCPI) rounded half-up to four places (``None`` stays ``None``)."""
    return None if value is None else value.quantize(INDEX_PLACES, rounding=ROUND_HALF_UP)


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    return None if denominator == 0 else numerator / denominator


# --------------------------------------------------------------------------------------------------------------
# Figures at a status date
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """The earned-value figures of a project at one status date, unrounded (``None`` = not yet measurable).

    ``eac`` is the CPI formula BAC/CPI; ``eac_atypical`` = AC + (BAC − EV) (the rest at the budgeted rate);
    ``eac_cpi_spi`` = AC + (BAC − EV)/(CPI·SPI). ETC and VAC follow ``eac``. ``es`` and ``spi_t`` are the
    earned schedule (in working days) and SPI(t) = ES/AT, given only when the PV curve was supplied.
    """

    bac: Decimal
    pv: Decimal
    ev: Decimal
    ac: Decimal
    sv: Decimal
    cv: Decimal
    spi: Decimal | None
    cpi: Decimal | None
    eac: Decimal | None
    eac_atypical: Decimal
    eac_cpi_spi: Decimal | None
    etc: Decimal | None
    vac: Decimal | None
    tcpi: Decimal | None
    es: Decimal | None = None
    at: int | None = None
    spi_t: Decimal | None = None

    def rounded(self) -> dict[str, Decimal | int | None]:
        """Every figure as shown and stored: amounts in cents, indices and earned schedule to four places."""
        amounts = ("bac", "pv", "ev", "ac", "sv", "cv", "eac", "eac_atypical", "eac_cpi_spi", "etc", "vac")
        out: dict[str, Decimal | int | None] = {name: money(getattr(self, name)) for name in amounts}
        for name in ("spi", "cpi", "tcpi", "es", "spi_t"):
            out[name] = index(getattr(self, name))
        out["at"] = self.at
        return out


def figures(
    *,
    bac: Decimal,
    pv: Decimal,
    ev: Decimal,
    ac: Decimal,
    pv_curve: Sequence[Decimal] | None = None,
    at: int | None = None,
) -> Figures:
    """The EVM figures from budget at completion, planned value, earned value and actual cost.

    With ``pv_curve`` (cumulative PV at the end of working day 1, 2, …) and ``at`` (working days elapsed at the
    status date) the earned schedule and SPI(t) are added.
    """
    for name, value in (("BAC", bac), ("PV", pv), ("EV", ev), ("AC", ac)):
        if not isinstance(value, Decimal):
            raise TypeError(f"{name} must be a Decimal, got {type(value).__name__}")
        if value < 0:
            raise ValueError(f"{name} must not be negative")
    spi = _ratio(ev, pv)
    cpi = _ratio(ev, ac)
    remaining = bac - ev
    # BAC/CPI = BAC·AC/EV: no rounded CPI in between.
    eac = bac * ac / ev if ev and ac else None
    eac_cpi_spi = None
    if ev and ac and pv:
        # (BAC − EV)/(CPI·SPI) = (BAC − EV)·AC·PV/EV². The numerator of three amounts has up to three times an
        # amount's digits, past the default 28-digit context for budgets of tens of millions, so it is formed
        # exactly and only the one division rounds (at CPI·SPI = 1 the figure is then exactly AC + BAC − EV).
        with localcontext() as exact:
            exact.prec = 90
            numerator = remaining * ac * pv
        eac_cpi_spi = ac + numerator / (ev * ev)
    etc = None if eac is None else eac - ac
    vac = None if eac is None else bac - eac
    tcpi = _ratio(remaining, bac - ac)
    es = spi_t = None
    if pv_curve is not None and at is not None:
        es = earned_schedule(pv_curve, ev)
        spi_t = _ratio(es, Decimal(at))
    return Figures(
        bac=bac,
        pv=pv,
        ev=ev,
        ac=ac,
        sv=ev - pv,
        cv=ev - ac,
        spi=spi,
        cpi=cpi,
        eac=eac,
        eac_atypical=ac + remaining,
        eac_cpi_spi=eac_cpi_spi,
        etc=etc,
        vac=vac,
        tcpi=tcpi,
        es=es,
        at=at,
        spi_t=spi_t,
    )


def earned_schedule(pv_curve: Sequence[Decimal], ev: Decimal) -> Decimal:
    """Earned schedule in working days: the time at which the plan foresaw the value earned now.

    ``pv_curve[k - 1]`` is the cumulative PV at the end of working day k (PV is 0 before day 1). ES = C +
    (EV − PV_C)/(PV_{C+1} − PV_C), where C is the last day with PV_C ≤ EV (linear interpolation on the PV
    curve); once EV reaches the final PV, ES is the planned duration.
    """
    if not pv_curve:
        return ZERO
    whole = 0
    previous = ZERO
    for day, planned in enumerate(pv_curve, start=1):
        if planned <= ev:
            whole = day
            previous = planned
            continue
        step = planned - previous
        return Decimal(whole) + ((ev - previous) / step if step else ZERO)
    return Decimal(len(pv_curve))


# --------------------------------------------------------------------------------------------------------------
# Earned value of one deliverable
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliverableProgress:
    """What was reported for a deliverable at a status date (only the parts its method reads)."""

    started: bool = False
    finished: bool = False
    percent_complete: Decimal | None = None
    milestone_weight_reached: Decimal = ZERO
    milestone_weight_total: Decimal = ZERO
    units_done: Decimal = ZERO
    units_total: Decimal = ZERO


def earned_share(method: str, progress: DeliverableProgress) -> Decimal:
    """Share of a deliverable's budget earned (0 to 1) by its method.

    0/100, 50/50, 20/80: nothing, half or a fifth when started, all when finished. Percent complete: the
    percentage entered (never derived from time or cost; nothing entered = 0). Weighted milestones: the weight of
    the milestones reached over the total weight. Units complete: units done over units planned (capped at 1).
    """
    if method in _START_SHARE:
        if progress.finished:
            return ONE
        return _START_SHARE[method] if progress.started else ZERO
    if method == METHOD_PERCENT:
        if progress.percent_complete is None:
            return ZERO
        if not ZERO <= progress.percent_complete <= HUNDRED:
            raise ValueError("percent complete must lie between 0 and 100")
        return progress.percent_complete / HUNDRED
    if method == METHOD_MILESTONES:
        if progress.milestone_weight_total <= 0:
            return ZERO
        return min(ONE, progress.milestone_weight_reached / progress.milestone_weight_total)
    if method == METHOD_UNITS:
        if progress.units_total <= 0:
            return ZERO
        return min(ONE, max(ZERO, progress.units_done) / progress.units_total)
    raise ValueError(f"unknown earned-value method {method!r}")


def earned_value(method: str, budget: Decimal, progress: DeliverableProgress) -> Decimal:
    """Earned value of a deliverable: its budget times the share its method earns."""
    return budget * earned_share(method, progress)


# --------------------------------------------------------------------------------------------------------------
# Planned value over working days
# --------------------------------------------------------------------------------------------------------------


def working_days(spec: CalendarSpec, start: date, end: date) -> list[date]:
    """The local dates from ``start`` to ``end`` (both included) that have working time in the calendar.

    Refuses (``CalendarDataMissing``) a year the calendar's holiday data does not cover: the schedule never
    guesses holidays.
    """
    days: list[date] = []
    day = start
    while day <= end:
        if spec.covered_years is not None and day.year not in spec.covered_years:
            raise CalendarDataMissing(day.year, spec.name)
        if spec.intervals_for(day):
            days.append(day)
        day += timedelta(days=1)
    return days


@dataclass(frozen=True)
class PlannedPackage:
    """A work package's plan: its budget spread evenly over the working days from start to finish."""

    budget: Decimal
    start: date
    finish: date


def pv_curve(packages: Iterable[PlannedPackage], days: Sequence[date]) -> list[Decimal]:
    """Cumulative planned value at the end of each working day of ``days`` (the project's schedule).

    A package plans budget·k/n by the k-th of its n working days (exactly its budget on its last one); a package
    whose span holds no working day plans its whole budget on the first working day on or after its finish.
    """
    curve = [ZERO] * len(days)
    positions = {day: i for i, day in enumerate(days)}
    for package in packages:
        own = [positions[d] for d in days if package.start <= d <= package.finish]
        if own:
            n = Decimal(len(own))
            for k, pos in enumerate(own, start=1):
                curve[pos] += package.budget * k / n - package.budget * (k - 1) / n
        elif days:
            later = [i for i, d in enumerate(days) if d >= package.finish]
            curve[later[0] if later else len(days) - 1] += package.budget
    total = ZERO
    for i, increment in enumerate(curve):
        total += increment
        # Twelve places absorb the last digit of the 28-digit context, so a finished plan sums to its budget.
        curve[i] = total.quantize(_CURVE_PLACES, rounding=ROUND_HALF_UP)
    return curve


def planned_value_at(curve: Sequence[Decimal], days: Sequence[date], status_date: date) -> tuple[Decimal, int]:
    """PV at a status date and the working days elapsed (AT): the curve at the last working day on or before it."""
    elapsed = sum(1 for d in days if d <= status_date)
    return (curve[elapsed - 1] if elapsed else ZERO), elapsed


def work_package_pv(package: PlannedPackage, days: Sequence[date], status_date: date) -> Decimal:
    """Planned value of one work package at a status date (its own time-phasing, as in :func:`pv_curve`)."""
    curve = pv_curve([package], days)
    return planned_value_at(curve, days, status_date)[0]


# --------------------------------------------------------------------------------------------------------------
# Traffic lights
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    """The seeds' rule: green on plan, yellow for a deviation under ``red_deviation``, red at or above it.

    ``green_tolerance`` lets a project count a small adverse deviation as on plan (0 by default: only an index of 1
    or more is green). Deviations are ``1 − index`` and only adverse ones count (an index above 1 is green).
    """

    green_tolerance: Decimal = ZERO
    red_deviation: Decimal = Decimal("0.10")

    def __post_init__(self) -> None:
        if self.green_tolerance < 0 or self.red_deviation <= 0:
            raise ValueError("thresholds must be positive")
        if self.green_tolerance >= self.red_deviation:
            raise ValueError("the green tolerance must be below the red deviation")


def light(value: Decimal | None, thresholds: Thresholds = Thresholds()) -> str:
    """Traffic light of a performance index (SPI, CPI, SPI(t)); ``unknown`` while it is not measurable."""
    if value is None:
        return LIGHT_UNKNOWN
    deviation = ONE - value
    if deviation <= thresholds.green_tolerance:
        return LIGHT_GREEN
    if deviation < thresholds.red_deviation:
        return LIGHT_YELLOW
    return LIGHT_RED


def worst(*lights: str) -> str:
    """The worse of several lights (red over yellow over green; unknown only when nothing else is known)."""
    return max(lights, key=_LIGHT_RANK.__getitem__, default=LIGHT_UNKNOWN)


def project_light(result: Figures, thresholds: Thresholds = Thresholds()) -> str:
    """A project's overall light: the worse of its SPI and CPI lights."""
    return worst(light(result.spi, thresholds), light(result.cpi, thresholds))


# --------------------------------------------------------------------------------------------------------------
# Milestones
# --------------------------------------------------------------------------------------------------------------


def slippage_days(planned: date, actual: date | None, status_date: date, count: Callable[[date, date], int]) -> int:
    """Working days a milestone slipped: reached late (actual − planned), or not reached and already overdue
    (status date − planned); 0 when on time or not yet due. ``count(a, b)`` counts working days in (a, b]."""
    if actual is not None:
        return count(planned, actual) if actual > planned else 0
    return count(planned, status_date) if status_date > planned else 0
