"""Services of the risk quantification: a risk's inputs, correlations between risks, and simulation runs.

A run (`simulation_create`) takes the organisation's open risks that have inputs (optionally of one vendor or
category), checks them with `oversight.quant.montecarlo` (errors come back in plain language, naming the risk),
keeps a snapshot of them on the run and queues the job (`risks.tasks.run_simulation`: in-process in
embedded mode, on a Celery worker in production; ``docs/development/time-and-jobs.md``). The job
(`simulation_execute`) moves the run to running, simulates with the run's seed (writing its progress as it goes),
stores the result and moves it to finished — or to failed with the reason. A finished run never changes: the
same snapshot and seed give the same numbers again (`simulation_inputs`). A run whose worker died stays "running"
without progress; a periodic sweep (`simulations_fail_stalled`) marks it failed with a clear reason, and a failed
run can be run again (`simulation_rerun`: a new run of the same snapshot and seed).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from oversight.audit.services import audit_record, row_delete, row_save_audited
from oversight.audit.transitions import transition
from oversight.core import clock
from oversight.core.errors import ApplicationError
from oversight.quant import montecarlo
from oversight.quant.moments import QuantInputError, correlation_from_pairs
from oversight.risks import permissions
from oversight.risks.choices import OPEN_RISK_STATUSES
from oversight.risks.choices_quant import (
    QUANT_ERRORS,
    SIMULATION_MACHINE,
    SeverityKind,
    SimulationAction,
    SimulationStatus,
)
from oversight.risks.models import Risk, RiskCorrelation, RiskQuantification, SimulationRun

logger = logging.getLogger(__name__)

DEFAULT_ITERATIONS = montecarlo.MIN_ITERATIONS


def quant_error(exc: QuantInputError) -> ApplicationError:
    """The app's error for an input the maths refused: translated by its code, naming the risk and the field."""
    template = QUANT_ERRORS.get(exc.code)
    message = template % {"risk": exc.key or ""} if template is not None else str(exc)
    return ApplicationError(message, code=f"quant_{exc.code}", extra={"field": exc.field or "", "risk": exc.key or ""})


def _check(risk_input: montecarlo.RiskInput) -> None:
    try:
        montecarlo.validate_risk(risk_input)
    except QuantInputError as exc:
        raise quant_error(exc) from exc


def risk_input(q: RiskQuantification, *, key: str, groups: dict | None = None) -> montecarlo.RiskInput:
    return montecarlo.RiskInput(
        key=key,
        frequency=q.frequency,
        rate=float(q.rate),
        severity=q.severity,
        low=float(q.low),
        high=float(q.high),
        mode=None if q.mode is None else float(q.mode),
        groups=groups or {},
    )


@transaction.atomic
def quantification_save(
    *,
    actor,
    risk: Risk,
    frequency: str,
    rate: Decimal,
    severity: str,
    low: Decimal,
    high: Decimal,
    mode: Decimal | None = None,
    currency: str = "CNY",
) -> RiskQuantification:
    """Create or replace a risk's inputs, checked by the maths; audited as created/changed."""
    permissions.require(permissions.may_manage(actor, risk), _("Your role cannot quantify this risk."))
    existing = RiskQuantification.objects.select_for_update().filter(risk=risk).first()
    q = existing or RiskQuantification(risk=risk)
    q.frequency, q.rate, q.severity = frequency, rate, severity
    q.low, q.high, q.currency = low, high, (currency or "CNY").upper()
    q.mode = None if severity == SeverityKind.LOGNORMAL else mode
    _check(risk_input(q, key=risk.number))
    q.updated_by, q.updated_at = actor, clock.now()
    fields = None if existing is None else ["frequency", "rate", "severity", "low", "mode", "high", "currency"]
    if fields is not None:
        fields += ["updated_by", "updated_at"]
    return row_save_audited(actor=actor, obj=q, fields=fields, organisation=risk.organisation)


@transaction.atomic
def quantification_delete(*, actor, risk: Risk) -> None:
    """Remove a risk's inputs (it drops out of later simulations; finished runs keep their snapshot)."""
    permissions.require(permissions.may_manage(actor, risk), _("Your role cannot quantify this risk."))
    q = RiskQuantification.objects.filter(risk=risk).first()
    if q is not None:
        row_delete(actor=actor, obj=q, organisation=risk.organisation)


