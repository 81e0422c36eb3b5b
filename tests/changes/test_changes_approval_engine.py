"""The approval engine (changes.approval), exhaustively on small steps against a brute-force reading of the
rules, and with hypothesis: early rejection exactly when approvals + pending can no longer reach what the rule
needs, and a decision that only moves one way as votes come in."""

from __future__ import annotations

import ast
import inspect
import itertools

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from oversight.changes import approval
from oversight.changes.approval import Outcome, Rule, StepRule
from oversight.changes.choices import ApprovalRule


def test_the_module_imports_no_django():
    tree = ast.parse(inspect.getsource(approval))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not any(name.startswith(("django", "oversight")) for name in imported)


@pytest.mark.parametrize(
    ("rule", "places", "needed"),
    [
        (StepRule(Rule.ALL), 5, 5),
        (StepRule(Rule.ANY), 5, 1),
        (StepRule(Rule.QUORUM, quorum=3), 5, 3),
        (StepRule(Rule.PERCENT, percent=60), 5, 3),  # 60 % of 5 = 3
        (StepRule(Rule.PERCENT, percent=50), 5, 3),  # 2.5 rounds up
        (StepRule(Rule.PERCENT, percent=1), 5, 1),
        (StepRule(Rule.PERCENT, percent=100), 4, 4),
        (StepRule(Rule.MAJORITY), 4, 3),  # more than half of 4
        (StepRule(Rule.MAJORITY), 5, 3),
    ],
)
def test_need_by_hand(rule, places, needed):
    assert approval.need(rule, places) == needed


@pytest.mark.parametrize(
    ("rule", "places"),
    [
        (StepRule(Rule.ALL), 0),
        (StepRule(Rule.QUORUM, quorum=4), 3),
        (StepRule(Rule.QUORUM), 3),
        (StepRule(Rule.PERCENT, percent=0), 3),
        (StepRule(Rule.PERCENT, percent=101), 3),
    ],
)
def test_rules_that_cannot_be_met_are_refused(rule, places):
    with pytest.raises(approval.RuleError):
        approval.need(rule, places)


def test_plain_examples():
    # Everyone must approve: the first rejection decides at once, the last approval approves.
    assert approval.decide(StepRule(Rule.ALL), approved=2, rejected=1, pending=2) == Outcome.REJECTED
    assert approval.decide(StepRule(Rule.ALL), approved=4, rejected=0, pending=1) == Outcome.PENDING
    assert approval.decide(StepRule(Rule.ALL), approved=5, rejected=0, pending=0) == Outcome.APPROVED
    # Any one: one approval decides; rejected only when nobody is left to approve.
    assert approval.decide(StepRule(Rule.ANY), approved=1, rejected=0, pending=4) == Outcome.APPROVED
    assert approval.decide(StepRule(Rule.ANY), approved=0, rejected=4, pending=1) == Outcome.PENDING
    assert approval.decide(StepRule(Rule.ANY), approved=0, rejected=5, pending=0) == Outcome.REJECTED
    # Quorum 3 of 5: two rejections leave 3 possible approvals, three leave 2: early rejection.
    assert approval.decide(StepRule(Rule.QUORUM, quorum=3), approved=0, rejected=2, pending=3) == Outcome.PENDING
    assert approval.decide(StepRule(Rule.QUORUM, quorum=3), approved=1, rejected=3, pending=1) == Outcome.REJECTED
    # Majority of 4 (3 needed) waits for everyone even with 3 approvals in; 2 rejections decide early.
    assert approval.decide(StepRule(Rule.MAJORITY), approved=3, rejected=0, pending=1) == Outcome.PENDING
    assert approval.decide(StepRule(Rule.MAJORITY), approved=3, rejected=1, pending=0) == Outcome.APPROVED
    assert approval.decide(StepRule(Rule.MAJORITY), approved=0, rejected=2, pending=2) == Outcome.REJECTED
    # A tie is not a majority.
    assert approval.decide(StepRule(Rule.MAJORITY), approved=2, rejected=2, pending=0) == Outcome.REJECTED


