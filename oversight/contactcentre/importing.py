"""Reading the vendor's interval exports (导入): a CSV or XLSX file (or the API's JSON rows) becomes interval
records keyed by (queue, interval start in UTC), or a validation report of every row that cannot be taken, with
its row number and the reason. Plain Python over the rows, no queries: the caller passes the queues it may
write and the column mapping of the vendor, so a million rows cost one pass.

Reasons a row is refused: a mapped column is missing from the header (row 1), a number that is not a
non-negative number, answered > offered (and the other count inclusions), an unknown queue code, an interval
start that cannot be read or is not on the queue's grid (15/30/60 minutes from the hour, in the file's time
zone), and the same queue and interval twice in the file. One refused row refuses the file (all-or-nothing).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

#: Count fields (non-negative integers) and decimal fields (non-negative, rounded to the stored places).
INT_FIELDS = (
    "offered",
    "answered",
    "answered_within_threshold",
    "threshold_seconds",
    "abandoned",
    "abandoned_within_threshold",
    "short_abandoned",
    "flow_outs",
)
DECIMAL_FIELDS = {
    "wait_seconds": Decimal("0.0001"),
    "talk_seconds": Decimal("0.0001"),
    "hold_seconds": Decimal("0.0001"),
    "acw_seconds": Decimal("0.0001"),
    "staffed_agents": Decimal("0.001"),
    "scheduled_agents": Decimal("0.001"),
    "paid_hours": Decimal("0.0001"),
}
#: The stored values of a record, in this order.
VALUE_FIELDS = INT_FIELDS + tuple(DECIMAL_FIELDS)
#: Every field a column may be mapped to; ``interval_start`` may instead be a date and a time column.
TARGETS = ("queue", "interval_start", "interval_date", "interval_time", *VALUE_FIELDS)
REQUIRED = ("queue", "offered", "answered")
DEFAULTS = {"threshold_seconds": 20}
MAX_INT = 2_000_000_000
MAX_DECIMAL = Decimal("99999999")
MAX_ERRORS = 500

REASONS = {
    "missing_column": _("The column “%(column)s” (for %(field)s) is not in the header row."),
    "no_header": _("The file has no header row."),
    "no_rows": _("The file has a header but no rows."),
    "bad_number": _("“%(value)s” in column “%(column)s” is not a non-negative number."),
    "answered_over_offered": _("Answered (%(answered)s) is more than offered (%(offered)s)."),
    "within_over_answered": _("Answered within the threshold is more than answered."),
    "abandoned_parts": _("Short abandons or abandons within the threshold are more than abandoned."),
    "unknown_queue": _("The queue “%(queue)s” is not one of the vendor's queues."),
    "bad_time": _("“%(value)s” is not an interval start in the format %(format)s."),
    "off_grid": _("%(value)s is not on the queue's %(minutes)s-minute grid."),
    "duplicate": _("The same queue and interval is already on row %(first)s."),
    "locked": _("The period %(month)s is locked; send a correction with a reason."),
    "too_many_errors": _("More than %(count)s rows are refused; the rest were not checked."),
}


def reason_text(code: str, params: Mapping) -> str:
    """A stored reason as a sentence in the active language."""
    template = REASONS.get(code)
    return str(template) % dict(params) if template is not None else code


class ImportFileError(ValueError):
    """A file that cannot be read at all."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class ColumnSpec:
    """The vendor's mapping: target field -> the file's column header, how times are written, and their zone."""

    columns: Mapping[str, str]
    datetime_format: str
    zone: dt.tzinfo

    def header_of(self, target: str) -> str:
        return normalise(self.columns.get(target) or target)


@dataclass(frozen=True)
class QueueInfo:
    id: int
    interval_minutes: int


