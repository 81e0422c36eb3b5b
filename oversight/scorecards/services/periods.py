"""Evaluation periods: opening, computing, publishing, signing, locking and revising (the table is choices.TRANSITIONS).

Every step is one service that reloads the period under a row lock, checks the guard (a repeated call
is harmless), appends an immutable timeline event and an audit entry. Figures change only while the
period is a draft or published (recompute, manual entries) and through accepted disputes; a signed
or locked period never changes - its correction is a new linked revision that starts as a draft.

Which scheme a period uses: the contract's latest scheme version when the period is created, and
again at each recomputation while it is a draft; once published, the period keeps its scheme.

The dispute window opens at publication: ``dispute_window_days`` plain days (deadline = publication
instant + N × 24 h), or, when the scheme names a business calendar, N working days of that calendar
(deadline = the end of the N-th working day after the publication day, in the calendar's zone).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import zoneinfo

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record
from oversight.audit.transitions import transition
from oversight.businesstime.engine import CalendarDataMissing
from oversight.catalog.calendars import calendar_spec
from oversight.contracts.choices import ContractStatus
from oversight.contracts.models import Contract
from oversight.contracts.selectors import contract_version_for_period, fee_period_bounds, version_queryset
from oversight.core import clock, kpis
from oversight.core.bilingual import pick_name
from oversight.core.errors import ApplicationError, InvalidTransition, NotAllowed
from oversight.core.events import publish
from oversight.core.preferences import local_time_text
from oversight.core.zones import zone_of
from oversight.kpi.facts import Period
from oversight.notifications.services import notification_create
from oversight.scorecards import permissions
from oversight.scorecards.choices import (
    EDITABLE_STATUSES,
    FROZEN_STATUSES,
    PERIOD_MACHINE,
    DisputeStatus,
    PeriodAction,
    PeriodEventKind,
    PeriodKind,
    PeriodStatus,
)
from oversight.scorecards.events import (
    EVALUATION_PERIOD_LOCKED,
    EVALUATION_PERIOD_PUBLISHED,
    EVALUATION_PERIOD_SIGNED,
)
from oversight.scorecards.kpis import SERVICE
from oversight.scorecards.models import (
    CommitmentResult,
    EvaluationPeriod,
    Exclusion,
    IndicatorResult,
    IndicatorScheme,
    ManualEntry,
)
from oversight.scorecards.services.common import (
    append_event,
    clean_text,
    local_midnight,
    lock_period,
    require_operator,
)
from oversight.scorecards.services.compute import evaluate
from oversight.tenancy.choices import Role
from oversight.tenancy.models import User

logger = logging.getLogger(__name__)

# Work orders received this many days before a period are looked back at (repeat rate).
LOOKBACK_DAYS = 30


# --------------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------------


def period_bounds(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The month or quarter containing a date, as (first day, last day)."""
    if kind not in PeriodKind.values:
        raise ApplicationError(_("Unknown kind of period."), code="period_kind", extra={"field": "kind"})
    start, end = fee_period_bounds(kind, day)
    return start, end - dt.timedelta(days=1)


def latest_scheme(contract) -> IndicatorScheme | None:
    """The contract's newest indicator scheme version."""
    return IndicatorScheme.objects.filter(contract=contract).order_by("-number").first()


def _move(
    period: EvaluationPeriod,
    action: str,
    actor,
    *,
    apply=None,
    guards=(),
    data: dict | None = None,
    event=None,
    payload: dict | None = None,
):
    """Move a locked period along PERIOD_MACHINE (the one transition helper); the step and audit carry `data`.

    Returns the helper's outcome: ``changed`` is False for a harmless repeat."""
    return transition(
        period,
        machine=PERIOD_MACHINE,
        action=action,
        actor=actor,
        lock=False,
        guards=guards,
        apply=apply,
        timeline=lambda p: {"data": _evaluate(data, p)},
        audit_after=lambda p: {"score": p.total_score, **_evaluate(data, p)},
        audit_organisation=period.organisation,
        event=event,
        payload=payload,
    )


def _evaluate(data, period) -> dict:
    return dict((data(period) if callable(data) else data) or {})


