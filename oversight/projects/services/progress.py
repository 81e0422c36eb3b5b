"""Writes of what happens on a running project: progress at a status date, actual cost (entries and attributed
settlement lines), and the snapshot of every figure kept per status date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record, model_snapshot
from oversight.core import clock
from oversight.core.concurrency import lock_row
from oversight.core.errors import ApplicationError
from oversight.core.events import publish
from oversight.core.rounding import round_money
from oversight.core.zones import local_today
from oversight.projects import evaluation, permissions
from oversight.projects.choices import REPORTING_STATUSES, CostSource, EvMethod
from oversight.projects.events import COST_RECORDED, PROGRESS_RECORDED
from oversight.projects.models import (
    CostEntry,
    Milestone,
    ProgressLine,
    ProgressRecord,
    Project,
    SettlementLink,
    Snapshot,
    WorkPackage,
)
from oversight.projects.services.projects import _actor_id, _decimal
from oversight.quant import evm
from oversight.settlement.choices import StatementStatus
from oversight.settlement.models import StatementLine


def _running(project: Project) -> None:
    if project.status not in REPORTING_STATUSES:
        raise ApplicationError(_("Progress and cost are reported once the project has started."))


def _not_future(project: Project, day: dt.date) -> None:
    if day > local_today(project.organisation):
        raise ApplicationError(_("A status date cannot lie in the future."))


@transaction.atomic
def progress_record(
    *,
    actor,
    project: Project,
    status_date: dt.date,
    lines: Sequence[Mapping] = (),
    milestones_reached: Mapping[int, dt.date | None] | None = None,
    remaining_days=None,
    note: str = "",
    at: dt.datetime | None = None,
) -> ProgressRecord:
    """Record progress at a status date (replacing what was recorded for that date before) and recompute the
    snapshots from that date on.

    ``lines``: per deliverable ``{"work_package": wp, "started", "finished", "percent_complete", "units_done",
    "remaining_days"}`` (the remaining duration, read in critical-chain mode);
    a percentage is what was entered, never derived. ``milestones_reached``: milestone id → the date it was
    reached (the status date when None); a milestone absent from it keeps what it had.
    """
    locked = lock_row(project, "organisation", "calendar")
    permissions.require(permissions.may_report_progress(actor, locked))
    _running(locked)
    if status_date is None:
        raise ApplicationError(_("Give the status date."))
    _not_future(locked, status_date)
    baseline = evaluation.current_baseline(locked)
    first, _last = evaluation.plan_span(baseline.plan)
    if status_date < first:
        raise ApplicationError(_("The status date lies before the project's first planned day."))
    deliverables = {p["id"]: p for p in evaluation.leaves(baseline.plan)}
    checked = [_check_line(locked, line, deliverables) for line in lines]
    if remaining_days not in (None, ""):
        remaining_days = _decimal(remaining_days, _("The remaining duration"))
        if remaining_days < 0:
            raise ApplicationError(_("The remaining duration must not be negative."))
    else:
        remaining_days = None
    now = at or clock.now()
    record, _created = ProgressRecord.objects.update_or_create(
        project=locked,
        status_date=status_date,
        defaults={
            "remaining_days": remaining_days,
            "note": (note or "").strip(),
            "recorded_by": actor,
            "recorded_at": now,
        },
    )
    record.lines.all().delete()
    ProgressLine.objects.bulk_create(ProgressLine(record=record, **line) for line in checked)
    reached = _reach_milestones(locked, milestones_reached or {}, status_date)
    if locked.status_date is None or status_date > locked.status_date:
        locked.status_date = status_date
        locked.save(update_fields=["status_date"])
    snapshot = snapshots_refresh(locked, since=status_date)[status_date]
    audit_record(
        actor=actor,
        action="projects.progressrecord.recorded",
        obj=record,
        organisation=locked.organisation,
        after={
            "status_date": status_date,
            "lines": [{k: (v.pk if isinstance(v, WorkPackage) else v) for k, v in line.items()} for line in checked],
            "milestones_reached": reached,
            "remaining_days": remaining_days,
            "light": snapshot.light,
        },
    )
    publish(
        PROGRESS_RECORDED,
        project_id=locked.pk,
        record_id=record.pk,
        status_date=status_date.isoformat(),
        light=snapshot.light,
        actor_id=_actor_id(actor),
    )
    return record


def _check_line(project: Project, line: Mapping, deliverables: dict[int, dict]) -> dict:
    package = line["work_package"]
    if package.project_id != project.pk or package.pk not in deliverables:
        raise ApplicationError(_("Progress is reported on the deliverables of the project's baseline."))
    method = deliverables[package.pk]["method"]
    finished = bool(line.get("finished"))
    started = bool(line.get("started")) or finished
    percent = line.get("percent_complete")
    percent = None if percent in (None, "") else _decimal(percent, _("The percentage"))
    if percent is not None and not Decimal(0) <= percent <= Decimal(100):
        raise ApplicationError(_("A percentage lies between 0 and 100."))
    units = line.get("units_done")
    units = None if units in (None, "") else _decimal(units, _("The units done"))
    if units is not None and units < 0:
        raise ApplicationError(_("The units done must not be negative."))
    remaining = line.get("remaining_days")
    remaining = None if remaining in (None, "") else _decimal(remaining, _("The remaining duration"))
    if remaining is not None and remaining < 0:
        raise ApplicationError(_("The remaining duration must not be negative."))
    if finished and remaining:
        raise ApplicationError(_("“%(code)s” is finished: nothing of it remains.") % {"code": package.code})
    if method == EvMethod.PERCENT and percent is None and (started or finished):
        raise ApplicationError(
            _("“%(code)s” is earned by percent complete: enter the percentage (it is never derived).")
            % {"code": package.code}
        )
    return {
        "work_package": package,
        "started": started,
        "finished": finished,
        "percent_complete": percent,
        "units_done": units,
        "remaining_days": remaining,
    }


def _reach_milestones(project: Project, reached: Mapping[int, dt.date | None], status_date: dt.date) -> dict:
    done = {}
    milestones = {m.pk: m for m in Milestone.objects.filter(project=project, pk__in=list(reached))}
    for pk, on in reached.items():
        milestone = milestones.get(int(pk))
        if milestone is None:
            raise ApplicationError(_("That milestone is not one of the project's."))
        on = on or status_date
        if on > status_date:
            raise ApplicationError(_("A milestone cannot be reached after the status date it is reported at."))
        if milestone.reached_on != on:
            milestone.reached_on = on
            milestone.save(update_fields=["reached_on"])
        done[milestone.pk] = on.isoformat()
    return done


def snapshots_refresh(project: Project, *, since: dt.date) -> dict[dt.date, Snapshot]:
    """Recompute the snapshot of every recorded status date on or after ``since`` (a late entry changes them)."""
    dates = set(
        ProgressRecord.objects.filter(project=project, status_date__gte=since).values_list("status_date", flat=True)
    )
    out = {}
    for day in sorted(dates):
        out[day] = snapshot_store(project, day)
    return out


def snapshot_store(project: Project, status_date: dt.date) -> Snapshot:
    """Compute and keep every figure of the project at a status date (replacing an earlier computation)."""
    result = evaluation.evaluate(project, status_date)
    if result is None:
        raise ApplicationError(_("The project has no baseline yet."))
    r = result.rounded
    buffer = result.buffer
    snapshot, _created = Snapshot.objects.update_or_create(
        project=project,
        status_date=status_date,
        defaults={
            "baseline": result.baseline,
            "computed_at": clock.now(),
            "ac_settlement": round_money(result.ac_settlement),
            **{name: r[name] for name in _SNAPSHOT_FIGURES},
            "light_spi": result.light_spi,
            "light_cpi": result.light_cpi,
            "light": result.light,
            "milestones_due": result.milestones_due,
            "milestones_late": result.milestones_late,
            "slippage_days": result.slippage_days,
            "feeding_buffers": [f.stored() for f in result.feeding],
            "buffer_consumed_share": None if buffer is None else _four(buffer.consumed_share),
            "chain_complete_share": None if buffer is None else _four(buffer.complete_share),
            "burn_rate": None if buffer is None or buffer.burn_rate is None else _four(buffer.burn_rate),
            "fever_zone": result.fever_zone,
        },
    )
    return snapshot


_SNAPSHOT_FIGURES = (
    "bac",
    "pv",
    "ev",
    "ac",
    "sv",
    "cv",
    "spi",
    "cpi",
    "eac",
    "eac_atypical",
    "eac_cpi_spi",
    "etc",
    "vac",
    "tcpi",
    "es",
    "at",
    "spi_t",
)


def _four(value: Decimal) -> Decimal:
    return evm.index(value)


def _refresh_after_cost(project: Project, day: dt.date) -> None:
    snapshots_refresh(project, since=day)


@transaction.atomic
def cost_entry_create(
    *,
    actor,
    project: Project,
    incurred_on: dt.date,
    amount,
    description: str,
    work_package: WorkPackage | None = None,
    hours=0,
    at: dt.datetime | None = None,
) -> CostEntry:
    """Enter an actual cost by hand (a negative amount corrects an earlier entry)."""
    locked = lock_row(project, "organisation", "calendar")
    permissions.require(permissions.may_manage(actor, locked))
    _running(locked)
    description = (description or "").strip()
    if not description or incurred_on is None:
        raise ApplicationError(_("Say what the cost is for and when it was incurred."))
    _not_future(locked, incurred_on)
    amount = round_money(_decimal(amount, _("The amount")))
    if amount == 0:
        raise ApplicationError(_("Enter an amount other than zero."))
    if work_package is not None and work_package.project_id != locked.pk:
        raise ApplicationError(_("The work package must be one of the project's."))
    entry = CostEntry.objects.create(
        project=locked,
        work_package=work_package,
        incurred_on=incurred_on,
        amount=amount,
        hours=_decimal(hours, _("The hours")),
        description=description,
        entered_by=actor,
        entered_at=at or clock.now(),
    )
    audit_record(
        actor=actor,
        action="projects.costentry.created",
        obj=entry,
        organisation=locked.organisation,
        after=model_snapshot(entry),
    )
    _refresh_after_cost(locked, incurred_on)
    publish(COST_RECORDED, project_id=locked.pk, source=CostSource.ENTRY.value, actor_id=_actor_id(actor))
    return entry


def attributable_lines(project: Project) -> Iterable[StatementLine]:
    """Lines of the vendor's approved statements that still have a share to attribute (for the link form)."""
    used = SettlementLink.objects.values("line_id").annotate(total=Sum("share")).filter(total__gte=1)
    return (
        StatementLine.objects.filter(
            statement__organisation_id=project.organisation_id,
            statement__vendor_id=project.vendor_id,
            statement__status=StatementStatus.APPROVED,
        )
        .exclude(pk__in=used.values("line_id"))
        .exclude(project_links__project=project)
        .select_related("statement__period")
        .order_by("-statement__period__ends_on", "position")
    )