def _rules(places):
    yield StepRule(Rule.ALL)
    yield StepRule(Rule.ANY)
    yield StepRule(Rule.MAJORITY)
    for n in range(1, places + 1):
        yield StepRule(Rule.QUORUM, quorum=n)
    for p in (1, 25, 33, 50, 51, 66, 67, 75, 99, 100):
        yield StepRule(Rule.PERCENT, percent=p)


def _brute_force(rule, approved, rejected, pending):
    """Decide by trying every way the pending places could still vote, against the rule read literally."""
    places = approved + rejected + pending
    needed = approval.need(rule, places)
    finals = [approved + extra >= needed for extra in range(pending + 1)]
    if not any(finals):
        return Outcome.REJECTED
    if all(finals) and (rule.rule != Rule.MAJORITY or pending == 0):
        return Outcome.APPROVED
    return Outcome.PENDING


def test_every_rule_on_every_small_step_agrees_with_brute_force():
    checked = 0
    for places in range(1, 8):
        for rule in _rules(places):
            for approved, rejected in itertools.product(range(places + 1), repeat=2):
                pending = places - approved - rejected
                if pending < 0:
                    continue
                assert approval.decide(rule, approved=approved, rejected=rejected, pending=pending) == _brute_force(
                    rule, approved, rejected, pending
                ), (rule, approved, rejected, pending)
                checked += 1
    assert checked > 2000


@st.composite
def steps(draw):
    places = draw(st.integers(1, 30))
    kind = draw(st.sampled_from(list(Rule)))
    rule = StepRule(
        kind,
        quorum=draw(st.integers(1, places)) if kind == Rule.QUORUM else None,
        percent=draw(st.integers(1, 100)) if kind == Rule.PERCENT else None,
    )
    approved = draw(st.integers(0, places))
    rejected = draw(st.integers(0, places - approved))
    return rule, approved, rejected, places - approved - rejected


@given(steps())
def test_early_rejection_exactly_when_the_threshold_is_out_of_reach(step):
    rule, a, r, p = step
    outcome = approval.decide(rule, approved=a, rejected=r, pending=p)
    assert (outcome == Outcome.REJECTED) == (a + p < approval.need(rule, a + r + p))


@given(steps(), st.booleans())
def test_the_decision_is_monotone(step, approve):
    """One more vote never undoes a decision: an approved step stays approved when a pending place approves,
    a rejected one stays rejected whatever comes in, and an approval never turns a step into a rejection."""
    rule, a, r, p = step
    if p == 0:
        return
    before = approval.decide(rule, approved=a, rejected=r, pending=p)
    after = approval.decide(rule, approved=a + approve, rejected=r + (not approve), pending=p - 1)
    if before == Outcome.REJECTED:
        assert after == Outcome.REJECTED
    if before == Outcome.APPROVED and rule.rule != Rule.MAJORITY:
        assert after == Outcome.APPROVED
    if approve:
        assert after != Outcome.REJECTED or before == Outcome.REJECTED
    else:
        assert after != Outcome.APPROVED or before == Outcome.APPROVED or rule.rule == Rule.MAJORITY


def test_sequence_of_steps():
    assert approval.sequence([Outcome.APPROVED, Outcome.PENDING, Outcome.PENDING]) == (Outcome.PENDING, 1)
    assert approval.sequence([Outcome.APPROVED, Outcome.REJECTED, Outcome.PENDING]) == (Outcome.REJECTED, None)
    assert approval.sequence([Outcome.APPROVED, Outcome.APPROVED]) == (Outcome.APPROVED, None)


def test_plain_language_labels_in_chinese():
    with translation.override("zh-hans"):
        labels = {rule: str(ApprovalRule(rule).label) for rule in ApprovalRule.values}
    assert labels["all"] == "需全部同意"
    assert labels["any"] == "任一同意"
    assert labels["majority"] == "全部投票后过半同意"
    assert set(ApprovalRule.values) == {r.value for r in Rule}
