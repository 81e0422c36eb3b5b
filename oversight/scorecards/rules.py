"""Scoring rules and weighted schemes (评分规则, 指标权重): indicator value -> points -> score out of 100.

Pure Python, no Django. A :class:`Scheme` is a list of :class:`Indicator` (code, dimension after
GB/T 28827.1, weight, rule, missing-value policy) whose weights sum to exactly 100.
:func:`score_scheme` turns a mapping ``code -> value`` into a :class:`SchemeScore`.

Arithmetic and rounding (the one rule)
--------------------------------------
* All numbers are ``Decimal`` (ints are accepted and converted; floats are refused).
* ``points`` of a rule and ``contribution = points x weight ÷ max_points`` of an indicator are
  kept **exact** (each division done once in a fixed 28-digit context) and never rounded before
  they are summed.
* The **total** is the exact sum of the contributions, rounded **once, at the end**, to 2 decimal
  places with ``ROUND_HALF_UP`` (so 89.985 -> 89.99, 89.995 -> 90.00).
* The ``*_rounded`` fields of each indicator and dimension are the same rule applied to each
  figure separately, **for display only**; they are never added up, so they may differ from the
  total by a cent-point (e.g. three contributions of 33.333... show as 33.33 each, total 100.00).

Missing values
--------------
A value that is absent from the mapping or ``None`` (e.g. a timeliness rate with no work order
due) is handled by the indicator's :class:`MissingPolicy`: ``raise`` (default: :class:`MissingValue`
names the indicator), ``zero`` (0 points) or ``full`` (full points: "no event, no deduction").
Values for codes that are not in the scheme are ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, DivisionByZero, InvalidOperation, Overflow
from enum import StrEnum
from typing import Any

__all__ = [
    "HUNDRED",
    "DeductionRule",
    "Dimension",
    "DimensionScore",
    "Indicator",
    "IndicatorScore",
    "LinearRule",
    "MissingPolicy",
    "MissingValue",
    "Rule",
    "Scheme",
    "SchemeError",
    "SchemeScore",
    "StepRule",
    "round_score",
    "rule_from_dict",
    "score_scheme",
]

HUNDRED = Decimal(100)
_ZERO = Decimal(0)
_CENT = Decimal("0.01")
_CTX = Context(prec=28, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation, DivisionByZero, Overflow])


class SchemeError(ValueError):
    """A scheme, rule or value that cannot be scored; ``code`` and ``params`` let callers translate it."""

    def __init__(self, code: str, message: str, /, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = params


class MissingValue(SchemeError):
    """An indicator has no value and its policy is ``raise``."""


class Dimension(StrEnum):
    """The four dimensions of GB/T 28827.1 under which indicators are grouped."""

    PEOPLE = "people"  # 人员
    RESOURCES = "resources"  # 资源
    PROCESSES = "processes"  # 过程
    TECHNOLOGY = "technology"  # 技术


class MissingPolicy(StrEnum):
    """What an indicator without a value scores."""

    RAISE = "raise"
    ZERO = "zero"
    FULL = "full"


def _num(value: Any, name: str) -> Decimal:
    """A finite Decimal from a Decimal or int; floats, bools and strings are refused."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise SchemeError("not_a_number", f"{name} must be a Decimal or int, got {value!r}", name=name)
    dec = Decimal(value)
    if not dec.is_finite():
        raise SchemeError("not_a_number", f"{name} must be finite, got {value!r}", name=name)
    return dec


