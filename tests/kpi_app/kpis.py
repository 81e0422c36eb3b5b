"""The test app's KPI source: the share of work orders received in the period that were reassigned.

It owns its loader (one query of the scope's work orders per window) and reuses the registered work-order
record kind for drill-down, exactly what an app adding a source would write; the test registers these items
into the registry for its duration (``registry.temporarily(*ITEMS)``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from oversight.core.kpis import DASHBOARD, KEY_FIGURE, REPORT, SCHEME, Dimension, Loader, Scope, Source, Window
from oversight.kpi import IndicatorResult, Period, percent
from oversight.scorecards.facts_loader import work_order_queryset

CODE = "tests_reassigned_share"
LOADER = "tests_reassignments"


@dataclass(frozen=True)
class Received:
    """One work order of the scope: id, when it was received, how often it was reassigned."""

    id: int
    received_at: dt.datetime
    reassigned: int


def load(scope: Scope, period: Period) -> list[Received]:
    """The scope's work orders received in the window (cancelled ones left out), oldest first."""
    rows = work_order_queryset(organisation_id=scope.organisation_id, vendor_id=scope.vendor_id, version=scope.version)
    rows = rows.filter(created_at__gte=period.start, created_at__lt=period.end).order_by("created_at", "pk")
    return [Received(pk, at, n) for pk, at, n in rows.values_list("pk", "created_at", "reassignment_count")]


def reassigned_share(facts: list[Received], window: Window) -> IndicatorResult:
    """Reassigned ÷ received in the period, in percent."""
    received = [r for r in facts if window.period.contains(r.received_at)]
    moved = [r.id for r in received if r.reassigned]
    num, den = len(moved), len(received)
    return IndicatorResult(
        CODE,
        "percent",
        Decimal(num),
        Decimal(den),
        percent(Decimal(num), Decimal(den)),
        tuple(moved),
        tuple(r.id for r in received),
    )


ITEMS = (
    Loader(LOADER, load, list),
    Source(
        code=CODE,
        dimension=Dimension.PROCESSES,
        unit="percent",
        higher_is_better=False,
        label=_("Reassigned work orders (%)"),
        short_label=_("Reassigned work orders"),
        definition=_("Work orders received in the period that were reassigned, as a share of those received."),
        record_kind="work_order",
        loader=LOADER,
        compute=reassigned_share,
        uses=frozenset({SCHEME, REPORT, KEY_FIGURE, DASHBOARD}),
        owner="tests.kpi_app",
    ),
)