def _pairs(organisation_id: int, numbers: dict[int, str]) -> dict[tuple[str, str], float]:
    """The organisation's stored correlations between the risks in ``numbers`` (id -> number)."""
    rows = RiskCorrelation.objects.filter(
        organisation_id=organisation_id, first_id__in=numbers, second_id__in=numbers
    ).values_list("first_id", "second_id", "coefficient")
    return {(numbers[a], numbers[b]): float(c) for a, b, c in rows}


@transaction.atomic
def correlation_save(*, actor, risk: Risk, other: Risk, coefficient: Decimal) -> RiskCorrelation | None:
    """Set (or with 0, remove) the correlation between two risks of one organisation. Refused when the
    organisation's correlations would then contradict each other (not positive semi-definite)."""
    permissions.require(permissions.may_manage(actor, risk), _("Your role cannot quantify this risk."))
    if other.organisation_id != risk.organisation_id or other.pk == risk.pk:
        raise ApplicationError(_("Choose another risk of the same organisation."), code="quant_correlation_self")
    first, second = sorted((risk, other), key=lambda r: r.pk)
    existing = RiskCorrelation.objects.select_for_update().filter(first=first, second=second).first()
    if coefficient == 0:
        if existing is not None:
            row_delete(actor=actor, obj=existing, organisation=risk.organisation)
        return None
    ids = set(
        RiskCorrelation.objects.filter(organisation_id=risk.organisation_id).values_list("first_id", flat=True)
    ) | set(RiskCorrelation.objects.filter(organisation_id=risk.organisation_id).values_list("second_id", flat=True))
    ids |= {first.pk, second.pk}
    numbers = dict(Risk.objects.filter(pk__in=ids).values_list("pk", "number"))
    pairs = _pairs(risk.organisation_id, numbers)
    pairs[(first.number, second.number)] = float(coefficient)
    try:
        correlation_from_pairs(sorted(numbers.values()), pairs)
    except QuantInputError as exc:
        raise quant_error(exc) from exc
    row = existing or RiskCorrelation(organisation_id=risk.organisation_id, first=first, second=second)
    row.coefficient, row.updated_by, row.updated_at = coefficient, actor, clock.now()
    fields = None if existing is None else ["coefficient", "updated_by", "updated_at"]
    return row_save_audited(actor=actor, obj=row, fields=fields, organisation=risk.organisation)


def scope_snapshot(*, organisation_id: int, vendor_id: int | None = None, category: str = "") -> dict:
    """What a run over this scope would simulate: the open quantified risks (in number order) and their
    correlations, as plain values (the run's ``inputs``)."""
    qs = RiskQuantification.objects.filter(
        risk__organisation_id=organisation_id, risk__status__in=OPEN_RISK_STATUSES
    ).select_related("risk", "risk__vendor")
    if vendor_id:
        qs = qs.filter(risk__vendor_id=vendor_id)
    if category:
        qs = qs.filter(risk__category=category)
    rows = sorted(qs, key=lambda q: q.risk.number)
    risks = [
        {
            "id": q.risk_id,
            "number": q.risk.number,
            "title": q.risk.title,
            "title_en": q.risk.title_en,
            "category": q.risk.category,
            "vendor_id": q.risk.vendor_id,
            "vendor": q.risk.vendor.name if q.risk.vendor_id else "",
            "frequency": q.frequency,
            "rate": str(q.rate),
            "severity": q.severity,
            "low": str(q.low),
            "mode": None if q.mode is None else str(q.mode),
            "high": str(q.high),
            "currency": q.currency,
        }
        for q in rows
    ]
    numbers = {r["id"]: r["number"] for r in risks}
    pairs = _pairs(organisation_id, numbers)
    return {"risks": risks, "correlations": [[a, b, c] for (a, b), c in sorted(pairs.items())]}