def round_score(value: Decimal) -> Decimal:
    """Round a score to 2 decimal places, half up (the scoring layer's only rounding)."""
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------------------------
# rules
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinearRule:
    """Linear between two thresholds (线性插值): ``max_points`` at/beyond ``full_at``, 0 at/beyond ``zero_at``.

    ``points(v) = max_points x (v - zero_at) ÷ (full_at - zero_at)``, clamped to
    ``[0, max_points]``. The same formula serves both directions:

    * higher is better when ``full_at > zero_at`` (e.g. timeliness: full at 98 %, zero at 90 %);
    * lower is better when ``full_at < zero_at`` (e.g. MTTR: full at 4 h, zero at 8 h).
    """

    full_at: Decimal
    zero_at: Decimal
    max_points: Decimal = HUNDRED
    kind = "linear"

    def __post_init__(self) -> None:
        """Validate eagerly."""
        for name in ("full_at", "zero_at", "max_points"):
            object.__setattr__(self, name, _num(getattr(self, name), name))
        if self.full_at == self.zero_at:
            raise SchemeError("linear_thresholds", "full_at and zero_at must differ", value=str(self.full_at))
        if self.max_points <= 0:
            raise SchemeError("max_points", "max_points must be > 0", value=str(self.max_points))

    @property
    def higher_is_better(self) -> bool:
        """True when larger values earn more points."""
        return self.full_at > self.zero_at

    def points(self, value: Decimal) -> Decimal:
        """Points for ``value`` (exact, not rounded)."""
        v = _num(value, "value")
        if (v >= self.full_at) if self.higher_is_better else (v <= self.full_at):
            return self.max_points
        if (v <= self.zero_at) if self.higher_is_better else (v >= self.zero_at):
            return _ZERO
        return _CTX.divide(_CTX.multiply(self.max_points, v - self.zero_at), self.full_at - self.zero_at)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form (Decimals as strings); :func:`rule_from_dict` reads it back."""
        return {
            "kind": self.kind,
            "full_at": str(self.full_at),
            "zero_at": str(self.zero_at),
            "max_points": str(self.max_points),
        }


@dataclass(frozen=True)
class StepRule:
    """A step table (分档): thresholds -> points, every threshold **inclusive**.

    * ``higher_is_better=True``: the points of the *highest* threshold ``t`` with ``value >= t``;
    * ``higher_is_better=False``: the points of the *lowest* threshold ``t`` with ``value <= t``;
    * no threshold reached: ``otherwise`` (default 0).

    Example, timeliness: ``steps=((98, 10), (95, 8), (90, 5))`` gives 10 for 98 and above, 8 for
    [95, 98), 5 for [90, 95), 0 below 90. ``max_points`` defaults to the largest points in the
    table; every entry must lie within ``[0, max_points]``.
    """

    steps: tuple[tuple[Decimal, Decimal], ...]
    higher_is_better: bool = True
    otherwise: Decimal = _ZERO
    max_points: Decimal | None = None
    kind = "step"

    def __post_init__(self) -> None:
        """Validate and normalise (steps sorted from the best threshold to the worst)."""
        if not isinstance(self.higher_is_better, bool):
            raise SchemeError("step_direction", "higher_is_better must be a bool")
        try:
            pairs = [(_num(t, "threshold"), _num(p, "points")) for t, p in self.steps]
        except (TypeError, ValueError) as exc:
            if isinstance(exc, SchemeError):
                raise
            raise SchemeError("step_table", "steps must be (threshold, points) pairs") from exc
        if not pairs:
            raise SchemeError("step_table", "a step table needs at least one step")
        thresholds = [t for t, _ in pairs]
        if len(set(thresholds)) != len(thresholds):
            raise SchemeError("step_table", "step thresholds must be distinct")
        pairs.sort(key=lambda tp: tp[0], reverse=self.higher_is_better)
        otherwise = _num(self.otherwise, "otherwise")
        top = max([p for _, p in pairs] + [otherwise])
        max_points = top if self.max_points is None else _num(self.max_points, "max_points")
        if max_points <= 0:
            raise SchemeError("max_points", "max_points must be > 0", value=str(max_points))
        for p in [p for _, p in pairs] + [otherwise]:
            if not _ZERO <= p <= max_points:
                raise SchemeError(
                    "step_points",
                    f"step points {p} must lie within [0, {max_points}]",
                    value=str(p),
                    max=str(max_points),
                )
        object.__setattr__(self, "steps", tuple(pairs))
        object.__setattr__(self, "otherwise", otherwise)
        object.__setattr__(self, "max_points", max_points)

    def points(self, value: Decimal) -> Decimal:
        """Points for ``value`` from the table (thresholds inclusive)."""
        v = _num(value, "value")
        for threshold, pts in self.steps:
            if (v >= threshold) if self.higher_is_better else (v <= threshold):
                return pts
        return self.otherwise

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form (Decimals as strings); :func:`rule_from_dict` reads it back."""
        return {
            "kind": self.kind,
            "steps": [[str(t), str(p)] for t, p in self.steps],
            "higher_is_better": self.higher_is_better,
            "otherwise": str(self.otherwise),
            "max_points": str(self.max_points),
        }


