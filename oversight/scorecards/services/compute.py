"""Computing a period: facts → indicator values (with accepted exclusions) → points → score; commitments → shares.

`evaluate` is the whole computation of one period from the stored data; it writes nothing. The period
services call it and store its rows. The formulas live in the pure modules (`oversight.kpi`, `rules`,
`contracts.terms`) and every computed indicator is a source of the registry (`oversight.core.kpis`); this
module only chooses the records each indicator is computed over:

* an accepted work-order dispute excludes that work order from the disputed indicator's source (for
  CSAT/NPS its rating, for complaints its complaints) in this period, and from every commitment
  measured by the same source;
* a commitment tied to SLA policy versions is measured over the work orders under those versions only;
* manual indicators take the latest entry of the period;
* each source reads its loader's facts, loaded once for the period whatever the number of sources using them
  (the people-dimension sources read the roster on the period's last day, or the evaluation day while the
  period runs: ``Scope.day``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from oversight import kpi
from oversight.contracts.selectors import commitment_rules
from oversight.contracts.terms import forfeited_share, is_met
from oversight.core import kpis
from oversight.kpi.facts import Period
from oversight.scorecards import rules
from oversight.scorecards.choices import MANUAL, RECORD_MANUAL
from oversight.scorecards.kpis import SERVICE
from oversight.scorecards.models import CommitmentResult, IndicatorResult, ManualEntry, SchemeIndicator

SIX = Decimal("0.000001")


def q6(value: Decimal | None) -> Decimal | None:
    """A figure rounded half up to 6 places for its decimal column (the exact one is kept as text)."""
    return None if value is None else value.quantize(SIX, rounding=ROUND_HALF_UP)


def text(value: Decimal | None) -> str:
    """An exact figure as text ("" for none)."""
    return "" if value is None else str(value)


class Calculator:
    """Computes (and caches) registered indicators over subsets of one period's facts."""

    def __init__(self, facts: kpis.Facts, window: kpis.Window, exclusions: Mapping[str, Iterable[int]]):
        self.facts = facts
        self.window = window
        self.exclusions = {code: frozenset(ids) for code, ids in exclusions.items()}
        self._cache: dict[tuple, kpi.IndicatorResult | None] = {}

    def excluded(self, code: str) -> frozenset[int]:
        """Work orders excluded from an indicator by accepted disputes."""
        return self.exclusions.get(code, frozenset())

    def result(self, code: str, policy_versions: frozenset[int] | None = None) -> kpi.IndicatorResult | None:
        """The indicator over the period's facts, minus its exclusions (None: Oversight does not compute it)."""
        source = kpis.registry.find(code)
        if source is None:
            return None
        key = (code, policy_versions)
        if key not in self._cache:
            self._cache[key] = kpis.compute(
                source, self.facts, self.window, excluded=self.excluded(code), policy_versions=policy_versions
            )
        return self._cache[key]

    @staticmethod
    def groups(result: kpi.IndicatorResult) -> dict[str, list]:
        """The named drill-down groups of a result."""
        return {name: list(ids) for name, ids in result.groups.items()}


@dataclass
class Evaluation:
    """The unsaved outcome of computing one period."""

    results: list[IndicatorResult] = field(default_factory=list)
    commitments: list[CommitmentResult] = field(default_factory=list)
    total: Decimal | None = None
    total_exact: Decimal | None = None
    problems: list[dict] = field(default_factory=list)


def pure_scheme(indicators: Iterable[SchemeIndicator]) -> rules.Scheme:
    """The stored indicators as the pure module's Scheme."""
    return rules.Scheme(
        tuple(
            rules.Indicator(i.code, i.dimension, i.weight, rules.rule_from_dict(i.rule), i.missing_policy)
            for i in indicators
        )
    )


def _score(scheme: rules.Scheme, values: dict[str, Decimal | None]) -> tuple[rules.SchemeScore, list[str]]:
    """Score the scheme; indicators without a value whose policy is "raise" are returned (and scored 0 meanwhile)."""
    blocking = [
        i.code for i in scheme.indicators if values.get(i.code) is None and i.missing == rules.MissingPolicy.RAISE
    ]
    if blocking:
        scheme = rules.Scheme(
            tuple(
                dataclasses.replace(i, missing=rules.MissingPolicy.ZERO) if i.code in blocking else i
                for i in scheme.indicators
            )
        )
    return rules.score_scheme(scheme, values), blocking


