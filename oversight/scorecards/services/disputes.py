"""Manual entries by the client side and disputes (申诉) by the vendor manager, with their decisions.

Disputes
--------
Only the vendor's manager disputes, only while the period is published (or disputed, or signed by
the client only - the client's signature is then withdrawn) and before the dispute window closes.
A dispute names an indicator, and optionally one work order behind it:

* **work order**: accepting it excludes that work order from the indicator's source in this period
  (and so from every commitment measured by it; for CSAT/NPS its rating, for complaints its
  complaints) - recorded as an `Exclusion` - and recomputes the period;
* **manual indicator**: accepting it needs the corrected value, entered as a new manual entry;
* **computed indicator as a whole**: accepting it recomputes the indicator from the current data
  (e.g. after a work order's record was corrected).

Rejecting needs a reason and changes no figure. When the last open dispute is decided the period is
published again, ready for signatures.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record
from oversight.audit.transitions import transition
from oversight.core import clock
from oversight.core.errors import ApplicationError, InvalidTransition, NotAllowed
from oversight.feedback.models import Complaint, Rating
from oversight.scorecards import permissions, rules
from oversight.scorecards.choices import (
    DISPUTE_MACHINE,
    EDITABLE_STATUSES,
    PERIOD_MACHINE,
    RECORD_COMPLAINT,
    RECORD_RATING,
    RECORD_WORK_ORDER,
    DisputeAction,
    DisputeStatus,
    PeriodAction,
    PeriodEventKind,
    PeriodStatus,
    Unit,
)
from oversight.scorecards.models import Dispute, EvaluationPeriod, Exclusion, IndicatorResult, ManualEntry
from oversight.scorecards.services.common import (
    append_event,
    clean_text,
    evidence_summary,
    lock_period,
    require_operator,
    store_evidence,
)
from oversight.scorecards.services.periods import (
    _move,
    _notify,
    _recompute,
    client_operators,
    open_disputes,
)


def _indicator(period: EvaluationPeriod, code: str):
    indicator = period.scheme.indicators.filter(code=code).first()
    if indicator is None:
        raise ApplicationError(
            _("The evaluation has no indicator “%(code)s”.") % {"code": code},
            code="unknown_indicator",
            extra={"field": "indicator"},
        )
    return indicator


def _manual_value(indicator, raw) -> Decimal:
    """Parse and check a manual value: a number the indicator's rule can score (a whole count for events)."""
    try:
        value = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ApplicationError(_("Enter a number."), code="not_a_number", extra={"field": "value"}) from exc
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.0001")) or value >= 10**10:
        raise ApplicationError(
            _("Enter a number of at least 0 with at most four decimals."), code="value", extra={"field": "value"}
        )
    if indicator.unit == Unit.COUNT and value != value.to_integral_value():
        raise ApplicationError(_("Enter a whole number of events."), code="event_count", extra={"field": "value"})
    if indicator.unit == Unit.PERCENT and value > 100:
        raise ApplicationError(_("A percentage lies between 0 and 100."), code="percent", extra={"field": "value"})
    try:
        rules.rule_from_dict(indicator.rule).points(value)
    except rules.SchemeError as exc:
        raise ApplicationError(exc.message, code="value", extra={"field": "value"}) from exc
    return value