def simulation_inputs(snapshot: dict):
    """``(risk inputs, correlation matrix or None)`` of a run's snapshot, ready for `montecarlo.simulate`."""
    risks = [
        montecarlo.RiskInput(
            key=r["number"],
            frequency=r["frequency"],
            rate=float(r["rate"]),
            severity=r["severity"],
            low=float(r["low"]),
            high=float(r["high"]),
            mode=None if r["mode"] is None else float(r["mode"]),
            groups={"vendor": r["vendor"], "category": r["category"]},
        )
        for r in snapshot["risks"]
    ]
    pairs = {(a, b): c for a, b, c in snapshot["correlations"]}
    correlation = correlation_from_pairs([r.key for r in risks], pairs) if pairs else None
    return risks, correlation


@transaction.atomic
def simulation_create(
    *,
    actor,
    vendor=None,
    category: str = "",
    iterations: int = DEFAULT_ITERATIONS,
    seed: int | None = None,
    appetite: Decimal | None = None,
) -> SimulationRun:
    """Check the scope's inputs and queue a run of them (the page then shows its progress)."""
    permissions.require(permissions.may_create(actor), _("Your role cannot run risk simulations."))
    organisation_id = actor.organisation_id
    if vendor is not None and vendor.organisation_id != organisation_id:
        raise ApplicationError(_("Choose a vendor of your organisation."), code="quant_vendor")
    seed = secrets.randbelow(montecarlo.MAX_SEED + 1) if seed is None else seed
    snapshot = scope_snapshot(
        organisation_id=organisation_id, vendor_id=getattr(vendor, "pk", None), category=category or ""
    )
    currencies = sorted({r["currency"] for r in snapshot["risks"]})
    if len(currencies) > 1:
        raise ApplicationError(
            _("The risks in this scope are quantified in several currencies (%(currencies)s); narrow the scope to one.")
            % {"currencies": ", ".join(currencies)},
            code="quant_currencies",
        )
    try:
        risks, correlation = simulation_inputs(snapshot)
        montecarlo.validate_run(risks, iterations, seed, None if appetite is None else float(appetite))
    except QuantInputError as exc:
        raise quant_error(exc) from exc
    return _queue(
        actor=actor,
        audit_after={"risks": len(risks), "correlated": correlation is not None},
        organisation_id=organisation_id,
        vendor=vendor,
        category=category or "",
        iterations=iterations,
        seed=seed,
        appetite=appetite,
        currency=currencies[0] if currencies else "CNY",
        inputs=snapshot,
    )


def _queue(*, actor, audit_after: dict, **fields) -> SimulationRun:
    """Store a queued run, audit its request and hand it to the job once the transaction commits."""
    run = SimulationRun.objects.create(created_by=actor, created_at=clock.now(), **fields)
    audit_record(
        actor=actor,
        action="risks.simulationrun.created",
        obj=run,
        after={"iterations": run.iterations, "seed": str(run.seed), **audit_after},
    )
    from oversight.risks.tasks import run_simulation

    pk = run.pk
    transaction.on_commit(lambda: run_simulation.delay(pk))
    return run


@transaction.atomic
def simulation_rerun(*, actor, run: SimulationRun) -> SimulationRun:
    """Queue a failed run again as a new run with the same inputs, seed and scope (the failed one stays as it is,
    with its reason): what was asked for is computed, and gives the numbers that run would have given."""
    permissions.require(permissions.may_create(actor), _("Your role cannot run risk simulations."))
    if run.organisation_id != actor.organisation_id:
        raise ApplicationError(_("Choose a simulation of your organisation."), code="quant_scope")
    if run.status != SimulationStatus.FAILED:
        raise ApplicationError(_("Only a failed simulation can be run again."), code="quant_rerun")
    return _queue(
        actor=actor,
        audit_after={"rerun_of": run.pk},
        organisation_id=run.organisation_id,
        vendor_id=run.vendor_id,
        category=run.category,
        iterations=run.iterations,
        seed=run.seed,
        appetite=run.appetite,
        currency=run.currency,
        inputs=run.inputs,
        rerun_of=run,
    )


