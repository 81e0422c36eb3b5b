"""CSV and XLSX exports of work-order lists.

Callers pass a queryset that already went through `tickets.selectors.work_order_list` and the shared
`WorkOrderFilter`, so an export holds exactly the rows its user may see. Writing the files (formula
neutralising, local times, streaming) is the shared `oversight.core.exports`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext_lazy as _

from oversight.core import clock, exports
from oversight.core.exports import XLSX_CONTENT_TYPE, XLSX_MAX_ROWS, neutralise
from oversight.tickets.choices import SLAState
from oversight.tickets.models import WorkOrder
from oversight.tickets.sla import live_sla_state

__all__ = ["XLSX_CONTENT_TYPE", "XLSX_MAX_ROWS", "csv_response", "export_rows", "neutralise", "xlsx_response"]

CHUNK = 2000


def _text(value) -> str:
    return "" if value is None else str(value)


def _yes_no(value: bool) -> str:
    return str(_("Yes")) if value else str(_("No"))


def _columns(now: dt.datetime) -> list[tuple[object, Callable[[WorkOrder], object]]]:
    return [
        (_("Number"), lambda w: w.number),
        (_("Title"), lambda w: w.title),
        (_("Type"), lambda w: w.get_kind_display()),
        (_("Status"), lambda w: w.get_status_display()),
        (_("Priority"), lambda w: w.priority),
        (_("SLA state"), lambda w: SLAState(live_sla_state(w, now)).label),
        (_("SLA breached"), lambda w: _yes_no(live_sla_state(w, now) == SLAState.BREACHED)),
        (_("Next SLA due"), lambda w: w.sla_next_due_at),
        (_("Service"), lambda w: _text(w.service)),
        (_("Vendor"), lambda w: _text(w.vendor)),
        (_("Location"), lambda w: _text(w.site)),
        (_("Location detail"), lambda w: w.location_detail),
        (_("Asset tag"), lambda w: w.asset_tag),
        (_("Requester"), lambda w: _text(w.requester)),
        (_("Assignee"), lambda w: _text(w.assignee)),
        (_("Channel"), lambda w: w.get_channel_display()),
        (_("Received at"), lambda w: w.created_at),
        (_("First response at"), lambda w: w.first_response_at),
        (_("Arrived at"), lambda w: w.arrived_at),
        (_("Resolved at"), lambda w: w.resolved_at),
        (_("Closed at"), lambda w: w.closed_at),
        (_("Times reopened"), lambda w: w.reopen_count),
    ]


def export_rows(queryset, *, now: dt.datetime | None = None) -> Iterator[list]:
    """The header, then one list of cell values per work order (times local and naive, text neutralised)."""
    now = now or clock.now()
    columns = _columns(now)
    yield [str(label) for label, _getter in columns]
    for work_order in queryset.iterator(chunk_size=CHUNK):
        row = []
        for _label, getter in columns:
            value = getter(work_order)
            if isinstance(value, dt.datetime):
                value = exports.local_naive(value)
            elif value is not None and not isinstance(value, int | float):
                value = str(value)
            row.append(neutralise(value))
        yield row


def csv_response(queryset, *, filename: str) -> StreamingHttpResponse:
    """Stream the work orders as UTF-8 CSV (constant memory, any number of rows)."""
    return exports.csv_response(lambda: export_rows(queryset), filename=filename)


def xlsx_bytes(queryset) -> bytes:
    """The work orders as an XLSX workbook (written row by row; capped at Excel's sheet size)."""
    return exports.xlsx_bytes(export_rows(queryset), title=str(_("Work orders")))


def xlsx_response(queryset, *, filename: str) -> HttpResponse:
    """Download the work orders as XLSX."""
    return exports.xlsx_response(export_rows(queryset), title=str(_("Work orders")), filename=filename)
