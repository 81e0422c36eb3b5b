"""The risk of a change (changes.risk): both scores against hand calculations, the boundaries of the levels,
refusals of a partial questionnaire, and properties (monotone, the higher of the two)."""

from __future__ import annotations

import ast
import inspect
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oversight.changes import risk
from oversight.changes.choices import RISK_QUESTIONS, RISK_WEIGHTS
from oversight.changes.risk import HIGH, LOW, MEDIUM, VERY_HIGH


def test_the_module_imports_no_django():
    tree = ast.parse(inspect.getsource(risk))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not any(name.startswith(("django", "oversight")) for name in imported)


def _rule(**kwargs):
    facts = {
        "change_type": "normal",
        "outage_minutes": 0,
        "services": 1,
        "cis": 0,
        "has_backout_plan": True,
        "has_test_plan": True,
    }
    return risk.rule_score(**{**facts, **kwargs})


def test_rule_score_by_hand():
    # normal 1 + outage 45 min 2 + two services 1 + no CIs 0 + backout 0 + no test plan 1 = 5: high.
    score = _rule(outage_minutes=45, services=2, has_test_plan=False)
    assert [(f.code, f.points) for f in score.factors] == [
        ("type", 1),
        ("outage", 2),
        ("services", 1),
        ("cis", 0),
        ("no_backout", 0),
        ("no_test", 1),
    ]
    assert (score.score, score.level) == (5, HIGH)
    # standard 0 + 5 min 1 = 1: low.
    assert (_rule(change_type="standard", outage_minutes=5).score, _rule(change_type="standard").level) == (1, LOW)
    # emergency 3 + 200 min 3 + four services 2 + five CIs 1 + no backout 2 + no test 1 = 12: very high.
    worst = _rule(
        change_type="emergency", outage_minutes=200, services=4, cis=5, has_backout_plan=False, has_test_plan=False
    )
    assert (worst.score, worst.level) == (12, VERY_HIGH)


@pytest.mark.parametrize(("minutes", "points"), [(0, 0), (1, 1), (30, 1), (31, 2), (120, 2), (121, 3), (10_000, 3)])
def test_outage_bands(minutes, points):
    assert _rule(outage_minutes=minutes).factors[1].points == points


@pytest.mark.parametrize(
    ("score", "level"), [(0, LOW), (2, LOW), (3, MEDIUM), (4, MEDIUM), (5, HIGH), (7, HIGH), (8, VERY_HIGH)]
)
def test_rule_thresholds(score, level):
    assert risk.level_for(score, risk.RULE_THRESHOLDS) == level


def test_questionnaire_by_hand():
    assert RISK_WEIGHTS == {"reach": 3, "clinical": 3, "experience": 2, "backout": 2, "complexity": 1}
    answers = {"reach": 2, "clinical": 3, "experience": 1, "backout": 0, "complexity": 2}
    # 3×2 + 3×3 + 2×1 + 2×0 + 1×2 = 19 of (3+3+2+2+1)×3 = 33: 57.58 %, high.
    q = risk.questionnaire_score(answers, RISK_WEIGHTS)
    assert (q.weighted, q.maximum, q.share) == (19, 33, Fraction(19, 33))
    assert q.percent == Decimal("57.6")
    assert q.level == HIGH
    assert risk.questionnaire_score(dict.fromkeys(RISK_WEIGHTS, 0), RISK_WEIGHTS).level == LOW
    assert risk.questionnaire_score(dict.fromkeys(RISK_WEIGHTS, 3), RISK_WEIGHTS).percent == Decimal("100.0")


@pytest.mark.parametrize(
    ("weighted", "level"), [(2, LOW), (3, MEDIUM), (5, MEDIUM), (6, HIGH), (8, HIGH), (9, VERY_HIGH)]
)
def test_questionnaire_thresholds_exactly_at_the_boundary(weighted, level):
    # Weights 1, 1, 2: the maximum is 12, so 3 is exactly 25 %, 6 exactly 50 %, 9 exactly 75 %.
    weights = {"a": 1, "b": 1, "c": 2}
    answers = {
        2: {"a": 2, "b": 0, "c": 0},
        3: {"a": 3, "b": 0, "c": 0},
        5: {"a": 3, "b": 2, "c": 0},
        6: {"a": 0, "b": 0, "c": 3},
        8: {"a": 2, "b": 0, "c": 3},
        9: {"a": 3, "b": 0, "c": 3},
    }[weighted]
    q = risk.questionnaire_score(answers, weights)
    assert q.weighted == weighted and q.level == level


def test_questionnaire_refusals():
    assert risk.questionnaire_score({}, RISK_WEIGHTS) is None
    with pytest.raises(risk.RiskInputError):
        risk.questionnaire_score({"reach": 1}, RISK_WEIGHTS)
    with pytest.raises(risk.RiskInputError):
        risk.questionnaire_score({**dict.fromkeys(RISK_WEIGHTS, 1), "money": 1}, RISK_WEIGHTS)
    with pytest.raises(risk.RiskInputError):
        risk.questionnaire_score({**dict.fromkeys(RISK_WEIGHTS, 1), "reach": 4}, RISK_WEIGHTS)
    with pytest.raises(risk.RiskInputError):
        risk.rule_score(
            change_type="major", outage_minutes=0, services=0, cis=0, has_backout_plan=True, has_test_plan=True
        )


def test_every_question_has_four_answers():
    assert all(len(answers) == risk.MAX_ANSWER + 1 for _weight, _text, answers in RISK_QUESTIONS.values())


facts = st.fixed_dictionaries(
    {
        "change_type": st.sampled_from(["standard", "normal", "emergency"]),
        "outage_minutes": st.integers(0, 600),
        "services": st.integers(0, 10),
        "cis": st.integers(0, 10),
        "has_backout_plan": st.booleans(),
        "has_test_plan": st.booleans(),
    }
)
answer_sets = st.fixed_dictionaries({code: st.integers(0, 3) for code in RISK_WEIGHTS})


@given(facts, st.one_of(st.none(), answer_sets))
def test_the_risk_is_the_higher_of_the_two(f, answers):
    rule = risk.rule_score(**f)
    q = risk.questionnaire_score(answers or {}, RISK_WEIGHTS)
    assert rule.score == sum(x.points for x in rule.factors)
    combined = risk.combined(rule, q)
    assert combined.level == max(rule.level, q.level if q else LOW)
    assert combined.level >= rule.level


@given(answer_sets, st.sampled_from(sorted(RISK_WEIGHTS)))
def test_a_riskier_answer_never_lowers_the_questionnaire(answers, code):
    if answers[code] == 3:
        return
    lower = risk.questionnaire_score(answers, RISK_WEIGHTS)
    higher = risk.questionnaire_score({**answers, code: answers[code] + 1}, RISK_WEIGHTS)
    assert higher.share > lower.share and higher.level >= lower.level


@given(facts, st.integers(0, 600), st.integers(0, 10))
def test_more_outage_or_services_never_lowers_the_rule_level(f, more_minutes, more_services):
    base = risk.rule_score(**f)
    worse = risk.rule_score(
        **{**f, "outage_minutes": f["outage_minutes"] + more_minutes, "services": f["services"] + more_services}
    )
    assert worse.score >= base.score and worse.level >= base.level
