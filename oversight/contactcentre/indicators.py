"""Contact-centre indicators as pure functions (no Django): the facts a loader gives — per queue, the summed
components of the period's current intervals and the service-level term the queue is measured under — become
:class:`oversight.kpi.IndicatorResult` values. Formulas: :mod:`oversight.ccmath.servicelevel` and
:mod:`oversight.ccmath.metrics` (docs/formulas.md §"Contact centre"). Ratios divide sums, never average ratios;
the service level of several queues sums each queue's numerator and denominator under its own term.

Every result names the terms it was computed under in ``groups["terms"]`` (term ids), so a stored value records
the definition it used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from oversight.ccmath import metrics
from oversight.ccmath.servicelevel import Counts, parts
from oversight.kpi import IndicatorResult

VOLUME = "cc_volume"
SERVICE_LEVEL = "cc_service_level"
ASA = "cc_asa"
ABANDONMENT = "cc_abandonment"
AHT = "cc_aht"
OCCUPANCY = "cc_occupancy"
SHRINKAGE = "cc_shrinkage"
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class QueueFacts:
    """One queue's period: its id, the summed components, and its term (id and variant; None: no term)."""

    queue_id: int
    totals: metrics.Totals
    term_id: int | None = None
    variant: str | None = None


@dataclass(frozen=True)
class ContactFacts:
    queues: tuple[QueueFacts, ...] = field(default_factory=tuple)

    @property
    def total(self) -> metrics.Totals:
        return metrics.total(q.totals for q in self.queues)

    @property
    def queue_ids(self) -> tuple[int, ...]:
        return tuple(q.queue_id for q in self.queues)

    @property
    def term_ids(self) -> tuple[int, ...]:
        return tuple(sorted({q.term_id for q in self.queues if q.term_id is not None}))


def _dec(value) -> Decimal:
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value)


def _result(code, unit, numerator, denominator, facts: ContactFacts, *, scale=1) -> IndicatorResult:
    top, bottom = _dec(numerator), (_dec(denominator) if denominator is not None else None)
    if bottom is None:
        value = top
    elif bottom <= 0:
        value = None
    else:
        value = top / bottom * scale
    return IndicatorResult(
        code=code,
        unit=unit,
        numerator=top,
        denominator=bottom,
        value=value,
        numerator_ids=facts.queue_ids,
        denominator_ids=facts.queue_ids,
        groups={"terms": facts.term_ids},
    )


def volume(facts: ContactFacts) -> IndicatorResult:
    """Contacts offered in the period."""
    return _result(VOLUME, "count", facts.total.offered, None, facts)


def service_level(facts: ContactFacts) -> IndicatorResult:
    """Σ numerator ÷ Σ denominator of each queue's service level under its own term (queues without a term are
    left out), in percent."""
    top = bottom = 0
    for q in facts.queues:
        if q.variant is None:
            continue
        t = q.totals
        counts = Counts(t.offered, t.answered, t.answered_within, t.abandoned, t.abandoned_within, t.short_abandoned)
        n, d = parts(q.variant, counts)
        top, bottom = top + n, bottom + d
    measured = ContactFacts(tuple(q for q in facts.queues if q.variant is not None))
    return _result(SERVICE_LEVEL, "percent", top, bottom, measured, scale=HUNDRED)


def asa(facts: ContactFacts) -> IndicatorResult:
    t = facts.total
    return _result(ASA, "seconds", t.wait_seconds, t.answered, facts)


def abandonment(facts: ContactFacts) -> IndicatorResult:
    t = facts.total
    return _result(ABANDONMENT, "percent", t.abandoned, t.offered, facts, scale=HUNDRED)


def aht(facts: ContactFacts) -> IndicatorResult:
    t = facts.total
    return _result(AHT, "seconds", t.handle_seconds, t.answered, facts)


def occupancy(facts: ContactFacts) -> IndicatorResult:
    t = facts.total
    return _result(OCCUPANCY, "percent", t.handle_seconds, t.staffed_seconds, facts, scale=HUNDRED)


def shrinkage(facts: ContactFacts) -> IndicatorResult:
    """(paid − productive) ÷ paid hours, productive hours = staffed agent-seconds ÷ 3600."""
    t = facts.total
    productive = Fraction(t.staffed_seconds) / 3600
    return _result(SHRINKAGE, "percent", Fraction(t.paid_hours) - productive, t.paid_hours, facts, scale=HUNDRED)