def simulation_execute(*, run_id: int) -> SimulationRun | None:
    """The job: run a queued simulation once (a second delivery finds it started and does nothing)."""
    with transaction.atomic():
        run = SimulationRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != SimulationStatus.QUEUED:
            return None
        transition(run, machine=SIMULATION_MACHINE, action=SimulationAction.START, actor=None, lock=False, apply=_beat)

    def progress(fraction: float) -> None:
        SimulationRun.objects.filter(pk=run_id, status=SimulationStatus.RUNNING).update(
            progress=min(99, int(fraction * 100)), heartbeat_at=clock.now()
        )

    try:
        risks, correlation = simulation_inputs(run.inputs)
        outcome = montecarlo.simulate(
            risks,
            iterations=run.iterations,
            seed=run.seed,
            correlation=correlation,
            appetite=None if run.appetite is None else float(run.appetite),
            progress=progress,
        )
    except (QuantInputError, MemoryError, ValueError) as exc:
        logger.warning("risk simulation %s failed: %s", run_id, exc)
        with translation.override("en"):
            reason = str(quant_error(exc).message) if isinstance(exc, QuantInputError) else str(exc)
        return _end(run, SimulationAction.FAIL, {"failure": reason}, failure=reason)
    return _end(
        run,
        SimulationAction.FINISH,
        {"mean": round(outcome.mean, 2), "p90": round(outcome.percentiles[90], 2)},
        result=outcome.as_dict(),
    )


def _beat(run: SimulationRun, now) -> list[str]:
    run.heartbeat_at = now
    return ["heartbeat_at"]


def _end(run: SimulationRun, action: str, audit_after: dict, *, result: dict | None = None, failure: str = ""):
    """Finish or fail a running run with its result or reason (the one place a run's outcome is written).

    A worker that was presumed dead and swept (`simulations_fail_stalled`) finds its run failed: it leaves it so."""
    with transaction.atomic():
        locked = SimulationRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != SimulationStatus.RUNNING:
            logger.warning("risk simulation %s ended after it was marked %s; left as it is", run.pk, locked.status)
            return locked
        return transition(
            locked,
            machine=SIMULATION_MACHINE,
            action=action,
            actor=None,
            apply=lambda obj, now: _finish(obj, now, result=result, failure=failure),
            audit_after=audit_after,
        ).obj


def _finish(run: SimulationRun, now, *, result: dict | None = None, failure: str = "") -> list[str]:
    run.result, run.failure, run.finished_at, run.progress = result, failure, now, 100
    return ["result", "failure", "finished_at", "progress"]


#: Stored as the reason of a run whose worker stopped reporting (English, like every stored reason; the page
#: translates it).
STALLED_REASON = gettext_noop(
    "The job running this simulation stopped reporting progress (its worker probably stopped), so the run was "
    "marked failed. Run it again."
)


def simulations_fail_stalled(*, now=None, minutes: int | None = None) -> int:
    """Mark failed every running run with no progress for `minutes` (the setting RISK_SIMULATION_STALL_MINUTES),
    with a clear reason, so it can be run again. Safe to run twice or at the same time as a live worker: each run
    is re-read under its lock and only a run still running and still silent is failed. Returns how many."""
    now = now or clock.now()
    minutes = settings.RISK_SIMULATION_STALL_MINUTES if minutes is None else minutes
    cutoff = now - dt.timedelta(minutes=minutes)
    silent = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    failed = 0
    for pk in SimulationRun.objects.filter(silent, status=SimulationStatus.RUNNING).values_list("pk", flat=True):
        with transaction.atomic():
            run = SimulationRun.objects.select_for_update().filter(silent, pk=pk, status=SimulationStatus.RUNNING)
            run = run.first()
            if run is None:
                continue  # it reported progress or ended meanwhile
            last = run.heartbeat_at or run.created_at
            transition(
                run,
                machine=SIMULATION_MACHINE,
                action=SimulationAction.FAIL,
                actor=None,
                lock=False,
                at=now,
                apply=lambda obj, at: _finish(obj, at, failure=STALLED_REASON),
                audit_after={"failure": STALLED_REASON, "silent_since": last.isoformat()},
            )
            failed += 1
    if failed:
        logger.warning("%s stalled risk simulation(s) marked failed", failed)
    return failed
