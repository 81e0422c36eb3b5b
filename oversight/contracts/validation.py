"""The terms of a contract version as plain input (:class:`Terms`) and the checks every version must pass.

Services validate with :func:`validate_terms` before they store anything; each refusal is an
`ApplicationError` with a translated message, a stable `code` and, where it helps a form point at the
input, `extra={"field": ..., "row": ...}` (rows counted from 1).

Rules worth knowing
-------------------
* Money has at most 2 decimals and is never negative; percentages lie within 0-100 with at most 2
  decimals. Nothing is rounded silently: too many decimals is an error.
* **Score bands** run from the top down and are contiguous: each band's lower edge is the next band's
  upper edge; only the last band may leave its lower edge empty (down to 0). Edges lie within
  0-100. They must convert into `oversight.fees.calc.BandTable` (checked by building one).
* **Allocations** of the at-risk pool are each 0-100 %, and together **may exceed 100 %**: the period's
  credits are capped at the at-risk amount (see docs/formulas.md, "Settlement"), so a contract can
  allocate, say, 40 % to each of three commitments and still never lose more than the pool.
* **Commitments** measure one indicator (or an SLA metric, whose timeliness indicator is implied);
  targets are in the indicator's unit; the graduated credit steps follow `contracts.terms.rule_problems`.
  A linked SLA policy version must belong to the policy of a service in scope (or of one of its offerings).
* **Scope**: services must belong to the contract's vendor; sites to the contract's organisation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from oversight.catalog.choices import SLAMetric
from oversight.contracts.choices import METRIC_INDICATOR, AmountBasis, FeePeriod, UnitRateKind
from oversight.contracts.terms import CommitmentRule, ShareStep, rule_problems
from oversight.core.errors import ApplicationError
from oversight.core.kpis import COMMITMENT, registry
from oversight.fees.calc import BandTable, ScoreBand, SettlementError
from oversight.tenancy.choices import StaffPosition

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
MAX_NOTICE_DAYS = 3650

# The range a commitment target may take, by the indicator's unit.
UNIT_RANGES: dict[str, tuple[Decimal | None, Decimal | None]] = {
    "percent": (_ZERO, _HUNDRED),
    "seconds": (_ZERO, None),
    "count": (_ZERO, None),
    "stars": (Decimal(1), Decimal(5)),
    "nps": (Decimal(-100), _HUNDRED),
}


@dataclass(frozen=True)
class BandInput:
    """A score band as entered (see `models.ContractScoreBand`)."""

    upper: Decimal
    lower: Decimal | None = None
    per_point: Decimal = _ZERO
    per_point_basis: str = AmountBasis.PERCENT
    step: Decimal = _ZERO
    step_basis: str = AmountBasis.PERCENT


@dataclass(frozen=True)
class ShareStepInput:
    """A graduated credit step as entered: beyond `threshold`, forfeit `share_percent`."""

    threshold: Decimal
    share_percent: Decimal


@dataclass(frozen=True)
class CommitmentInput:
    """An SLA commitment as entered (see `models.ContractCommitment`); `indicator` may be left to the metric."""

    code: str
    name: str
    target: Decimal
    allocation_percent: Decimal
    indicator: str = ""
    sla_metric: str = ""
    name_en: str = ""
    miss_share_percent: Decimal = _HUNDRED
    share_steps: tuple[ShareStepInput, ...] = ()
    sla_policy_versions: tuple = ()


@dataclass(frozen=True)
class UnitRateInput:
    """A unit rate per work-order type as entered."""

    kind: str
    rate: Decimal
    included_quantity: int = 0


@dataclass(frozen=True)
class StaffingInput:
    """Contracted staffing: a position and how many people."""

    position: str
    count: int


@dataclass(frozen=True)
class Terms:
    """Everything a contract version holds (what `contract_create` takes and `contract_amend` changes)."""

    term_start: dt.date
    term_end: dt.date
    fixed_fee: Decimal
    fee_period: str = FeePeriod.MONTHLY
    at_risk_percent: Decimal = _ZERO
    max_deduction: Decimal | None = None
    max_deduction_basis: str = AmountBasis.PERCENT
    renewal_notice_days: int = 90
    services: tuple = ()
    sites: tuple = ()
    bands: tuple[BandInput, ...] = ()
    commitments: tuple[CommitmentInput, ...] = ()
    unit_rates: tuple[UnitRateInput, ...] = ()
    staffing: tuple[StaffingInput, ...] = field(default=())


TERM_FIELDS = frozenset(f.name for f in fields(Terms))


def _error(message, code: str, **extra: Any) -> ApplicationError:
    return ApplicationError(message, code=code, extra=extra)


def to_decimal(
    value: Any, *, label, places: int, field_name: str, row: int | None = None, max_abs: Decimal = Decimal("1e10")
) -> Decimal:
    """A finite Decimal with at most `places` decimals from a Decimal, int or numeric string (floats refused)."""
    extra = {"field": field_name} | ({"row": row} if row is not None else {})
    if isinstance(value, bool) or isinstance(value, float) or value is None:
        raise _error(_("%(label)s must be a number.") % {"label": label}, "not_a_number", **extra)
    try:
        dec = Decimal(str(value).strip()) if isinstance(value, str) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise _error(_("%(label)s must be a number.") % {"label": label}, "not_a_number", **extra) from exc
    if not dec.is_finite():
        raise _error(_("%(label)s must be a number.") % {"label": label}, "not_a_number", **extra)
    if abs(dec) >= max_abs:
        raise _error(_("%(label)s is too large.") % {"label": label}, "too_large", **extra)
    quantum = Decimal(1).scaleb(-places)
    exponent = dec.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -places:
        if dec != dec.quantize(quantum):
            raise _error(
                _("%(label)s may have at most %(places)s decimals.") % {"label": label, "places": places},
                "too_many_decimals",
                **extra,
            )
        dec = dec.quantize(quantum)
    return dec + 0  # turns -0 into 0


def _percent(value, *, label, field_name, row=None) -> Decimal:
    dec = to_decimal(value, label=label, places=2, field_name=field_name, row=row)
    if not _ZERO <= dec <= _HUNDRED:
        extra = {"field": field_name} | ({"row": row} if row is not None else {})
        raise _error(_("%(label)s must lie between 0 and 100 %%.") % {"label": label}, "percent_range", **extra)
    return dec


def _money(value, *, label, field_name, row=None) -> Decimal:
    dec = to_decimal(value, label=label, places=2, field_name=field_name, row=row, max_abs=Decimal("1e12"))
    if dec < 0:
        extra = {"field": field_name} | ({"row": row} if row is not None else {})
        raise _error(_("%(label)s cannot be negative.") % {"label": label}, "negative", **extra)
    return dec


def _basis(value, *, field_name, row=None) -> str:
    if value not in AmountBasis.values:
        extra = {"field": field_name} | ({"row": row} if row is not None else {})
        raise _error(_("Choose a percentage of the base fee or an amount of money."), "basis", **extra)
    return str(value)


def _amount_in_basis(value, basis: str, *, label, field_name, row=None, places: int = 4) -> Decimal:
    """A band amount: a percentage (0-100) or money (whole cents), never negative."""
    if basis == AmountBasis.PERCENT:
        dec = to_decimal(value, label=label, places=places, field_name=field_name, row=row)
        if not _ZERO <= dec <= _HUNDRED:
            extra = {"field": field_name} | ({"row": row} if row is not None else {})
            raise _error(_("%(label)s must lie between 0 and 100 %%.") % {"label": label}, "percent_range", **extra)
        return dec
    return _money(value, label=label, field_name=field_name, row=row)


def validate_bands(bands, max_deduction, max_deduction_basis) -> tuple[list[BandInput], Decimal | None, str]:
    """Check the band table (top down, contiguous, edges 0-100) and the maximum deduction; return them normalised."""
    basis = _basis(max_deduction_basis, field_name="max_deduction_basis")
    cap = None
    if max_deduction is not None and max_deduction != "":
        cap = _amount_in_basis(
            max_deduction, basis, label=_("The maximum deduction"), field_name="max_deduction", places=2
        )
    rows: list[BandInput] = []
    for index, band in enumerate(bands, start=1):
        upper = to_decimal(band.upper, label=_("The upper edge"), places=2, field_name="bands", row=index)
        lower = None
        if band.lower is not None and band.lower != "":
            lower = to_decimal(band.lower, label=_("The lower edge"), places=2, field_name="bands", row=index)
        if not _ZERO < upper <= _HUNDRED or (lower is not None and not _ZERO <= lower < upper):
            raise _error(
                _("Score band %(row)s: the edges must satisfy 0 ≤ lower < upper ≤ 100.") % {"row": index},
                "band_edges",
                field="bands",
                row=index,
            )
        per_point_basis = _basis(band.per_point_basis, field_name="bands", row=index)
        step_basis = _basis(band.step_basis, field_name="bands", row=index)
        rows.append(
            BandInput(
                upper=upper,
                lower=lower,
                per_point=_amount_in_basis(
                    band.per_point, per_point_basis, label=_("The deduction per point"), field_name="bands", row=index
                ),
                per_point_basis=per_point_basis,
                step=_amount_in_basis(
                    band.step, step_basis, label=_("The one-off deduction"), field_name="bands", row=index
                ),
                step_basis=step_basis,
            )
        )
    rows.sort(key=lambda b: b.upper, reverse=True)
    for index, (above, below) in enumerate(zip(rows, rows[1:]), start=1):
        if above.lower is None or above.lower != below.upper:
            raise _error(
                _(
                    "Score bands must be contiguous from the top: the band ending at %(lower)s is followed by one "
                    "starting at %(upper)s."
                )
                % {"lower": above.lower if above.lower is not None else 0, "upper": below.upper},
                "band_gap",
                field="bands",
                row=index + 1,
            )
    try:
        BandTable(
            bands=tuple(
                ScoreBand(b.upper, b.lower, b.per_point, b.per_point_basis, b.step, b.step_basis) for b in rows
            ),
            max_deduction=cap,
            max_deduction_basis=basis,
        )
    except SettlementError as exc:  # pragma: no cover - the checks above are stricter than the calculation's
        raise _error(_("The score bands are inconsistent: %(detail)s") % {"detail": exc.message}, "bands") from exc
    return rows, cap, basis


def _indicator_of(commitment: CommitmentInput, row: int) -> tuple[str, str]:
    metric = commitment.sla_metric or ""
    if metric and metric not in SLAMetric.values:
        raise _error(
            _("Commitment %(row)s: unknown SLA metric.") % {"row": row}, "metric", field="commitments", row=row
        )
    indicator = commitment.indicator or (METRIC_INDICATOR[metric] if metric else "")
    if not indicator:
        raise _error(
            _("Commitment %(row)s: choose an SLA metric or an indicator.") % {"row": row},
            "indicator_missing",
            field="commitments",
            row=row,
        )
    source = registry.find(indicator)
    if source is None or COMMITMENT not in source.uses:
        raise _error(
            _("Commitment %(row)s: unknown indicator “%(indicator)s”: choose one registered for commitments.")
            % {"row": row, "indicator": indicator},
            "indicator",
            field="commitments",
            row=row,
        )
    if metric and METRIC_INDICATOR[metric] != indicator:
        raise _error(
            _("Commitment %(row)s: the SLA metric is measured by its timeliness indicator, not by this one.")
            % {"row": row},
            "indicator_metric_mismatch",
            field="commitments",
            row=row,
        )
    return metric, indicator


def validate_commitment(commitment: CommitmentInput, row: int, allowed_policy_ids: set[int]) -> CommitmentInput:
    """Check one commitment (code, indicator, target range, allocation, credit rule, linked policy versions)."""
    code = (commitment.code or "").strip()
    name = (commitment.name or "").strip()
    name_en = (commitment.name_en or "").strip()
    if not code or len(code) > 40 or not all(c.isalnum() or c in "-_" for c in code) or not code.isascii():
        raise _error(
            _("Commitment %(row)s: the code must be letters, digits, - or _ (at most 40).") % {"row": row},
            "commitment_code",
            field="commitments",
            row=row,
        )
    if not name or len(name) > 200:
        raise _error(
            _("Commitment %(row)s: a name (at most 200 characters) is required.") % {"row": row},
            "commitment_name",
            field="commitments",
            row=row,
        )
    metric, indicator = _indicator_of(commitment, row)
    spec = registry.get(indicator)
    target = to_decimal(commitment.target, label=_("The target"), places=4, field_name="commitments", row=row)
    low, high = UNIT_RANGES.get(spec.unit, (None, None))
    if (low is not None and target < low) or (high is not None and target > high):
        raise _error(
            _("Commitment %(row)s: the target is outside the indicator's range.") % {"row": row},
            "target_range",
            field="commitments",
            row=row,
        )
    allocation = _percent(commitment.allocation_percent, label=_("The allocation"), field_name="commitments", row=row)
    miss_share = _percent(
        commitment.miss_share_percent, label=_("The share when missed"), field_name="commitments", row=row
    )
    steps = tuple(
        sorted(
            (
                ShareStepInput(
                    threshold=to_decimal(
                        s.threshold, label=_("A step threshold"), places=4, field_name="commitments", row=row
                    ),
                    share_percent=_percent(s.share_percent, label=_("A step share"), field_name="commitments", row=row),
                )
                for s in commitment.share_steps
            ),
            key=lambda s: s.threshold,
        )
    )
    rule = CommitmentRule(
        code=code,
        target=target,
        higher_is_better=spec.higher_is_better,
        miss_share_percent=miss_share,
        steps=tuple(ShareStep(s.threshold, s.share_percent) for s in steps),
    )
    messages = {
        "step_duplicate": _("Commitment %(row)s: each step threshold may appear once."),
        "step_side": _(
            "Commitment %(row)s: a step threshold lies on the met side of the target (steps describe misses)."
        ),
        "step_order": _(
            "Commitment %(row)s: a worse result may not forfeit less: shares must not decrease with severity and "
            "no step may forfeit less than the share when missed."
        ),
    }
    for problem, _params in rule_problems(rule):
        raise _error(
            messages.get(problem, messages["step_order"]) % {"row": row}, problem, field="commitments", row=row
        )
    versions = tuple(sorted(set(commitment.sla_policy_versions), key=lambda v: v.pk))
    for version in versions:
        if version.policy_id not in allowed_policy_ids:
            raise _error(
                _(
                    "Commitment %(row)s: SLA policy version %(version)s does not belong to a policy of the services "
                    "in scope."
                )
                % {"row": row, "version": version},
                "commitment_policy",
                field="commitments",
                row=row,
            )
    return CommitmentInput(
        code=code,
        name=name,
        name_en=name_en,
        target=target,
        allocation_percent=allocation,
        indicator=indicator,
        sla_metric=metric,
        miss_share_percent=miss_share,
        share_steps=steps,
        sla_policy_versions=versions,
    )


def _scope_policy_ids(services) -> set[int]:
    """The SLA policies a commitment may link to: those of the services in scope and of their offerings."""
    from oversight.catalog.models import Offering

    ids = {s.sla_policy_id for s in services}
    ids |= set(
        Offering.objects.filter(service__in=[s.pk for s in services], sla_policy__isnull=False).values_list(
            "sla_policy_id", flat=True
        )
    )
    return ids


def validate_terms(terms: Terms, *, vendor, effective_from: dt.date | None = None) -> Terms:
    """Check every rule of a version's terms for this vendor (and effective date); return the normalised terms."""
    if not isinstance(terms.term_start, dt.date) or not isinstance(terms.term_end, dt.date):
        raise _error(_("The term needs a start and an end date."), "term_dates", field="term_start")
    if terms.term_end <= terms.term_start:
        raise _error(_("The term must end after it starts."), "term_order", field="term_end")
    if effective_from is not None and not terms.term_start <= effective_from <= terms.term_end:
        raise _error(
            _("The version must take effect inside the term (%(start)s to %(end)s).")
            % {"start": terms.term_start, "end": terms.term_end},
            "effective_outside_term",
            field="effective_from",
        )
    if terms.fee_period not in FeePeriod.values:
        raise _error(_("The fee period must be monthly or quarterly."), "fee_period", field="fee_period")
    fixed_fee = _money(terms.fixed_fee, label=_("The fixed fee"), field_name="fixed_fee")
    at_risk = _percent(terms.at_risk_percent, label=_("The share of fees at risk"), field_name="at_risk_percent")
    notice = terms.renewal_notice_days
    if isinstance(notice, bool) or not isinstance(notice, int) or not 0 <= notice <= MAX_NOTICE_DAYS:
        raise _error(
            _("The renewal notice period must be a whole number of days between 0 and %(max)s.")
            % {"max": MAX_NOTICE_DAYS},
            "notice_days",
            field="renewal_notice_days",
        )
    services = tuple(sorted(set(terms.services), key=lambda s: s.pk))
    if not services:
        raise _error(_("A contract covers at least one service."), "no_services", field="services")
    for service in services:
        if service.vendor_id != vendor.pk or service.organisation_id != vendor.organisation_id:
            raise _error(
                _("The service %(service)s is not provided by %(vendor)s.") % {"service": service, "vendor": vendor},
                "service_vendor",
                field="services",
            )
    sites = tuple(sorted(set(terms.sites), key=lambda s: s.pk))
    for site in sites:
        if site.organisation_id != vendor.organisation_id:
            raise _error(_("A site in scope belongs to another organisation."), "site_organisation", field="sites")
    bands, cap, cap_basis = validate_bands(terms.bands, terms.max_deduction, terms.max_deduction_basis)
    policy_ids = _scope_policy_ids(services)
    commitments = tuple(validate_commitment(c, row, policy_ids) for row, c in enumerate(terms.commitments, start=1))
    codes = [c.code for c in commitments]
    if len(set(codes)) != len(codes):
        raise _error(_("Each commitment needs its own code."), "commitment_duplicate", field="commitments")
    unit_rates = []
    for row, rate in enumerate(terms.unit_rates, start=1):
        if rate.kind not in UnitRateKind.values:
            raise _error(
                _("Unit rate %(row)s: unknown work-order type.") % {"row": row},
                "unit_kind",
                field="unit_rates",
                row=row,
            )
        included = rate.included_quantity
        if isinstance(included, bool) or not isinstance(included, int) or included < 0:
            raise _error(
                _("Unit rate %(row)s: the included quantity must be a whole number ≥ 0.") % {"row": row},
                "unit_included",
                field="unit_rates",
                row=row,
            )
        unit_rates.append(
            UnitRateInput(
                kind=rate.kind,
                rate=_money(rate.rate, label=_("The unit rate"), field_name="unit_rates", row=row),
                included_quantity=included,
            )
        )
    if len({r.kind for r in unit_rates}) != len(unit_rates):
        raise _error(_("Each work-order type may have one unit rate."), "unit_duplicate", field="unit_rates")
    staffing = []
    for row, item in enumerate(terms.staffing, start=1):
        if item.position not in StaffPosition.values:
            raise _error(
                _("Staffing %(row)s: unknown position.") % {"row": row}, "staff_position", field="staffing", row=row
            )
        if isinstance(item.count, bool) or not isinstance(item.count, int) or not 1 <= item.count <= 10000:
            raise _error(
                _("Staffing %(row)s: the number of people must be a whole number ≥ 1.") % {"row": row},
                "staff_count",
                field="staffing",
                row=row,
            )
        staffing.append(StaffingInput(position=item.position, count=item.count))
    if len({s.position for s in staffing}) != len(staffing):
        raise _error(_("Each position may appear once in the staffing."), "staff_duplicate", field="staffing")
    return Terms(
        term_start=terms.term_start,
        term_end=terms.term_end,
        fixed_fee=fixed_fee,
        fee_period=terms.fee_period,
        at_risk_percent=at_risk,
        max_deduction=cap,
        max_deduction_basis=cap_basis,
        renewal_notice_days=notice,
        services=services,
        sites=sites,
        bands=tuple(bands),
        commitments=commitments,
        unit_rates=tuple(unit_rates),
        staffing=tuple(staffing),
    )


