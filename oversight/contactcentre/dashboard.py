"""The supervision dashboard's scope and rows (监控看板): which organisation, vendor(s), queues and days the page
shows, and the per-queue totals of the period with the ratios computed from summed components.

The scope is the object the page's section slot ``contactcentre.dashboard`` passes to the sections other apps
contribute (workforce's staffing panels, sourcing's cost per contact): they read ``scope.queues`` (visible
queues), ``scope.vendor`` (None: every vendor the reader sees) and the local dates ``scope.first`` to
``scope.last`` (both included), and run their own selectors for the reader.

A period's service level is computed under the term in force on its first day (as an evaluation period is
evaluated under the contract version in force on its first day); the per-day figures on a queue's page each use
their own day's term."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from oversight.contactcentre import selectors
from oversight.contactcentre.models import Queue
from oversight.contactcentre.presentation import DayRow, day_row
from oversight.contactcentre.selectors import COMPONENTS
from oversight.contactcentre.terms import term_for
from oversight.core.zones import local_today

PERIOD_DAYS = (7, 28, 91)
DEFAULT_DAYS = 28


@dataclass
class DashboardScope:
    """What the dashboard shows (see the module docstring)."""

    organisation: object
    vendors: list
    vendor: object | None
    queues: list[Queue]
    first: dt.date
    last: dt.date
    days: int
    period_choices: tuple[int, ...] = field(default=PERIOD_DAYS)


def _int(raw) -> int | None:
    return int(raw) if str(raw or "").isdigit() else None


def dashboard_scope(*, user, params) -> DashboardScope:
    """The scope from the query string (``vendor``: a visible vendor's id, ``days``: 7, 28 or 91)."""
    queues = list(selectors.queue_list(user=user))
    vendors = sorted({q.vendor for q in queues}, key=lambda v: (v.name, v.pk))
    wanted = _int(params.get("vendor"))
    vendor = next((v for v in vendors if v.pk == wanted), None)
    if vendor is not None:
        queues = [q for q in queues if q.vendor_id == vendor.pk]
    days = _int(params.get("days"))
    days = days if days in PERIOD_DAYS else DEFAULT_DAYS
    organisation = user.organisation
    last = local_today(organisation)
    return DashboardScope(
        organisation=organisation,
        vendors=vendors,
        vendor=vendor,
        queues=queues,
        first=last - dt.timedelta(days=days - 1),
        last=last,
        days=days,
    )


@dataclass
class QueueRow:
    queue: Queue
    totals: DayRow


@dataclass
class VendorBlock:
    vendor: object
    rows: list[QueueRow]


def vendor_rows(*, user, scope: DashboardScope) -> list[VendorBlock]:
    """Per vendor, one row per queue with the period's totals (service level under the first day's term)."""
    totals = selectors.daily_totals(
        user=user, queues=scope.queues, first=scope.first, last=scope.last, owner=scope.organisation
    )
    blocks: dict[int, VendorBlock] = {}
    for queue in scope.queues:
        summed = dict.fromkeys(COMPONENTS, 0)
        for day in totals.get(queue.pk, []):
            for name in COMPONENTS:
                summed[name] += day.values[name]
        block = blocks.setdefault(queue.vendor_id, VendorBlock(queue.vendor, []))
        block.rows.append(QueueRow(queue, day_row(scope.first, summed, term_for(queue, scope.first))))
    return list(blocks.values())
