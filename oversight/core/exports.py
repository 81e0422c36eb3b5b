"""CSV and XLSX downloads shared by every export (work-order lists, the audit trail, statements, reports).

Rows are lists of cell values. Every text cell that a spreadsheet could read as a formula (it begins with
= + - @, a tab or a carriage return) is neutralised with a leading single quote; instants are written as
naive wall-clock times in the reader's zone; CSV is streamed (constant memory, any number of rows) and
XLSX is written row by row and capped at Excel's sheet size.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone, translation
from openpyxl import Workbook

from oversight.core import clock
from oversight.core.files import download_response

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit minus the header row
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

Rows = Callable[[], Iterable[Sequence]]


def neutralise(value):
    """Prefix a single quote to text a spreadsheet would otherwise evaluate as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def local_naive(value: dt.datetime | None) -> dt.datetime | None:
    """An aware instant as a naive wall-clock time in the active (the reader's) zone, for spreadsheets."""
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None)


def local_stamp(instant: dt.datetime | None = None) -> str:
    """`YYYYMMDD-HHMM` of now (or `instant`) in the reader's zone, for export file names."""
    return timezone.localtime(instant or clock.now()).strftime("%Y%m%d-%H%M")


def _cell(value):
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = local_naive(value)
    return neutralise(value)


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


def _csv_text(value) -> object:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return "" if value is None else value


def _csv_stream(rows: Rows, language: str, zone) -> Iterable[str]:
    # The response is consumed after the view returned: pin the reader's language and zone for the whole stream.
    with translation.override(language), timezone.override(zone):
        writer = csv.writer(_Echo())
        yield "\ufeff"  # a BOM, so Excel opens UTF-8 (Chinese names) correctly
        for row in rows():
            yield writer.writerow([_csv_text(_cell(value)) for value in row])


def csv_response(rows: Rows, *, filename: str) -> StreamingHttpResponse:
    """Stream `rows()` (the header first) as UTF-8 CSV, in the language and zone active now."""
    return download_response(
        _csv_stream(rows, translation.get_language() or "zh-hans", timezone.get_current_timezone()),
        content_type=CSV_CONTENT_TYPE,
        filename=filename,
    )


def xlsx_bytes(rows: Iterable[Sequence], *, title: str, max_rows: int = XLSX_MAX_ROWS) -> bytes:
    """`rows` (the header first) as a one-sheet XLSX workbook, written row by row, at most `max_rows` data rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(title)[:31])
    for index, row in enumerate(rows):
        if index > max_rows:
            break
        sheet.append([_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    rows: Iterable[Sequence], *, title: str, filename: str, max_rows: int = XLSX_MAX_ROWS
) -> HttpResponse:
    """Download `rows` as XLSX (see `xlsx_bytes`)."""
    return download_response(
        xlsx_bytes(rows, title=title, max_rows=max_rows), content_type=XLSX_CONTENT_TYPE, filename=filename
    )
