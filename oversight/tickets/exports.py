"""CSV and XLSX exports of work-order lists.

Callers pass a queryset that already went through `tickets.selectors.work_order_list` and the shared
`WorkOrderFilter`, so an export holds exactly the rows its user may see. Every text cell that a
spreadsheet could read as a formula (it begins with = + - @, a tab or a carriage return) is
neutralised with a leading single quote.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from oversight.core import clock
from oversight.core.files import download_response
from oversight.tickets.choices import SLAState
from oversight.tickets.models import WorkOrder
from oversight.tickets.sla import live_sla_state

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit minus the header row
CHUNK = 2000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """Prefix a single quote to text a spreadsheet would otherwise evaluate as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


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


def _local(value: dt.datetime | None) -> dt.datetime | None:
    """An aware instant as a naive wall-clock time in the active (the user's) zone, for spreadsheets."""
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None)


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
                value = _local(value)
            elif value is not None and not isinstance(value, int | float):
                value = str(value)
            row.append(neutralise(value))
        yield row


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


def _csv_cell(value) -> object:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return "" if value is None else value


def _csv_stream(queryset, language: str, zone) -> Iterable[str]:
    # The response is consumed after the view returned: pin the user's language and zone for the whole stream.
    with translation.override(language), timezone.override(zone):
        writer = csv.writer(_Echo())
        yield "\ufeff"  # a BOM, so Excel opens UTF-8 (Chinese names) correctly
        for row in export_rows(queryset):
            yield writer.writerow([_csv_cell(value) for value in row])


def csv_response(queryset, *, filename: str) -> StreamingHttpResponse:
    """Stream the work orders as UTF-8 CSV (constant memory, any number of rows)."""
    return download_response(
        _csv_stream(queryset, translation.get_language() or "zh-hans", timezone.get_current_timezone()),
        content_type="text/csv; charset=utf-8",
        filename=filename,
    )


def xlsx_bytes(queryset) -> bytes:
    """The work orders as an XLSX workbook (written row by row; capped at Excel's sheet size)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_("Work orders"))[:31])
    for index, row in enumerate(export_rows(queryset)):
        if index > XLSX_MAX_ROWS:
            break
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(queryset, *, filename: str) -> HttpResponse:
    """Download the work orders as XLSX."""
    return download_response(xlsx_bytes(queryset), content_type=XLSX_CONTENT_TYPE, filename=filename)
