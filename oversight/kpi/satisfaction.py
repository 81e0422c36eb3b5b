"""Satisfaction (满意度): CSAT, NPS and complaints over ratings and complaints (pure Python, no Django)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from oversight.kpi.codes import COMPLAINT_COUNT, CSAT_MEAN, CSAT_SATISFIED_SHARE, NPS
from oversight.kpi.facts import ComplaintFacts, Period, RatingFacts
from oversight.kpi.results import IndicatorResult
from oversight.kpi.results import mean as _mean
from oversight.kpi.results import percent as _percent


def _ratings_in(ratings: Iterable[RatingFacts], period: Period) -> list[RatingFacts]:
    """Ratings given in the period, type-checked."""
    out = []
    for r in ratings:
        if not isinstance(r, RatingFacts):
            raise ValueError(f"expected RatingFacts, got {type(r).__name__}")
        if period.contains(r.rated_at):
            out.append(r)
    return out


def csat_mean(ratings: Iterable[RatingFacts], period: Period) -> IndicatorResult:
    """CSAT mean (满意度均分) = sum of stars ÷ number of ratings given in the period (unit: stars, 1-5)."""
    rated = _ratings_in(ratings, period)
    total = Decimal(sum(r.stars for r in rated))
    count = Decimal(len(rated))
    ids = tuple(r.id for r in rated)
    return IndicatorResult(CSAT_MEAN, "stars", total, count, _mean(total, count), ids, ids)


def csat_satisfied_share(ratings: Iterable[RatingFacts], period: Period) -> IndicatorResult:
    """CSAT share (满意率) = ratings of 4 or 5 stars ÷ ratings given in the period, in percent."""
    rated = _ratings_in(ratings, period)
    good = tuple(r.id for r in rated if r.stars >= 4)
    num, den = Decimal(len(good)), Decimal(len(rated))
    return IndicatorResult(
        CSAT_SATISFIED_SHARE, "percent", num, den, _percent(num, den), good, tuple(r.id for r in rated)
    )


def nps(ratings: Iterable[RatingFacts], period: Period) -> IndicatorResult:
    """Net promoter score (净推荐值, NPS) = % promoters (9-10) - % detractors (0-6), from -100 to 100.

    Over the ratings given in the period that answered the recommend question. numerator =
    promoters - detractors (a count, may be negative), denominator = respondents, value = 100 x
    numerator ÷ denominator (the same as the difference of the two percentages, with one division).
    groups: ``promoters``, ``passives`` (7-8), ``detractors``.
    """
    answered = [r for r in _ratings_in(ratings, period) if r.recommend is not None]
    promoters = tuple(r.id for r in answered if r.recommend >= 9)
    detractors = tuple(r.id for r in answered if r.recommend <= 6)
    passives = tuple(r.id for r in answered if 7 <= r.recommend <= 8)
    num = Decimal(len(promoters) - len(detractors))
    den = Decimal(len(answered))
    return IndicatorResult(
        NPS,
        "nps",
        num,
        den,
        _percent(num, den),
        promoters + detractors,
        tuple(r.id for r in answered),
        {"promoters": promoters, "passives": passives, "detractors": detractors},
    )


def complaint_count(complaints: Iterable[ComplaintFacts], period: Period) -> IndicatorResult:
    """Complaint count (投诉次数) = complaints opened in the period (a count: never None, 0 when none)."""
    ids = []
    for c in complaints:
        if not isinstance(c, ComplaintFacts):
            raise ValueError(f"expected ComplaintFacts, got {type(c).__name__}")
        if period.contains(c.opened_at):
            ids.append(c.id)
    n = Decimal(len(ids))
    return IndicatorResult(COMPLAINT_COUNT, "count", n, None, n, tuple(ids), ())
