"""Writing the audit trail. Every service that changes data calls `audit_record`."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any, TypeVar

from django.db import models

from oversight.audit.models import AuditEntry
from oversight.core import clock
from oversight.core.request_context import current_request_id

SECRET_FIELD_MARKERS = ("password", "token", "secret", "key_hash", "api_key")
MASK = "***"


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            str(k): (MASK if any(m in str(k).lower() for m in SECRET_FIELD_MARKERS) else _jsonable(v))
            for k, v in value.items()
        }
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def model_snapshot(obj: models.Model, fields: list[str] | None = None) -> dict:
    """Return a JSON-able dict of an object's concrete fields (secrets masked)."""
    data = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        data[field.name] = getattr(obj, field.attname)
    return _jsonable(data)


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: Any = None,
    organisation=None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    """Append one entry to the audit trail for a change made by `actor` (None = system)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
        if organisation is None:
            organisation = getattr(obj, "organisation", None)
    actor_obj = actor if getattr(actor, "pk", None) else None
    return AuditEntry.objects.create(
        at=clock.now(),
        actor=actor_obj,
        actor_repr=(actor_obj.get_username() if actor_obj else "system")[:200],
        request_id=current_request_id(),
        action=action,
        organisation=organisation,
        object_type=object_type or "",
        object_id=str(object_id if object_id is not None else ""),
        object_repr=(str(obj) if obj is not None else "")[:300],
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
    )


def diff_snapshots(before: dict, after: dict) -> tuple[dict, dict]:
    """Keep only the keys whose value changed, for compact before/after entries."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


# Never written to the audit trail, even masked: they say nothing an auditor needs.
UNAUDITED_FIELDS = frozenset({"password", "last_login"})


def row_snapshot(obj: models.Model, m2m: tuple[str, ...] = ()) -> dict:
    """An audit snapshot of a row: concrete fields (secrets masked, passwords left out) plus chosen m2m ids."""
    data = model_snapshot(obj, fields=[f.name for f in obj._meta.concrete_fields if f.name not in UNAUDITED_FIELDS])
    for name in m2m:
        data[name] = sorted(getattr(obj, name).values_list("pk", flat=True)) if obj.pk else []
    return data


def stored_row_snapshot(obj: models.Model, m2m: tuple[str, ...] = ()) -> dict | None:
    """The snapshot of the row as it is stored now (before unsaved changes); None for a new row."""
    if obj.pk is None:
        return None
    stored = type(obj)._default_manager.filter(pk=obj.pk).first()
    return row_snapshot(stored, m2m) if stored is not None else None


RowT = TypeVar("RowT", bound=models.Model)


def row_save(
    *,
    obj: models.Model,
    fields: list[str] | None,
    m2m: tuple[str, ...] = (),
    m2m_values: dict[str, Any] | None = None,
) -> tuple[dict | None, dict]:
    """Save a row a form built or changed, set many-to-many values, and return (before, after) snapshots.

    `fields` None inserts a new row (before is None); otherwise only those concrete fields are written with
    `update_fields`, and both snapshots are read from the database. The snapshots hold the `m2m` ids too.
    For the entity services, inside their transaction; they audit from the snapshots.
    """
    before = None if fields is None else stored_row_snapshot(obj, m2m)
    if fields is None:
        obj.save()
    elif fields:
        obj.save(update_fields=fields)
    for name, values in (m2m_values or {}).items():
        getattr(obj, name).set(values)
    if before is None:
        return None, row_snapshot(obj, m2m)
    # Re-read: the audit says what is stored, not what the instance holds beyond `fields`.
    return before, stored_row_snapshot(obj, m2m) or {}


def audit_row_saved(*, actor, obj: models.Model, before: dict | None, after: dict, organisation) -> None:
    """Record `<app>.<model>.created` (before None) or `.changed` with only the changed fields (none: no entry)."""
    label = obj._meta.label_lower
    if before is None:
        audit_record(actor=actor, action=f"{label}.created", obj=obj, organisation=organisation, after=after)
        return
    before_diff, after_diff = diff_snapshots(before, after)
    if after_diff:
        audit_record(
            actor=actor,
            action=f"{label}.changed",
            obj=obj,
            organisation=organisation,
            before=before_diff,
            after=after_diff,
        )


def row_save_audited(*, actor, obj: RowT, fields: list[str] | None, organisation) -> RowT:
    """Save a row a form built or changed (`row_save`) and record it (`audit_row_saved`); returns the row.

    The one save-then-audit sequence of the entity services' admin writes, inside their transaction.
    """
    before, after = row_save(obj=obj, fields=fields)
    audit_row_saved(actor=actor, obj=obj, before=before, after=after, organisation=organisation)
    return obj


def row_delete(*, actor, obj: models.Model, organisation, m2m: tuple[str, ...] = ()) -> None:
    """Delete one row and record `<app>.<model>.deleted` with what it was."""
    before = row_snapshot(obj, m2m)
    pk = obj.pk
    obj.delete()
    audit_record(
        actor=actor,
        action=f"{obj._meta.label_lower}.deleted",
        obj=obj,
        object_id=pk,
        organisation=organisation,
        before=before,
    )
