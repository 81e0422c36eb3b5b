"""What a key risk indicator measures: its periods and its value in each (the ORM side of `oversight.quant.kri`).

A KRI reads either a registered indicator source (`oversight.core.kpis`, the way service reports compute one: the
vendor's facts over the period, under the contract version in force when a contract is named) or one of the
built-in data rules below. Every value is a Decimal (or None when there is nothing to measure).

Built-in rules (`KriRule`):

* ``no_service`` — work orders the vendor resolved on each working day (the daily service facts; a service narrows
  it). With a window of 1 working day, red below 1 and persistence 3 it is MISSION's "a key vendor delivered no
  service for 3 consecutive working days".
* ``commitments_missed`` — SLA commitments of the vendor's signed (or locked) evaluation whose period starts in the
  month that were not met. Red above 0 with persistence 2: "SLA compliance under target two months running".
* ``cost_deviation`` — ``100 · (invoiced − contracted fixed fee) / contracted fixed fee`` of the approved settlement
  statements whose evaluation period starts in the month (summed when there are several).
* ``certificate_cluster`` — the largest number of certificates of the vendor's active staff that expire within
  ``rule_days`` consecutive days, among those expiring in the 90 days after the period.
* ``staffing_shortfall`` — ``100 · (contracted − filled) / contracted`` on the period's last day (portfolio's staff
  compliance: a member is counted when active with no expired certificate).

The roster keeps no history, so the two roster rules are measured only for the latest complete period (an earlier
period keeps the reading it was given when it was the latest).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from oversight.catalog.calendars import calendar_spec
from oversight.contracts.selectors import contract_version_for_period
from oversight.core import clock, kpis
from oversight.core.periods import calendar_period
from oversight.core.zones import zone_of
from oversight.facts.models import DailyFact, VendorDailyFact
from oversight.kpi import Period
from oversight.portfolio.selectors import staff_compliance
from oversight.quant import kri as rules
from oversight.quant.evm import working_days
from oversight.risks.choices_triggers import KriRule, KriWindow
from oversight.scorecards.choices import PeriodStatus
from oversight.scorecards.models import CommitmentResult
from oversight.settlement.choices import StatementStatus
from oversight.settlement.models import SettlementStatement
from oversight.tenancy.models import Certificate

#: How far after a period the certificate rule looks for expiries.
CERTIFICATE_HORIZON_DAYS = 90
SIGNED_STATUSES = (PeriodStatus.SIGNED, PeriodStatus.LOCKED)


@dataclass(frozen=True)
class Measurement:
    """One period's value (None: nothing to measure) and what it rests on, in plain data for the reading."""

    value: Decimal | None
    detail: dict = field(default_factory=dict)