def _notify(users, *, period: EvaluationPeriod, kind: str, subject, body="") -> None:
    """In-app notices (once per person, period and step)."""
    seq = period.events.aggregate(m=Max("seq"))["m"] or 0
    for person in users:
        notification_create(
            recipient=person,
            kind=f"evaluation_{kind}",
            dedupe_key=f"scorecards:{kind}:{period.pk}:{seq}:{person.pk}",
            subject=subject,
            body=body,
        )


def vendor_managers(period: EvaluationPeriod):
    """The vendor's active managers (they dispute and countersign)."""
    return User.objects.filter(vendor_id=period.vendor_id, role=Role.VENDOR_MANAGER, is_active=True)


def client_operators(period: EvaluationPeriod):
    """The organisation's active supervisors (they decide disputes)."""
    return User.objects.filter(
        organisation_id=period.organisation_id, role=Role.CLIENT_SUPERVISOR, is_active=True, vendor__isnull=True
    )


def dispute_deadline_for(scheme: IndicatorScheme, published_at: dt.datetime) -> dt.datetime:
    """When the dispute window of a period published at `published_at` closes (module docstring)."""
    days = scheme.dispute_window_days
    if scheme.dispute_calendar_id is None:
        return published_at + dt.timedelta(days=days)
    spec = calendar_spec(scheme.dispute_calendar)
    zone = zoneinfo.ZoneInfo(spec.tz)
    day = published_at.astimezone(zone).date()
    counted = 0
    try:
        for _step in range(days * 14 + 60):
            day += dt.timedelta(days=1)
            if spec.intervals_for(day):
                counted += 1
                if counted == days:
                    return local_midnight(day + dt.timedelta(days=1), zone)
    except CalendarDataMissing as exc:
        raise ApplicationError(
            _("The calendar “%(calendar)s” has no holiday data for %(year)s: the dispute window cannot be counted.")
            % {"calendar": scheme.dispute_calendar.name, "year": exc.year},
            code="calendar_missing",
        ) from exc
    raise ApplicationError(
        _("The calendar “%(calendar)s” has no working days: the dispute window cannot be counted.")
        % {"calendar": scheme.dispute_calendar.name},
        code="calendar_empty",
    )


def latest_manual_entries(period: EvaluationPeriod) -> dict[int, ManualEntry]:
    """The current (latest) entry of each manual indicator of the period, by indicator id."""
    latest: dict[int, ManualEntry] = {}
    for entry in ManualEntry.objects.filter(period=period).order_by("indicator_id", "entered_at", "id"):
        latest[entry.indicator_id] = entry
    return latest


def exclusions_of(period: EvaluationPeriod) -> dict[str, list[int]]:
    """Work orders excluded by accepted disputes, by indicator source."""
    out: dict[str, list[int]] = {}
    for source, wo_id in Exclusion.objects.filter(period=period).values_list("source", "work_order_id"):
        out.setdefault(source, []).append(wo_id)
    return out


# --------------------------------------------------------------------------------------------------
# computing
# --------------------------------------------------------------------------------------------------


