"""Writes of the vendor portfolio: tiers, monthly scores (computed and entered), service qualifications and the
organisation's portfolio settings.

Every service checks who may act (client administrators and supervisors of the vendor's organisation),
runs in one transaction and writes the audit trail.

Monthly score formulas (each figure 0–100, rounded half-up to 0.01)
-------------------------------------------------------------------
The month is the calendar month in the organisation's time zone, ``[first day 00:00, next first day)``.
For each of the vendor's contracts the version evaluated for the month is taken
(``contracts.selectors.contract_version_for_period``); the work orders within its scope are loaded with
``scorecards.facts_loader.load_facts`` (each work order counted once across contracts).

* **Response speed** = ``kpi.response_timeliness`` over those work orders: responses
  met ÷ responses due in the month × 100 (pending ones left out). None when nothing was due or the vendor
  has no contract for the month.
* **Cost**: fee = Σ ``contracts.selectors.base_fee_for(version, 1)`` (monthly fees; a quarterly fee is not
  split into months, so such a contract makes the cost not computable); resolved = work orders whose
  current resolution falls in the month; cost per work order = fee ÷ resolved (rounded to 0.01);
  score = min(100, 100 × target ÷ cost per work order), the target being the organisation's
  ``PortfolioSettings.target_cost_per_work_order``. None when no target is set, no fee is known or nothing
  was resolved.
* **Technical capability** is entered by the client (with a note).

A figure entered with :func:`monthly_score_enter` is marked ``entered`` and a recompute never changes it.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import audit_record
from oversight.catalog.models import Service
from oversight.contracts.models import Contract
from oversight.contracts.selectors import base_fee_for, contract_version_for_period
from oversight.core import clock
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.core.periods import calendar_period
from oversight.core.zones import zone_of
from oversight.kpi import response_timeliness
from oversight.kpi.facts import Period
from oversight.portfolio.choices import QualificationRole, ScoreDimension, ScoreSource
from oversight.portfolio.models import PortfolioSettings, ServiceQualification, VendorMonthlyScore, VendorTierChange
from oversight.portfolio.permissions import may_manage
from oversight.portfolio.selectors import settings_for
from oversight.scorecards.facts_loader import load_facts
from oversight.tenancy.choices import VendorTier
from oversight.tenancy.models import Vendor

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
# Bounds of the settings: a minimum above this is surely a typing error; the cost column holds 12 integer digits.
MAX_CRITICAL_VENDORS = 20
MAX_COST = Decimal("1000000000000")


def _require(actor, organisation_id) -> None:
    if not may_manage(actor, organisation_id):
        raise NotAllowed(_("Only client administrators and supervisors may change the vendor portfolio."))


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def month_bounds(organisation, month: dt.date) -> tuple[dt.date, dt.date, Period]:
    """First day, next month's first day, and the month as an aware ``Period`` in the organisation's zone."""
    if month.day != 1:
        raise ApplicationError(_("A month is given by its first day."), code="invalid_month")
    _first, end = calendar_period(month, 1)
    zone = zone_of(organisation)
    period = Period(
        start=dt.datetime.combine(month, dt.time(), tzinfo=zone), end=dt.datetime.combine(end, dt.time(), tzinfo=zone)
    )
    return month, end, period


@transaction.atomic
def vendor_set_tier(*, actor, vendor: Vendor, tier: str, reason: str) -> VendorTierChange:
    """Change a vendor's tier with a reason, keeping the change in the tier history."""
    _require(actor, vendor.organisation_id)
    if tier not in VendorTier.values:
        raise ApplicationError(_("Unknown tier."), code="invalid_tier")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Give the reason for the change of tier."), code="reason_required")
    vendor = Vendor.objects.select_for_update(of=("self",)).get(pk=vendor.pk)
    previous = vendor.tier
    vendor.tier = tier
    vendor.save(update_fields=["tier"])
    change = VendorTierChange.objects.create(
        vendor=vendor, previous_tier=previous, tier=tier, reason=reason, changed_by=actor, changed_at=clock.now()
    )
    audit_record(
        actor=actor,
        action="portfolio.vendor.tier_changed",
        obj=vendor,
        organisation=vendor.organisation,
        before={"tier": previous},
        after={"tier": tier, "reason": reason},
    )
    return change


