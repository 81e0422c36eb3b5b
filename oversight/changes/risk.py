"""The risk of a change, computed two ways and combined: the higher of a rule-based score and a weighted
questionnaire (ADR 0022). Pure: imports no Django; `choices.py` gives the codes their labels and the
questions their texts, `services.change_assess_risk` stores what this returns.

Levels are 1 (low), 2 (medium), 3 (high), 4 (very high).

Rule-based score: the sum of the points of each factor below, then a level by thresholds.

======================  ===========================================  ======
factor                  value                                         points
======================  ===========================================  ======
``type``                standard / normal / emergency                 0 / 1 / 3
``outage``              expected outage 0 / 1–30 / 31–120 / >120 min  0 / 1 / 2 / 3
``services``            affected services 0–1 / 2–3 / 4 or more       0 / 1 / 2
``cis``                 affected configuration items 0–4 / 5 or more  0 / 1
``no_backout``          no backout plan                               2
``no_test``             no test plan                                  1
======================  ===========================================  ======

Score 0–2 is low, 3–4 medium, 5–7 high, 8 or more very high.

Questionnaire: each question has a weight and is answered 0 (least risky) to 3 (most risky); the weighted
share is ``Σ weight × answer / Σ weight × 3`` as a percentage. Below 25 % is low, below 50 % medium, below 75 %
high, else very high. A questionnaire is answered completely or not at all: partly answered is refused,
unanswered has no level and the rule-based level stands alone.

The change's risk is the higher of the two levels.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

LOW, MEDIUM, HIGH, VERY_HIGH = 1, 2, 3, 4
MAX_ANSWER = 3

TYPE_POINTS = {"standard": 0, "normal": 1, "emergency": 3}
#: (score from which a level starts, level), highest first.
RULE_THRESHOLDS = ((8, VERY_HIGH), (5, HIGH), (3, MEDIUM), (0, LOW))
#: (percentage from which a level starts, level), highest first.
QUESTIONNAIRE_THRESHOLDS = ((75, VERY_HIGH), (50, HIGH), (25, MEDIUM), (0, LOW))


class RiskInputError(ValueError):
    """The questionnaire is answered in part, or with an answer outside 0–3, or names an unknown question."""


@dataclass(frozen=True)
class Factor:
    """One line of the rule-based explanation: which factor, the value it saw, the points it gave."""

    code: str
    value: int | str
    points: int


@dataclass(frozen=True)
class RuleScore:
    """The rule-based score with its explanation."""

    factors: tuple[Factor, ...]
    score: int
    level: int


@dataclass(frozen=True)
class QuestionnaireScore:
    """The weighted questionnaire: Σ weight × answer over Σ weight × 3, as an exact fraction and a level."""

    weighted: int
    maximum: int
    share: Fraction
    level: int

    @property
    def percent(self) -> Decimal:
        """The share as a percentage with one decimal (half up), for display and storage."""
        exact = Decimal(self.share.numerator * 100) / Decimal(self.share.denominator)
        return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Risk:
    """Both scores and the change's risk, the higher of the two levels."""

    rule: RuleScore
    questionnaire: QuestionnaireScore | None
    level: int


def _outage_points(minutes: int) -> int:
    if minutes <= 0:
        return 0
    if minutes <= 30:
        return 1
    if minutes <= 120:
        return 2
    return 3


def _count_points(count: int, steps: tuple[int, ...]) -> int:
    """How many of the ascending thresholds ``steps`` the count reaches."""
    return sum(1 for step in steps if count >= step)


def level_for(value, thresholds) -> int:
    """The level of the first threshold (highest first) the value reaches."""
    for start, level in thresholds:
        if value >= start:
            return level
    return thresholds[-1][1]


def rule_score(
    *,
    change_type: str,
    outage_minutes: int,
    services: int,
    cis: int,
    has_backout_plan: bool,
    has_test_plan: bool,
) -> RuleScore:
    """The rule-based score of a change from its facts (see the module docstring for the table)."""
    if change_type not in TYPE_POINTS:
        raise RiskInputError(f"unknown change type {change_type!r}")
    factors = (
        Factor("type", change_type, TYPE_POINTS[change_type]),
        Factor("outage", max(0, int(outage_minutes)), _outage_points(int(outage_minutes))),
        Factor("services", services, _count_points(services, (2, 4))),
        Factor("cis", cis, _count_points(cis, (5,))),
        Factor("no_backout", int(not has_backout_plan), 0 if has_backout_plan else 2),
        Factor("no_test", int(not has_test_plan), 0 if has_test_plan else 1),
    )
    score = sum(f.points for f in factors)
    return RuleScore(factors=factors, score=score, level=level_for(score, RULE_THRESHOLDS))


def questionnaire_score(answers: Mapping[str, int], weights: Mapping[str, int]) -> QuestionnaireScore | None:
    """The weighted questionnaire, or None when no question is answered; a partial answer is refused."""
    unknown = set(answers) - set(weights)
    if unknown:
        raise RiskInputError(f"unknown questions {sorted(unknown)}")
    if not answers:
        return None
    missing = set(weights) - set(answers)
    if missing:
        raise RiskInputError(f"unanswered questions {sorted(missing)}")
    for code, answer in answers.items():
        if not isinstance(answer, int) or isinstance(answer, bool) or not 0 <= answer <= MAX_ANSWER:
            raise RiskInputError(f"answer to {code!r} must be 0 to {MAX_ANSWER}")
    weighted = sum(weights[code] * answers[code] for code in weights)
    maximum = sum(weights.values()) * MAX_ANSWER
    share = Fraction(weighted, maximum)
    return QuestionnaireScore(
        weighted=weighted, maximum=maximum, share=share, level=level_for(share * 100, QUESTIONNAIRE_THRESHOLDS)
    )


def combined(rule: RuleScore, questionnaire: QuestionnaireScore | None) -> Risk:
    """The change's risk: the higher of the rule-based and the questionnaire level."""
    level = max(rule.level, questionnaire.level if questionnaire is not None else LOW)
    return Risk(rule=rule, questionnaire=questionnaire, level=level)