def terms_snapshot(terms: Terms) -> dict:
    """A JSON-able picture of terms for the audit trail (related objects by id)."""
    return {
        "term_start": terms.term_start.isoformat(),
        "term_end": terms.term_end.isoformat(),
        "fee_period": str(terms.fee_period),
        "fixed_fee": str(terms.fixed_fee),
        "at_risk_percent": str(terms.at_risk_percent),
        "max_deduction": None if terms.max_deduction is None else str(terms.max_deduction),
        "max_deduction_basis": str(terms.max_deduction_basis),
        "renewal_notice_days": terms.renewal_notice_days,
        "services": sorted(s.pk for s in terms.services),
        "sites": sorted(s.pk for s in terms.sites),
        "bands": [
            {
                "upper": str(b.upper),
                "lower": None if b.lower is None else str(b.lower),
                "per_point": str(b.per_point),
                "per_point_basis": str(b.per_point_basis),
                "step": str(b.step),
                "step_basis": str(b.step_basis),
            }
            for b in terms.bands
        ],
        "commitments": [
            {
                "code": c.code,
                "name": c.name,
                "name_en": c.name_en,
                "indicator": str(c.indicator),
                "sla_metric": str(c.sla_metric),
                "target": str(c.target),
                "allocation_percent": str(c.allocation_percent),
                "miss_share_percent": str(c.miss_share_percent),
                "share_steps": [[str(s.threshold), str(s.share_percent)] for s in c.share_steps],
                "sla_policy_versions": sorted(v.pk for v in c.sla_policy_versions),
            }
            for c in terms.commitments
        ],
        "unit_rates": [
            {"kind": str(r.kind), "rate": str(r.rate), "included_quantity": r.included_quantity}
            for r in terms.unit_rates
        ],
        "staffing": [{"position": str(s.position), "count": s.count} for s in terms.staffing],
    }
