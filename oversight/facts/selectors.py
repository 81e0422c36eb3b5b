"""Reads of the service facts: the reported indicators of vendors for consecutive periods, from the daily sums.

Each figure equals the evaluation indicator of ``oversight.kpi`` computed from the work orders
(docs/formulas.md), because the daily rows count exactly what the indicator counts, on the day it counts it:

* received, MTTR (sum and count of the current resolutions' durations, in the day of the resolution),
  first-time fix and reopen rate (in the day of the first resolution), ratings and complaints: sums of the
  period's days;
* the three timeliness rates: met and missed targets of the days of their deadlines. A *running* target
  counts as missed once its deadline has passed when the period is evaluated (``min(now, period end)``):
  every running target of the days before that instant's day is missed, of the days after it undecided,
  and on that one day (the running period only) the deadlines are compared with the instant one by one;
* the resolution rate (received in the period and resolved before its end) and the backlog at
  ``min(now, period end)`` depend on two instants of one work order, so they are read from the work-order
  facts of the period (resolution rate: one count per period; backlog: the work orders open at that instant).

Results carry no drill-down ids except the backlog's: drill-down reads the work orders
(``scorecards.facts_loader``). The callers decide who may see which vendor; nothing here widens it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from oversight import kpi
from oversight.core import clock
from oversight.core.zones import zone_of
from oversight.facts.choices import METRICS, Outcome
from oversight.facts.models import COUNTERS, DailyFact, VendorDailyFact, WorkOrderFact
from oversight.kpi.facts import WorkOrderFacts
from oversight.kpi.results import mean
from oversight.scorecards.facts_loader import scope_q

DAILY_CODES = frozenset(
    {
        kpi.RESPONSE_TIMELINESS,
        kpi.ONSITE_TIMELINESS,
        kpi.RESOLUTION_TIMELINESS,
        kpi.MTTR,
        kpi.FIRST_TIME_FIX,
        kpi.REOPEN_RATE,
        kpi.CSAT_MEAN,
        kpi.CSAT_SATISFIED_SHARE,
        kpi.NPS,
        kpi.COMPLAINT_COUNT,
    }
)
SCANNED_CODES = frozenset({kpi.RESOLUTION_RATE, kpi.BACKLOG_MEAN_AGE, kpi.BACKLOG_MAX_AGE})
CODES = DAILY_CODES | SCANNED_CODES
_COUNTERS = COUNTERS
_TIMELINESS = {"response": kpi.RESPONSE_TIMELINESS, "onsite": kpi.ONSITE_TIMELINESS}
_TIMELINESS["resolution"] = kpi.RESOLUTION_TIMELINESS


@dataclass(frozen=True)
class Window:
    """One period to read: its local days and the UTC instants that bound it (a ``ReportPeriod`` fits)."""

    first: dt.date
    last: dt.date
    start_at: dt.datetime
    end_at: dt.datetime


@dataclass(frozen=True)
class FactFigures:
    """The indicators of one vendor and period read from the facts: results by code, and work orders received."""

    received: int
    results: dict[str, kpi.IndicatorResult]


def _ratio(code: str, unit: str, numerator: int, denominator: int) -> kpi.IndicatorResult:
    num, den = Decimal(numerator), Decimal(denominator)
    return kpi.IndicatorResult(code, unit, num, den, kpi.percent(num, den))


def _mttr(sums: dict[str, int]) -> kpi.IndicatorResult:
    """MTTR from the sum of milliseconds: the same Decimal the indicator sums (whole seconds when all are)."""
    count = sums["resolved"]
    if count == 0:
        total = Decimal(0)
    elif sums["resolved_calendar"] == count:
        total = Decimal(sums["resolution_ms"] // 1000)  # calendar durations are whole seconds
    else:
        total = Decimal(sums["resolution_ms"]).scaleb(-3)
    return kpi.IndicatorResult(kpi.MTTR, "seconds", total, Decimal(count), mean(total, Decimal(count)))


def _daily_results(sums: dict[str, int], only) -> dict[str, kpi.IndicatorResult]:
    """The indicators that are sums of days, from the summed counters (running targets already decided)."""
    out = {}
    for metric, code in _TIMELINESS.items():
        met, missed = sums[f"{metric}_met"], sums[f"{metric}_missed"]
        out[code] = _ratio(code, "percent", met, met + missed)
    out[kpi.MTTR] = _mttr(sums)
    out[kpi.FIRST_TIME_FIX] = _ratio(kpi.FIRST_TIME_FIX, "percent", sums["first_time_fixed"], sums["first_resolved"])
    out[kpi.REOPEN_RATE] = _ratio(kpi.REOPEN_RATE, "percent", sums["reopened"], sums["first_resolved"])
    stars, rated = Decimal(sums["rating_stars"]), Decimal(sums["ratings"])
    out[kpi.CSAT_MEAN] = kpi.IndicatorResult(kpi.CSAT_MEAN, "stars", stars, rated, mean(stars, rated))
    out[kpi.CSAT_SATISFIED_SHARE] = _ratio(
        kpi.CSAT_SATISFIED_SHARE, "percent", sums["ratings_satisfied"], sums["ratings"]
    )
    out[kpi.NPS] = _ratio(kpi.NPS, "nps", sums["promoters"] - sums["detractors"], sums["ratings_answered"])
    complaints = Decimal(sums["complaints"])
    out[kpi.COMPLAINT_COUNT] = kpi.IndicatorResult(kpi.COMPLAINT_COUNT, "count", complaints, None, complaints)
    return {code: result for code, result in out.items() if code in only}


def _running_due_by(facts, vendor_ids, day: dt.date, at: dt.datetime) -> dict[tuple[int, str], int]:
    """Per (vendor, metric): running targets due on ``day`` at or before ``at`` (missed when evaluated at ``at``)."""
    out: dict[tuple[int, str], int] = defaultdict(int)
    for metric in METRICS:
        rows = (
            facts.filter(
                vendor_id__in=vendor_ids,
                **{
                    f"{metric}_outcome": Outcome.RUNNING,
                    f"{metric}_due_on": day,
                    f"{metric}_due_at__lte": at,
                },
            )
            .values("vendor_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            out[(row["vendor_id"], metric)] = row["n"]
    return out


def _backlog(facts, vendor_ids, at: dt.datetime) -> dict[int, list[WorkOrderFacts]]:
    """Per vendor, the work orders open at ``at``: received by then and not resolved by then (or not now)."""
    out: dict[int, list[WorkOrderFacts]] = defaultdict(list)
    rows = (
        facts.filter(vendor_id__in=vendor_ids, received_at__lte=at)
        .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gt=at))
        .values_list("vendor_id", "pk", "received_at", "resolved_at")
        .order_by("received_at", "pk")
    )
    for vendor_id, pk, received_at, resolved_at in rows:
        out[vendor_id].append(WorkOrderFacts(id=pk, received_at=received_at, resolved_at=resolved_at))
    return out


def vendors_with_work(*, organisation, vendor_ids, first: dt.date, last: dt.date) -> set[int]:
    """The vendors among ``vendor_ids`` that received a (not cancelled) work order between two local dates."""
    return set(
        VendorDailyFact.objects.filter(
            organisation=organisation, vendor_id__in=vendor_ids, day__gte=first, day__lte=last, received__gt=0
        )
        .values_list("vendor_id", flat=True)
        .distinct()
    )


def volumes_by_service(*, organisation_id, vendor_id, version, first: dt.date, last: dt.date) -> dict[int, tuple]:
    """Per service of a vendor (within a contract version's scope): (received, resolved) between two local dates.

    Received: not cancelled, received on those days; resolved: resolved or closed now, its current resolution on
    those days (the MTTR's work orders). Services with neither are left out.
    """
    rows = (
        DailyFact.objects.filter(organisation_id=organisation_id, vendor_id=vendor_id, day__gte=first, day__lte=last)
        .filter(scope_q(version))
        .values("service_id")
        .annotate(received=Sum("received"), resolved=Sum("resolved"))
        .order_by()
    )
    return {row["service_id"]: (row["received"], row["resolved"]) for row in rows if row["received"] or row["resolved"]}


def fact_figures(*, organisation, vendor_ids, periods: list, version=None, only=CODES) -> dict[int, list[FactFigures]]:
    """Per vendor, the indicators in ``only`` for each of consecutive periods (oldest first) from the facts.

    ``version`` (a contract version) limits the figures to its scope (its services and sites), like the
    evaluation; ``None`` is vendor-wide. One query reads the daily sums of the whole run; the resolution rate
    and the backlog add one query per period when asked for.
    """
    vendor_ids = sorted(set(vendor_ids))
    only = frozenset(only)
    unknown = only - CODES
    if unknown:
        raise ValueError(f"not read from the facts: {sorted(unknown)}")
    out: dict[int, list[FactFigures]] = {pk: [] for pk in vendor_ids}
    if not periods or not vendor_ids:
        return out
    scope = scope_q(version)
    zone = zone_of(organisation)
    now = clock.now()
    # Vendor-wide: the vendor totals (a row per day); within a contract's scope: the daily rows of its keys.
    table = DailyFact if scope else VendorDailyFact
    daily = (
        table.objects.filter(organisation=organisation, vendor_id__in=vendor_ids)
        .filter(scope)
        .filter(day__gte=periods[0].first, day__lte=periods[-1].last)
        .values("vendor_id", "day")
        .annotate(**{name: Sum(name) for name in _COUNTERS})
        .order_by()
    )
    by_vendor_day: dict[int, list[dict]] = defaultdict(list)
    for row in daily:
        by_vendor_day[row["vendor_id"]].append(row)
    facts = WorkOrderFact.objects.filter(organisation=organisation).filter(scope)
    for period in periods:
        evaluated_at = min(now, period.end_at)
        today = evaluated_at.astimezone(zone).date()
        partial = (
            _running_due_by(facts, vendor_ids, today, evaluated_at) if period.first <= today <= period.last else {}
        )
        scanned = _scanned(facts, vendor_ids, period, evaluated_at, only)
        for vendor_id in vendor_ids:
            sums = dict.fromkeys(_COUNTERS, 0)
            for row in by_vendor_day[vendor_id]:
                if not period.first <= row["day"] <= period.last:
                    continue
                for name in _COUNTERS:
                    sums[name] += row[name] or 0
                for metric in METRICS:
                    running = row[f"{metric}_running"] or 0
                    if row["day"] < today:
                        sums[f"{metric}_missed"] += running
            for metric in METRICS:
                sums[f"{metric}_missed"] += partial.get((vendor_id, metric), 0)
            results = _daily_results(sums, only)
            results.update(scanned.get(vendor_id, {}))
            out[vendor_id].append(FactFigures(received=sums["received"], results=results))
    return out


def _scanned(facts, vendor_ids, period, evaluated_at: dt.datetime, only) -> dict[int, dict]:
    """The resolution rate and the backlog of one period per vendor, from the work-order facts."""
    out: dict[int, dict] = {pk: {} for pk in vendor_ids}
    if kpi.RESOLUTION_RATE in only:
        counts = {pk: (0, 0) for pk in vendor_ids}
        rows = (
            facts.filter(vendor_id__in=vendor_ids, received_on__gte=period.first, received_on__lte=period.last)
            .values("vendor_id")
            .annotate(n=Count("pk"), resolved=Count("pk", filter=Q(resolved_on__lte=period.last)))
            .order_by()
        )
        for row in rows:
            counts[row["vendor_id"]] = (row["resolved"], row["n"])
        for pk, (resolved, received) in counts.items():
            out[pk][kpi.RESOLUTION_RATE] = _ratio(kpi.RESOLUTION_RATE, "percent", resolved, received)
    if only & {kpi.BACKLOG_MEAN_AGE, kpi.BACKLOG_MAX_AGE}:
        backlog = _backlog(facts, vendor_ids, evaluated_at)
        for pk in vendor_ids:
            open_ones = backlog.get(pk, [])
            if kpi.BACKLOG_MEAN_AGE in only:
                out[pk][kpi.BACKLOG_MEAN_AGE] = kpi.backlog_mean_age(open_ones, evaluated_at)
            if kpi.BACKLOG_MAX_AGE in only:
                out[pk][kpi.BACKLOG_MAX_AGE] = kpi.backlog_max_age(open_ones, evaluated_at)
    return out
