"""Reads of evaluations scoped to the acting user, the drill-down records, trends, and the bridge to settlement.

Visibility (the gate, ``EvaluationPeriod.visibility``, plus one domain rule here)
--------------------------------------------------------------------------------
* Client roles (administrator, supervisor, executive, auditor) see every period of their organisation.
* Vendor staff (manager and agents) see their own vendor's periods once published (drafts are the
  client's work in progress); anything else is a 404.
* Requesters see none.

For settlement
--------------
A signed (or locked) period gives: ``period.total_score`` (Decimal, 2 places), ``period.contract_version``,
``period.months`` (1 or 3), ``period.unit_counts`` (work orders received per type), and the commitment
results; :func:`commitment_actuals` returns their exact measured values keyed by commitment code (the
``actuals`` of ``contracts.selectors.settlement_inputs``) and :func:`settlement_inputs_for` wires it all.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from oversight.contracts.selectors import contract_list, settlement_inputs, version_queryset
from oversight.core.bilingual import pick_name
from oversight.core.kpis import RecordKind, registry
from oversight.scorecards.choices import (
    RECORD_WORK_ORDER,
    VENDOR_VISIBLE_STATUSES,
    Dimension,
    DisputeStatus,
    PeriodStatus,
)
from oversight.scorecards.models import (
    CommitmentResult,
    Dispute,
    EvaluationPeriod,
    Evidence,
    IndicatorResult,
    IndicatorScheme,
    ManualEntry,
    PeriodEvent,
    SchemeIndicator,
)
from oversight.tenancy.roles import is_vendor
from oversight.tenancy.visibility import restrict

PERIOD_RELATED = ("organisation", "contract", "vendor", "contract_version", "scheme", "revision_of")


def period_list(*, user) -> QuerySet[EvaluationPeriod]:
    """Periods the user may see (module docstring), with their contract, vendor, version and scheme joined."""
    qs = EvaluationPeriod.objects.select_related(*PERIOD_RELATED).annotate(
        is_revised=Exists(EvaluationPeriod.objects.filter(revision_of=OuterRef("pk")))
    )
    qs = restrict(qs, user)
    if is_vendor(user):
        # Drafts are the client's work in progress: the vendor sees a period once it is published.
        qs = qs.filter(status__in=VENDOR_VISIBLE_STATUSES)
    return qs


def period_get(*, user, pk) -> EvaluationPeriod:
    """One visible period, or 404 (never 403: nobody learns that an invisible one exists)."""
    try:
        return period_list(user=user).get(pk=pk)
    except (EvaluationPeriod.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def period_results(period: EvaluationPeriod) -> list[IndicatorResult]:
    """The indicator results of a period in scheme order, with their indicators and manual entries joined."""
    return list(
        IndicatorResult.objects.filter(period=period)
        .select_related("indicator", "manual_entry", "manual_entry__entered_by")
        .order_by("position", "id")
    )


@dataclass
class DimensionBlock:
    """The results of one dimension with the weight and contribution subtotals."""

    dimension: str
    label: str
    results: list
    weight: Decimal
    contribution: Decimal | None


def results_by_dimension(results: list[IndicatorResult]) -> list[DimensionBlock]:
    """Results grouped by GB/T 28827.1 dimension in the standard order (subtotals for display only)."""
    blocks = []
    for dim in Dimension:
        members = [r for r in results if r.dimension == dim.value]
        if not members:
            continue
        contributions = [r.contribution for r in members]
        blocks.append(
            DimensionBlock(
                dimension=dim.value,
                label=str(dim.label),
                results=members,
                weight=sum((r.weight for r in members), Decimal(0)),
                contribution=None if None in contributions else sum(contributions, Decimal(0)),
            )
        )
    return blocks


def commitment_results(period: EvaluationPeriod) -> list[CommitmentResult]:
    """The commitment results of a period in contract order."""
    return list(CommitmentResult.objects.filter(period=period).select_related("commitment").order_by("position", "id"))


def period_events(period: EvaluationPeriod) -> QuerySet[PeriodEvent]:
    """The period's timeline, oldest first, with the actors joined."""
    return PeriodEvent.objects.filter(period=period).select_related("actor").order_by("seq")


