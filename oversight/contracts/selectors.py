"""Reads of contracts scoped to the acting user, the version in force on a date, and the bridge to the pure maths.

Visibility (the gate, ``Contract.visibility``, plus one domain rule here)
------------------------------------------------------------------------
* Client roles (administrator, supervisor, executive, auditor) see every contract of their organisation.
* Vendor managers and agents see their own vendor's contracts once activated (drafts are the client's
  work in progress); client-only documents stay hidden from them. Anything else is a 404.
* Requesters see none.

Which version applies
---------------------
:func:`contract_version_in_force` gives the version in force on a date: the one with the latest
``effective_from`` on or before that date, provided the contract was activated and the date lies in
that version's term (and not after a termination). :func:`contract_version_for_period` gives the
version a period is evaluated and settled under: **the version in force on the period's first day**
(if the contract only starts inside the period, on its first day in force). An amendment that takes
effect in the middle of a period therefore applies from the next period on.

Feeding the pure calculations
-----------------------------
:func:`band_table`, :func:`commitment_rules`, :func:`settlement_commitments`, :func:`unit_charges`,
:func:`base_fee_for` and :func:`settlement_inputs` turn a stored version into the dataclasses of
``oversight.fees.calc`` (and ``contracts.terms``), one row to one object, so that
``settle(**settlement_inputs(...))`` settles a period exactly as the contract says.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from oversight.contracts.choices import FEE_PERIOD_MONTHS, IN_FORCE_STATUSES, ContractStatus
from oversight.contracts.models import (
    CommitmentShareStep,
    Contract,
    ContractCommitment,
    ContractDocument,
    ContractStaffing,
    ContractVersion,
)
from oversight.contracts.terms import CommitmentRule, ShareStep, forfeited_share
from oversight.contracts.validation import (
    BandInput,
    CommitmentInput,
    ShareStepInput,
    StaffingInput,
    Terms,
    UnitRateInput,
)
from oversight.core.errors import ApplicationError
from oversight.core.kpis import registry
from oversight.core.periods import calendar_period
from oversight.fees.calc import BandTable, Commitment, ScoreBand, UnitCharge
from oversight.tenancy.roles import is_client, is_vendor
from oversight.tenancy.visibility import restrict

# --------------------------------------------------------------------------------------------------
# visibility
# --------------------------------------------------------------------------------------------------


def contract_list(*, user) -> QuerySet[Contract]:
    """Contracts the user may see (the gate), with their vendor joined in; vendor staff never see drafts."""
    qs = restrict(Contract.objects.select_related("vendor", "organisation"), user)
    if is_vendor(user):
        # A draft is the client's work in progress: its vendor sees the contract once it is activated.
        qs = qs.exclude(status=ContractStatus.DRAFT)
    return qs


def contract_get(*, user, pk) -> Contract:
    """One visible contract, or 404 (never 403: nobody learns that an invisible one exists)."""
    try:
        return contract_list(user=user).get(pk=pk)
    except (Contract.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def sees_internal_documents(user) -> bool:
    """Client-only documents are shown to the client side only."""
    return is_client(user)


def version_queryset() -> QuerySet[ContractVersion]:
    """Versions with every row of their terms prefetched (one query per kind of row)."""
    return ContractVersion.objects.select_related("created_by").prefetch_related(
        "bands",
        "unit_rates",
        "staffing",
        "services",
        "sites",
        Prefetch(
            "commitments",
            queryset=ContractCommitment.objects.prefetch_related(
                Prefetch("share_steps", queryset=CommitmentShareStep.objects.order_by("threshold")),
                "sla_policy_versions__policy",
            ),
        ),
    )


def contract_versions(*, contract: Contract, full: bool = False) -> list[ContractVersion]:
    """The versions of a (visible) contract in order, each with `effective_to` set (see the module docstring)."""
    qs = version_queryset() if full else ContractVersion.objects.select_related("created_by")
    versions = list(qs.filter(contract=contract).order_by("number"))
    annotate_effective_to(contract, versions)
    return versions


def annotate_effective_to(contract: Contract, versions: list[ContractVersion]) -> None:
    """Set `effective_to` on each version: the day before the next one takes effect, or the contract's end."""
    ordered = sorted(versions, key=lambda v: v.effective_from)
    for current, following in zip(ordered, [*ordered[1:], None]):
        if following is not None:
            current.effective_to = following.effective_from - dt.timedelta(days=1)
        else:
            end = current.term_end
            if contract.terminated_on is not None and contract.terminated_on < end:
                end = contract.terminated_on
            current.effective_to = end