def _recompute(period: EvaluationPeriod, actor, *, note: str = "", data: dict | None = None) -> EvaluationPeriod:
    """Compute the period from the stored data and store its results (the caller holds the lock and checked)."""
    now = clock.now()
    version = version_queryset().get(pk=period.contract_version_id)
    period.contract_version = version
    indicators = list(period.scheme.indicators.all())
    scope = kpis.Scope(
        organisation_id=period.organisation_id,
        vendor_id=period.vendor_id,
        version=version,
        evaluated_at=now,
        # The roster at the period end; while the period still runs, as it is today (no future is guessed).
        day=min(period.ends_on, now.astimezone(zone_of(period.organisation)).date()),
        lookback_days=LOOKBACK_DAYS,
    )
    facts = kpis.Facts(scope, Period(period.start_at, period.end_at))
    service = facts.get(SERVICE)
    evaluation = evaluate(
        period=period,
        indicators=indicators,
        facts=facts,
        exclusions=exclusions_of(period),
        manual=latest_manual_entries(period),
        reopen_window_days=period.scheme.reopen_window_days,
    )
    before = {"score": period.total_score, "computed_at": period.computed_at}
    IndicatorResult.objects.filter(period=period).delete()
    CommitmentResult.objects.filter(period=period).delete()
    IndicatorResult.objects.bulk_create(evaluation.results)
    CommitmentResult.objects.bulk_create(evaluation.commitments)
    period.total_score = evaluation.total
    period.total_exact = "" if evaluation.total_exact is None else str(evaluation.total_exact)
    period.unit_counts = service.unit_counts
    period.problems = evaluation.problems
    period.computed_at = now
    period.computed_after_end = now >= period.end_at
    period.updated_at = now
    period.save(
        update_fields=[
            "scheme",
            "total_score",
            "total_exact",
            "unit_counts",
            "problems",
            "computed_at",
            "computed_after_end",
            "updated_at",
        ]
    )
    summary = {
        "scheme": period.scheme.number,
        "score_before": before["score"],
        "score": period.total_score,
        "work_orders": len(service.work_orders),
        "ratings": len(service.ratings),
        "complaints": len(service.complaints),
        "problems": len(evaluation.problems),
        "after_end": period.computed_after_end,
        **(data or {}),
    }
    append_event(period, actor=actor, kind=PeriodEventKind.COMPUTED, note=note, data=summary)
    audit_record(
        actor=actor,
        action="scorecards.evaluationperiod.computed",
        obj=period,
        organisation=period.organisation,
        before=before,
        after=summary,
    )
    return period


@transaction.atomic
def period_open(*, contract: Contract, kind: str, day: dt.date, actor, compute: bool = True):
    """Open (once) the evaluation of a contract for the month or quarter containing `day`; returns (period, created).

    The contract version is the one in force on the period's first day; the scheme the latest version.
    """
    contract = (
        Contract.objects.select_for_update(of=("self",)).select_related("organisation", "vendor").get(pk=contract.pk)
    )
    if actor is not None and not permissions.is_client_operator(actor, contract.organisation_id):
        raise NotAllowed(_("Only the client's administrators and supervisors can do this."))
    first, last = period_bounds(kind, day)
    existing = (
        EvaluationPeriod.objects.filter(contract=contract, kind=kind, starts_on=first).order_by("-revision").first()
    )
    if existing is not None:
        return existing, False
    if contract.status == ContractStatus.DRAFT:
        raise ApplicationError(_("A draft contract is not evaluated."), code="contract_draft")
    version = contract_version_for_period(contract, first, last + dt.timedelta(days=1))
    if version is None:
        raise ApplicationError(
            _("The contract is not in force in the period %(start)s – %(end)s.")
            % {"start": first.isoformat(), "end": last.isoformat()},
            code="contract_not_in_force",
        )
    scheme = latest_scheme(contract)
    if scheme is None:
        raise ApplicationError(_("The contract has no indicator scheme yet: create one first."), code="no_scheme")
    zone = zone_of(contract.organisation)
    now = clock.now()
    try:
        with transaction.atomic():
            period = EvaluationPeriod.objects.create(
                organisation=contract.organisation,
                contract=contract,
                vendor=contract.vendor,
                contract_version=version,
                scheme=scheme,
                kind=kind,
                starts_on=first,
                ends_on=last,
                start_at=local_midnight(first, zone),
                end_at=local_midnight(last + dt.timedelta(days=1), zone),
                created_at=now,
                created_by=actor if getattr(actor, "pk", None) else None,
                updated_at=now,
            )
    except IntegrityError:
        return EvaluationPeriod.objects.get(contract=contract, kind=kind, starts_on=first, revision=1), False
    append_event(
        period,
        actor=actor,
        kind=PeriodEventKind.CREATED,
        to_status=period.status,
        data={"contract_version": version.number, "scheme": scheme.number},
    )
    audit_record(
        actor=actor,
        action="scorecards.evaluationperiod.created",
        obj=period,
        organisation=contract.organisation,
        after={
            "contract": contract.pk,
            "kind": kind,
            "starts_on": first,
            "ends_on": last,
            "contract_version": version.number,
            "scheme": scheme.number,
        },
    )
    if compute:
        _recompute(lock_period(period), actor)
    return EvaluationPeriod.objects.get(pk=period.pk), True