@dataclass(frozen=True)
class DeductionRule:
    """Deduction per event with a floor (扣分制): ``max(floor, max_points - per_event x count)``.

    The value is a count of events (a non-negative whole number), e.g. 1 point per late arrival,
    5 per missed inspection.
    """

    per_event: Decimal
    max_points: Decimal = HUNDRED
    floor: Decimal = _ZERO
    kind = "deduction"

    def __post_init__(self) -> None:
        """Validate eagerly."""
        for name in ("per_event", "max_points", "floor"):
            object.__setattr__(self, name, _num(getattr(self, name), name))
        if self.max_points <= 0:
            raise SchemeError("max_points", "max_points must be > 0", value=str(self.max_points))
        if self.per_event < 0:
            raise SchemeError("per_event", "per_event must be >= 0", value=str(self.per_event))
        if not _ZERO <= self.floor <= self.max_points:
            raise SchemeError("floor", f"floor must lie within [0, {self.max_points}]", value=str(self.floor))

    def points(self, value: Decimal) -> Decimal:
        """Points after deducting ``per_event`` for each of ``value`` events, not below ``floor``."""
        count = _num(value, "value")
        if count < 0 or count != count.to_integral_value():
            raise SchemeError("event_count", f"an event count must be a whole number >= 0, got {value!r}")
        return max(self.floor, self.max_points - self.per_event * count)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form (Decimals as strings); :func:`rule_from_dict` reads it back."""
        return {
            "kind": self.kind,
            "per_event": str(self.per_event),
            "max_points": str(self.max_points),
            "floor": str(self.floor),
        }


Rule = LinearRule | StepRule | DeductionRule


def rule_from_dict(data: Mapping[str, Any]) -> Rule:
    """Build a rule from its :meth:`to_dict` form (numbers may be strings, ints or Decimals)."""

    def dec(x: Any, name: str) -> Decimal:
        if isinstance(x, str):
            try:
                return Decimal(x)
            except InvalidOperation as exc:
                raise SchemeError("not_a_number", f"{name} is not a number: {x!r}", name=name) from exc
        return _num(x, name)

    kind = data.get("kind")
    try:
        if kind == LinearRule.kind:
            return LinearRule(
                dec(data["full_at"], "full_at"),
                dec(data["zero_at"], "zero_at"),
                dec(data.get("max_points", 100), "max_points"),
            )
        if kind == StepRule.kind:
            mp = data.get("max_points")
            return StepRule(
                tuple((dec(t, "threshold"), dec(p, "points")) for t, p in data["steps"]),
                higher_is_better=data.get("higher_is_better", True),
                otherwise=dec(data.get("otherwise", 0), "otherwise"),
                max_points=None if mp is None else dec(mp, "max_points"),
            )
        if kind == DeductionRule.kind:
            return DeductionRule(
                dec(data["per_event"], "per_event"),
                dec(data.get("max_points", 100), "max_points"),
                dec(data.get("floor", 0), "floor"),
            )
    except KeyError as exc:
        raise SchemeError("rule_field", f"rule field {exc.args[0]!r} is missing", field=exc.args[0]) from exc
    raise SchemeError("rule_kind", f"unknown rule kind {kind!r}", kind=kind)


# --------------------------------------------------------------------------------------------
# schemes
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    """One indicator of a scheme: its code, GB/T 28827.1 dimension, weight (of 100), rule and missing policy."""

    code: str
    dimension: Dimension
    weight: Decimal
    rule: Rule
    missing: MissingPolicy = MissingPolicy.RAISE

    def __post_init__(self) -> None:
        """Validate eagerly."""
        if not isinstance(self.code, str) or not self.code:
            raise SchemeError("indicator_code", "an indicator needs a non-empty code")
        try:
            object.__setattr__(self, "dimension", Dimension(self.dimension))
        except ValueError as exc:
            raise SchemeError(
                "dimension", f"{self.code}: unknown dimension {self.dimension!r}", code=self.code
            ) from exc
        try:
            object.__setattr__(self, "missing", MissingPolicy(self.missing))
        except ValueError as exc:
            raise SchemeError("missing_policy", f"{self.code}: unknown missing policy {self.missing!r}") from exc
        weight = _num(self.weight, "weight")
        if not _ZERO <= weight <= HUNDRED:
            raise SchemeError("weight", f"{self.code}: weight must lie within [0, 100], got {weight}", code=self.code)
        object.__setattr__(self, "weight", weight)
        if not isinstance(self.rule, LinearRule | StepRule | DeductionRule):
            raise SchemeError("rule", f"{self.code}: rule must be a LinearRule, StepRule or DeductionRule")


@dataclass(frozen=True)
class Scheme:
    """A weighted indicator scheme (指标体系); :meth:`validate` before use (``score_scheme`` does)."""

    indicators: tuple[Indicator, ...]

    def __post_init__(self) -> None:
        """Store the indicators as a tuple."""
        object.__setattr__(self, "indicators", tuple(self.indicators))

    @property
    def weight_sum(self) -> Decimal:
        """The sum of the weights (exact)."""
        return sum((i.weight for i in self.indicators), _ZERO)

    def validate(self) -> None:
        """Raise SchemeError unless: at least one indicator, unique codes, weights summing to exactly 100."""
        if not self.indicators:
            raise SchemeError("empty_scheme", "a scheme needs at least one indicator")
        codes = [i.code for i in self.indicators]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise SchemeError(
                "duplicate_codes", f"indicator codes must be unique; repeated: {', '.join(dupes)}", codes=dupes
            )
        total = self.weight_sum
        if total != HUNDRED:
            listing = " + ".join(f"{i.code} {i.weight}" for i in self.indicators)
            raise SchemeError(
                "weights_sum",
                f"indicator weights must sum to exactly 100; they sum to {total} ({listing})",
                sum=str(total),
                weights={i.code: str(i.weight) for i in self.indicators},
            )


@dataclass(frozen=True)
class IndicatorScore:
    """How one indicator scored: exact points and contribution, plus their display roundings."""

    code: str
    dimension: Dimension
    weight: Decimal
    value: Decimal | None
    missing: bool
    points: Decimal
    max_points: Decimal
    contribution: Decimal
    points_rounded: Decimal
    contribution_rounded: Decimal


@dataclass(frozen=True)
class DimensionScore:
    """The weight and exact contribution of one dimension (sum over its indicators)."""

    dimension: Dimension
    weight: Decimal
    contribution: Decimal
    contribution_rounded: Decimal


@dataclass(frozen=True)
class SchemeScore:
    """A scored scheme: per-indicator detail, per-dimension subtotals, the exact and the rounded total."""

    indicators: tuple[IndicatorScore, ...]
    dimensions: Mapping[Dimension, DimensionScore] = field(default_factory=dict)
    total_exact: Decimal = _ZERO
    total: Decimal = _ZERO

    def by_code(self, code: str) -> IndicatorScore:
        """The score of one indicator (KeyError if absent)."""
        for s in self.indicators:
            if s.code == code:
                return s
        raise KeyError(code)


def score_scheme(scheme: Scheme, values: Mapping[str, Decimal | int | None]) -> SchemeScore:
    """Score ``values`` (indicator code -> value) with ``scheme``; total out of 100, see the module docstring.

    For each indicator: ``points = rule.points(value)`` (or the missing policy), then
    ``contribution = points x weight ÷ max_points``; ``total = round_half_up(sum of exact
    contributions, 2 places)``.
    """
    scheme.validate()
    scores: list[IndicatorScore] = []
    for ind in scheme.indicators:
        raw = values.get(ind.code)
        max_points: Decimal = ind.rule.max_points  # type: ignore[assignment]
        if raw is None:
            if ind.missing is MissingPolicy.RAISE:
                raise MissingValue("missing_value", f"indicator {ind.code} has no value", code=ind.code)
            value = None
            points = max_points if ind.missing is MissingPolicy.FULL else _ZERO
        else:
            value = _num(raw, ind.code)
            points = ind.rule.points(value)
        contribution = _CTX.divide(_CTX.multiply(points, ind.weight), max_points)
        scores.append(
            IndicatorScore(
                code=ind.code,
                dimension=ind.dimension,
                weight=ind.weight,
                value=value,
                missing=raw is None,
                points=points,
                max_points=max_points,
                contribution=contribution,
                points_rounded=round_score(points),
                contribution_rounded=round_score(contribution),
            )
        )
    dimensions: dict[Dimension, DimensionScore] = {}
    for dim in Dimension:
        members = [s for s in scores if s.dimension is dim]
        if not members:
            continue
        contrib = _ZERO
        for s in members:
            contrib = _CTX.add(contrib, s.contribution)
        dimensions[dim] = DimensionScore(dim, sum((s.weight for s in members), _ZERO), contrib, round_score(contrib))
    total = _ZERO
    for s in scores:
        total = _CTX.add(total, s.contribution)
    return SchemeScore(tuple(scores), dimensions, total, round_score(total))
