"""Scoring rules and weighted schemes (oversight.scorecards.rules) against hand-computed values."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from oversight.scorecards.rules import (
    DeductionRule,
    Dimension,
    Indicator,
    LinearRule,
    MissingPolicy,
    MissingValue,
    Scheme,
    SchemeError,
    StepRule,
    round_score,
    rule_from_dict,
    score_scheme,
)

# --------------------------------------------------------------------------------------------
# LinearRule
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D(99), D(10)),  # above full_at -> max
        (D(98), D(10)),  # at full_at -> max
        (D(94), D(5)),  # 10 x (94 - 90) / (98 - 90) = 10 x 4 / 8 = 5
        (D("92.5"), D("3.125")),  # 10 x 2.5 / 8 = 3.125
        (D(91), D("1.25")),  # 10 x 1 / 8 = 1.25
        (D(90), D(0)),  # at zero_at -> 0
        (D(0), D(0)),  # below -> 0
    ],
)
def test_linear_rule_higher_is_better(value, expected):
    rule = LinearRule(full_at=D(98), zero_at=D(90), max_points=D(10))
    assert rule.higher_is_better
    assert rule.points(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D(10000), D(100)),  # faster than 4 h -> max
        (D(14400), D(100)),  # 4 h -> max
        (D(18000), D(75)),  # 100 x (18000 - 28800) / (14400 - 28800) = 100 x 10800 / 14400 = 75
        (D(21600), D(50)),  # 100 x 7200 / 14400 = 50
        (D(28800), D(0)),  # 8 h -> 0
        (D(30000), D(0)),  # slower -> 0
    ],
)
def test_linear_rule_lower_is_better_for_mttr(value, expected):
    rule = LinearRule(full_at=D(14400), zero_at=D(28800))  # full at 4 h, zero at 8 h, max 100
    assert not rule.higher_is_better
    assert rule.points(value) == expected


def test_linear_rule_non_terminating_fraction_and_validation():
    # 10 x (1 - 0) / (3 - 0) = 10 / 3
    assert LinearRule(D(3), D(0), D(10)).points(D(1)) == D(10) / D(3)
    assert LinearRule(3, 0, 10).points(2) == D(20) / D(3)  # ints are accepted
    with pytest.raises(SchemeError, match="differ"):
        LinearRule(D(5), D(5))
    with pytest.raises(SchemeError, match="max_points"):
        LinearRule(D(5), D(0), D(0))
    with pytest.raises(SchemeError, match="Decimal or int"):
        LinearRule(98.0, 90)
    with pytest.raises(SchemeError, match="Decimal or int"):
        LinearRule(D(98), D(90)).points(94.5)
    with pytest.raises(SchemeError, match="finite"):
        LinearRule(D(98), D(90)).points(D("NaN"))


numbers = st.decimals(min_value=-1000, max_value=1000, places=3, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(numbers, numbers, st.decimals(min_value="0.5", max_value=100, places=2), numbers, numbers)
def test_linear_rule_matches_exact_fractions_and_is_monotone(full, zero, max_points, v1, v2):
    assume(full != zero)
    rule = LinearRule(full, zero, max_points)
    for v in (v1, v2):
        # Independent oracle in exact rational arithmetic.
        frac = Fraction(max_points) * (Fraction(v) - Fraction(zero)) / (Fraction(full) - Fraction(zero))
        frac = min(max(frac, Fraction(0)), Fraction(max_points))
        assert abs(Fraction(rule.points(v)) - frac) < Fraction(1, 10**20)
        assert 0 <= rule.points(v) <= max_points
    lo, hi = sorted((v1, v2))
    if full > zero:
        assert rule.points(lo) <= rule.points(hi)
    else:
        assert rule.points(lo) >= rule.points(hi)


# --------------------------------------------------------------------------------------------
# StepRule
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D(100), D(10)),
        (D(98), D(10)),  # threshold 98 is inclusive
        (D("97.99"), D(8)),
        (D(95), D(8)),  # inclusive
        (D("94.99"), D(5)),
        (D(90), D(5)),  # inclusive
        (D("89.99"), D(0)),  # below every threshold -> otherwise
        (D(-5), D(0)),
    ],
)
def test_step_rule_higher_is_better_edges_are_inclusive(value, expected):
    rule = StepRule(((D(90), D(5)), (D(98), D(10)), (D(95), D(8))))  # given unsorted on purpose
    assert rule.max_points == 10
    assert rule.points(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(D(0), D(10)), (D(1), D(6)), (D(2), D(6)), (D(3), D(2)), (D(5), D(2)), (D(6), D(1)), (D(50), D(1))],
)
def test_step_rule_lower_is_better(value, expected):
    # complaints: 0 -> 10, up to 2 -> 6, up to 5 -> 2, more -> 1
    rule = StepRule(((D(5), D(2)), (D(0), D(10)), (D(2), D(6))), higher_is_better=False, otherwise=D(1))
    assert rule.points(value) == expected


def test_step_rule_validation_and_explicit_max():
    assert StepRule(((D(90), D(8)),), max_points=D(10)).max_points == 10
    with pytest.raises(SchemeError, match="at least one"):
        StepRule(())
    with pytest.raises(SchemeError, match="distinct"):
        StepRule(((D(90), D(5)), (D(90), D(6))))
    with pytest.raises(SchemeError, match="within"):
        StepRule(((D(90), D(12)),), max_points=D(10))
    with pytest.raises(SchemeError, match="within"):
        StepRule(((D(90), D(-1)), (D(95), D(5))))
    with pytest.raises(SchemeError, match="pairs"):
        StepRule((D(90),))
    with pytest.raises(SchemeError, match="max_points"):
        StepRule(((D(90), D(0)),))  # nothing to earn


# --------------------------------------------------------------------------------------------
# DeductionRule
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "count", "expected"),
    [
        (DeductionRule(D(1), D(10)), 0, D(10)),  # no event -> max
        (DeductionRule(D(1), D(10)), 3, D(7)),  # 10 - 1 x 3
        (DeductionRule(D(1), D(10)), 10, D(0)),  # 10 - 10
        (DeductionRule(D(1), D(10)), 12, D(0)),  # 10 - 12 = -2 -> floor 0
        (DeductionRule(D(5), D(20), D(5)), 2, D(10)),  # 20 - 5 x 2
        (DeductionRule(D(5), D(20), D(5)), 3, D(5)),  # 20 - 15 = 5 = floor
        (DeductionRule(D(5), D(20), D(5)), 4, D(5)),  # 20 - 20 = 0 -> floor 5
        (DeductionRule(D("0.5"), D(10)), D("3.0"), D("8.5")),  # 10 - 0.5 x 3
    ],
)
def test_deduction_rule(rule, count, expected):
    assert rule.points(count) == expected


def test_deduction_rule_validation():
    with pytest.raises(SchemeError, match="whole number"):
        DeductionRule(D(1)).points(D("1.5"))
    with pytest.raises(SchemeError, match="whole number"):
        DeductionRule(D(1)).points(-1)
    with pytest.raises(SchemeError, match="floor"):
        DeductionRule(D(1), D(10), D(11))
    with pytest.raises(SchemeError, match="per_event"):
        DeductionRule(D(-1))


def test_rules_round_trip_through_their_dict_form():
    for rule in (
        LinearRule(D(98), D(90), D(10)),
        StepRule(((D(98), D(10)), (D(95), D("7.5"))), higher_is_better=True, otherwise=D(1)),
        StepRule(((D(0), D(10)),), higher_is_better=False),
        DeductionRule(D(5), D(20), D(5)),
    ):
        assert rule_from_dict(rule.to_dict()) == rule
    assert rule_from_dict({"kind": "linear", "full_at": "98", "zero_at": 90}) == LinearRule(D(98), D(90), D(100))
    with pytest.raises(SchemeError, match="unknown rule kind"):
        rule_from_dict({"kind": "magic"})
    with pytest.raises(SchemeError, match="missing"):
        rule_from_dict({"kind": "linear", "full_at": "98"})
    with pytest.raises(SchemeError, match="not a number"):
        rule_from_dict({"kind": "deduction", "per_event": "lots"})


# --------------------------------------------------------------------------------------------
# schemes
# --------------------------------------------------------------------------------------------


def hospital_scheme() -> Scheme:
    """Six indicators over the four dimensions, weights 20 + 25 + 20 + 10 + 10 + 15 = 100."""
    return Scheme(
        (
            Indicator("response_timeliness", Dimension.PROCESSES, D(20), LinearRule(D(98), D(90))),
            Indicator(
                "resolution_timeliness",
                Dimension.PROCESSES,
                D(25),
                StepRule(((D(95), D(100)), (D(90), D(80)), (D(85), D(60)))),
            ),
            Indicator("csat_mean", Dimension.PEOPLE, D(20), LinearRule(D("4.5"), D("3.5"))),
            Indicator("uniform_violations", Dimension.PEOPLE, D(10), DeductionRule(D(2), D(10))),
            Indicator("spare_parts_availability", Dimension.RESOURCES, D(10), LinearRule(D(100), D(90))),
            Indicator("monitoring_coverage", Dimension.TECHNOLOGY, D(15), StepRule(((D(99), D(15)), (D(95), D(10))))),
        )
    )


HOSPITAL_VALUES = {
    "response_timeliness": D(94),  # 100 x (94 - 90) / 8 = 50 points -> 50 x 20 / 100 = 10
    "resolution_timeliness": D(92),  # step [90, 95) -> 80 points -> 80 x 25 / 100 = 20
    "csat_mean": D("4.2"),  # 100 x 0.7 / 1 = 70 points -> 70 x 20 / 100 = 14
    "uniform_violations": D(3),  # 10 - 2 x 3 = 4 of 10 -> 4 x 10 / 10 = 4
    "spare_parts_availability": D(95),  # 100 x 5 / 10 = 50 -> 50 x 10 / 100 = 5
    "monitoring_coverage": D(99),  # 15 of 15 -> 15 x 15 / 15 = 15
    "not_in_the_scheme": D(1),  # ignored
}


def test_score_scheme_hand_computed():
    score = score_scheme(hospital_scheme(), HOSPITAL_VALUES)
    # total = 10 + 20 + 14 + 4 + 5 + 15 = 68
    assert score.total == D("68.00")
    assert score.total_exact == 68
    assert [s.contribution for s in score.indicators] == [D(10), D(20), D(14), D(4), D(5), D(15)]
    assert [s.points for s in score.indicators] == [D(50), D(80), D(70), D(4), D(50), D(15)]
    assert score.by_code("uniform_violations").max_points == 10
    # dimensions: processes 10 + 20 = 30 of 45; people 14 + 4 = 18 of 30; resources 5 of 10; technology 15 of 15
    dims = score.dimensions
    assert (dims[Dimension.PROCESSES].contribution, dims[Dimension.PROCESSES].weight) == (D(30), D(45))
    assert (dims[Dimension.PEOPLE].contribution, dims[Dimension.PEOPLE].weight) == (D(18), D(30))
    assert (dims[Dimension.RESOURCES].contribution, dims[Dimension.RESOURCES].weight) == (D(5), D(10))
    assert (dims[Dimension.TECHNOLOGY].contribution, dims[Dimension.TECHNOLOGY].weight) == (D(15), D(15))
    with pytest.raises(KeyError):
        score.by_code("nope")


def single(rule=None, weight=D(100), missing=MissingPolicy.RAISE) -> Scheme:
    return Scheme((Indicator("x", Dimension.PROCESSES, weight, rule or LinearRule(D(100), D(0)), missing),))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("89.985"), D("89.99")),  # half up (half-even would give 89.98)
        (D("89.995"), D("90.00")),
        (D("89.994"), D("89.99")),
        (D("79.985"), D("79.99")),
        (D("100"), D("100.00")),
        (D("0.004"), D("0.00")),
    ],
)
def test_total_is_rounded_half_up_to_two_places(value, expected):
    # weight 100, linear 0 -> 100 with max 100: the total equals the value exactly before rounding
    score = score_scheme(single(), {"x": value})
    assert score.total_exact == value
    assert score.total == expected


def test_rounding_happens_once_at_the_end_not_per_indicator():
    scheme = Scheme(
        (
            Indicator("a", Dimension.PEOPLE, D(50), LinearRule(D(100), D(0))),
            Indicator("b", Dimension.PEOPLE, D(50), LinearRule(D(100), D(0))),
        )
    )
    score = score_scheme(scheme, {"a": D("0.005"), "b": D("0.005")})
    # each: 0.005 points x 50 / 100 = 0.0025 (shows as 0.00); exact sum 0.005 -> 0.01 (half up)
    assert [s.contribution for s in score.indicators] == [D("0.0025"), D("0.0025")]
    assert [s.contribution_rounded for s in score.indicators] == [D("0.00"), D("0.00")]
    assert score.total == D("0.01")


def test_repeating_decimals_stay_exact_until_the_end():
    third = LinearRule(D(3), D(0))  # value 1 -> 100 / 3 points
    scheme = Scheme(
        (
            Indicator("a", Dimension.PEOPLE, D(33), third),
            Indicator("b", Dimension.RESOURCES, D(33), third),
            Indicator("c", Dimension.TECHNOLOGY, D(34), third),
        )
    )
    score = score_scheme(scheme, {"a": D(1), "b": D(1), "c": D(1)})
    # (100/3) x (33 + 33 + 34) / 100 = 100/3 = 33.333... -> 33.33
    assert score.total == D("33.33")
    assert abs(score.total_exact - D(100) / D(3)) < D("1e-24")


def test_missing_value_policies():
    with pytest.raises(MissingValue) as exc:
        score_scheme(single(), {})
    assert exc.value.code == "missing_value" and exc.value.params == {"code": "x"}
    with pytest.raises(MissingValue):
        score_scheme(single(), {"x": None})
    zero = score_scheme(single(missing=MissingPolicy.ZERO), {"x": None})
    assert (zero.total, zero.indicators[0].missing, zero.indicators[0].value) == (D("0.00"), True, None)
    full = score_scheme(single(missing="full"), {})
    assert full.total == D("100.00")
    assert full.indicators[0].points == 100


def test_scheme_weights_must_sum_to_exactly_100():
    scheme = Scheme(
        (
            Indicator("a", Dimension.PEOPLE, D(50), LinearRule(D(1), D(0))),
            Indicator("b", Dimension.PROCESSES, D("45.5"), LinearRule(D(1), D(0))),
        )
    )
    with pytest.raises(SchemeError) as exc:
        scheme.validate()
    assert exc.value.code == "weights_sum"
    assert exc.value.params["sum"] == "95.5"
    assert "95.5" in str(exc.value) and "a 50" in str(exc.value) and "b 45.5" in str(exc.value)
    with pytest.raises(SchemeError, match="sum to exactly 100"):
        score_scheme(scheme, {"a": D(1), "b": D(1)})
    # 33.33 + 33.33 + 33.34 = 100 exactly is fine
    ok = Scheme(
        tuple(
            Indicator(c, Dimension.PEOPLE, D(w), LinearRule(D(1), D(0)))
            for c, w in zip("abc", ("33.33", "33.33", "33.34"))
        )
    )
    ok.validate()
    assert ok.weight_sum == 100


def test_scheme_and_indicator_validation():
    with pytest.raises(SchemeError, match="at least one"):
        Scheme(()).validate()
    dup = Scheme(
        (
            Indicator("a", Dimension.PEOPLE, D(50), LinearRule(D(1), D(0))),
            Indicator("a", Dimension.PEOPLE, D(50), LinearRule(D(1), D(0))),
        )
    )
    with pytest.raises(SchemeError, match="repeated: a"):
        dup.validate()
    with pytest.raises(SchemeError, match="unknown dimension"):
        Indicator("a", "finance", D(10), LinearRule(D(1), D(0)))
    with pytest.raises(SchemeError, match="weight"):
        Indicator("a", Dimension.PEOPLE, D(101), LinearRule(D(1), D(0)))
    with pytest.raises(SchemeError, match="Decimal or int"):
        Indicator("a", Dimension.PEOPLE, 10.0, LinearRule(D(1), D(0)))
    with pytest.raises(SchemeError, match="rule"):
        Indicator("a", Dimension.PEOPLE, D(10), lambda v: v)
    with pytest.raises(SchemeError, match="missing policy"):
        Indicator("a", Dimension.PEOPLE, D(10), LinearRule(D(1), D(0)), missing="ignore")
    assert Indicator("a", "people", D(10), LinearRule(D(1), D(0))).dimension is Dimension.PEOPLE


def test_round_score_is_half_up():
    assert round_score(D("0.005")) == D("0.01")
    assert round_score(D("0.015")) == D("0.02")
    assert round_score(D("0.025")) == D("0.03")  # half-even would give 0.02
    assert round_score(D("-0.005")) == D("-0.01")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=6),
    st.lists(st.decimals(min_value=0, max_value=100, places=3), min_size=6, max_size=6),
)
def test_scheme_total_is_bounded_and_equals_the_rounded_weighted_sum(raw_weights, values):
    # weights: scale integer draws to sum to exactly 100 by giving the rest to the last one
    total_raw = sum(raw_weights)
    weights = [D(w * 100 // total_raw) for w in raw_weights]
    weights[-1] += D(100) - sum(weights)
    codes = [f"i{n}" for n in range(len(weights))]
    scheme = Scheme(
        tuple(Indicator(c, Dimension.PROCESSES, w, LinearRule(D(100), D(0))) for c, w in zip(codes, weights))
    )
    score = score_scheme(scheme, dict(zip(codes, values)))
    # Independent: with linear 0 -> 100 (max 100), contribution = value x weight / 100, in exact fractions.
    exact = sum(Fraction(v) * Fraction(w) / 100 for v, w in zip(values, weights))
    assert abs(Fraction(score.total_exact) - exact) < Fraction(1, 10**20)
    assert D(0) <= score.total <= D(100)
    assert score.total == round_score(score.total_exact)
