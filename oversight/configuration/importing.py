"""Import of configuration items from CSV or XLSX: reading the file and planning each row (no database here).

:func:`read_table` turns the uploaded bytes into rows of text (a header row names the columns; see
:data:`COLUMNS` for the accepted names in English and Chinese; any other column is a typed attribute of the
row's class, by its code). Every cell is text: a cell that looks like a formula (``=SUM(A1:A3)``) is that
text, never evaluated. Files over :data:`MAX_BYTES` or :data:`MAX_ROWS` rows are refused as a whole.

:func:`plan` matches each row to the organisation's CIs by the reconciliation keys in order — serial, asset
tag, host name (ADR 0019) — and says what applying it would do: ``create``, ``update`` (with each changed
field, old → new), ``unchanged`` or ``error`` with every reason. The service (`configuration.imports`) applies
a plan only when no row errs, all in one transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from oversight.configuration.attributes import AttributeErrors, AttributeSpec, clean_attributes

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_COLUMNS = 60
MAX_CELL = 1000

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"
ACTIONS = (CREATE, UPDATE, UNCHANGED, ERROR)
ACTION_LABELS = {
    CREATE: _("Create"),
    UPDATE: _("Update"),
    UNCHANGED: _("Unchanged"),
    ERROR: _("Error"),
}

#: The reconciliation keys, in the order a row is matched by them.
KEYS = ("serial", "asset_tag", "host_name")

#: The fixed columns: field -> the header names accepted for it (compared without case, spaces or dashes).
COLUMNS = {
    "ci_class": ("class", "ci_class", "类别", "配置项类别"),
    "name": ("name", "名称"),
    "name_en": ("name_en", "name (english)", "英文名称"),
    "host_name": ("host_name", "hostname", "主机名"),
    "serial": ("serial", "serial_number", "序列号"),
    "asset_tag": ("asset_tag", "资产标签", "资产编号"),
    "site": ("site", "地点"),
    "vendor": ("owner_vendor", "vendor", "所属供应商", "供应商"),
    "status": ("status", "状态"),
}
#: The longest value each text field takes (the model's max_length).
LENGTHS = {"name": 200, "name_en": 200, "host_name": 200, "serial": 100, "asset_tag": 60}

FIELD_LABELS = {
    "ci_class": _("class"),
    "name": _("name"),
    "name_en": _("name (English)"),
    "host_name": _("host name"),
    "serial": _("serial number"),
    "asset_tag": _("asset tag"),
    "site": _("site"),
    "vendor": _("owner vendor"),
    "status": _("status"),
}


class ImportFileError(ValueError):
    """The file as a whole cannot be read (too large, too many rows, not CSV or XLSX, no header)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def normalise_header(text) -> str:
    """A header as compared: lower case, spaces and dashes as underscores."""
    return "_".join(str(text or "").strip().lower().replace("-", " ").split())


HEADER_FIELDS = {normalise_header(alias): name for name, aliases in COLUMNS.items() for alias in aliases}