@transaction.atomic
def period_compute(*, period: EvaluationPeriod, actor, note: str = "") -> EvaluationPeriod:
    """Recompute a draft or published period from the current data (a draft also takes the newest scheme)."""
    locked = lock_period(period)
    require_operator(actor, locked)
    if locked.status not in EDITABLE_STATUSES:
        raise InvalidTransition(
            _("An evaluation that is “%(status)s” is not recomputed; a signed one is corrected by a revision.")
            % {"status": locked.get_status_display()}
        )
    data = {}
    if locked.status == PeriodStatus.DRAFT:
        scheme = latest_scheme(locked.contract)
        if scheme is not None and scheme.pk != locked.scheme_id:
            data["scheme_before"] = locked.scheme.number
            locked.scheme = scheme
    return _recompute(locked, actor, note=note, data=data)


# --------------------------------------------------------------------------------------------------
# transitions
# --------------------------------------------------------------------------------------------------


def _require_complete(period: EvaluationPeriod, actor=None) -> None:
    if period.total_score is None or period.problems:
        names = ", ".join(
            pick_name(p.get("name") or "", p.get("name_en") or "") or p.get("number") or p.get("code", "")
            for p in period.problems
        )
        raise ApplicationError(
            _("The evaluation is not complete: %(problems)s.") % {"problems": names or _("not computed yet")},
            code="incomplete",
        )


def period_has_ended(period: EvaluationPeriod, now: dt.datetime | None = None) -> bool:
    """Whether the period's last day is over in the organisation's time zone."""
    today = (now or clock.now()).astimezone(zone_of(period.organisation)).date()
    return today > period.ends_on


def _require_ended_or_early(early: bool):
    def guard(period: EvaluationPeriod, actor=None) -> None:
        if not early and not period_has_ended(period):
            raise ApplicationError(
                _(
                    "%(period)s runs until %(end)s: its figures can still change. Publish it only after it ends, "
                    "or confirm that you publish it early."
                )
                % {"period": period.label, "end": period.ends_on.isoformat()},
                code="period_not_ended",
                extra={"field": "early"},
            )

    return guard


@transaction.atomic
def period_publish(*, period: EvaluationPeriod, actor, early: bool = False) -> EvaluationPeriod:
    """Publish a complete draft to the vendor; the dispute window opens now.

    A period that has not ended yet is refused unless the operator confirms publishing early (`early`); an early
    publication is recorded as such in the audit trail and the period's history.
    """
    locked = lock_period(period)
    require_operator(actor, locked)
    ended = period_has_ended(locked)

    def apply(p: EvaluationPeriod, now: dt.datetime) -> list[str]:
        p.published_at = now
        p.dispute_deadline = dispute_deadline_for(p.scheme, now)
        return ["published_at", "dispute_deadline"]

    done = _move(
        locked,
        PeriodAction.PUBLISH,
        actor,
        guards=(_require_complete, _require_ended_or_early(early)),
        apply=apply,
        data=lambda p: {"dispute_deadline": p.dispute_deadline.isoformat(), "early": not ended},
    )
    if not done.changed:
        return locked
    _notify(
        vendor_managers(locked),
        period=locked,
        kind="published",
        subject=lambda: (
            _("Evaluation %(period)s published: %(score)s points")
            % {"period": str(locked), "score": locked.total_score}
        ),
        body=lambda: (
            # Rendered by notification_create in each manager's own zone.
            _("You may dispute it until %(deadline)s (%(zone)s).")
            % {"deadline": local_time_text(locked.dispute_deadline), "zone": timezone.get_current_timezone_name()}
        ),
    )
    publish(EVALUATION_PERIOD_PUBLISHED, period_id=locked.pk, actor_id=getattr(actor, "pk", None))
    return locked