@transaction.atomic
def manual_entry_create(
    *, period: EvaluationPeriod, actor, indicator_code: str, value, note: str = "", files=()
) -> ManualEntry:
    """Enter the value (or event count) of a manual indicator with a note and evidence; the period is recomputed."""
    locked = lock_period(period)
    require_operator(actor, locked)
    if locked.status not in EDITABLE_STATUSES:
        raise InvalidTransition(
            _("Manual values are entered while the evaluation is a draft or published, not when it is “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    indicator = _indicator(locked, indicator_code)
    if not indicator.is_manual:
        raise ApplicationError(
            _("“%(name)s” is computed from the data; it takes no manual value.") % {"name": indicator.name},
            code="not_manual",
            extra={"field": "indicator"},
        )
    number = _manual_value(indicator, value)
    note = clean_text(note, label=_("The note"), required=False)
    entry = ManualEntry.objects.create(
        period=locked,
        indicator=indicator,
        value=number,
        note=note,
        entered_by=actor if getattr(actor, "pk", None) else None,
        entered_at=clock.now(),
    )
    stored = store_evidence(period=locked, uploads=files, actor=actor, manual_entry=entry)
    data = {"indicator": indicator.code, "value": str(number), "evidence": evidence_summary(stored)}
    append_event(locked, actor=actor, kind=PeriodEventKind.MANUAL_ENTRY, note=note, data=data)
    audit_record(
        actor=actor, action="scorecards.manualentry.created", obj=entry, organisation=locked.organisation, after=data
    )
    _recompute(locked, actor, data={"manual_entry": entry.pk})
    return entry


def _records_of(result: IndicatorResult) -> set[int]:
    ids = set(result.numerator_ids) | set(result.denominator_ids)
    for group in result.groups.values():
        ids.update(group)
    return ids


def _work_order_in(result: IndicatorResult, work_order) -> bool:
    """Whether the work order is behind the indicator's figure (itself, or its rating or complaints)."""
    records = _records_of(result)
    if result.record_type == RECORD_WORK_ORDER:
        return work_order.pk in records
    if result.record_type == RECORD_RATING:
        return Rating.objects.filter(pk__in=records, work_order=work_order).exists()
    if result.record_type == RECORD_COMPLAINT:
        return Complaint.objects.filter(pk__in=records, work_order=work_order).exists()
    return False


@transaction.atomic
def dispute_open(
    *, period: EvaluationPeriod, actor, indicator_code: str, reason: str, work_order=None, files=()
) -> Dispute:
    """The vendor manager disputes an indicator, or one work order's part in it, with a reason and evidence."""
    locked = lock_period(period)
    if not permissions.may_dispute(actor, locked):
        raise NotAllowed(_("Only the vendor's manager can dispute an evaluation."))
    PERIOD_MACHINE.require(locked, PeriodAction.DISPUTE)
    now = clock.now()
    if locked.dispute_deadline is None or now >= locked.dispute_deadline:
        raise ApplicationError(_("The dispute window of this evaluation has closed."), code="dispute_window_closed")
    indicator = _indicator(locked, indicator_code)
    reason = clean_text(reason, label=_("The reason"))
    if work_order is not None:
        if indicator.is_manual:
            raise ApplicationError(
                _("A manual indicator is disputed as a whole, not by work order."),
                code="manual_by_work_order",
                extra={"field": "work_order"},
            )
        result = IndicatorResult.objects.filter(period=locked, code=indicator.code).first()
        if work_order.vendor_id != locked.vendor_id or result is None or not _work_order_in(result, work_order):
            raise ApplicationError(
                _("Work order %(number)s is not behind this indicator's figure.") % {"number": work_order.number},
                code="work_order_not_counted",
                extra={"field": "work_order"},
            )
        if Exclusion.objects.filter(period=locked, source=indicator.source, work_order=work_order).exists():
            raise ApplicationError(
                _("Work order %(number)s is already excluded from this indicator.") % {"number": work_order.number},
                code="already_excluded",
                extra={"field": "work_order"},
            )
    duplicate = Dispute.objects.filter(
        period=locked, indicator=indicator, work_order=work_order, status=DisputeStatus.OPEN
    ).exists()
    if duplicate:
        raise ApplicationError(_("The same dispute is already open."), code="duplicate_dispute")
    dispute = Dispute.objects.create(
        period=locked,
        indicator=indicator,
        work_order=work_order,
        reason=reason,
        raised_by=actor,
        raised_at=now,
    )
    stored = store_evidence(period=locked, uploads=files, actor=actor, dispute=dispute)
    data = {
        "dispute": dispute.pk,
        "indicator": indicator.code,
        "work_order": work_order.number if work_order else None,
        "evidence": evidence_summary(stored),
    }
    append_event(locked, actor=actor, kind=PeriodEventKind.DISPUTE_OPENED, note=reason, data=data)
    audit_record(
        actor=actor,
        action="scorecards.dispute.opened",
        obj=dispute,
        organisation=locked.organisation,
        after={**data, "reason": reason},
    )
    if locked.status == PeriodStatus.SIGNED_CLIENT:
        append_event(
            locked,
            actor=actor,
            kind=PeriodEventKind.SIGNATURE_WITHDRAWN,
            data={"signed_by": locked.client_signed_by_id, "signed_at": locked.client_signed_at.isoformat()},
        )
        locked.client_signed_at = None
        locked.client_signed_by = None
        _move(locked, PeriodAction.DISPUTE, actor, apply=lambda p, now: ["client_signed_at", "client_signed_by"])
    elif locked.status != PeriodStatus.DISPUTED:
        _move(locked, PeriodAction.DISPUTE, actor)
    _notify(
        client_operators(locked),
        period=locked,
        kind="disputed",
        subject=lambda: (
            _("Evaluation %(period)s disputed: %(indicator)s") % {"period": str(locked), "indicator": indicator.name}
        ),
        body=reason,
    )
    return dispute


def _decide(dispute: Dispute, actor, reason: str, action: str, apply):
    """Decide a dispute through DISPUTE_MACHINE under the period's lock; None when it was a harmless repeat.

    `apply(period, dispute, reason, now)` makes the decision's own changes and returns what the period's
    timeline and the audit entry record of it."""
    locked = lock_period(dispute.period)
    require_operator(actor, locked)
    cleaned: dict = {}
    recorded: dict = {}

    def clean_reason(current: Dispute, actor) -> None:
        cleaned["reason"] = clean_text(reason, label=_("The reason for the decision"))

    def decide(current: Dispute, now) -> list[str]:
        recorded.update(apply(locked, current, cleaned["reason"], now))
        current.decided_by = actor if getattr(actor, "pk", None) else None
        current.decided_at = now
        current.decision_reason = cleaned["reason"]
        return ["decided_by", "decided_at", "decision_reason", "corrected_value", "score_before", "score_after"]

    done = transition(
        dispute,
        machine=DISPUTE_MACHINE,
        action=action,
        actor=actor,
        related=("indicator", "work_order"),
        guards=(clean_reason,),
        apply=decide,
        audit_after=lambda current: {"reason": cleaned["reason"], **recorded},
        audit_organisation=locked.organisation,
    )
    if not done.changed:
        return None  # a repeated click changes nothing
    kind = PeriodEventKind.DISPUTE_ACCEPTED if action == DisputeAction.ACCEPT else PeriodEventKind.DISPUTE_REJECTED
    append_event(locked, actor=actor, kind=kind, note=cleaned["reason"], data=recorded)
    _after_decision(locked, actor)
    return done.obj


def _after_decision(locked: EvaluationPeriod, actor) -> None:
    if open_disputes(locked) == 0 and locked.status == PeriodStatus.DISPUTED:
        _move(locked, PeriodAction.SETTLE_DISPUTES, actor)


@transaction.atomic
def dispute_accept(*, dispute: Dispute, actor, reason: str, corrected_value=None) -> Dispute:
    """Accept a dispute: exclude the work order or take the corrected manual value, then recompute (module doc)."""

    def apply(locked: EvaluationPeriod, current: Dispute, reason: str, now) -> dict:
        indicator = current.indicator
        effect: dict = {}
        if current.work_order_id is not None:
            Exclusion.objects.create(
                period=locked,
                source=indicator.source,
                work_order=current.work_order,
                dispute=current,
                created_at=now,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
            effect = {"excluded": current.work_order.number, "source": indicator.source}
        elif indicator.is_manual:
            if corrected_value in (None, ""):
                raise ApplicationError(
                    _("Enter the corrected value of “%(name)s”.") % {"name": indicator.name},
                    code="corrected_value_required",
                    extra={"field": "corrected_value"},
                )
            value = _manual_value(indicator, corrected_value)
            entry = ManualEntry.objects.create(
                period=locked,
                indicator=indicator,
                value=value,
                note=reason,
                dispute=current,
                entered_by=actor if getattr(actor, "pk", None) else None,
                entered_at=now,
            )
            current.corrected_value = value
            effect = {"manual_entry": entry.pk, "value": str(value)}
        current.score_before = locked.total_score
        _recompute(locked, actor, note=reason, data={"dispute": current.pk, **effect})
        current.score_after = locked.total_score
        return {
            "dispute": current.pk,
            "score_before": current.score_before,
            "score_after": current.score_after,
            **effect,
        }

    decided = _decide(dispute, actor, reason, DisputeAction.ACCEPT, apply)
    return Dispute.objects.get(pk=dispute.pk) if decided is None else decided


@transaction.atomic
def dispute_reject(*, dispute: Dispute, actor, reason: str) -> Dispute:
    """Reject a dispute with a reason; no figure changes."""

    def apply(locked: EvaluationPeriod, current: Dispute, reason: str, now) -> dict:
        current.score_before = current.score_after = locked.total_score
        return {"dispute": current.pk, "score": locked.total_score}

    decided = _decide(dispute, actor, reason, DisputeAction.REJECT, apply)
    return Dispute.objects.get(pk=dispute.pk) if decided is None else decided