def _text(value) -> str:
    """A cell as text: numbers without a trailing ``.0``, dates as ISO, everything else as written."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(Decimal(repr(value)))
    return str(value).strip()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The CSV file is not UTF-8 or GB18030 text."))


def _csv_rows(data: bytes) -> Iterable[Sequence]:
    text = _decode(data)
    if "\x00" in text:
        raise ImportFileError(_("The file is not a CSV text file."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        yield from csv.reader(io.StringIO(text, newline=""), dialect)
    except csv.Error as exc:
        raise ImportFileError(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc


def _xlsx_rows(data: bytes) -> Iterable[Sequence]:
    from openpyxl import load_workbook  # imported when an XLSX arrives: the web process rarely needs it

    try:
        # data_only=False: a formula cell reads as its formula text, and it stays that text.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise ImportFileError(_("The XLSX file is damaged or not an XLSX workbook.")) from exc
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise ImportFileError(_("The workbook has no sheet."))
        try:
            yield from sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
            raise ImportFileError(_("The XLSX file is damaged or not an XLSX workbook.")) from exc
    finally:
        book.close()


def read_table(data: bytes, filename: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header (normalised) and the rows of a CSV or XLSX file as ``(line, {column: text})``; blank rows are
    skipped. Raises `ImportFileError` for a file that cannot be imported at all."""
    if not data:
        raise ImportFileError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)s MB; split it into smaller files.") % {"size": MAX_BYTES // 1048576}
        )
    name = (filename or "").lower()
    if name.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        if not name.endswith(".xlsx"):
            raise ImportFileError(_("Upload a .csv or .xlsx file."))
        rows = _xlsx_rows(data)
    elif name.endswith(".csv") or name.endswith(".txt"):
        rows = _csv_rows(data)
    else:
        raise ImportFileError(_("Upload a .csv or .xlsx file."))
    header: list[str] | None = None
    out: list[tuple[int, dict[str, str]]] = []
    for line, raw in enumerate(rows, start=1):
        cells = [_text(v) for v in raw]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        if header is None:
            if len(cells) > MAX_COLUMNS:
                raise ImportFileError(_("The file has more than %(count)s columns.") % {"count": MAX_COLUMNS})
            header = [normalise_header(c) for c in cells]
            seen = [h for h in header if h]
            if len(seen) != len(set(seen)):
                raise ImportFileError(_("A column name appears twice in the header row."))
            if "name" not in {HEADER_FIELDS.get(h, h) for h in header}:
                raise ImportFileError(_("The header row has no “name” column."))
            continue
        if len(out) >= MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(count)s rows; split it into smaller files.") % {"count": MAX_ROWS}
            )
        out.append((line, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h}))
    if header is None:
        raise ImportFileError(_("The file has no header row."))
    if not out:
        raise ImportFileError(_("The file has a header but no rows."))
    return header, out


# --- planning ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassInfo:
    """A class the rows may name (by code, Chinese or English name), with its attribute specs."""

    id: int
    code: str
    specs: tuple[AttributeSpec, ...] = ()


@dataclass(frozen=True)
class ExistingCI:
    """What the planner needs of a CI already recorded."""

    id: int
    class_id: int
    name: str
    name_en: str = ""
    host_name: str = ""
    serial: str = ""
    asset_tag: str = ""
    site_id: int | None = None
    vendor_id: int | None = None
    status: str = "in_use"
    attributes: Mapping = field(default_factory=dict)


@dataclass
class Lookups:
    """Names the rows may use, resolved to ids (keys already normalised with :func:`normalise_name`)."""

    classes: dict[str, ClassInfo]
    sites: dict[str, int]
    vendors: dict[str, int]
    statuses: dict[str, str]
    existing: list[ExistingCI]
    #: (from status, to status) -> the transition action that makes that move.
    transitions: dict[tuple[str, str], str]
    #: The statuses a new CI may start in.
    initial_statuses: frozenset[str] = frozenset({"planned", "in_use"})
    default_status: str = "in_use"


@dataclass
class RowPlan:
    """What applying one row would do."""

    line: int
    action: str
    name: str = ""
    ci_id: int | None = None
    #: (field, old, new); attribute fields are ``attr:<code>``; site, vendor and class as ids.
    changes: list[tuple[str, object, object]] = field(default_factory=list)
    #: (reason code, parameters); see `REASONS`.
    reasons: list[tuple[str, dict]] = field(default_factory=list)
    #: The values to write (create: every field; update: the changed fields).
    values: dict = field(default_factory=dict)
    #: The transition action of a status change on update, if any.
    status_action: str = ""


REASONS = {
    "no_key": _("Give a serial number, asset tag or host name, so that the row can be matched on a later import."),
    "keys_disagree": _(
        "The %(first)s “%(first_value)s” names one configuration item and the %(second)s “%(second_value)s” another."
    ),
    "duplicate_key": _("The %(key)s “%(value)s” is also on line %(other)s of the file."),
    "same_ci": _("Line %(other)s of the file matches the same configuration item."),
    "unknown_class": _("There is no class “%(value)s”."),
    "no_class": _("Give the class of a new configuration item."),
    "class_change": _("The class of a recorded configuration item cannot be changed by an import."),
    "no_name": _("Give the name of a new configuration item."),
    "unknown_site": _("There is no site “%(value)s”."),
    "unknown_vendor": _("There is no vendor “%(value)s”."),
    "unknown_status": _("There is no status “%(value)s”."),
    "bad_initial_status": _("A new configuration item is planned or in use."),
    "bad_status_change": _("The status cannot change from “%(old)s” to “%(new)s”."),
    "too_long": _("The %(key)s is longer than %(count)s characters."),
    "attribute": _("Attribute “%(code)s”: %(message)s"),
}