@transaction.atomic
def period_sign_client(*, period: EvaluationPeriod, actor) -> EvaluationPeriod:
    """The client side signs first, once no dispute is open."""
    locked = lock_period(period)
    require_operator(actor, locked)

    def apply(p: EvaluationPeriod, now: dt.datetime) -> list[str]:
        p.client_signed_at = now
        p.client_signed_by = actor if getattr(actor, "pk", None) else None
        return ["client_signed_at", "client_signed_by"]

    if not _move(locked, PeriodAction.SIGN_CLIENT, actor, guards=(_require_complete,), apply=apply).changed:
        return locked
    _notify(
        vendor_managers(locked),
        period=locked,
        kind="signed_client",
        subject=lambda: _("Evaluation %(period)s signed by the client: please countersign") % {"period": str(locked)},
    )
    publish(EVALUATION_PERIOD_SIGNED, period_id=locked.pk, actor_id=getattr(actor, "pk", None), side="client")
    return locked


@transaction.atomic
def period_sign_vendor(*, period: EvaluationPeriod, actor) -> EvaluationPeriod:
    """The vendor manager countersigns after the client: the period is signed by both sides."""
    locked = lock_period(period)
    if not permissions.may_dispute(actor, locked):
        raise NotAllowed(_("Only the vendor's manager countersigns an evaluation."))

    def apply(p: EvaluationPeriod, now: dt.datetime) -> list[str]:
        p.vendor_signed_at = now
        p.vendor_signed_by = actor
        return ["vendor_signed_at", "vendor_signed_by"]

    _move(
        locked,
        PeriodAction.SIGN_VENDOR,
        actor,
        apply=apply,
        event=EVALUATION_PERIOD_SIGNED,
        payload={"period_id": locked.pk, "actor_id": getattr(actor, "pk", None), "side": "vendor"},
    )
    return locked


def period_sign(*, period: EvaluationPeriod, actor) -> EvaluationPeriod:
    """Sign for the actor's side: the client's operators sign first, the vendor's manager countersigns."""
    if permissions.may_dispute(actor, period):
        return period_sign_vendor(period=period, actor=actor)
    if permissions.may_operate(actor, period):
        return period_sign_client(period=period, actor=actor)
    raise NotAllowed(_("Your role cannot sign evaluations."))


@transaction.atomic
def period_lock(*, period: EvaluationPeriod, actor) -> EvaluationPeriod:
    """Lock a period signed by both sides: it never changes again (settlement builds on it)."""
    locked = lock_period(period)
    require_operator(actor, locked)

    def apply(p: EvaluationPeriod, now: dt.datetime) -> list[str]:
        p.locked_at = now
        p.locked_by = actor if getattr(actor, "pk", None) else None
        return ["locked_at", "locked_by"]

    _move(
        locked,
        PeriodAction.LOCK,
        actor,
        apply=apply,
        event=EVALUATION_PERIOD_LOCKED,
        payload={"period_id": locked.pk, "actor_id": getattr(actor, "pk", None)},
    )
    return locked


