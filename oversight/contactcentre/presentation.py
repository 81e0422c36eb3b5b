"""Rows of the contact-centre pages: day totals with the ratios computed from their summed components under the
service-level term of each day (pure reads; the pages only render what this returns)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from oversight.ccmath.servicelevel import Counts, service_level
from oversight.contactcentre.models import ServiceLevelTerm

HUNDRED = Decimal(100)


def percent(fraction) -> Decimal | None:
    """A fraction in [0, 1] as a percentage rounded to one decimal (None stays None)."""
    if fraction is None:
        return None
    return (Decimal(fraction.numerator) / Decimal(fraction.denominator) * HUNDRED).quantize(Decimal("0.1"))


def counts_of(values: dict) -> Counts:
    """The service-level counts of summed interval components."""
    return Counts(
        offered=values["offered"],
        answered=values["answered"],
        answered_within=values["answered_within_threshold"],
        abandoned=values["abandoned"],
        abandoned_within=values["abandoned_within_threshold"],
        short_abandoned=values["short_abandoned"],
    )


@dataclass
class DayRow:
    """One day of a queue (or a group of queues) as shown."""

    day: dt.date
    offered: int
    answered: int
    abandoned: int
    service_level: Decimal | None
    target: Decimal | None
    met: bool | None
    asa_seconds: Decimal | None
    abandonment: Decimal | None
    term: ServiceLevelTerm | None


def day_row(day: dt.date, values: dict, term: ServiceLevelTerm | None) -> DayRow:
    """A day's row: service level under the day's term (None without a term), ASA and abandonment rate."""
    level = service_level(term.variant, counts_of(values)) if term is not None else None
    shown = percent(level)
    target = (term.target * HUNDRED).quantize(Decimal("0.1")) if term is not None else None
    answered, offered = values["answered"], values["offered"]
    asa = (Decimal(values["wait_seconds"]) / answered).quantize(Decimal("0.1")) if answered else None
    abandonment = (Decimal(values["abandoned"]) / offered * HUNDRED).quantize(Decimal("0.1")) if offered else None
    return DayRow(
        day=day,
        offered=offered,
        answered=answered,
        abandoned=values["abandoned"],
        service_level=shown,
        target=target,
        met=None if level is None else level >= Fraction(str(term.target)),
        asa_seconds=asa,
        abandonment=abandonment,
        term=term,
    )
