"""The audit trail as a reader reads it: action names, the person, the object with a link, a before/after table.

`readable_entries(entries, user=...)` turns one page (or one export chunk) of entries into rows for the page,
the API and the exports, with a bounded number of queries: one per object type for the links and one per
related model for the names in the before/after values, each through the visibility gate. A link or a name is
given only for what the reader may see; anything else keeps the name recorded with the entry (or "#id").
Values read as the reader expects: choices by their label, yes/no, money with separators, instants in the
reader's zone, related rows by name.

Nested values are read the same way where an app declares what they hold, in its `choices` module:
`AUDIT_NESTED_VALUES` maps `<object type>.<key>` to the model whose rows the value lists (an SLA version's
`targets` are SLA targets: priority, metric and calendar by their names) or to a pair of fields whose choices
name the keys and the values of a mapping (the statuses that pause each clock). `AUDIT_OBJECT_PAGES` maps an
object type without a page of its own to a function `(user=, ids=) -> {id: url}` that gives the page where the
reader may open it (a vendor: its portfolio page, for the roles that may open it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import number_format
from django.utils.module_loading import import_string
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oversight.audit.actions import action_text, declared, model_of, object_type_label
from oversight.audit.models import AuditEntry
from oversight.core.money import format_money
from oversight.core.preferences import local_time_text
from oversight.tenancy.visibility import declaration_of, restrict

EMPTY = "—"
# Keys that some audit entries record besides model fields.
EXTRA_KEY_LABELS = {
    "year": gettext_lazy("Year"),
    "days_left": gettext_lazy("Days left"),
    "threshold": gettext_lazy("Reminder threshold (days)"),
    "notified": gettext_lazy("People notified"),
    "usable": gettext_lazy("Password usable"),
    "ends_on": gettext_lazy("Ends on"),
    "version": gettext_lazy("Version"),
    "warning_percent": gettext_lazy("Warning at (% of target)"),
    "pause_statuses": gettext_lazy("Statuses that pause the clocks"),
    "targets": gettext_lazy("Targets"),
    "minutes": gettext_lazy("Minutes"),
    "weekly": gettext_lazy("Weekly working hours"),
    "holidays": gettext_lazy("Holidays"),
    "adjusted_working_days": gettext_lazy("Adjusted working days"),
    "ok": gettext_lazy("Verified"),
    "recomputed_hash": gettext_lazy("Recomputed fingerprint"),
    "differences": gettext_lazy("Differences"),
    "text": gettext_lazy("Text"),
    "event": gettext_lazy("Timeline step"),
    "internal": gettext_lazy("Internal"),
    "revoked": gettext_lazy("Revoked"),
    "reason": gettext_lazy("Reason"),
    "tier": gettext_lazy("Tier"),
    "work_order": gettext_lazy("Work order"),
    "name": gettext_lazy("Name"),
    "type": gettext_lazy("Type"),
    "size": gettext_lazy("Size"),
    "revision": gettext_lazy("Revision"),
    "period": gettext_lazy("Period"),
    "priority": gettext_lazy("Priority"),
    "metric": gettext_lazy("Metric"),
    "calendar": gettext_lazy("Calendar"),
    "status": gettext_lazy("Status"),
    "work_orders": gettext_lazy("Work orders"),
    "work_orders_changed": gettext_lazy("Work orders changed"),
    "clocks_changed": gettext_lazy("Clocks changed"),
}


@dataclass(frozen=True)
class FieldChange:
    """One row of the before/after table."""

    name: str
    label: str
    before: str
    after: str


@dataclass
class ReadableEntry:
    """One audit entry with everything a reader needs, in the reader's language and zone."""

    entry: AuditEntry
    action_label: str
    actor_name: str
    object_type_label: str
    object_label: str
    object_url: str = ""
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def pk(self):
        """The entry's primary key (a readable entry stands for its entry in lists)."""
        return self.entry.pk

    @property
    def changes_text(self) -> str:
        """The changes on one line, for exports: "Status: New → Accepted; Priority: P3 → P1"."""
        return "; ".join(f"{c.label}: {c.before} → {c.after}" for c in self.changes)


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _pks(model, values: Iterable) -> list:
    """The values that are valid primary keys of `model` (anything else is dropped, never a query error)."""
    out = []
    for value in values:
        try:
            out.append(model._meta.pk.to_python(value))
        except (ValidationError, TypeError, ValueError):
            continue
    return out