@transaction.atomic
def period_revise(*, period: EvaluationPeriod, actor, reason: str) -> EvaluationPeriod:
    """Correct a signed or locked period: a new linked revision (draft, newest scheme) with the reason recorded.

    The original never changes. Manual entries (by indicator code) and exclusions are carried over, and
    the revision is computed from the current data.
    """
    locked = lock_period(period)
    require_operator(actor, locked)
    if locked.status not in FROZEN_STATUSES:
        raise InvalidTransition(
            _("Only a signed or locked evaluation is corrected by a revision; this one can still be recomputed.")
        )
    existing = EvaluationPeriod.objects.filter(revision_of=locked).first()
    if existing is not None:
        raise InvalidTransition(
            _("This evaluation was already corrected by revision %(n)s: correct that one instead.")
            % {"n": existing.revision}
        )
    reason = clean_text(reason, label=_("The reason"))
    scheme = latest_scheme(locked.contract) or locked.scheme
    now = clock.now()
    revision = EvaluationPeriod.objects.create(
        organisation=locked.organisation,
        contract=locked.contract,
        vendor=locked.vendor,
        contract_version=locked.contract_version,
        scheme=scheme,
        kind=locked.kind,
        starts_on=locked.starts_on,
        ends_on=locked.ends_on,
        start_at=locked.start_at,
        end_at=locked.end_at,
        revision=locked.revision + 1,
        revision_of=locked,
        revision_reason=reason,
        created_at=now,
        created_by=actor if getattr(actor, "pk", None) else None,
        updated_at=now,
    )
    by_code = {i.code: i for i in scheme.indicators.all()}
    carried = 0
    for entry in latest_manual_entries(locked).values():
        target = by_code.get(entry.indicator.code)
        if target is None or not target.is_manual:
            continue
        ManualEntry.objects.create(
            period=revision,
            indicator=target,
            value=entry.value,
            note=entry.note,
            carried_from=entry,
            entered_by=entry.entered_by,
            entered_at=now,
        )
        carried += 1
    exclusions = list(Exclusion.objects.filter(period=locked))
    Exclusion.objects.bulk_create(
        Exclusion(
            period=revision,
            source=e.source,
            work_order_id=e.work_order_id,
            dispute=e.dispute,
            carried_from=e,
            created_at=now,
            created_by=e.created_by,
        )
        for e in exclusions
    )
    append_event(locked, actor=actor, kind=PeriodEventKind.REVISED, note=reason, data={"revision": revision.revision})
    append_event(
        revision,
        actor=actor,
        kind=PeriodEventKind.REVISION_OF,
        to_status=revision.status,
        note=reason,
        data={"revision_of": locked.pk, "manual_entries": carried, "exclusions": len(exclusions)},
    )
    audit_record(
        actor=actor,
        action="scorecards.evaluationperiod.revised",
        obj=revision,
        organisation=locked.organisation,
        before={"period": locked.pk, "revision": locked.revision, "score": locked.total_score},
        after={"period": revision.pk, "revision": revision.revision, "reason": reason},
    )
    _recompute(lock_period(revision), actor)
    return EvaluationPeriod.objects.get(pk=revision.pk)


def open_disputes(period: EvaluationPeriod) -> int:
    """How many disputes of the period are still open."""
    return period.disputes.filter(status=DisputeStatus.OPEN).count()


# --------------------------------------------------------------------------------------------------
# the periodic job
# --------------------------------------------------------------------------------------------------


def periods_compute_due(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Open the current and the previous period of every evaluated contract; compute ended drafts once after the end.

    Idempotent: a period that exists is not opened again, and a draft already computed after its end is
    not recomputed (recomputing it later is an explicit action).
    """
    counts = {"opened": 0, "computed": 0, "skipped": 0, "failed": 0}
    contract_ids = (
        IndicatorScheme.objects.exclude(contract__status=ContractStatus.DRAFT)
        .values_list("contract_id", flat=True)
        .distinct()
    )
    with clock.frozen_at(now) if now is not None else contextlib.nullcontext():
        for contract in Contract.objects.filter(pk__in=list(contract_ids)).select_related("organisation"):
            scheme = latest_scheme(contract)
            today = clock.now().astimezone(zone_of(contract.organisation)).date()
            current_first, _last = period_bounds(scheme.period_kind, today)
            previous_first, _ = period_bounds(scheme.period_kind, current_first - dt.timedelta(days=1))
            for first in (previous_first, current_first):
                try:
                    counts[_due_one(contract, scheme.period_kind, first)] += 1
                except ApplicationError as exc:
                    logger.info("evaluation of %s from %s not opened: %s", contract.number, first, exc.message)
                    counts["skipped"] += 1
                except Exception:  # one contract's broken data must not stop the others
                    logger.exception("evaluation of %s from %s failed", contract.number, first)
                    counts["failed"] += 1
    return counts


def _due_one(contract: Contract, kind: str, first: dt.date) -> str:
    last = period_bounds(kind, first)[1]
    if contract_version_for_period(contract, first, last + dt.timedelta(days=1)) is None:
        return "skipped"
    with transaction.atomic():
        period, created = period_open(contract=contract, kind=kind, day=first, actor=None)
        if created:
            return "opened"
        locked = lock_period(period)
        if locked.status == PeriodStatus.DRAFT and not locked.computed_after_end and clock.now() >= locked.end_at:
            _recompute(locked, None, note=str(_("Computed at the period end.")))
            return "computed"
    return "skipped"