def _computed_figures(vendor: Vendor, month: dt.date) -> dict:
    """The computed response and cost figures of a month with what they come from (module docstring)."""
    organisation = vendor.organisation
    start, end, period = month_bounds(organisation, month)
    facts = {}
    fee: Decimal | None = Decimal("0")
    versions = 0
    for contract in Contract.objects.filter(vendor=vendor, organisation=organisation):
        version = contract_version_for_period(contract, start, end)
        if version is None:
            continue
        versions += 1
        loaded = load_facts(
            organisation_id=organisation.pk,
            vendor_id=vendor.pk,
            version=version,
            period=period,
            evaluated_at=clock.now(),
        )
        for wo in loaded.work_orders:
            facts.setdefault(wo.id, wo)
        try:
            if fee is not None:
                fee += base_fee_for(version, 1)
        except ApplicationError:
            fee = None
    result = {"response": None, "responses_met": None, "responses_due": None}
    result.update({"cost": None, "fee": None, "resolved_count": None, "cost_per_work_order": None})
    if not versions:
        return result
    timeliness = response_timeliness(list(facts.values()), period)
    result["responses_met"] = int(timeliness.numerator)
    result["responses_due"] = int(timeliness.denominator or 0)
    if timeliness.value is not None:
        result["response"] = _q(timeliness.value)
    resolved = sum(1 for wo in facts.values() if not wo.cancelled and period.contains(wo.resolved_at))
    result["resolved_count"] = resolved
    result["fee"] = fee
    target = settings_for(organisation).target_cost_per_work_order
    if fee is not None and resolved:
        per = _q(fee / resolved)
        result["cost_per_work_order"] = per
        if target is not None:
            result["cost"] = HUNDRED if per <= target else _q(min(HUNDRED, HUNDRED * target / per))
    return result


def _snapshot(score: VendorMonthlyScore) -> dict:
    return {
        d: {
            "value": None if getattr(score, d) is None else str(getattr(score, d)),
            "source": getattr(score, f"{d}_source"),
        }
        for d in ScoreDimension.values
    }


@transaction.atomic
def monthly_score_compute(*, actor, vendor: Vendor, month: dt.date) -> VendorMonthlyScore:
    """Compute (or recompute) a vendor's monthly response and cost figures; entered figures are kept."""
    _require(actor, vendor.organisation_id)
    month_bounds(vendor.organisation, month)
    figures = _computed_figures(vendor, month)
    now = clock.now()
    score, _created = VendorMonthlyScore.objects.select_for_update(of=("self",)).get_or_create(
        vendor=vendor, month=month, defaults={"updated_at": now}
    )
    before = _snapshot(score)
    fields = ["responses_met", "responses_due", "fee", "resolved_count", "cost_per_work_order", "computed_at"]
    for name in fields[:-1]:
        setattr(score, name, figures[name])
    score.computed_at = now
    for dimension in (ScoreDimension.RESPONSE, ScoreDimension.COST):
        if getattr(score, f"{dimension}_source") == ScoreSource.COMPUTED:
            setattr(score, dimension, figures[dimension])
            fields.append(dimension)
    score.updated_at = now
    score.save(update_fields=[*fields, "updated_at"])
    audit_record(
        actor=actor,
        action="portfolio.monthly_score.computed",
        obj=score,
        organisation=vendor.organisation,
        before=before,
        after=_snapshot(score),
    )
    return score


