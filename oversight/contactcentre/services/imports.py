"""Interval data in: the vendor's exports (a stored file, read by a job) and the API's JSON rows go through the
same reading (`contactcentre.importing`) and the same writing here.

All-or-nothing: one refused row refuses everything, with the report. Idempotent: a row whose values equal the
current row of its interval changes nothing (no revision); a row that differs retires the current row
(``is_current`` moves, the old row stays) and adds the next revision. A locked month (`PeriodLock`) takes new or
changed rows only as a correction with a reason, from a client operator. Fast: the current rows of the file's
queues and time span are read in one query, new rows are written with ``bulk_create`` in batches and retired
ones with one ``update`` per batch; no query per row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record
from oversight.contactcentre import importing, permissions
from oversight.contactcentre.models import (
    ColumnMapping,
    ImportStatus,
    IntervalFact,
    IntervalImport,
    PeriodLock,
    Queue,
)
from oversight.core import clock
from oversight.core.errors import ApplicationError
from oversight.core.uploads import sniff_content_type
from oversight.core.zones import zone_named, zone_of

BATCH = 5000
MAX_FILE_BYTES = 300 * 1024 * 1024
PROGRESS_TIMEOUT = 6 * 3600


class RowsRefused(ApplicationError):
    """Rows that cannot be taken; ``errors`` lists (row, reason code, parameters)."""

    def __init__(self, errors):
        rows = [
            {"row": line, "reason_code": code, "reason": importing.reason_text(code, params)}
            for line, code, params in errors
        ]
        super().__init__(
            _("Some rows cannot be imported; nothing was imported."), code="rows_refused", extra={"rows": rows}
        )
        self.errors = errors


@dataclass(frozen=True)
class Outcome:
    rows: int
    created: int
    revised: int
    unchanged: int

    @property
    def changed(self) -> bool:
        return bool(self.created or self.revised)


# --- mapping -----------------------------------------------------------------------------------------------


def column_spec(vendor) -> importing.ColumnSpec:
    """The vendor's saved mapping, or the default (columns named as the fields, ``%Y-%m-%d %H:%M``, the
    organisation's zone)."""
    mapping = ColumnMapping.objects.filter(vendor=vendor).first()
    if mapping is None:
        return importing.ColumnSpec(columns={}, datetime_format="%Y-%m-%d %H:%M", zone=zone_of(vendor.organisation))
    zone = zone_named(mapping.time_zone) or zone_of(vendor.organisation)
    return importing.ColumnSpec(columns=dict(mapping.columns), datetime_format=mapping.datetime_format, zone=zone)


@transaction.atomic
def mapping_save(*, actor, vendor, columns: dict, datetime_format: str, time_zone: str) -> ColumnMapping:
    """Save how the vendor's exports are read (the client's operators or the vendor's manager)."""
    permissions.require(permissions.may_import(actor, organisation_id=vendor.organisation_id, vendor_id=vendor.pk))
    clean = {}
    for target, column in (columns or {}).items():
        if target not in importing.TARGETS:
            raise ApplicationError(_("“%(field)s” is not a field of interval data.") % {"field": target})
        column = " ".join(str(column or "").split())
        if column:
            clean[target] = column[:120]
    if ("interval_date" in clean) != ("interval_time" in clean):
        raise ApplicationError(_("Map both the date and the time column, or one column with both."))
    try:
        sample = dt.datetime(2026, 1, 2, 3, 30, tzinfo=dt.UTC).strftime(datetime_format or "")
        dt.datetime.strptime(sample, datetime_format)  # noqa: DTZ007 - only the format is checked
    except (ValueError, TypeError) as exc:
        raise ApplicationError(
            _("The date and time format cannot be read back; write it with the same codes as the default.")
        ) from exc
    if zone_named(time_zone or "") is None:
        raise ApplicationError(_("Choose a valid time zone."))
    mapping, _created = ColumnMapping.objects.select_for_update().get_or_create(
        vendor=vendor, defaults={"organisation_id": vendor.organisation_id, "updated_at": clock.now()}
    )
    before = {"columns": mapping.columns, "datetime_format": mapping.datetime_format, "time_zone": mapping.time_zone}
    mapping.columns, mapping.datetime_format, mapping.time_zone = clean, datetime_format, time_zone
    mapping.updated_at, mapping.updated_by = clock.now(), actor
    mapping.save()
    after = {"columns": clean, "datetime_format": datetime_format, "time_zone": time_zone}
    audit_record(
        actor=actor,
        action="contactcentre.columnmapping.changed",
        obj=mapping,
        organisation=vendor.organisation,
        before=before,
        after=after,
    )
    return mapping