def reason_text(code: str, params: Mapping) -> str:
    """A reason in words, in the active language."""
    params = dict(params)
    for key in ("key", "first", "second"):
        if key in params:
            params[key] = FIELD_LABELS.get(params[key], params[key])
    return str(REASONS[code]) % params


def normalise_name(text) -> str:
    """A name as looked up: case and surrounding or repeated spaces ignored."""
    return " ".join(str(text or "").split()).casefold()


def _split(row: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    fixed: dict[str, str] = {}
    attributes: dict[str, str] = {}
    for header, value in row.items():
        name = HEADER_FIELDS.get(header)
        if name is not None:
            fixed[name] = value.strip()
        else:
            attributes[header] = value.strip()
    return fixed, attributes


def plan(rows: Sequence[tuple[int, Mapping[str, str]]], lookups: Lookups) -> list[RowPlan]:
    """Plan every row (see the module docstring); rows are ``(line, {normalised header: text})``."""
    by_key = {key: {} for key in KEYS}
    for ci in lookups.existing:
        for key in KEYS:
            value = getattr(ci, key)
            if value:
                by_key[key][value] = ci
    lines_of: dict[tuple[str, str], list[int]] = {}
    for line, row in rows:
        fixed, _attrs = _split(row)
        for key in KEYS:
            value = fixed.get(key, "")
            if value:
                lines_of.setdefault((key, value), []).append(line)
    matched_line: dict[int, int] = {}
    plans = []
    for line, row in rows:
        result = _plan_row(line, row, lookups, by_key, lines_of)
        if result.ci_id is not None:
            other = matched_line.setdefault(result.ci_id, line)
            if other != line:
                result.reasons.append(("same_ci", {"other": other}))
                result.action = ERROR
        plans.append(result)
    # A later row matching a CI an earlier row matched errs; so does the earlier one.
    clashing = {p.ci_id for p in plans if any(code == "same_ci" for code, _p in p.reasons)}
    for p in plans:
        if p.ci_id in clashing and p.action != ERROR:
            later = next(q.line for q in plans if q.ci_id == p.ci_id and q.line != p.line)
            p.reasons.append(("same_ci", {"other": later}))
            p.action = ERROR
    return plans


def _plan_row(line, row, lookups: Lookups, by_key, lines_of) -> RowPlan:
    fixed, attribute_cells = _split(row)
    result = RowPlan(line=line, action=ERROR, name=fixed.get("name", ""))
    reasons = result.reasons
    for key, limit in LENGTHS.items():
        if len(fixed.get(key, "")) > limit:
            reasons.append(("too_long", {"key": key, "count": limit}))
    # Reconciliation: serial, then asset tag, then host name; every key given must name the same CI (or none).
    given = [(key, fixed.get(key, "")) for key in KEYS if fixed.get(key, "")]
    if not given:
        reasons.append(("no_key", {}))
    for key, value in given:
        others = [other for other in lines_of.get((key, value), ()) if other != line]
        if others:
            reasons.append(("duplicate_key", {"key": key, "value": value, "other": others[0]}))
    found = [(key, value, by_key[key].get(value)) for key, value in given]
    hits = [(key, value, ci) for key, value, ci in found if ci is not None]
    existing = hits[0][2] if hits else None
    for key, value, ci in hits[1:]:
        if ci.id != existing.id:
            first_key, first_value, _ci = hits[0]
            reasons.append(
                (
                    "keys_disagree",
                    {"first": first_key, "first_value": first_value, "second": key, "second_value": value},
                )
            )
            return result
    # References by name.
    ci_class = None
    class_text = fixed.get("ci_class", "")
    if class_text:
        ci_class = lookups.classes.get(normalise_name(class_text))
        if ci_class is None:
            reasons.append(("unknown_class", {"value": class_text}))
    site_id = vendor_id = None
    if fixed.get("site"):
        site_id = lookups.sites.get(normalise_name(fixed["site"]))
        if site_id is None:
            reasons.append(("unknown_site", {"value": fixed["site"]}))
    if fixed.get("vendor"):
        vendor_id = lookups.vendors.get(normalise_name(fixed["vendor"]))
        if vendor_id is None:
            reasons.append(("unknown_vendor", {"value": fixed["vendor"]}))
    status = ""
    if fixed.get("status"):
        status = lookups.statuses.get(normalise_name(fixed["status"]), "")
        if not status:
            reasons.append(("unknown_status", {"value": fixed["status"]}))
    if existing is not None:
        result.ci_id = existing.id
        if ci_class is not None and ci_class.id != existing.class_id:
            reasons.append(("class_change", {}))
        ci_class = next((c for c in lookups.classes.values() if c.id == existing.class_id), None)
    elif ci_class is None and not class_text:
        reasons.append(("no_class", {}))
    if existing is None and not fixed.get("name"):
        reasons.append(("no_name", {}))
    attributes = _attributes(ci_class, existing, attribute_cells, reasons)
    if reasons:
        return result
    if existing is None:
        status = status or lookups.default_status
        if status not in lookups.initial_statuses:
            reasons.append(("bad_initial_status", {}))
            return result
        result.action = CREATE
        result.values = {
            "ci_class": ci_class.id,
            "name": fixed["name"],
            "name_en": fixed.get("name_en", ""),
            "host_name": fixed.get("host_name", ""),
            "serial": fixed.get("serial", ""),
            "asset_tag": fixed.get("asset_tag", ""),
            "site": site_id,
            "vendor": vendor_id,
            "status": status,
            "attributes": attributes,
        }
        return result
    texts = ("name", "name_en", "host_name", "serial", "asset_tag")
    wanted = {name: fixed.get(name, "") for name in texts} | {"site": site_id, "vendor": vendor_id}
    current = {name: getattr(existing, name) for name in texts} | {
        "site": existing.site_id,
        "vendor": existing.vendor_id,
    }
    # An empty cell leaves the field as it is.
    for name, new in wanted.items():
        if new not in ("", None) and new != current[name]:
            result.changes.append((name, current[name], new))
            result.values[name] = new
    if status and status != existing.status:
        action = lookups.transitions.get((existing.status, status))
        if action is None:
            reasons.append(("bad_status_change", {"old": existing.status, "new": status}))
            return result
        result.changes.append(("status", existing.status, status))
        result.values["status"] = status
        result.status_action = action
    old_attributes = dict(existing.attributes or {})
    if attributes != old_attributes:
        for code in sorted(set(attributes) | set(old_attributes)):
            if attributes.get(code) != old_attributes.get(code):
                result.changes.append((f"attr:{code}", old_attributes.get(code), attributes.get(code)))
        result.values["attributes"] = attributes
    result.action = UPDATE if result.changes else UNCHANGED
    return result


def _attributes(ci_class: ClassInfo | None, existing: ExistingCI | None, cells: Mapping[str, str], reasons) -> dict:
    """The CI's attributes after the row: the given cells over what it has, checked by the one function."""
    if ci_class is None:
        return {}
    given = {code: value for code, value in cells.items() if value != ""}
    merged = {**dict(existing.attributes or {}), **given} if existing is not None else given
    try:
        return clean_attributes(ci_class.specs, merged)
    except AttributeErrors as exc:
        for code, message in exc.errors.items():
            reasons.append(("attribute", {"code": code, "message": str(message)}))
        return {}


def counts(plans: Iterable[RowPlan]) -> dict[str, int]:
    """How many rows would be created, updated, left unchanged and how many err."""
    out = dict.fromkeys(ACTIONS, 0)
    for p in plans:
        out[p.action] += 1
    return out