@dataclass
class Parsed:
    """The records of a file (key -> values in VALUE_FIELDS order), its row count and the refused rows."""

    records: dict[tuple[int, dt.datetime], tuple] = field(default_factory=dict)
    lines: dict[tuple[int, dt.datetime], int] = field(default_factory=dict)
    errors: list[tuple[int, str, dict]] = field(default_factory=list)
    rows: int = 0

    def refuse(self, line: int, code: str, **params) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append((line, code, {k: str(v) for k, v in params.items()}))
        elif len(self.errors) == MAX_ERRORS:
            self.errors.append((line, "too_many_errors", {"count": str(MAX_ERRORS)}))


def normalise(text) -> str:
    return " ".join(str(text or "").split()).casefold()


# --- reading files -----------------------------------------------------------------------------------------


def _decode_stream(handle) -> io.TextIOBase:
    head = handle.read(65536)
    handle.seek(0)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # not just a character cut at the chunk's end
                continue
        return io.TextIOWrapper(handle, encoding=encoding, newline="")
    raise ImportFileError(_("The CSV file is not UTF-8 or GB18030 text."))


def csv_rows(handle) -> Iterator[list[str]]:
    """The rows of a CSV file (binary handle), sniffing the delimiter from its start."""
    text = _decode_stream(handle)
    sample = text.read(8192)
    text.seek(0)
    if "\x00" in sample:
        raise ImportFileError(_("The file is not a CSV text file."))
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        yield from csv.reader(text, dialect)
    except csv.Error as exc:
        raise ImportFileError(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def xlsx_rows(handle) -> Iterator[list[str]]:
    """The rows of the first sheet of an XLSX workbook, as text (date cells as ``%Y-%m-%d %H:%M:%S``)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise ImportFileError(_("The XLSX file is damaged or not an XLSX workbook.")) from exc
    try:
        if not book.worksheets:
            raise ImportFileError(_("The workbook has no sheet."))
        for row in book.worksheets[0].iter_rows(values_only=True):
            yield [_cell(v) for v in row]
    finally:
        book.close()


def file_rows(handle, name: str) -> Iterator[list[str]]:
    """The rows of an uploaded CSV or XLSX file."""
    lower = (name or "").lower()
    if lower.endswith(".xlsx"):
        return xlsx_rows(handle)
    if lower.endswith((".csv", ".txt")):
        return csv_rows(handle)
    raise ImportFileError(_("Upload a .csv or .xlsx file."))


# --- parsing -----------------------------------------------------------------------------------------------


def _number(raw: str, quantum: Decimal | None):
    text = raw.strip().replace(",", "") if raw else ""
    if text == "":
        return None
    if quantum is None:
        value = int(text) if text.isdigit() else None
        if value is None:
            try:
                as_decimal = Decimal(text)
            except InvalidOperation:
                raise ValueError(raw) from None
            if as_decimal != as_decimal.to_integral_value() or as_decimal < 0:
                raise ValueError(raw)
            value = int(as_decimal)
        if value > MAX_INT:
            raise ValueError(raw)
        return value
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(raw) from None
    if not value.is_finite() or value < 0 or value > MAX_DECIMAL:
        raise ValueError(raw)
    return value.quantize(quantum)


def file_time_parser(spec: ColumnSpec) -> Callable[[str], dt.datetime]:
    """Local text in the mapping's format -> an aware UTC instant (memoised: a file repeats its intervals)."""
    cache: dict[str, dt.datetime] = {}

    def parse(text: str) -> dt.datetime:
        found = cache.get(text)
        if found is None:
            local = dt.datetime.strptime(text.strip(), spec.datetime_format)  # noqa: DTZ007 - zone set below
            if local.tzinfo is None:
                local = local.replace(tzinfo=spec.zone)
            found = cache[text] = local.astimezone(dt.UTC)
        return found

    return parse


def _on_grid(instant: dt.datetime, zone: dt.tzinfo, minutes: int) -> bool:
    local = instant.astimezone(zone)
    return local.second == 0 and local.microsecond == 0 and local.minute % minutes == 0


def parse_rows(
    rows: Iterable[Mapping[str, str]],
    *,
    spec: ColumnSpec,
    queues: Mapping[str, QueueInfo],
    parse_time: Callable[[str], dt.datetime],
    first_line: int = 2,
    progress: Callable[[int], None] | None = None,
) -> Parsed:
    """Rows as ``{header: text}`` (headers normalised) -> records or refusals (see the module docstring)."""
    out = Parsed()
    by_code = {normalise(code): info for code, info in queues.items()}
    header = lambda target: spec.header_of(target)  # noqa: E731 - local shorthand
    queue_col = header("queue")
    split_time = "interval_start" not in spec.columns and "interval_date" in spec.columns
    start_col, date_col, time_col = header("interval_start"), header("interval_date"), header("interval_time")
    value_cols = [(name, header(name), DECIMAL_FIELDS.get(name)) for name in VALUE_FIELDS]
    line = first_line - 1
    for line, row in enumerate(rows, start=first_line):
        if not row:
            continue
        out.rows += 1
        if progress is not None and out.rows % 20000 == 0:
            progress(out.rows)
        code = row.get(queue_col, "")
        queue = by_code.get(normalise(code))
        if queue is None:
            out.refuse(line, "unknown_queue", queue=code)
            continue
        raw_time = f"{row.get(date_col, '')} {row.get(time_col, '')}" if split_time else row.get(start_col, "")
        try:
            start = parse_time(raw_time)
        except (ValueError, TypeError, OverflowError):
            out.refuse(line, "bad_time", value=raw_time, format=spec.datetime_format)
            continue
        if not _on_grid(start, spec.zone, queue.interval_minutes):
            out.refuse(line, "off_grid", value=raw_time, minutes=queue.interval_minutes)
            continue
        values, bad = {}, False
        for name, column, quantum in value_cols:
            raw = row.get(column, "")
            try:
                value = _number(raw, quantum)
            except ValueError:
                out.refuse(line, "bad_number", value=raw, column=column)
                bad = True
                break
            values[name] = value if value is not None else DEFAULTS.get(name, 0 if quantum is None else Decimal(0))
        if bad:
            continue
        if values["answered"] > values["offered"]:
            out.refuse(line, "answered_over_offered", answered=values["answered"], offered=values["offered"])
            continue
        if values["answered_within_threshold"] > values["answered"]:
            out.refuse(line, "within_over_answered")
            continue
        if max(values["short_abandoned"], values["abandoned_within_threshold"]) > values["abandoned"]:
            out.refuse(line, "abandoned_parts")
            continue
        key = (queue.id, start)
        first = out.lines.get(key)
        if first is not None:
            out.refuse(line, "duplicate", first=first)
            continue
        out.lines[key] = line
        out.records[key] = tuple(values[name] for name in VALUE_FIELDS)
    if progress is not None:
        progress(out.rows)
    return out


def table_rows(rows: Iterator[list[str]], spec: ColumnSpec, out_header: list | None = None):
    """Header check and ``{header: text}`` rows of a file. Raises ImportFileError with the missing column."""
    header = None
    for raw in rows:
        if not any((c or "").strip() for c in raw):
            continue
        header = [normalise(c) for c in raw]
        break
    if header is None:
        raise ImportFileError(REASONS["no_header"])
    present = set(header)
    wanted = list(REQUIRED) + (
        ["interval_date", "interval_time"]
        if "interval_start" not in spec.columns and "interval_date" in spec.columns
        else ["interval_start"]
    )
    wanted += [name for name in VALUE_FIELDS if name in spec.columns]
    for target in wanted:
        if spec.header_of(target) not in present:
            raise ImportFileError(
                reason_text("missing_column", {"column": spec.columns.get(target) or target, "field": target})
            )
    if out_header is not None:
        out_header.extend(header)
    width = len(header)

    def generate():
        for raw in rows:
            if not any((c or "").strip() for c in raw):
                yield {}
                continue
            yield {header[i]: raw[i] for i in range(min(width, len(raw)))}

    return generate()