def _visible(model, pks, user) -> dict[str, models.Model]:
    """The rows among `pks` the user may see, by str(pk)."""
    if model is None or declaration_of(model) is None or not pks:
        return {}
    rows = restrict(model._default_manager.filter(pk__in=_pks(model, pks)), user)
    return {str(row.pk): row for row in rows}


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _instant(value) -> str | None:
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None or parsed.tzinfo is None:
        return None
    return local_time_text(parsed)


def _plain(value) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, dict):
        return "; ".join(f"{_key_label(k)}: {_plain(v)}" for k, v in value.items())
    if isinstance(value, list):
        nested = any(isinstance(v, dict | list) for v in value)
        return (" | " if nested else ", ").join(_plain(v) for v in value)
    return _instant(value) or str(value)


def _decimal(model_field: models.DecimalField, value) -> str:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if model_field.decimal_places == 2:
        return format_money(number)
    return number_format(number, use_l10n=True, force_grouping=True)


def _value(model_field, value, names: dict) -> str:
    """One before/after value as the reader reads it."""
    if model_field is None or value is None or value == "" or value == []:
        return _plain(value)
    if model_field.is_relation and model_field.related_model is not None:
        related = names.get(model_field.related_model, {})
        values = value if isinstance(value, list) else [value]
        return ", ".join(str(related[str(v)]) if str(v) in related else f"#{v}" for v in values)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return _yes_no(bool(value))
    if isinstance(model_field, models.DateTimeField):
        return _instant(value) or str(value)
    if isinstance(model_field, models.DateField) and isinstance(value, str):
        parsed = parse_date(value)
        return parsed.isoformat() if parsed else value
    if isinstance(model_field, models.DecimalField):
        return _decimal(model_field, value)
    return _plain(value)


def _key_label(key: str) -> str:
    return str(EXTRA_KEY_LABELS[key]) if key in EXTRA_KEY_LABELS else key


def _label(model, key: str) -> str:
    model_field = _field(model, key)
    if model_field is not None and hasattr(model_field, "verbose_name"):
        return str(capfirst(model_field.verbose_name))
    return _key_label(key)


def _field_named(path: str):
    """The model field `app_label.model.field` (None when it no longer exists)."""
    object_type, _dot, name = path.rpartition(".")
    return _field(model_of(object_type), name)


def _nested_spec(object_type: str, key: str):
    """What an app declared the value under `key` of this object type's entries holds (None: nothing)."""
    return declared("AUDIT_NESTED_VALUES").get(f"{object_type}.{key}")


def _rows_value(nested_model, value, names: dict) -> str:
    """A list of rows of `nested_model` (or one row), each "Label: value; …", fields read by their kind."""
    rows = value if isinstance(value, list) else [value]
    parts = []
    for row in rows:
        if not isinstance(row, dict):
            parts.append(_plain(row))
            continue
        parts.append(
            "; ".join(
                f"{_label(nested_model, k)}: {_value(_field(nested_model, k), v, names)}"
                for k, v in _in_field_order(nested_model, row)
            )
        )
    return " | ".join(parts)


def _in_field_order(model, row: dict) -> list:
    """A row's items in the model's field order, then any other keys as stored.

    PostgreSQL's jsonb keeps keys sorted by length, not as written, so the stored order cannot be relied on.
    """
    order = {f.name: i for i, f in enumerate(model._meta.get_fields())}

    def position(item) -> int:
        key = item[0]
        if key in order:
            return order[key]
        # A shortened key stands where its field is ("minutes" for target_minutes); anything else goes last.
        return next((i for name, i in order.items() if name.endswith(f"_{key}")), len(order))

    return sorted(row.items(), key=position)


def _mapping_value(key_field, value_field, value) -> str:
    """A mapping whose keys and values are choices of two fields: "Response: On hold, Awaiting customer; …"."""
    if not isinstance(value, dict):
        return _plain(value)
    parts = []
    # In the order of the key field's choices (jsonb does not keep the order a mapping was written in).
    order = {str(code): i for i, (code, _label_) in enumerate(getattr(key_field, "choices", None) or [])}
    for k, v in sorted(value.items(), key=lambda kv: order.get(str(kv[0]), len(order))):
        label = _value(key_field, k, {}) if key_field is not None else _key_label(k)
        items = v if isinstance(v, list) else [v]
        parts.append(f"{label}: {', '.join(_value(value_field, item, {}) for item in items) or EMPTY}")
    return "; ".join(parts)