def evaluate(
    *,
    period,
    indicators: list[SchemeIndicator],
    facts: kpis.Facts,
    exclusions: Mapping[str, Iterable[int]],
    manual: Mapping[int, ManualEntry],
    reopen_window_days: int,
) -> Evaluation:
    """Compute every indicator, the score and every commitment of a period (nothing is saved).

    ``facts`` are the period's, with the service facts (work orders, ratings, complaints) already loaded: their
    inconsistencies are reported as problems of the period.
    """
    window = Period(period.start_at, period.end_at)
    options = {"reopen_window_days": reopen_window_days}
    calc = Calculator(facts, kpis.Window(window, window.end, options), exclusions)
    out = Evaluation()
    for pk, number, message in facts.get(SERVICE).problems:
        out.problems.append({"code": "work_order_facts", "work_order": pk, "number": number, "detail": message})

    values: dict[str, Decimal | None] = {}
    rows: dict[str, IndicatorResult] = {}
    for position, ind in enumerate(indicators):
        row = IndicatorResult(
            period=period,
            indicator=ind,
            position=position,
            code=ind.code,
            dimension=ind.dimension,
            weight=ind.weight,
            source=ind.source,
            unit=ind.unit,
        )
        if ind.source == MANUAL:
            entry = manual.get(ind.pk)
            row.record_type = RECORD_MANUAL
            value = entry.value if entry is not None else None
            if entry is not None:
                row.manual_entry = entry
                row.numerator = entry.value
                row.numerator_ids = [entry.pk]
            row.exact = {"value": text(value)}
        else:
            source = kpis.registry.get(ind.source)
            result = calc.result(ind.source)
            value = result.value
            row.record_type = source.record_kind
            row.numerator = q6(result.numerator)
            row.denominator = q6(result.denominator)
            row.numerator_ids = list(result.numerator_ids)
            row.denominator_ids = list(result.denominator_ids)
            row.groups = calc.groups(result)
            row.excluded_ids = sorted(calc.excluded(ind.source))
            row.exact = {
                "value": text(value),
                "numerator": text(result.numerator),
                "denominator": text(result.denominator),
            }
        row.value = q6(value)
        values[ind.code] = value
        rows[ind.code] = row

    scheme = pure_scheme(indicators)
    score, blocking = _score(scheme, values)
    for s in score.indicators:
        row = rows[s.code]
        row.missing = s.missing
        row.max_points = s.max_points
        if s.code in blocking:
            row.points = row.contribution = None
        else:
            row.points = q6(s.points)
            row.contribution = q6(s.contribution)
            row.exact |= {"points": text(s.points), "contribution": text(s.contribution)}
        out.results.append(row)
    for code in blocking:
        ind = next(i for i in indicators if i.code == code)
        out.problems.append({"code": "missing_value", "indicator": code, "name": ind.name, "name_en": ind.name_en})
    if not out.problems:
        out.total = score.total
        out.total_exact = score.total_exact

    version = period.contract_version
    credit_rules = commitment_rules(version)
    for position, commitment in enumerate(version.commitments.all()):
        linked = frozenset(v.pk for v in commitment.sla_policy_versions.all()) or None
        result = calc.result(commitment.indicator, linked)
        spec = kpis.registry.get(commitment.indicator)
        value = result.value if result is not None else None
        rule = credit_rules[commitment.code]
        out.commitments.append(
            CommitmentResult(
                period=period,
                commitment=commitment,
                position=position,
                code=commitment.code,
                name=commitment.name,
                name_en=commitment.name_en,
                indicator=commitment.indicator,
                unit=spec.unit,
                target=commitment.target,
                higher_is_better=spec.higher_is_better,
                allocation_percent=commitment.allocation_percent,
                measured_value=q6(value),
                measured_exact=text(value),
                numerator=q6(result.numerator) if result else None,
                denominator=q6(result.denominator) if result else None,
                met=is_met(rule, value),
                forfeited_share_percent=forfeited_share(rule, value),
                record_type=spec.record_kind if result is not None else "",
                numerator_ids=list(result.numerator_ids) if result else [],
                denominator_ids=list(result.denominator_ids) if result else [],
                excluded_ids=sorted(calc.excluded(commitment.indicator)),
            )
        )
    return out
