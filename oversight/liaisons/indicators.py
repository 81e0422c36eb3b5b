"""The liaisons indicators (pure Python, no Django): the ORM layer (`liaisons.kpis`) feeds plain facts.

For one vendor of an organisation and a half-open period ``[start, end)``:

* **escalations** (count): the vendor's escalation episodes that started in the period (any trigger; an episode is
  one trigger on one subject from its start until the subject is resolved, however many levels it sent).
* **hotline reports** (count): reports to the supervision hotline about the vendor received in the period. A report
  is about the vendor of what it was passed on as (the complaint's or the work order's vendor), else the vendor of
  its service area; a report about nobody's service counts for no vendor.
* **hotline resolution time** (seconds, lower is better): the mean of ``resolved_at − received_at`` in calendar
  time over the vendor's reports resolved in the period (passed on and resolved with their complaint or work
  order; dismissed reports are not resolutions and do not count). None when none was resolved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from oversight.kpi import IndicatorResult
from oversight.kpi.facts import Period
from oversight.kpi.results import mean, td_seconds

ESCALATIONS = "escalations"
HOTLINE_REPORTS = "hotline_reports"
HOTLINE_RESOLUTION_TIME = "hotline_resolution_time"


@dataclass(frozen=True)
class EscalationFacts:
    """One escalation episode of the vendor: when it started."""

    id: int
    started_at: dt.datetime


@dataclass(frozen=True)
class HotlineFacts:
    """One hotline report about the vendor: when it was received and, if it was resolved, when."""

    id: int
    received_at: dt.datetime
    resolved_at: dt.datetime | None = None


def _count(code: str, ids: list[int]) -> IndicatorResult:
    return IndicatorResult(
        code=code,
        unit="count",
        numerator=Decimal(len(ids)),
        denominator=None,
        value=Decimal(len(ids)),
        numerator_ids=tuple(ids),
    )


def escalations(rows: list[EscalationFacts], period: Period) -> IndicatorResult:
    """Escalation episodes that started in the period (a count)."""
    return _count(ESCALATIONS, [r.id for r in rows if period.contains(r.started_at)])


def hotline_reports(rows: list[HotlineFacts], period: Period) -> IndicatorResult:
    """Hotline reports received in the period (a count)."""
    return _count(HOTLINE_REPORTS, [r.id for r in rows if period.contains(r.received_at)])


def hotline_resolution_time(rows: list[HotlineFacts], period: Period) -> IndicatorResult:
    """Mean seconds from receipt to resolution over the reports resolved in the period."""
    done = [r for r in rows if r.resolved_at is not None and period.contains(r.resolved_at)]
    total = sum((td_seconds(r.resolved_at - r.received_at) for r in done), Decimal(0))
    return IndicatorResult(
        code=HOTLINE_RESOLUTION_TIME,
        unit="seconds",
        numerator=total,
        denominator=Decimal(len(done)),
        value=mean(total, Decimal(len(done))),
        numerator_ids=tuple(r.id for r in done),
        denominator_ids=tuple(r.id for r in done),
    )
