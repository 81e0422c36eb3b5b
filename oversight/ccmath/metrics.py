"""Contact-centre KPIs from summed interval components and per-contact scores — pure, no Django.

Every ratio is computed from **summed components** of the intervals being reported (interval, day, week,
month, queue, vendor): :class:`Totals` adds intervals together and the functions below divide the sums. An
average of interval ratios would weigh a quiet night interval like a busy Monday morning; it is never taken.

Definitions (docs/formulas.md repeats them):

* ASA (average speed of answer) = total wait of answered contacts ÷ answered. ``wait`` is the queue time of the
  *answered* contacts as the vendor delivers it; abandoned contacts' waits are not in ASA (they are in the
  abandonment rate instead).
* Abandonment rate = abandoned ÷ offered; with ``exclude_short`` the short abandons leave both sides:
  (B − S) ÷ (O − S).
* AHT (average handle time) = (talk + hold + after-call work) ÷ answered.
* Occupancy = handle time ÷ staffed (productive) time, staffed time = staffed agents × interval length.
* Shrinkage = 1 − productive hours ÷ paid hours (productive hours = staffed agents × interval length).
* Schedule conformance (the adherence the interval data allow) = staffed agent time ÷ scheduled agent time; true
  adherence needs each agent's state per minute, which interval exports do not carry.
* FCR (first-contact resolution) = contacts resolved at first contact ÷ contacts with an FCR flag.
* CSAT: the mean score (1–5) and the share of 4 and 5 among the scores.
* NPS = % promoters (9–10) − % detractors (0–6), in points from −100 to 100.

A denominator of zero gives None: no figure, rather than 0 or 100 %.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import Decimal
from fractions import Fraction

Number = int | Decimal | Fraction


def _q(value: Number) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(value)


def ratio(numerator: Number, denominator: Number) -> Fraction | None:
    """numerator ÷ denominator exactly, or None when the denominator is not positive."""
    bottom = _q(denominator)
    if bottom <= 0:
        return None
    return _q(numerator) / bottom


@dataclass(frozen=True)
class Totals:
    """Summed components of one or more intervals (counts, seconds, agent-seconds, hours)."""

    offered: int = 0
    answered: int = 0
    answered_within: int = 0
    abandoned: int = 0
    abandoned_within: int = 0
    short_abandoned: int = 0
    flow_outs: int = 0
    wait_seconds: Number = 0
    talk_seconds: Number = 0
    hold_seconds: Number = 0
    acw_seconds: Number = 0
    staffed_seconds: Number = 0  # staffed agents × interval length, summed
    scheduled_seconds: Number = 0  # scheduled agents × interval length, summed
    paid_hours: Number = 0
    intervals: int = 0

    def __add__(self, other: Totals) -> Totals:
        return Totals(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def handle_seconds(self) -> Number:
        return self.talk_seconds + self.hold_seconds + self.acw_seconds


def interval_totals(
    *,
    interval_minutes: int,
    staffed_agents: Number = 0,
    scheduled_agents: Number = 0,
    **counts,
) -> Totals:
    """The totals of one interval row: agents (averages over the interval) become agent-seconds."""
    seconds = interval_minutes * 60
    return Totals(
        staffed_seconds=_q(staffed_agents) * seconds,
        scheduled_seconds=_q(scheduled_agents) * seconds,
        intervals=1,
        **counts,
    )


def total(rows: Iterable[Totals]) -> Totals:
    """The sum of many totals."""
    out = Totals()
    for row in rows:
        out = out + row
    return out


def asa(t: Totals) -> Fraction | None:
    """Average speed of answer in seconds: total wait of answered contacts ÷ answered."""
    return ratio(t.wait_seconds, t.answered)


def abandonment_rate(t: Totals, *, exclude_short: bool = False) -> Fraction | None:
    """Abandoned ÷ offered (a fraction); with ``exclude_short``, (abandoned − short) ÷ (offered − short)."""
    if exclude_short:
        return ratio(t.abandoned - t.short_abandoned, t.offered - t.short_abandoned)
    return ratio(t.abandoned, t.offered)


def aht(t: Totals) -> Fraction | None:
    """Average handle time in seconds: (talk + hold + after-call work) ÷ answered."""
    return ratio(t.handle_seconds, t.answered)


def occupancy(t: Totals) -> Fraction | None:
    """Handle time ÷ staffed time (a fraction; above 1 means the staffed figure is wrong or handling spilled)."""
    return ratio(t.handle_seconds, t.staffed_seconds)


def shrinkage(t: Totals) -> Fraction | None:
    """1 − productive hours ÷ paid hours (productive hours = staffed agent-seconds ÷ 3600)."""
    share = ratio(_q(t.staffed_seconds) / 3600, t.paid_hours)
    return None if share is None else 1 - share


def schedule_conformance(t: Totals) -> Fraction | None:
    """Staffed agent time ÷ scheduled agent time (what interval data allow of schedule adherence)."""
    return ratio(t.staffed_seconds, t.scheduled_seconds)


def fcr(resolved_first: int, flagged: int) -> Fraction | None:
    """First-contact resolution: resolved at first contact ÷ contacts carrying the flag."""
    return ratio(resolved_first, flagged)


def csat_mean(scores: Iterable[int]) -> Fraction | None:
    """The mean CSAT score (1–5)."""
    values = [int(s) for s in scores]
    return ratio(sum(values), len(values))


def csat_share(scores: Iterable[int]) -> Fraction | None:
    """The share of satisfied answers (4 or 5) among the CSAT scores."""
    values = [int(s) for s in scores]
    return ratio(sum(1 for s in values if s >= 4), len(values))


def nps(scores: Iterable[int]) -> Fraction | None:
    """Net promoter score in points: 100 × (promoters 9–10 − detractors 0–6) ÷ answers."""
    values = [int(s) for s in scores]
    share = ratio(sum(1 for s in values if s >= 9) - sum(1 for s in values if s <= 6), len(values))
    return None if share is None else share * 100


GRAINS = ("interval", "day", "week", "month")


def bucket(local: dt.datetime, grain: str) -> dt.datetime | dt.date:
    """The reporting bucket of a local interval start: itself, its day, the Monday of its ISO week, or the first
    of its month."""
    if grain == "interval":
        return local
    day = local.date()
    if grain == "day":
        return day
    if grain == "week":
        return day - dt.timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    raise ValueError(f"unknown grain {grain!r}")


def by_bucket(rows: Iterable[tuple[dt.datetime, Totals]], grain: str) -> dict:
    """Totals per bucket (sums of components), in bucket order."""
    out: dict = {}
    for local, totals in rows:
        key = bucket(local, grain)
        out[key] = out[key] + totals if key in out else totals
    return dict(sorted(out.items()))