@transaction.atomic
def monthly_score_enter(
    *, actor, vendor: Vendor, month: dt.date, dimension: str, value: Decimal, note: str
) -> VendorMonthlyScore:
    """Enter (or override) one figure of a vendor's month; it is marked entered and survives recomputes."""
    _require(actor, vendor.organisation_id)
    month_bounds(vendor.organisation, month)
    if dimension not in ScoreDimension.values:
        raise ApplicationError(_("Unknown score dimension."), code="invalid_dimension")
    value = Decimal(value)
    if not Decimal("0") <= value <= HUNDRED:
        raise ApplicationError(_("A score lies between 0 and 100."), code="invalid_score")
    note = (note or "").strip()
    if not note:
        raise ApplicationError(_("Give a note explaining the entered figure."), code="note_required")
    now = clock.now()
    score, _created = VendorMonthlyScore.objects.select_for_update(of=("self",)).get_or_create(
        vendor=vendor, month=month, defaults={"updated_at": now}
    )
    before = _snapshot(score)
    setattr(score, dimension, _q(value))
    setattr(score, f"{dimension}_source", ScoreSource.ENTERED)
    setattr(score, f"{dimension}_note", note)
    score.updated_at = now
    score.save(update_fields=[dimension, f"{dimension}_source", f"{dimension}_note", "updated_at"])
    audit_record(
        actor=actor,
        action="portfolio.monthly_score.entered",
        obj=score,
        organisation=vendor.organisation,
        before=before,
        after={**_snapshot(score), "note": note},
    )
    return score


def _qualification_snapshot(qualification: ServiceQualification) -> dict:
    return {
        "service": qualification.service_id,
        "vendor": qualification.vendor_id,
        "role": qualification.role,
        "valid_from": qualification.valid_from.isoformat(),
        "valid_to": qualification.valid_to.isoformat() if qualification.valid_to else None,
    }


def qualification_check(
    *, service, vendor: Vendor, valid_from: dt.date, valid_to: dt.date | None = None, role: str | None = None
) -> str:
    """The rules of a new qualification (ApplicationError naming the field when one is broken); returns its role.

    The vendor must be an active vendor of the service's organisation; the validity may not end before it
    starts; the owning vendor is the primary, any other a backup (``role`` may be left out); the same vendor
    cannot be qualified twice for the same service over overlapping dates.
    """
    if vendor.organisation_id != service.organisation_id:
        raise ApplicationError(
            _("The vendor belongs to another organisation."), code="foreign_vendor", extra={"field": "vendor"}
        )
    if not vendor.is_active:
        raise ApplicationError(_("The vendor is inactive."), code="inactive_vendor", extra={"field": "vendor"})
    if valid_to is not None and valid_to < valid_from:
        raise ApplicationError(
            _("The validity ends before it starts."), code="invalid_dates", extra={"field": "valid_to"}
        )
    expected = QualificationRole.PRIMARY if vendor.pk == service.vendor_id else QualificationRole.BACKUP
    role = role or expected
    if role not in QualificationRole.values:
        raise ApplicationError(_("Unknown role."), code="invalid_role", extra={"field": "role"})
    if role != expected:
        raise ApplicationError(
            _("Only the vendor that owns the service is its primary vendor; any other vendor is a backup."),
            code="role_mismatch",
            extra={"field": "role"},
        )
    overlapping = ServiceQualification.objects.filter(service=service, vendor=vendor).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
    )
    if valid_to is not None:
        overlapping = overlapping.filter(valid_from__lte=valid_to)
    if overlapping.exists():
        raise ApplicationError(
            _("The vendor is already qualified for this service for some of these dates."),
            code="duplicate_qualification",
            extra={"field": "vendor"},
        )
    return role