# --- writing -----------------------------------------------------------------------------------------------


def queue_infos(vendor) -> dict[str, importing.QueueInfo]:
    """The vendor's queues by code (the names its files use)."""
    return {
        code: importing.QueueInfo(pk, minutes)
        for pk, code, minutes in Queue.objects.filter(vendor=vendor).values_list("pk", "code", "interval_minutes")
    }


def _locked_months(vendor) -> set[dt.date]:
    return set(PeriodLock.objects.filter(vendor=vendor).values_list("month", flat=True))


def write_records(
    *,
    vendor,
    parsed: importing.Parsed,
    correction_reason: str = "",
    source_import: IntervalImport | None = None,
    progress: Callable[[int], None] | None = None,
) -> Outcome:
    """Write parsed records (the caller holds the transaction and has checked the actor). Raises RowsRefused
    when a row would change a locked month without a correction reason."""
    if parsed.errors:
        raise RowsRefused(parsed.errors)
    if not parsed.records:
        return Outcome(parsed.rows, 0, 0, 0)
    zone = zone_of(vendor.organisation)
    starts = [start for _queue, start in parsed.records]
    queue_ids = {queue for queue, _start in parsed.records}
    current = {
        (row[0], row[1]): row[2:]
        for row in IntervalFact.objects.filter(
            queue_id__in=queue_ids, is_current=True, interval_start__gte=min(starts), interval_start__lte=max(starts)
        ).values_list("queue_id", "interval_start", "pk", "revision", *importing.VALUE_FIELDS)
    }
    locked = _locked_months(vendor)
    errors: list = []
    new_rows: list[IntervalFact] = []
    retire: list[int] = []
    unchanged = 0
    reason = (correction_reason or "").strip()[:500]
    for key, values in parsed.records.items():
        old = current.get(key)
        if old is not None and tuple(old[2:]) == values:
            unchanged += 1
            continue
        if locked and not reason:
            month = key[1].astimezone(zone).date().replace(day=1)
            if month in locked:
                if len(errors) < importing.MAX_ERRORS:
                    errors.append((parsed.lines.get(key, 0), "locked", {"month": f"{month:%Y-%m}"}))
                continue
        fields = dict(zip(importing.VALUE_FIELDS, values, strict=True))
        revision = 1
        if old is not None:
            retire.append(old[0])
            revision = old[1] + 1
        new_rows.append(
            IntervalFact(
                queue_id=key[0],
                interval_start=key[1],
                revision=revision,
                is_current=True,
                source_import=source_import,
                correction_reason=reason if old is not None else "",
                **fields,
            )
        )
    if errors:
        raise RowsRefused(sorted(errors, key=lambda e: e[0]))
    for i in range(0, len(retire), BATCH):
        IntervalFact.objects.filter(pk__in=retire[i : i + BATCH]).update(is_current=False)
    for i in range(0, len(new_rows), BATCH):
        IntervalFact.objects.bulk_create(new_rows[i : i + BATCH])
        if progress is not None:
            progress(i + BATCH)
    return Outcome(parsed.rows, len(new_rows) - len(retire), len(retire), unchanged)


