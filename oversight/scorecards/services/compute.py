"""Computing a period: facts → indicator values (with accepted exclusions) → points → score; commitments → shares.

`evaluate` is the whole computation of one period from the stored data; it writes nothing. The period
services call it and store its rows. The formulas live in the pure modules (`indicators`, `rules`,
`contracts.terms`); this module only chooses the records each indicator is computed over:

* an accepted work-order dispute excludes that work order from the disputed indicator's source (for
  CSAT/NPS its rating, for complaints its complaints) in this period, and from every commitment
  measured by the same source;
* a commitment tied to SLA policy versions is measured over the work orders under those versions only;
* manual indicators take the latest entry of the period;
* the people-dimension sources (staff fill rate, certificate validity) read the roster facts loaded for the
  period (``LoadedFacts.staff_on``: the period's last day, or the evaluation day while the period runs).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from oversight import kpi
from oversight.contracts.selectors import commitment_rules
from oversight.contracts.terms import forfeited_share, is_met
from oversight.kpi import people as staffing
from oversight.kpi.facts import Period
from oversight.scorecards import rules
from oversight.scorecards.choices import MANUAL, RECORD_MANUAL, SOURCE_RECORDS
from oversight.scorecards.facts_loader import LoadedFacts
from oversight.scorecards.models import CommitmentResult, IndicatorResult, ManualEntry, SchemeIndicator

SIX = Decimal("0.000001")


def q6(value: Decimal | None) -> Decimal | None:
    """A figure rounded half up to 6 places for its decimal column (the exact one is kept as text)."""
    return None if value is None else value.quantize(SIX, rounding=ROUND_HALF_UP)


def text(value: Decimal | None) -> str:
    """An exact figure as text ("" for none)."""
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Options:
    """Per-scheme settings of the formulas."""

    reopen_window_days: int = 7


Calc = Callable[[LoadedFacts, Period, Options], kpi.IndicatorResult]

CALCULATIONS: Mapping[str, Calc] = {
    kpi.RESPONSE_TIMELINESS: lambda f, p, o: kpi.response_timeliness(f.work_orders, p),
    kpi.ONSITE_TIMELINESS: lambda f, p, o: kpi.onsite_timeliness(f.work_orders, p),
    kpi.RESOLUTION_TIMELINESS: lambda f, p, o: kpi.resolution_timeliness(f.work_orders, p),
    kpi.RESOLUTION_RATE: lambda f, p, o: kpi.resolution_rate(f.work_orders, p),
    kpi.MTTR: lambda f, p, o: kpi.mttr(f.work_orders, p),
    kpi.FIRST_TIME_FIX: lambda f, p, o: kpi.first_time_fix_rate(
        f.work_orders, p, reopen_window_days=o.reopen_window_days
    ),
    kpi.REOPEN_RATE: lambda f, p, o: kpi.reopen_rate(f.work_orders, p),
    kpi.REPEAT_RATE: lambda f, p, o: kpi.repeat_rate(f.work_orders, p),
    kpi.CSAT_MEAN: lambda f, p, o: kpi.csat_mean(f.ratings, p),
    kpi.CSAT_SATISFIED_SHARE: lambda f, p, o: kpi.csat_satisfied_share(f.ratings, p),
    kpi.NPS: lambda f, p, o: kpi.nps(f.ratings, p),
    kpi.COMPLAINT_COUNT: lambda f, p, o: kpi.complaint_count(f.complaints, p),
    kpi.BACKLOG_MEAN_AGE: lambda f, p, o: kpi.backlog_mean_age(f.work_orders, p.end),
    kpi.BACKLOG_MAX_AGE: lambda f, p, o: kpi.backlog_max_age(f.work_orders, p.end),
    kpi.STAFF_FILL_RATE: lambda f, p, o: staffing.staff_fill_rate(f.contracted_staff, f.staff),
    kpi.CERTIFICATE_VALIDITY: lambda f, p, o: staffing.certificate_validity(f.staff, f.staff_on),
}


def subset(facts: LoadedFacts, *, excluded: frozenset[int], policy_versions: frozenset[int] | None) -> LoadedFacts:
    """The facts without the excluded work orders (and their ratings and complaints), optionally of some policies."""
    if not excluded and policy_versions is None:
        return facts

    def keep(wo_id, policy_id) -> bool:
        return wo_id not in excluded and (policy_versions is None or policy_id in policy_versions)

    return dataclasses.replace(
        facts,
        work_orders=[w for w in facts.work_orders if keep(w.id, facts.policy_versions.get(w.id))],
        ratings=[r for r in facts.ratings if keep(r.work_order_id, facts.rating_policy_versions.get(r.id))],
        complaints=[c for c in facts.complaints if keep(c.work_order_id, facts.complaint_policy_versions.get(c.id))],
    )


class Calculator:
    """Computes (and caches) catalogue indicators over subsets of one period's facts."""

    def __init__(self, facts: LoadedFacts, period: Period, options: Options, exclusions: Mapping[str, Iterable[int]]):
        self.facts = facts
        self.period = period
        self.options = options
        self.exclusions = {code: frozenset(ids) for code, ids in exclusions.items()}
        self._cache: dict[tuple, kpi.IndicatorResult] = {}

    def excluded(self, code: str) -> frozenset[int]:
        """Work orders excluded from an indicator by accepted disputes."""
        return self.exclusions.get(code, frozenset())

    def result(self, code: str, policy_versions: frozenset[int] | None = None) -> kpi.IndicatorResult | None:
        """The indicator over the period's facts, minus its exclusions (None: Oversight does not compute it)."""
        calc = CALCULATIONS.get(code)
        if calc is None:
            return None
        key = (code, policy_versions)
        if key not in self._cache:
            facts = subset(self.facts, excluded=self.excluded(code), policy_versions=policy_versions)
            self._cache[key] = calc(facts, self.period, self.options)
        return self._cache[key]

    def groups(self, code: str, result: kpi.IndicatorResult) -> dict[str, list]:
        """The named drill-down groups, plus for MTTR the work orders measured in calendar time."""
        groups = {name: list(ids) for name, ids in result.groups.items()}
        if code == kpi.MTTR:
            groups["calendar_time"] = [i for i in result.numerator_ids if i in self.facts.calendar_time_ids]
        return groups


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
    facts: LoadedFacts,
    exclusions: Mapping[str, Iterable[int]],
    manual: Mapping[int, ManualEntry],
    reopen_window_days: int,
) -> Evaluation:
    """Compute every indicator, the score and every commitment of a period (nothing is saved)."""
    window = Period(period.start_at, period.end_at)
    calc = Calculator(facts, window, Options(reopen_window_days=reopen_window_days), exclusions)
    out = Evaluation()
    for pk, number, message in facts.problems:
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
            result = calc.result(ind.source)
            value = result.value
            row.record_type = SOURCE_RECORDS[ind.source]
            row.numerator = q6(result.numerator)
            row.denominator = q6(result.denominator)
            row.numerator_ids = list(result.numerator_ids)
            row.denominator_ids = list(result.denominator_ids)
            row.groups = calc.groups(ind.source, result)
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
        out.problems.append({"code": "missing_value", "indicator": code, "name": ind.name})
    if not out.problems:
        out.total = score.total
        out.total_exact = score.total_exact

    version = period.contract_version
    credit_rules = commitment_rules(version)
    for position, commitment in enumerate(version.commitments.all()):
        linked = frozenset(v.pk for v in commitment.sla_policy_versions.all()) or None
        result = calc.result(commitment.indicator, linked)
        spec = kpi.CATALOGUE[commitment.indicator]
        value = result.value if result is not None else None
        rule = credit_rules[commitment.code]
        out.commitments.append(
            CommitmentResult(
                period=period,
                commitment=commitment,
                position=position,
                code=commitment.code,
                name=commitment.name,
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
                record_type=SOURCE_RECORDS.get(commitment.indicator, ""),
                numerator_ids=list(result.numerator_ids) if result else [],
                denominator_ids=list(result.denominator_ids) if result else [],
                excluded_ids=sorted(calc.excluded(commitment.indicator)),
            )
        )
    return out
