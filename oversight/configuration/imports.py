"""Importing configuration items from a file: check (dry run), then apply all rows or none (ADR 0019).

`import_check` reads the file (`configuration.importing.read_table`) and keeps its rows on a `CIImport`;
`import_plan` says what each row would do against the CIs as they are now; `import_start` applies: at once for a
small file, as a job (`configuration.tasks.apply_import`) for a large one, whose progress the page polls. The
apply plans again under a lock of the organisation's CIs and writes only if no row errs, in one transaction,
audited once with its counts.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record
from oversight.configuration import importing, permissions
from oversight.configuration.attributes import AttributeSpec
from oversight.configuration.choices import CI_TRANSITIONS, CIStatus, ImportStatus
from oversight.configuration.events import CI_IMPORTED, CI_STATUS_CHANGED
from oversight.configuration.models import CIAttributeDefinition, CIClass, CIImport, ConfigurationItem
from oversight.core import clock
from oversight.core.errors import ApplicationError
from oversight.core.events import publish
from oversight.tenancy.models import Site, Vendor

#: Files with more rows than this are applied as a job, with a progress bar.
SYNC_ROWS = 500
BATCH = 500
PROGRESS_TIMEOUT = 3600


def lookups_for(organisation_id: int, *, lock: bool = False) -> importing.Lookups:
    """The names rows may use and the CIs they may match, of one organisation (locked for an apply)."""
    classes: dict[str, importing.ClassInfo] = {}
    specs: dict[int, list[AttributeSpec]] = {}
    for d in CIAttributeDefinition.objects.filter(ci_class__organisation_id=organisation_id):
        specs.setdefault(d.ci_class_id, []).append(
            AttributeSpec(code=d.code, type=d.type, required=d.required, choices=tuple(d.choices or ()))
        )
    for c in CIClass.objects.filter(organisation_id=organisation_id).order_by("pk"):
        info = importing.ClassInfo(id=c.pk, code=c.code, specs=tuple(specs.get(c.pk, ())))
        for name in (c.name, c.name_en, c.code):
            if name:
                classes.setdefault(importing.normalise_name(name), info)
    sites = {}
    for pk, name, code in Site.objects.filter(organisation_id=organisation_id).values_list("pk", "name", "code"):
        sites.setdefault(importing.normalise_name(code), pk)
        sites.setdefault(importing.normalise_name(name), pk)
    vendors = {}
    for pk, name, code in Vendor.objects.filter(organisation_id=organisation_id).values_list("pk", "name", "code"):
        vendors.setdefault(importing.normalise_name(code), pk)
        vendors.setdefault(importing.normalise_name(name), pk)
    statuses = {importing.normalise_name(value): value for value in CIStatus.values}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            statuses.update({importing.normalise_name(str(label)): value for value, label in CIStatus.choices})
    rows = ConfigurationItem.objects.filter(organisation_id=organisation_id)
    if lock:
        rows = rows.select_for_update()
    existing = [
        importing.ExistingCI(
            id=pk,
            class_id=class_id,
            name=name,
            name_en=name_en,
            host_name=host_name,
            serial=serial,
            asset_tag=asset_tag,
            site_id=site_id,
            vendor_id=vendor_id,
            status=status,
            attributes=attributes or {},
        )
        for pk, class_id, name, name_en, host_name, serial, asset_tag, site_id, vendor_id, status, attributes in (
            rows.values_list(
                "pk",
                "ci_class_id",
                "name",
                "name_en",
                "host_name",
                "serial",
                "asset_tag",
                "site_id",
                "vendor_id",
                "status",
                "attributes",
            )
        )
    ]
    transitions = {}
    for action, (sources, target) in CI_TRANSITIONS.items():
        for source in sources:
            transitions.setdefault((str(source), str(target)), str(action))
    return importing.Lookups(
        classes=classes,
        sites=sites,
        vendors=vendors,
        statuses=statuses,
        existing=existing,
        transitions=transitions,
        initial_statuses=frozenset({CIStatus.PLANNED.value, CIStatus.IN_USE.value}),
        default_status=CIStatus.IN_USE.value,
    )


def _rows(ci_import: CIImport) -> list[tuple[int, dict]]:
    return [(int(line), dict(row)) for line, row in ci_import.rows]


def import_plan(*, ci_import: CIImport) -> list[importing.RowPlan]:
    """What applying the import would do now, row by row (the dry run)."""
    return importing.plan(_rows(ci_import), lookups_for(ci_import.organisation_id))


@transaction.atomic
def import_check(*, actor, file_name: str, data: bytes) -> CIImport:
    """Read an uploaded file and keep its rows for the dry run; a file that cannot be read is refused whole."""
    permissions.require(permissions.may_import(actor) and actor.organisation_id is not None)
    try:
        _header, rows = importing.read_table(data, file_name)
    except importing.ImportFileError as exc:
        raise ApplicationError(exc.message, code="import_file") from exc
    ci_import = CIImport(
        organisation_id=actor.organisation_id,
        file_name=(file_name or "")[:255],
        rows=[[line, row] for line, row in rows],
        row_count=len(rows),
        created_at=clock.now(),
        created_by=actor,
    )
    ci_import.counts = importing.counts(importing.plan(rows, lookups_for(actor.organisation_id)))
    ci_import.save()
    return ci_import


def _progress_key(pk: int) -> str:
    return f"configuration:import-progress:{pk}"


def import_progress(*, ci_import: CIImport) -> tuple[int, int]:
    """(rows written, rows to write) of an import being applied. The writing transaction is not visible to other
    connections until it commits, so the counter lives in the cache, shared by the web and the worker."""
    if ci_import.status == ImportStatus.APPLIED:
        return ci_import.row_count, ci_import.row_count
    done, total = cache.get(_progress_key(ci_import.pk), (0, ci_import.row_count))
    return min(done, total), total


def _set_progress(pk: int, done: int, total: int) -> None:
    cache.set(_progress_key(pk), (done, total), timeout=PROGRESS_TIMEOUT)


def _may_apply(actor, ci_import: CIImport) -> None:
    permissions.require(
        permissions.may_import(actor)
        and (actor is None or actor.is_superuser or actor.organisation_id == ci_import.organisation_id)
    )


@transaction.atomic
def import_start(*, actor, ci_import: CIImport) -> CIImport:
    """Apply a checked import: now when it is small, else queue the job (the page shows its progress)."""
    _may_apply(actor, ci_import)
    locked = CIImport.objects.select_for_update().get(pk=ci_import.pk)
    if locked.status != ImportStatus.CHECKED:
        raise ApplicationError(_("This import was already started."), code="import_started")
    if locked.row_count <= SYNC_ROWS:
        return _apply(locked, actor=actor)
    locked.status = ImportStatus.QUEUED
    locked.save(update_fields=["status"])
    _set_progress(locked.pk, 0, locked.row_count)
    from oversight.configuration.tasks import apply_import

    pk, actor_id = locked.pk, getattr(actor, "pk", None)
    transaction.on_commit(lambda: apply_import.delay(pk, actor_id))
    return locked


def import_run(*, import_id: int, actor) -> CIImport | None:
    """The job: apply a queued import once (a second delivery finds it no longer queued and does nothing). A
    refusal marks it failed with the reason, with nothing written."""
    with transaction.atomic():
        locked = CIImport.objects.select_for_update().filter(pk=import_id, status=ImportStatus.QUEUED).first()
        if locked is None:
            return None
        locked.status = ImportStatus.RUNNING
        locked.save(update_fields=["status"])
    try:
        with transaction.atomic():
            return _apply(CIImport.objects.select_for_update().get(pk=import_id), actor=actor)
    except ApplicationError as exc:
        with translation.override("en"):
            failure = str(exc.message)
        CIImport.objects.filter(pk=import_id).update(
            status=ImportStatus.FAILED, failure=failure, finished_at=clock.now()
        )
        return CIImport.objects.get(pk=import_id)


def _apply(ci_import: CIImport, *, actor) -> CIImport:
    """Write every row of the import in the current transaction, or raise (nothing written) if one errs."""
    organisation_id = ci_import.organisation_id
    plans = importing.plan(_rows(ci_import), lookups_for(organisation_id, lock=True))
    totals = importing.counts(plans)
    if totals[importing.ERROR]:
        raise ApplicationError(
            _("%(count)s rows have errors; nothing was imported. Correct the file and upload it again.")
            % {"count": totals[importing.ERROR]},
            code="import_errors",
            extra={"errors": totals[importing.ERROR]},
        )
    now = clock.now()
    total = len(plans)
    done = 0
    creates = [p for p in plans if p.action == importing.CREATE]
    for start in range(0, len(creates), BATCH):
        batch = creates[start : start + BATCH]
        ConfigurationItem.objects.bulk_create(
            [
                ConfigurationItem(
                    organisation_id=organisation_id,
                    ci_class_id=p.values["ci_class"],
                    name=p.values["name"],
                    name_en=p.values["name_en"],
                    host_name=p.values["host_name"],
                    serial=p.values["serial"],
                    asset_tag=p.values["asset_tag"],
                    site_id=p.values["site"],
                    vendor_id=p.values["vendor"],
                    status=p.values["status"],
                    attributes=p.values["attributes"],
                    created_at=now,
                    updated_at=now,
                )
                for p in batch
            ]
        )
        done += len(batch)
        _set_progress(ci_import.pk, done, total)
    updates = [p for p in plans if p.action == importing.UPDATE]
    # Rows changing the same fields are written together, only those columns (bulk_update writes a CASE per column).
    groups: dict[tuple[str, ...], list[importing.RowPlan]] = {}
    for p in updates:
        groups.setdefault(tuple(sorted(p.values)), []).append(p)
    for names, group in groups.items():
        columns = [f"{name}_id" if name in ("site", "vendor") else name for name in names]
        for start in range(0, len(group), BATCH):
            batch = group[start : start + BATCH]
            items = ConfigurationItem.objects.in_bulk([p.ci_id for p in batch])
            for p in batch:
                ci = items[p.ci_id]
                for name, value in p.values.items():
                    setattr(ci, f"{name}_id" if name in ("site", "vendor") else name, value)
                ci.version += 1
                ci.updated_at = now
            ConfigurationItem.objects.bulk_update(list(items.values()), [*columns, "version", "updated_at"])
            done += len(batch)
            _set_progress(ci_import.pk, done, total)
    ci_import.status = ImportStatus.APPLIED
    ci_import.counts = totals
    ci_import.finished_at = now
    ci_import.save(update_fields=["status", "counts", "finished_at"])
    audit_record(
        actor=actor,
        action="configuration.ciimport.applied",
        obj=ci_import,
        after={"file_name": ci_import.file_name, **totals},
    )
    actor_id = getattr(actor, "pk", None)
    publish(
        CI_IMPORTED,
        import_id=ci_import.pk,
        created=totals[importing.CREATE],
        updated=totals[importing.UPDATE],
        actor_id=actor_id,
    )
    for p in updates:
        if p.status_action:
            old, new = next((old, new) for name, old, new in p.changes if name == "status")
            publish(
                CI_STATUS_CHANGED,
                ci_id=p.ci_id,
                actor_id=actor_id,
                action=p.status_action,
                from_status=old,
                to_status=new,
            )
    _set_progress(ci_import.pk, total, total)
    return ci_import