def _audit(*, actor, vendor, outcome: Outcome, reason: str, obj=None) -> None:
    where = {
        "obj": obj,
        "object_type": None if obj is not None else "tenancy.vendor",
        "object_id": None if obj is not None else vendor.pk,
        "organisation": vendor.organisation,
    }
    counts = {
        "rows": outcome.rows,
        "created": outcome.created,
        "revised": outcome.revised,
        "unchanged": outcome.unchanged,
    }
    if reason and outcome.revised:
        audit_record(
            actor=actor, action="contactcentre.intervalfact.corrected", after=counts | {"reason": reason}, **where
        )
    else:
        audit_record(actor=actor, action="contactcentre.intervalfact.imported", after=counts, **where)


def _require_import(actor, vendor, reason: str) -> None:
    permissions.require(permissions.may_import(actor, organisation_id=vendor.organisation_id, vendor_id=vendor.pk))
    if reason:
        permissions.require(
            permissions.may_correct_locked(actor, vendor.organisation_id),
            _("Only the client's administrators and supervisors correct interval data with a reason."),
        )


def iso_time(text: str) -> dt.datetime:
    """An API interval start: ISO 8601 with its offset (``2026-03-02T09:30:00+08:00``), as UTC."""
    value = dt.datetime.fromisoformat(str(text).strip())
    if value.tzinfo is None:
        raise ValueError(text)
    return value.astimezone(dt.UTC)


@transaction.atomic
def facts_post(*, actor, vendor, rows: list, correction_reason: str = "") -> Outcome:
    """The API: JSON rows (fields named as the model's, ``queue`` the queue's code, ``interval_start`` ISO with
    its offset), validated like a file and written all-or-nothing."""
    reason = (correction_reason or "").strip()
    _require_import(actor, vendor, reason)
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        raise ApplicationError(_("Send the rows as a non-empty list of objects."))
    spec = importing.ColumnSpec(columns={}, datetime_format="ISO 8601", zone=zone_of(vendor.organisation))
    text_rows = [{importing.normalise(k): "" if v is None else str(v) for k, v in row.items()} for row in rows]
    parsed = importing.parse_rows(text_rows, spec=spec, queues=queue_infos(vendor), parse_time=iso_time, first_line=1)
    outcome = write_records(vendor=vendor, parsed=parsed, correction_reason=reason)
    if outcome.changed:
        _audit(actor=actor, vendor=vendor, outcome=outcome, reason=reason)
    return outcome


# --- file imports (a job) ----------------------------------------------------------------------------------


def _progress_key(pk: int) -> str:
    return f"contactcentre:import-progress:{pk}"


def import_progress(*, run: IntervalImport) -> tuple[int, str]:
    """(rows read or written so far, the phase) of a running import; read from the cache, which the job and the
    web share (the job's transaction is invisible to other connections until it commits)."""
    if run.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        return run.rows, "done"
    return tuple(cache.get(_progress_key(run.pk), (0, "read")))


def _set_progress(pk: int, done: int, phase: str) -> None:
    cache.set(_progress_key(pk), (done, phase), timeout=PROGRESS_TIMEOUT)


@transaction.atomic
def import_upload(*, actor, vendor, upload, correction_reason: str = "") -> IntervalImport:
    """Keep an uploaded export and queue its import (a job; without a worker it runs when this commits)."""
    reason = (correction_reason or "").strip()
    _require_import(actor, vendor, reason)
    name = (getattr(upload, "name", "") or "")[:200]
    if not name.lower().endswith((".csv", ".xlsx", ".txt")):
        raise ApplicationError(_("Upload a .csv or .xlsx file."))
    if not upload.size:
        raise ApplicationError(_("The file is empty."))
    if upload.size > MAX_FILE_BYTES:
        raise ApplicationError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    content_type = sniff_content_type(head, name) or "application/octet-stream"
    run = IntervalImport(organisation_id=vendor.organisation_id, vendor=vendor, correction_reason=reason)
    run.store(upload, uploaded_by=actor, now=clock.now(), checked=(name, content_type, digest.hexdigest()))
    run.save()
    _set_progress(run.pk, 0, "read")
    from oversight.contactcentre.tasks import run_interval_import

    pk = run.pk
    transaction.on_commit(lambda: run_interval_import.delay(pk))
    return run