def period_disputes(period: EvaluationPeriod) -> QuerySet[Dispute]:
    """The period's disputes with what they name and their evidence."""
    return (
        Dispute.objects.filter(period=period)
        .select_related("indicator", "work_order", "raised_by", "decided_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("id")))
        .order_by("raised_at", "id")
    )


def period_manual_entries(period: EvaluationPeriod) -> QuerySet[ManualEntry]:
    """Every manual entry of the period (newest first per indicator), with evidence."""
    return (
        ManualEntry.objects.filter(period=period)
        .select_related("indicator", "entered_by", "dispute", "carried_from")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("id")))
        .order_by("indicator__position", "-entered_at", "-id")
    )


def has_open_disputes(period: EvaluationPeriod) -> bool:
    """Whether any dispute of the period is still open."""
    return period.disputes.filter(status=DisputeStatus.OPEN).exists()


def result_get(*, user, pk) -> IndicatorResult:
    """An indicator result of a visible period, or 404."""
    try:
        return (
            IndicatorResult.objects.select_related("indicator", "period", "manual_entry")
            .filter(period__in=period_list(user=user))
            .get(pk=pk)
        )
    except (IndicatorResult.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def commitment_result_get(*, user, pk) -> CommitmentResult:
    """A commitment result of a visible period, or 404."""
    try:
        return (
            CommitmentResult.objects.select_related("commitment", "period")
            .filter(period__in=period_list(user=user))
            .get(pk=pk)
        )
    except (CommitmentResult.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def dispute_get(*, user, pk) -> Dispute:
    """A dispute of a visible period, or 404."""
    try:
        return (
            Dispute.objects.select_related("period", "indicator", "work_order", "raised_by", "decided_by")
            .prefetch_related("evidence")
            .filter(period__in=period_list(user=user))
            .get(pk=pk)
        )
    except (Dispute.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def evidence_get(*, user, pk) -> Evidence:
    """An evidence file of a visible period, or 404."""
    try:
        return Evidence.objects.select_related("period").filter(period__in=period_list(user=user)).get(pk=pk)
    except (Evidence.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# --------------------------------------------------------------------------------------------------
# drill-down
# --------------------------------------------------------------------------------------------------

SETS = ("numerator", "denominator", "excluded")


def record_ids(result, which: str) -> list:
    """The ids of one set of records behind a figure: numerator, denominator, excluded, or a named group."""
    if which == "numerator":
        return list(result.numerator_ids)
    if which == "denominator":
        return list(result.denominator_ids)
    if which == "excluded":
        return list(result.excluded_ids)
    groups = getattr(result, "groups", None) or {}
    if which in groups:
        return list(groups[which])
    raise Http404


def record_sets(result) -> list[tuple[str, int]]:
    """(set name, number of records) of every non-empty drill-down set of a result."""
    names = [*SETS, *sorted((getattr(result, "groups", None) or {}).keys())]
    return [(name, len(record_ids(result, name))) for name in names if record_ids(result, name)]


def drilldown_kind(result, which: str) -> RecordKind | None:
    """The registered kind of the records in one set behind a result (the excluded ones are work orders).

    None for a figure without records (a commitment on an indicator Oversight does not compute).
    """
    key = RECORD_WORK_ORDER if which == "excluded" else result.record_type
    try:
        return registry.record_kind(key)
    except KeyError:
        return None


def drilldown_records(*, user, result, which: str) -> QuerySet:
    """The records of one set behind a result, as a queryset the user may see (work orders, ratings, staff...)."""
    kind = drilldown_kind(result, which)
    if kind is None:
        return EvaluationPeriod.objects.none()
    return kind.records(user=user, period=result.period, ids=record_ids(result, which))


# --------------------------------------------------------------------------------------------------
# schemes
# --------------------------------------------------------------------------------------------------


def scheme_list(*, user) -> QuerySet[IndicatorScheme]:
    """Scheme versions of the contracts the user may see (vendors read their own contracts' schemes)."""
    return (
        IndicatorScheme.objects.filter(contract__in=contract_list(user=user))
        .select_related("contract", "contract__vendor", "created_by", "dispute_calendar")
        .prefetch_related(Prefetch("indicators", queryset=SchemeIndicator.objects.order_by("position", "id")))
        .order_by("contract__number", "-number")
    )


def scheme_get(*, user, pk) -> IndicatorScheme:
    """One visible scheme version, or 404."""
    try:
        return scheme_list(user=user).get(pk=pk)
    except (IndicatorScheme.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def contract_schemes(contract) -> list[IndicatorScheme]:
    """Every scheme version of a (visible) contract, newest first, with indicators."""
    return list(
        IndicatorScheme.objects.filter(contract=contract)
        .select_related("created_by", "dispute_calendar")
        .prefetch_related(Prefetch("indicators", queryset=SchemeIndicator.objects.order_by("position", "id")))
        .order_by("-number")
    )


# --------------------------------------------------------------------------------------------------
# trends
# --------------------------------------------------------------------------------------------------


def current_revisions(qs: QuerySet[EvaluationPeriod]) -> QuerySet[EvaluationPeriod]:
    """Only the periods that no revision replaces."""
    return qs.filter(is_revised=False)


@dataclass
class TrendPoint:
    """One period of a trend: label, the period, its score and (optionally) one indicator's value and points."""

    label: str
    period: EvaluationPeriod
    score: Decimal | None
    value: Decimal | None = None
    points: Decimal | None = None


def trend(*, user, kind: str, vendor_id=None, indicator_code: str = "") -> OrderedDict[str, list[TrendPoint]]:
    """Per vendor, its periods of one kind in time order (current revisions only) with score and one indicator."""
    qs = current_revisions(period_list(user=user)).filter(kind=kind).exclude(status=PeriodStatus.DRAFT)
    if vendor_id:
        qs = qs.filter(vendor_id=vendor_id)
    periods = list(qs.order_by("vendor__name", "starts_on", "contract__number"))
    results = {}
    if indicator_code:
        for row in IndicatorResult.objects.filter(period__in=[p.pk for p in periods], code=indicator_code).values(
            "period_id", "value", "points"
        ):
            results[row["period_id"]] = row
    series: OrderedDict[str, list[TrendPoint]] = OrderedDict()
    for p in periods:
        row = results.get(p.pk, {})
        series.setdefault(p.vendor.name, []).append(
            TrendPoint(p.label, p, p.total_score, row.get("value"), row.get("points"))
        )
    return series


def indicator_unit(code: str) -> str:
    """The unit an indicator code is measured in (from its latest result; "" when unknown)."""
    return IndicatorResult.objects.filter(code=code).order_by("-id").values_list("unit", flat=True).first() or ""


def trend_indicator_codes(*, user) -> list[tuple[str, str]]:
    """(code, name) of the indicators that appear in visible periods (for the trend page's choice), each named in
    the reader's language (`core.bilingual`)."""
    seen: dict[str, str] = {}
    rows = (
        IndicatorResult.objects.filter(period__in=period_list(user=user))
        .values_list("code", "indicator__name", "indicator__name_en")
        .order_by("code")
        .distinct()
    )
    for code, name, name_en in rows:
        seen.setdefault(code, pick_name(name, name_en))
    return sorted(seen.items())


# --------------------------------------------------------------------------------------------------
# settlement
# --------------------------------------------------------------------------------------------------


def commitment_actuals(period: EvaluationPeriod) -> dict[str, Decimal | None]:
    """The exact measured value of each commitment of the period, keyed by commitment code (None: no value)."""
    return {
        code: (Decimal(exact) if exact else None)
        for code, exact in CommitmentResult.objects.filter(period=period).values_list("code", "measured_exact")
    }


def settlement_inputs_for(period: EvaluationPeriod, refs=None):
    """`contracts.selectors.settlement_inputs` for a period: its version, months, actuals and unit counts."""
    version = version_queryset().get(pk=period.contract_version_id)
    return settlement_inputs(
        version,
        months=period.months,
        actuals=commitment_actuals(period),
        counts=period.unit_counts,
        refs=refs,
    )


def signed_periods(*, user) -> QuerySet[EvaluationPeriod]:
    """Current revisions signed by both sides (signed or locked): what settlement may build on."""
    return current_revisions(period_list(user=user)).filter(
        Q(status=PeriodStatus.SIGNED) | Q(status=PeriodStatus.LOCKED)
    )