def contract_version_get(*, user, contract_pk, number) -> ContractVersion:
    """One version (by number) of a visible contract, with its terms, or 404."""
    contract = contract_get(user=user, pk=contract_pk)
    try:
        version = version_queryset().get(contract=contract, number=number)
    except (ContractVersion.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    version.effective_to = next(v.effective_to for v in contract_versions(contract=contract) if v.pk == version.pk)
    return version


def contract_documents(*, user, contract: Contract) -> QuerySet[ContractDocument]:
    """Documents of a visible contract; client-only ones hidden from the vendor side."""
    qs = contract.documents.select_related("uploaded_by", "version")
    return qs if sees_internal_documents(user) else qs.filter(is_internal=False)


def contract_document_get(*, user, pk) -> ContractDocument:
    """A document the user may download, or 404."""
    qs = ContractDocument.objects.filter(contract__in=contract_list(user=user)).select_related(
        "contract", "uploaded_by", "version"
    )
    if not sees_internal_documents(user):
        qs = qs.filter(is_internal=False)
    try:
        return qs.get(pk=pk)
    except (ContractDocument.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# --------------------------------------------------------------------------------------------------
# dates and the version in force
# --------------------------------------------------------------------------------------------------


def contract_version_in_force(contract: Contract, on: dt.date) -> ContractVersion | None:
    """The version in force on a date (None: not activated, not started, ended or terminated by then)."""
    if contract.status not in IN_FORCE_STATUSES or contract.activated_at is None:
        return None
    if contract.terminated_on is not None and on > contract.terminated_on:
        return None
    version = version_queryset().filter(contract=contract, effective_from__lte=on).order_by("-effective_from").first()
    if version is None or not version.term_start <= on <= version.term_end:
        return None
    return version


def contract_version_for_period(contract: Contract, start: dt.date, end: dt.date) -> ContractVersion | None:
    """The version a period ``[start, end)`` (dates, end exclusive) is evaluated under (module docstring)."""
    if end <= start:
        raise ValueError("a period must end after it starts")
    first_day = max(start, contract.starts_on)
    if first_day >= end:
        return None
    return contract_version_in_force(contract, first_day)


def fee_period_bounds(fee_period: str, on: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar month or quarter containing a date, as ``[start, end)``."""
    return calendar_period(on, FEE_PERIOD_MONTHS[fee_period])


# --------------------------------------------------------------------------------------------------
# stored terms -> plain input and pure-calculation dataclasses
# --------------------------------------------------------------------------------------------------


def version_terms(version: ContractVersion) -> Terms:
    """The stored terms of a version as the plain input the services take (for amendments and forms)."""
    return Terms(
        term_start=version.term_start,
        term_end=version.term_end,
        fixed_fee=version.fixed_fee,
        fee_period=version.fee_period,
        at_risk_percent=version.at_risk_percent,
        max_deduction=version.max_deduction,
        max_deduction_basis=version.max_deduction_basis,
        renewal_notice_days=version.renewal_notice_days,
        services=tuple(sorted(version.services.all(), key=lambda s: s.pk)),
        sites=tuple(sorted(version.sites.all(), key=lambda s: s.pk)),
        bands=tuple(
            BandInput(b.upper, b.lower, b.per_point, b.per_point_basis, b.step, b.step_basis)
            for b in sorted(version.bands.all(), key=lambda b: b.upper, reverse=True)
        ),
        commitments=tuple(
            CommitmentInput(
                code=c.code,
                name=c.name,
                name_en=c.name_en,
                target=c.target,
                allocation_percent=c.allocation_percent,
                indicator=c.indicator,
                sla_metric=c.sla_metric,
                miss_share_percent=c.miss_share_percent,
                share_steps=tuple(ShareStepInput(s.threshold, s.share_percent) for s in c.share_steps.all()),
                sla_policy_versions=tuple(sorted(c.sla_policy_versions.all(), key=lambda v: v.pk)),
            )
            for c in version.commitments.all()
        ),
        unit_rates=tuple(UnitRateInput(r.kind, r.rate, r.included_quantity) for r in version.unit_rates.all()),
        staffing=tuple(StaffingInput(s.position, s.count) for s in version.staffing.all()),
    )


def band_table(version: ContractVersion) -> BandTable:
    """The version's score bands and maximum deduction as `fees.calc.BandTable` (one band per row)."""
    bands = sorted(version.bands.all(), key=lambda b: b.upper, reverse=True)
    return BandTable(
        bands=tuple(
            ScoreBand(
                upper=b.upper,
                lower=b.lower,
                per_point=b.per_point,
                per_point_basis=b.per_point_basis,
                step=b.step,
                step_basis=b.step_basis,
            )
            for b in bands
        ),
        max_deduction=version.max_deduction,
        max_deduction_basis=version.max_deduction_basis,
    )


def commitment_rules(version: ContractVersion) -> dict[str, CommitmentRule]:
    """Each commitment's credit rule (`contracts.terms.CommitmentRule`), keyed by commitment code."""
    return {
        c.code: CommitmentRule(
            code=c.code,
            target=c.target,
            higher_is_better=registry.get(c.indicator).higher_is_better,
            miss_share_percent=c.miss_share_percent,
            steps=tuple(ShareStep(s.threshold, s.share_percent) for s in c.share_steps.all()),
        )
        for c in version.commitments.all()
    }


def settlement_commitments(
    version: ContractVersion, actuals: Mapping[str, Decimal | None], refs: Mapping[str, str] | None = None
) -> list[Commitment]:
    """The commitments as `fees.calc.Commitment`, with the share each forfeits for the measured values.

    `actuals` maps a commitment code to the value of its indicator in the period (None: no value, no
    credit). Every commitment of the version must be present, so that none is forgotten by mistake.
    """
    rules = commitment_rules(version)
    missing = sorted(set(rules) - set(actuals))
    if missing:
        raise ApplicationError(
            _("No measured value for the commitments: %(codes)s") % {"codes": ", ".join(missing)},
            code="commitment_values_missing",
        )
    refs = refs or {}
    return [
        Commitment(
            code=c.code,
            allocation_percent=c.allocation_percent,
            share_percent=forfeited_share(rules[c.code], actuals[c.code]),
            ref=refs.get(c.code),
        )
        for c in version.commitments.all()
    ]


def unit_charges(version: ContractVersion, counts: Mapping[str, int]) -> list[UnitCharge]:
    """Unit-rate charges for the work orders of each type in the period, beyond the included quantity."""
    return [
        UnitCharge(code=r.kind, count=max(0, int(counts.get(r.kind, 0)) - r.included_quantity), rate=r.rate)
        for r in version.unit_rates.all()
    ]


def base_fee_for(version: ContractVersion, months: int) -> Decimal:
    """The fixed fee for a settlement period of `months` months (1 or 3).

    A monthly fee is multiplied for a quarter; a quarterly fee is never split into months (that
    would need a rounding rule the contract does not state), so asking for one is an error.
    """
    per_period = FEE_PERIOD_MONTHS[version.fee_period]
    if months not in (1, 3) or months % per_period:
        raise ApplicationError(
            _("A %(period)s fee cannot be settled over %(months)s month(s).")
            % {"period": version.get_fee_period_display(), "months": months},
            code="fee_period_mismatch",
        )
    return version.fixed_fee * (months // per_period)


@dataclass(frozen=True)
class SettlementInputs:
    """Everything `fees.calc.settle` needs from the contract, for one period."""

    base_fee: Decimal
    bands: BandTable
    at_risk_percent: Decimal
    commitments: tuple[Commitment, ...]
    unit_charges: tuple[UnitCharge, ...]

    def as_kwargs(self, score: Decimal) -> dict:
        """Keyword arguments for `settle(...)` with the signed period score."""
        return {
            "base_fee": self.base_fee,
            "score": score,
            "bands": self.bands,
            "at_risk_percent": self.at_risk_percent,
            "commitments": self.commitments,
            "unit_charges": self.unit_charges,
        }


def settlement_inputs(
    version: ContractVersion,
    *,
    months: int,
    actuals: Mapping[str, Decimal | None],
    counts: Mapping[str, int] | None = None,
    refs: Mapping[str, str] | None = None,
) -> SettlementInputs:
    """The contract side of a period's settlement: base fee, bands, at-risk %, commitments and unit charges."""
    return SettlementInputs(
        base_fee=base_fee_for(version, months),
        bands=band_table(version),
        at_risk_percent=version.at_risk_percent,
        commitments=tuple(settlement_commitments(version, actuals, refs)),
        unit_charges=tuple(unit_charges(version, counts or {})),
    )


def contracts_due_for_reminder() -> QuerySet[Contract]:
    """Active contracts (of every organisation) with their vendor, for the renewal reminder sweep."""
    return Contract.objects.filter(status=ContractStatus.ACTIVE).select_related("vendor", "organisation")


def contracted_staffing(vendor, on: dt.date) -> dict[str, int]:
    """Contracted count per position: the staffing of each of the vendor's contracts' versions in force on ``on``.

    Shared by the portfolio's staff compliance and the people indicators of the evaluations.
    """
    counts: dict[str, int] = defaultdict(int)
    for contract in Contract.objects.filter(vendor=vendor):
        version = contract_version_in_force(contract, on)
        if version is None:
            continue
        for row in ContractStaffing.objects.filter(version=version):
            counts[row.position] += row.count
    return dict(counts)