def earlier_same_file(run: IntervalImport) -> IntervalImport | None:
    """An earlier import of the same bytes for the same vendor that was taken (or found nothing to change)."""
    return (
        IntervalImport.objects.filter(
            vendor_id=run.vendor_id, sha256=run.sha256, status__in=[ImportStatus.DONE, ImportStatus.UNCHANGED]
        )
        .exclude(pk=run.pk)
        .order_by("created_at")
        .first()
    )


def import_run(*, import_id: int) -> IntervalImport | None:
    """The job: read the stored file, check every row, and write all of them or none (once: a second delivery
    finds it no longer queued)."""
    with transaction.atomic():
        run = IntervalImport.objects.select_for_update().filter(pk=import_id, status=ImportStatus.QUEUED).first()
        if run is None:
            return None
        run.status = ImportStatus.RUNNING
        run.save(update_fields=["status"])
    vendor = run.vendor
    pk = run.pk
    try:
        with transaction.atomic():
            spec = column_spec(vendor)
            with run.file.open("rb") as handle:
                rows = importing.table_rows(importing.file_rows(handle, run.original_name), spec)
                parsed = importing.parse_rows(
                    rows,
                    spec=spec,
                    queues=queue_infos(vendor),
                    parse_time=importing.file_time_parser(spec),
                    progress=lambda n: _set_progress(pk, n, "read"),
                )
            if parsed.rows == 0 and not parsed.errors:
                raise importing.ImportFileError(importing.REASONS["no_rows"])
            outcome = write_records(
                vendor=vendor,
                parsed=parsed,
                correction_reason=run.correction_reason,
                source_import=run,
                progress=lambda n: _set_progress(pk, n, "write"),
            )
            run.rows, run.created_rows, run.revised_rows = outcome.rows, outcome.created, outcome.revised
            run.unchanged_rows = outcome.unchanged
            run.status = ImportStatus.DONE if outcome.changed else ImportStatus.UNCHANGED
            run.finished_at = clock.now()
            run.save()
            _audit(actor=run.uploaded_by, vendor=vendor, outcome=outcome, reason=run.correction_reason, obj=run)
            return run
    except RowsRefused as exc:
        IntervalImport.objects.filter(pk=pk).update(
            status=ImportStatus.REFUSED,
            errors=[[line, code, params] for line, code, params in exc.errors],
            rows=parsed.rows,
            finished_at=clock.now(),
        )
    except importing.ImportFileError as exc:
        with translation.override("en"):
            failure = str(exc.message)
        IntervalImport.objects.filter(pk=pk).update(
            status=ImportStatus.REFUSED, failure=failure, finished_at=clock.now()
        )
    return IntervalImport.objects.get(pk=pk)


# --- period locks ------------------------------------------------------------------------------------------


@transaction.atomic
def period_lock(*, actor, vendor, month: dt.date) -> PeriodLock:
    """Close a month of a vendor's interval data (repeating it is harmless)."""
    permissions.require(permissions.may_keep_queues(actor, vendor.organisation_id))
    first = month.replace(day=1)
    lock, created = PeriodLock.objects.get_or_create(
        vendor=vendor,
        month=first,
        defaults={"organisation_id": vendor.organisation_id, "locked_at": clock.now(), "locked_by": actor},
    )
    if created:
        audit_record(actor=actor, action="contactcentre.periodlock.created", obj=lock, after={"month": str(first)})
    return lock


@transaction.atomic
def period_unlock(*, actor, lock: PeriodLock) -> None:
    """Reopen a month (audited)."""
    permissions.require(permissions.may_keep_queues(actor, lock.organisation_id))
    audit_record(actor=actor, action="contactcentre.periodlock.deleted", obj=lock, before={"month": str(lock.month)})
    lock.delete()
