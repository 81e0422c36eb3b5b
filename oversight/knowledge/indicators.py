"""The knowledge base's two indicators over plain records (pure Python, no Django); docs/formulas.md §
"Knowledge" is the reader's version.

- **Knowledge deflection (知识拦截率)**: of the requesters' attempts to report a fault of the vendor's services on
  the portal in the period, the share an article solved before a work order was submitted::

      deflections / (deflections + portal work orders)   × 100

  A deflection counts in the period it was recorded; a portal work order (channel "portal", not cancelled) in the
  period it was received. No attempt in the period: no value.
- **Article coverage (知识覆盖率)**: of the vendor's work orders resolved in the period (not cancelled), the
  share that a published article covers: one was recorded as its solution, or a published article is linked to
  its service, or a published article has its service's category::

      covered resolved work orders / resolved work orders   × 100

  "Published" is read when the figure is computed (the knowledge base as it stands). No resolved work order: no
  value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from oversight.kpi import IndicatorResult, Period
from oversight.kpi.results import percent

KNOWLEDGE_DEFLECTION = "knowledge_deflection"
ARTICLE_COVERAGE = "article_coverage"


@dataclass(frozen=True)
class DeflectionFacts:
    """A deflection: when it was recorded."""

    id: int
    at: datetime


@dataclass(frozen=True)
class PortalWorkOrderFacts:
    """A work order received on the portal: when, and whether it was cancelled."""

    id: int
    received_at: datetime
    cancelled: bool = False


@dataclass(frozen=True)
class ResolvedWorkOrderFacts:
    """A work order with its resolution instant and whether a published article covers it."""

    id: int
    resolved_at: datetime | None
    covered: bool
    cancelled: bool = False


@dataclass
class KnowledgeFacts:
    """What the two indicators read for one vendor and window."""

    deflections: Sequence[DeflectionFacts] = field(default_factory=list)
    portal_work_orders: Sequence[PortalWorkOrderFacts] = field(default_factory=list)
    resolved: Sequence[ResolvedWorkOrderFacts] = field(default_factory=list)


def knowledge_deflection(facts: KnowledgeFacts, period: Period) -> IndicatorResult:
    """Deflections over deflections plus portal work orders of the period (%); the portal work orders are the
    group ``portal_work_orders``."""
    deflected = tuple(d.id for d in facts.deflections if period.contains(d.at))
    submitted = tuple(w.id for w in facts.portal_work_orders if not w.cancelled and period.contains(w.received_at))
    numerator = Decimal(len(deflected))
    denominator = Decimal(len(deflected) + len(submitted))
    return IndicatorResult(
        code=KNOWLEDGE_DEFLECTION,
        unit="percent",
        numerator=numerator,
        denominator=denominator,
        value=percent(numerator, denominator),
        numerator_ids=deflected,
        denominator_ids=deflected,
        groups={"portal_work_orders": submitted},
    )


def article_coverage(facts: KnowledgeFacts, period: Period) -> IndicatorResult:
    """Covered resolved work orders over resolved work orders of the period (%)."""
    resolved = [w for w in facts.resolved if not w.cancelled and period.contains(w.resolved_at)]
    covered = tuple(w.id for w in resolved if w.covered)
    numerator, denominator = Decimal(len(covered)), Decimal(len(resolved))
    return IndicatorResult(
        code=ARTICLE_COVERAGE,
        unit="percent",
        numerator=numerator,
        denominator=denominator,
        value=percent(numerator, denominator),
        numerator_ids=covered,
        denominator_ids=tuple(w.id for w in resolved),
    )