def kri_periods(kri, *, until: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The complete periods of a KRI from its first day to ``until`` (inclusive), oldest first, as (first, last)."""
    if kri.window == KriWindow.BUSINESS_DAYS:
        if kri.calendar is None:
            return []
        days = working_days(calendar_spec(kri.calendar), kri.starts_on, until)
        return rules.business_day_windows(days, kri.window_days, kri.starts_on, until)
    periods = []
    first, after = calendar_period(kri.starts_on, 1)
    while after - dt.timedelta(days=1) <= until:
        periods.append((first, after - dt.timedelta(days=1)))
        first, after = after, calendar_period(after, 1)[1]
    return periods


def _bounds(kri, first: dt.date, last: dt.date) -> Period:
    zone = zone_of(kri.organisation)
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return Period(start, end)


def measure(kri, first: dt.date, last: dt.date) -> Measurement:
    """The KRI's value over the period ``[first, last]`` (local dates of the organisation)."""
    if kri.source:
        return _measure_source(kri, first, last)
    return RULES[kri.rule](kri, first, last)


def _measure_source(kri, first: dt.date, last: dt.date) -> Measurement:
    source = kpis.registry.find(kri.source)
    if source is None or not source.computed:
        return Measurement(None, {"problem": "unknown_source"})
    period = _bounds(kri, first, last)
    version = None
    if kri.contract_id is not None:
        version = contract_version_for_period(kri.contract, first, last + dt.timedelta(days=1))
        if version is None:
            return Measurement(None, {"problem": "contract_not_in_force"})
    at = min(clock.now(), period.end)
    scope = kpis.Scope(
        organisation_id=kri.organisation_id,
        vendor_id=kri.vendor_id,
        version=version,
        evaluated_at=at,
        day=min(last, at.astimezone(zone_of(kri.organisation)).date()),
    )
    result = kpis.compute(source, kpis.Facts(scope, period), kpis.Window(period, at))
    if result is None:
        return Measurement(None)
    return Measurement(
        result.value,
        {"numerator": _text(result.numerator), "denominator": _text(result.denominator)},
    )


def _text(value) -> str | None:
    return None if value is None else str(value)


def _no_service(kri, first: dt.date, last: dt.date) -> Measurement:
    if kri.service_id is not None:
        rows = DailyFact.objects.filter(service_id=kri.service_id)
    else:
        rows = VendorDailyFact.objects.all()
    resolved = rows.filter(
        organisation_id=kri.organisation_id, vendor_id=kri.vendor_id, day__gte=first, day__lte=last
    ).aggregate(resolved=Sum("resolved"), received=Sum("received"))
    return Measurement(
        Decimal(resolved["resolved"] or 0),
        {"resolved": resolved["resolved"] or 0, "received": resolved["received"] or 0},
    )


def _commitments_missed(kri, first: dt.date, last: dt.date) -> Measurement:
    results = CommitmentResult.objects.filter(
        period__organisation_id=kri.organisation_id,
        period__vendor_id=kri.vendor_id,
        period__status__in=SIGNED_STATUSES,
        period__revised_by__isnull=True,
        period__starts_on__gte=first,
        period__starts_on__lte=last,
    )
    if kri.contract_id is not None:
        results = results.filter(period__contract_id=kri.contract_id)
    judged = [met for met in results.values_list("met", flat=True) if met is not None]
    if not judged:
        return Measurement(None)
    missed = sum(1 for met in judged if not met)
    return Measurement(Decimal(missed), {"missed": missed, "judged": len(judged)})


def _cost_deviation(kri, first: dt.date, last: dt.date) -> Measurement:
    statements = SettlementStatement.objects.filter(
        organisation_id=kri.organisation_id,
        vendor_id=kri.vendor_id,
        status=StatementStatus.APPROVED,
        superseded_by__isnull=True,
        period__starts_on__gte=first,
        period__starts_on__lte=last,
    )
    if kri.contract_id is not None:
        statements = statements.filter(contract_id=kri.contract_id)
    totals = statements.aggregate(invoiced=Sum("invoice_amount"), budget=Sum("base_fee"))
    if totals["budget"] is None:
        return Measurement(None)
    value = rules.deviation_percent(totals["invoiced"], totals["budget"])
    return Measurement(value, {"invoiced": str(totals["invoiced"]), "budget": str(totals["budget"])})


def _certificate_cluster(kri, first: dt.date, last: dt.date) -> Measurement:
    horizon = last + dt.timedelta(days=CERTIFICATE_HORIZON_DAYS)
    expiries = list(
        Certificate.objects.filter(
            staff_member__vendor_id=kri.vendor_id,
            staff_member__is_active=True,
            expires_on__gt=last,
            expires_on__lte=horizon,
        ).values_list("expires_on", flat=True)
    )
    cluster = rules.largest_cluster(expiries, kri.rule_days)
    return Measurement(Decimal(cluster), {"expiring": len(expiries), "horizon": horizon.isoformat()})


def _staffing_shortfall(kri, first: dt.date, last: dt.date) -> Measurement:
    compliance = staff_compliance(kri.vendor, last)
    required = sum(row.contracted for row in compliance.positions)
    filled = sum(row.filled for row in compliance.positions)
    value = rules.shortfall_percent(filled, required)
    return Measurement(value, {"contracted": required, "filled": filled})


RULES = {
    KriRule.NO_SERVICE: _no_service,
    KriRule.COMMITMENTS_MISSED: _commitments_missed,
    KriRule.COST_DEVIATION: _cost_deviation,
    KriRule.CERTIFICATE_CLUSTER: _certificate_cluster,
    KriRule.STAFFING_SHORTFALL: _staffing_shortfall,
}


def source_choices() -> list[tuple[str, object]]:
    """(code, label) of the registered sources Oversight computes, for the KRI form (call per form instance)."""
    return [(source.code, source.label) for source in kpis.registry.sources() if source.computed]