@transaction.atomic
def qualification_add(
    *,
    actor,
    service,
    vendor: Vendor,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    role: str | None = None,
) -> ServiceQualification:
    """Qualify a vendor for a service within validity dates (rules: ``qualification_check``)."""
    _require(actor, service.organisation_id)
    # Serialise additions per service, so two requests cannot both pass the overlap check.
    Service.objects.select_for_update(of=("self",)).filter(pk=service.pk).first()
    role = qualification_check(service=service, vendor=vendor, valid_from=valid_from, valid_to=valid_to, role=role)
    qualification = ServiceQualification.objects.create(
        service=service, vendor=vendor, role=role, valid_from=valid_from, valid_to=valid_to
    )
    audit_record(
        actor=actor,
        action="portfolio.qualification.created",
        obj=qualification,
        organisation=service.organisation,
        after=_qualification_snapshot(qualification),
    )
    return qualification


@transaction.atomic
def qualification_remove(*, actor, qualification: ServiceQualification) -> None:
    """Remove a vendor's qualification for a service (the audit trail keeps what it was)."""
    service = qualification.service
    _require(actor, service.organisation_id)
    locked = ServiceQualification.objects.select_for_update(of=("self",)).filter(pk=qualification.pk).first()
    if locked is None:
        raise ApplicationError(_("The qualification no longer exists."), code="not_found")
    before = _qualification_snapshot(locked)
    pk = locked.pk
    locked.delete()
    audit_record(
        actor=actor,
        action="portfolio.qualification.removed",
        obj=locked,
        object_id=pk,
        organisation=service.organisation,
        before=before,
    )


def _settings_snapshot(found: PortfolioSettings) -> dict:
    target = found.target_cost_per_work_order
    return {"min_critical_vendors": found.min_critical_vendors, "target_cost_per_work_order": _text(target)}


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def portfolio_settings_check(*, min_critical_vendors, target_cost_per_work_order) -> Decimal | None:
    """The rules of the settings (ApplicationError naming the field); returns the target rounded to cents.

    The minimum is a whole number from 1 to 20 (the primary vendor counts); the target cost, when given, a
    positive amount.
    """
    if isinstance(min_critical_vendors, bool) or not isinstance(min_critical_vendors, int):
        raise ApplicationError(
            _("Give the minimum as a whole number."), code="invalid_minimum", extra={"field": "min_critical_vendors"}
        )
    if not 1 <= min_critical_vendors <= MAX_CRITICAL_VENDORS:
        raise ApplicationError(
            _("The minimum of qualified vendors lies between 1 and %(max)s.") % {"max": MAX_CRITICAL_VENDORS},
            code="invalid_minimum",
            extra={"field": "min_critical_vendors"},
        )
    if target_cost_per_work_order is None:
        return None
    target = Decimal(target_cost_per_work_order)
    if not target.is_finite() or target <= 0 or target >= MAX_COST:
        raise ApplicationError(
            _("The target cost must be a positive amount."),
            code="invalid_target_cost",
            extra={"field": "target_cost_per_work_order"},
        )
    return _q(target)


@transaction.atomic
def portfolio_settings_update(
    *, actor, organisation, min_critical_vendors: int, target_cost_per_work_order: Decimal | None
) -> PortfolioSettings:
    """Set the organisation's minimum of qualified vendors per critical service and its target cost."""
    _require(actor, organisation.pk)
    target = portfolio_settings_check(
        min_critical_vendors=min_critical_vendors, target_cost_per_work_order=target_cost_per_work_order
    )
    found, created = PortfolioSettings.objects.select_for_update(of=("self",)).get_or_create(
        organisation=organisation,
        defaults={"min_critical_vendors": min_critical_vendors, "target_cost_per_work_order": target},
    )
    before = None if created else _settings_snapshot(found)
    found.min_critical_vendors = min_critical_vendors
    found.target_cost_per_work_order = target
    found.save(update_fields=["min_critical_vendors", "target_cost_per_work_order"])
    audit_record(
        actor=actor,
        action="portfolio.settings.updated",
        obj=found,
        organisation=organisation,
        before=before,
        after=_settings_snapshot(found),
    )
    return found