def _any_value(entry: AuditEntry, model, key: str, value, names: dict) -> str:
    """One before/after value: a declared nested value by its parts, else by the model's field of that name."""
    spec = _nested_spec(entry.object_type, key)
    if spec is None or value is None or value in ("", [], {}):
        return _value(_field(model, key), value, names)
    if isinstance(spec, tuple):
        return _mapping_value(_field_named(spec[0]), _field_named(spec[1]), value)
    return _rows_value(model_of(spec), value, names)


def _changes(entry: AuditEntry, model, names: dict) -> list[FieldChange]:
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    keys = list(dict.fromkeys([*before, *after]))
    out = []
    for key in keys:
        out.append(
            FieldChange(
                name=key,
                label=_label(model, key),
                before=_any_value(entry, model, key, before.get(key), names) if key in before else EMPTY,
                after=_any_value(entry, model, key, after.get(key), names) if key in after else EMPTY,
            )
        )
    return out


def _relations(model, snapshot: dict):
    """(related model, id) of every relation in one snapshot of `model`'s fields."""
    for key, value in snapshot.items():
        model_field = _field(model, key)
        if model_field is None or not model_field.is_relation or model_field.related_model is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, int | str) and not isinstance(item, bool):
                yield model_field.related_model, item


def _related_names(entries: list[AuditEntry], user) -> dict:
    """Names of the related rows the before/after values point to, per related model (only visible ones)."""
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for entry in entries:
        model = model_of(entry.object_type)
        for snapshot in (entry.before, entry.after):
            if not isinstance(snapshot, dict):
                continue
            for related, pk in _relations(model, snapshot):
                wanted[related].add(pk)
            for key, value in snapshot.items():  # the rows of a declared nested value (an SLA target's calendar)
                spec = _nested_spec(entry.object_type, key)
                if not isinstance(spec, str):
                    continue
                for row in value if isinstance(value, list) else [value]:
                    if isinstance(row, dict):
                        for related, pk in _relations(model_of(spec), row):
                            wanted[related].add(pk)
    return {model: _visible(model, pks, user) for model, pks in wanted.items()}


def _object_urls(entries: list[AuditEntry], user) -> dict[tuple[str, str], str]:
    """The page of each entry's object, for the objects the reader may see and that have a page."""
    by_type: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        by_type[entry.object_type].add(entry.object_id)
    urls = {}
    pages = declared("AUDIT_OBJECT_PAGES")
    for object_type, ids in by_type.items():
        model = model_of(object_type)
        if model is None:
            continue
        if object_type in pages:  # a page another app gives it, for the readers who may open that page
            resolver = import_string(pages[object_type])
            for pk, url in resolver(user=user, ids=_pks(model, ids)).items():
                urls[(object_type, str(pk))] = url
            continue
        if not hasattr(model, "get_absolute_url"):
            continue
        for pk, obj in _visible(model, ids, user).items():
            urls[(object_type, pk)] = obj.get_absolute_url()
    return urls


def actor_name(entry: AuditEntry) -> str:
    """The person who acted (their display name), "System" for the system."""
    if entry.actor is not None:
        return str(entry.actor)
    if entry.actor_id is None and entry.actor_repr in ("", "system"):
        return _("System")
    return entry.actor_repr


def readable_entries(entries: Iterable[AuditEntry], *, user) -> list[ReadableEntry]:
    """The entries as the reader reads them (see the module docstring); `entries` should select `actor`."""
    entries = list(entries)
    urls = _object_urls(entries, user)
    names = _related_names(entries, user)
    out = []
    for entry in entries:
        model = model_of(entry.object_type)
        type_label = object_type_label(entry.object_type) if entry.object_type else ""
        label = entry.object_repr or (f"{type_label} #{entry.object_id}" if entry.object_id else type_label)
        out.append(
            ReadableEntry(
                entry=entry,
                action_label=action_text(entry.action),
                actor_name=actor_name(entry),
                object_type_label=type_label,
                object_label=label,
                object_url=urls.get((entry.object_type, entry.object_id), ""),
                changes=_changes(entry, model, names),
            )
        )
    return out