@transaction.atomic
def settlement_link_create(
    *, actor, project: Project, line: StatementLine, share=1, at: dt.datetime | None = None
) -> SettlementLink:
    """Count a share of an approved statement line of the project's vendor as the project's actual cost, on the
    last day of the statement's period. A line's shares over all projects never exceed the whole line."""
    locked = lock_row(project, "organisation", "calendar")
    permissions.require(permissions.may_manage(actor, locked))
    _running(locked)
    line = StatementLine.objects.select_related("statement__period").select_for_update(of=("self",)).get(pk=line.pk)
    statement = line.statement
    if statement.organisation_id != locked.organisation_id or statement.vendor_id != locked.vendor_id:
        raise ApplicationError(_("Only the project vendor's settlement lines can be attributed to it."))
    if statement.status != StatementStatus.APPROVED:
        raise ApplicationError(_("Only a line of an approved (locked) statement can be attributed."))
    share = _decimal(share, _("The share"))
    if not Decimal(0) < share <= Decimal(1):
        raise ApplicationError(_("The share lies above 0 and at most 1 (the whole line)."))
    if SettlementLink.objects.filter(project=locked, line=line).exists():
        raise ApplicationError(_("This line is already attributed to the project."))
    taken = SettlementLink.objects.filter(line=line).aggregate(s=Sum("share"))["s"] or Decimal(0)
    if taken + share > 1:
        raise ApplicationError(
            _("Only %(left)s of this line is left to attribute.") % {"left": (Decimal(1) - taken).normalize()}
        )
    link = SettlementLink.objects.create(
        project=locked,
        line=line,
        share=share,
        amount=round_money(line.amount * share),
        incurred_on=statement.period.ends_on,
        linked_by=actor,
        linked_at=at or clock.now(),
    )
    audit_record(
        actor=actor,
        action="projects.settlementlink.created",
        obj=link,
        organisation=locked.organisation,
        after=model_snapshot(link),
    )
    _refresh_after_cost(locked, link.incurred_on)
    publish(COST_RECORDED, project_id=locked.pk, source=CostSource.SETTLEMENT.value, actor_id=_actor_id(actor))
    return link


@transaction.atomic
def settlement_link_delete(*, actor, link: SettlementLink) -> None:
    """Detach a settlement line from the project (its cost leaves the project's actual cost)."""
    project = lock_row(link.project, "organisation", "calendar")
    permissions.require(permissions.may_manage(actor, project))
    before = model_snapshot(link)
    day = link.incurred_on
    link.delete()
    audit_record(
        actor=actor,
        action="projects.settlementlink.deleted",
        object_type="projects.settlementlink",
        object_id=before["id"],
        organisation=project.organisation,
        before=before,
    )
    _refresh_after_cost(project, day)
