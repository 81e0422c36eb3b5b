"""Writes to the improvement register: raise an item (by hand or from a source), edit it, move it along its states,
measure its effect at review, and record the benefit it realised. Every change goes through here, audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record, diff_snapshots, model_snapshot
from oversight.audit.transitions import transition
from oversight.core import clock
from oversight.core.concurrency import check_version, lock_row, touch
from oversight.core.errors import ApplicationError
from oversight.core.events import publish
from oversight.core.numbering import next_in_year
from oversight.core.timeline import timeline_append
from oversight.core.zones import local_date, local_today
from oversight.improvement import effect, measurement, notices, permissions, sources
from oversight.improvement.choices import (
    ACTIONS_NEEDING_NOTE,
    ITEM_MACHINE,
    ActivityKind,
    ItemAction,
    ItemStatus,
    Priority,
    Size,
    SourceKind,
)
from oversight.improvement.events import EFFECT_MEASURED, ITEM_CREATED, ITEM_TRANSITIONED
from oversight.improvement.models import EffectMeasurement, ImprovementActivity, ImprovementCounter, ImprovementItem
from oversight.tenancy.roles import is_vendor

#: The default length of each window of an effect measurement, in days (shorter when less time has passed).
DEFAULT_WINDOW_DAYS = 30
EDITABLE_FIELDS = (
    "title",
    "title_en",
    "description",
    "justification",
    "size",
    "priority",
    "owner",
    "approver",
    "target_date",
    "vendor",
    "contract",
    "service",
    "indicator",
    "baseline",
    "target",
)
#: What the owner (without being a client operator) may change: the content, not who decides or what is measured.
OWNER_FIELDS = frozenset({"title", "title_en", "description", "justification", "target_date"})
#: Fields that no longer change once the item is approved (what was approved is what is measured).
FROZEN_AFTER_APPROVAL = frozenset({"vendor", "contract", "indicator", "baseline", "target", "approver"})
APPROVED_OR_LATER = frozenset(
    {ItemStatus.APPROVED, ItemStatus.IMPLEMENTING, ItemStatus.ON_HOLD, ItemStatus.REVIEW, ItemStatus.CLOSED}
)


def _actor_id(actor) -> int | None:
    return getattr(actor, "pk", None)


def _step(item, *, actor, kind: str, at: dt.datetime, data: dict | None = None, body: str = ""):
    """Append the next step to the item's timeline (the caller holds the item's row lock)."""
    return timeline_append(ImprovementActivity, item, actor=actor, kind=kind, at=at, data=data or {}, body=body)


def _next_number(organisation, now: dt.datetime) -> str:
    last = next_in_year(ImprovementCounter, organisation=organisation, year=now.year)
    return f"IMP-{organisation.work_order_prefix}{now.year}{last:04d}"


def _decimal(value, *, what) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ApplicationError(_("The %(field)s must be a number.") % {"field": what}) from exc
    if not number.is_finite():
        raise ApplicationError(_("The %(field)s must be a number.") % {"field": what})
    return number


def _check(item: ImprovementItem) -> None:
    """The register's rules on an item's fields (after they were set)."""
    if not (item.title or "").strip() or not (item.description or "").strip():
        raise ApplicationError(_("Give the improvement a title and a description."))
    if item.size not in Size.values or item.priority not in Priority.values:
        raise ApplicationError(_("Choose a size and a priority."))
    org_id = item.organisation_id
    for obj in (item.vendor, item.contract, item.service):
        if obj is not None and obj.organisation_id != org_id:
            raise ApplicationError(_("Choose a vendor, contract and service of your own organisation."))
    if item.contract is not None and item.contract.vendor_id != item.vendor_id:
        raise ApplicationError(_("The contract must be one of the chosen vendor's contracts."))
    if item.service is not None and item.service.vendor_id != item.vendor_id:
        raise ApplicationError(_("The service must be one the chosen vendor runs."))
    if item.owner_id is None or not permissions.may_own(item.owner, org_id, item.vendor_id):
        raise ApplicationError(
            _("The owner must be a client administrator or supervisor, or staff of the improvement's vendor.")
        )
    if item.approver_id is not None and not permissions.may_be_approver(item.approver, org_id):
        raise ApplicationError(_("The approver must be a client administrator or supervisor of your organisation."))
    if item.indicator:
        if measurement.computed_source(item.indicator) is None:
            raise ApplicationError(_("Choose an indicator that Oversight computes."))
        if item.vendor_id is None:
            raise ApplicationError(_("An indicator is measured for one vendor: choose the vendor."))
    elif item.baseline is not None or item.target is not None:
        raise ApplicationError(_("A baseline and a target need the indicator they are measured on."))


def _link_source(item: ImprovementItem, *, actor, kind: str, pk) -> None:
    """Check the source the author names and take the vendor from it when the item names none."""
    linked = sources.require(user=actor, kind=kind, pk=pk, organisation_id=item.organisation_id)
    item.source_kind = kind
    item.source_id = linked.pk if linked is not None else None
    if linked is None or linked.vendor_id is None:
        return
    if item.vendor_id is None:
        item.vendor_id = linked.vendor_id
    elif item.vendor_id != linked.vendor_id:
        raise ApplicationError(_("The source belongs to another vendor than the improvement."))


@transaction.atomic
def item_create(
    *,
    actor,
    title: str,
    description: str,
    owner,
    approver=None,
    source_kind: str = SourceKind.MANUAL,
    source_id: int | None = None,
    source_note: str = "",
    title_en: str = "",
    justification: str = "",
    size: str = Size.M,
    priority: str = Priority.MEDIUM,
    target_date: dt.date | None = None,
    vendor=None,
    contract=None,
    service=None,
    indicator: str = "",
    baseline=None,
    target=None,
) -> ImprovementItem:
    """Raise an improvement (new), by hand or from a source the author may see. Vendor managers raise for their own
    vendor and name no approver (vendor staff see no list of the client's people): the client names one later, and
    meanwhile any client operator decides."""
    permissions.require(permissions.may_create(actor))
    organisation = actor.organisation
    if is_vendor(actor):
        if vendor is not None and vendor.pk != actor.vendor_id:
            raise ApplicationError(_("Vendor staff raise improvements for their own vendor only."))
        vendor, approver = actor.vendor, None
    now = clock.now()
    item = ImprovementItem(
        organisation=organisation,
        title=(title or "").strip(),
        title_en=(title_en or "").strip(),
        description=(description or "").strip(),
        justification=(justification or "").strip(),
        size=size or Size.M,
        priority=priority or Priority.MEDIUM,
        owner=owner,
        approver=approver,
        target_date=target_date,
        vendor=vendor,
        contract=contract,
        service=service,
        indicator=(indicator or "").strip(),
        baseline=_decimal(baseline, what=_("baseline")),
        target=_decimal(target, what=_("target")),
        source_note=(source_note or "").strip()[:300],
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    _link_source(item, actor=actor, kind=source_kind or SourceKind.MANUAL, pk=source_id)
    _check(item)
    item.number = _next_number(organisation, now)
    item.save()
    _step(item, actor=actor, kind=ActivityKind.CREATED, at=now, data={"source": item.source_kind})
    audit_record(actor=actor, action="improvement.improvementitem.created", obj=item, after=model_snapshot(item))
    publish(ITEM_CREATED, item_id=item.pk, source_kind=str(item.source_kind), actor_id=_actor_id(actor))
    return item


@transaction.atomic
def item_update(*, actor, item: ImprovementItem, expected_version: int | None = None, **changes) -> ImprovementItem:
    """Change an item's details (the owner its content; the client's operators everything until approval)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ApplicationError(
            _("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    locked = lock_row(item)
    permissions.require(permissions.may_edit(actor, locked))
    check_version(locked, expected_version, ITEM_MACHINE.stale)
    if not locked.is_open:
        raise ApplicationError(_("A closed or rejected improvement is not changed."))
    before = model_snapshot(locked)
    for name, value in changes.items():
        if name in ("baseline", "target"):
            value = _decimal(value, what=name)
        elif isinstance(value, str):
            value = value.strip()
        elif value is None and name in ("title_en", "justification", "indicator"):
            value = ""
        setattr(locked, name, value)
    old, new = diff_snapshots(before, model_snapshot(locked))
    if not new:
        return locked
    if not permissions.may_manage(actor, locked) and set(new) - OWNER_FIELDS:
        raise ApplicationError(_("As the owner you may change the text and the target date only."))
    if locked.status in APPROVED_OR_LATER and set(new) & FROZEN_AFTER_APPROVAL:
        raise ApplicationError(_("What was approved (scope, indicator, baseline, target, approver) no longer changes."))
    _check(locked)
    now = clock.now()
    touch(locked, now, list(new))
    _step(locked, actor=actor, kind=ActivityKind.EDITED, at=now, data={"fields": sorted(new)})
    audit_record(actor=actor, action="improvement.improvementitem.updated", obj=locked, before=old, after=new)
    if "approver" in new:
        notices.approval_requested(item=locked, actor=actor)  # a newly named approver of an assessed item
    return locked


def _guard(action: str, note: str, implemented_on: dt.date | None):
    def check(locked, actor):
        if action in ACTIONS_NEEDING_NOTE and not note:
            raise ApplicationError(_("Give a reason."))
        if action == ItemAction.COMPLETE and implemented_on is not None:
            if implemented_on > local_today(locked.organisation):
                raise ApplicationError(_("The implementation date cannot be in the future."))
            if implemented_on < local_date(locked.created_at, locked.organisation):
                raise ApplicationError(_("The implementation date cannot be before the improvement was raised."))
        if action == ItemAction.CLOSE and locked.indicator and not locked.measurements.exists():
            raise ApplicationError(_("Measure the effect before closing the improvement."))

    return check


@transaction.atomic
def item_transition(
    *,
    actor,
    item: ImprovementItem,
    action: str,
    expected_version: int | None = None,
    note: str = "",
    implemented_on: dt.date | None = None,
    at: dt.datetime | None = None,
) -> ImprovementItem:
    """Move an item along its state machine (choices.ITEM_MACHINE). Approval and rejection are the approver's;
    "implementation done" records the implementation date (today unless given), from which the effect is measured;
    closing an item with an indicator needs a measurement."""
    note = (note or "").strip()

    def authorize(locked):
        permissions.require(permissions.may_act(actor, locked, action))

    def apply(locked, now):
        if action == ItemAction.COMPLETE:
            locked.implemented_on = implemented_on or local_today(locked.organisation)
            return ["implemented_on"]
        if action in (ItemAction.CLOSE, ItemAction.REJECT):
            locked.closed_at = now
            return ["closed_at"]
        return []

    done = transition(
        item,
        machine=ITEM_MACHINE,
        action=action,
        actor=actor,
        expected_version=expected_version,
        related=("organisation",),
        authorize=authorize,
        guards=(_guard(action, note, implemented_on),),
        apply=apply,
        at=at,
        timeline={"body": note},
        audit_after=lambda locked: {
            **({"note": note} if note else {}),
            **({"implemented_on": locked.implemented_on} if action == ItemAction.COMPLETE else {}),
        },
        announce=lambda outcome: [
            (
                ITEM_TRANSITIONED,
                {
                    "item_id": outcome.obj.pk,
                    "actor_id": _actor_id(actor),
                    "action": str(action),
                    "from_status": str(outcome.from_status),
                    "to_status": str(outcome.to_status),
                },
            )
        ],
    )
    if done.changed:
        notices.approval_requested(item=done.obj, actor=actor)
        notices.decision_told(item=done.obj, action=action, actor=actor, note=note)
    return done.obj


@transaction.atomic
def effect_measure(
    *, actor, item: ImprovementItem, days: int | None = None, at: dt.datetime | None = None
) -> EffectMeasurement:
    """Measure an item's effect at review: its indicator over the same number of days before and after the
    implementation date, on its scope, stored as an immutable record (`improvement.effect` has the rules).
    ``days`` defaults to 30, or fewer when less time has passed since the implementation."""
    locked = lock_row(item, "organisation", "contract", "vendor")
    permissions.require(permissions.may_measure(actor, locked))
    if locked.status != ItemStatus.REVIEW:
        raise ApplicationError(_("The effect is measured while the improvement is in review."))
    source = measurement.computed_source(locked.indicator)
    if source is None or locked.vendor_id is None or locked.implemented_on is None:
        raise ApplicationError(_("This improvement names no indicator to measure."))
    now = at or clock.now()
    today = local_date(now, locked.organisation)
    longest = effect.longest_days(locked.implemented_on, today)
    if days in (None, ""):
        days = min(DEFAULT_WINDOW_DAYS, longest)
    try:
        days = int(days)
        windows = effect.windows(locked.implemented_on, days, today)
    except (TypeError, ValueError) as exc:
        raise ApplicationError(
            _("Measure over 1 to %(days)s days: the days after the implementation must have passed.")
            % {"days": longest}
        ) from exc
    kwargs = {"source": source, "organisation": locked.organisation, "vendor_id": locked.vendor_id}
    before = measurement.measure_window(
        **kwargs, contract=locked.contract, first=windows.before_first, last=windows.before_last
    )
    after = measurement.measure_window(
        **kwargs, contract=locked.contract, first=windows.after_first, last=windows.after_last
    )
    result = effect.assess(before.value, after.value, target=locked.target, higher_is_better=source.higher_is_better)
    record = EffectMeasurement.objects.create(
        item=locked,
        indicator=source.code,
        higher_is_better=source.higher_is_better,
        unit=source.unit,
        vendor_id=locked.vendor_id,
        contract_version_id=after.version_id,
        implemented_on=locked.implemented_on,
        days=windows.days,
        before_first=windows.before_first,
        before_last=windows.before_last,
        after_first=windows.after_first,
        after_last=windows.after_last,
        before_value=result.before,
        after_value=result.after,
        change=result.change,
        relative_change=result.relative_change,
        target=locked.target,
        target_met=result.target_met,
        improved=result.improved,
        detail={
            "before": {"numerator": before.numerator, "denominator": before.denominator, "version": before.version_id},
            "after": {"numerator": after.numerator, "denominator": after.denominator, "version": after.version_id},
        },
        measured_by=actor if _actor_id(actor) else None,
        measured_at=now,
    )
    summary = {
        "measurement": record.pk,
        "indicator": source.code,
        "days": windows.days,
        "before": record.before_value,
        "after": record.after_value,
        "target_met": record.target_met,
    }
    _step(locked, actor=actor, kind=ActivityKind.MEASURED, at=now, data={k: _plain(v) for k, v in summary.items()})
    audit_record(actor=actor, action="improvement.improvementitem.measured", obj=locked, after=summary)
    publish(
        EFFECT_MEASURED,
        item_id=locked.pk,
        measurement_id=record.pk,
        target_met=record.target_met,
        actor_id=_actor_id(actor),
    )
    return record


def _plain(value):
    return str(value) if isinstance(value, Decimal) else value


@transaction.atomic
def benefit_record(
    *, actor, item: ImprovementItem, benefits: str, benefit_amount=None, expected_version: int | None = None
) -> ImprovementItem:
    """Record the benefit an item realised (text and an optional amount), in review or once closed."""
    locked = lock_row(item)
    permissions.require(permissions.may_edit(actor, locked))
    check_version(locked, expected_version, ITEM_MACHINE.stale)
    if locked.status not in (ItemStatus.REVIEW, ItemStatus.CLOSED):
        raise ApplicationError(_("The benefit is recorded at review."))
    benefits = (benefits or "").strip()
    amount = _decimal(benefit_amount, what=_("benefit amount"))
    if amount is not None:
        if amount < 0:
            raise ApplicationError(_("A benefit amount cannot be negative."))
        amount = amount.quantize(Decimal("0.01"))
    if not benefits:
        raise ApplicationError(_("Describe the benefit realised."))
    old = {"benefits": locked.benefits, "benefit_amount": locked.benefit_amount}
    if old == {"benefits": benefits, "benefit_amount": amount}:
        return locked
    locked.benefits, locked.benefit_amount = benefits, amount
    now = clock.now()
    touch(locked, now, ["benefits", "benefit_amount"])
    _step(locked, actor=actor, kind=ActivityKind.BENEFIT, at=now, data={"amount": _plain(amount)}, body=benefits)
    audit_record(
        actor=actor,
        action="improvement.improvementitem.benefit",
        obj=locked,
        before=old,
        after={"benefits": benefits, "benefit_amount": amount},
    )
    return locked
