"""The project indicators of a vendor (pure Python, no Django): the ORM layer (`projects.kpis`) feeds plain facts.

For one vendor of an organisation and a period, each of the vendor's projects contributes its latest snapshot
whose status date falls in the period (a project without one does not count):

* **project SPI** (%): ΣEV ÷ ΣPV × 100 over those snapshots — the earned value of the vendor's projects over the
  value they had planned by then (100 = on plan). Summing before dividing weighs each project by its size.
* **project CPI** (%): ΣEV ÷ ΣAC × 100 — the value earned per unit of actual cost (100 = on budget).
* **milestone slippage** (count): milestones of those projects that were reached late or are overdue at their
  snapshot's status date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from oversight.kpi import IndicatorResult
from oversight.kpi.results import percent

PROJECT_SPI = "project_spi"
PROJECT_CPI = "project_cpi"
MILESTONE_SLIPPAGE = "project_milestone_slippage"


@dataclass(frozen=True)
class ProjectFacts:
    """One project's latest snapshot in the period: its figures and late milestones."""

    id: int
    status_date: dt.date
    pv: Decimal
    ev: Decimal
    ac: Decimal
    milestones_late: int = 0


def _ratio(code: str, projects: list[ProjectFacts], top: str, bottom: str) -> IndicatorResult:
    numerator = sum((getattr(p, top) for p in projects), Decimal(0))
    denominator = sum((getattr(p, bottom) for p in projects), Decimal(0))
    ids = tuple(p.id for p in projects)
    return IndicatorResult(
        code=code,
        unit="percent",
        numerator=numerator,
        denominator=denominator,
        value=percent(numerator, denominator),
        numerator_ids=ids,
        denominator_ids=ids,
    )


def project_spi(projects: list[ProjectFacts]) -> IndicatorResult:
    """ΣEV ÷ ΣPV × 100 (None while nothing was planned)."""
    return _ratio(PROJECT_SPI, projects, "ev", "pv")


def project_cpi(projects: list[ProjectFacts]) -> IndicatorResult:
    """ΣEV ÷ ΣAC × 100 (None while nothing was spent)."""
    return _ratio(PROJECT_CPI, projects, "ev", "ac")


def milestone_slippage(projects: list[ProjectFacts]) -> IndicatorResult:
    """Milestones reached late or overdue, summed over the projects."""
    late = [p for p in projects if p.milestones_late]
    total = Decimal(sum(p.milestones_late for p in projects))
    return IndicatorResult(
        code=MILESTONE_SLIPPAGE,
        unit="count",
        numerator=total,
        denominator=None,
        value=total,
        numerator_ids=tuple(p.id for p in late),
        denominator_ids=tuple(p.id for p in projects),
    )
