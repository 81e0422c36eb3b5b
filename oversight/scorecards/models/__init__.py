"""Models of the evaluation app: indicator schemes and evaluation periods (split by topic)."""

from oversight.scorecards.models.periods import (
    CommitmentResult,
    Dispute,
    EvaluationPeriod,
    Evidence,
    Exclusion,
    IndicatorResult,
    ManualEntry,
    PeriodEvent,
)
from oversight.scorecards.models.schemes import IndicatorScheme, SchemeIndicator

__all__ = [
    "CommitmentResult",
    "Dispute",
    "EvaluationPeriod",
    "Evidence",
    "Exclusion",
    "IndicatorResult",
    "IndicatorScheme",
    "ManualEntry",
    "PeriodEvent",
    "SchemeIndicator",
]
