"""How a change's computed parts read to a person: an approval step's rule in plain words (需全部同意, 法定人数 n,
百分比 p, 过半同意) with the approvals it needs, the risk with how each score was computed, the calendar
conflicts with their reason in words. Pages (and any other reader) call these with what the selectors gave them;
nothing here queries the database."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oversight.changes import approval, permissions, risk
from oversight.changes.choices import (
    CHANGE_ACTIONS_NEEDING_NOTE,
    CHANGE_MACHINE,
    RISK_FACTOR_LABELS,
    RISK_QUESTIONS,
    RISK_WEIGHTS,
    ApprovalRule,
    ChangeAction,
    ChangeType,
    ConflictCode,
    RiskLevel,
)
from oversight.core.errors import InvalidTransition


def rule_in_words(rule: str, quorum: int | None = None, percent: int | None = None) -> str:
    """An approval step's rule as a reader says it: everyone, any one, a quorum of n, p percent, a majority."""
    if rule == ApprovalRule.QUORUM:
        return gettext("Quorum: at least %(n)s approvals") % {"n": quorum}
    if rule == ApprovalRule.PERCENT:
        return gettext("Percentage: at least %(p)s%% of the approvers approve") % {"p": percent}
    if rule in ApprovalRule.values:
        return str(ApprovalRule(rule).label)
    return rule


def approvals_needed(step, places: int) -> int | None:
    """How many approvals the step needs out of its places (None when its rule cannot be met by them)."""
    try:
        return approval.need(approval.StepRule(approval.Rule(step.rule), step.quorum, step.percent), places)
    except (approval.RuleError, ValueError):
        return None


@dataclass(frozen=True)
class FactorLine:
    """One factor of the rule-based risk score: what it is, the value it saw, the points it gave."""

    label: str
    value: str
    points: int


@dataclass(frozen=True)
class AnswerLine:
    """One answered question of the risk questionnaire with its weight."""

    question: str
    answer: str
    weight: int
    points: int


def _factor_value(code: str, value) -> str:
    if code == "type" and value in ChangeType.values:
        return str(ChangeType(value).label)
    if code in ("no_backout", "no_test"):
        return gettext("Yes") if value else gettext("No")
    return str(value)


def risk_explained(change) -> dict:
    """Both risk scores of a change with how they were computed, and which one gives the change its risk."""
    factors = [
        FactorLine(
            str(RISK_FACTOR_LABELS.get(f.get("code"), f.get("code"))),
            _factor_value(f.get("code"), f.get("value")),
            f.get("points", 0),
        )
        for f in change.risk_rule_factors or []
    ]
    answers = []
    questionnaire = None
    if change.risk_answers:
        for code, (weight, question, texts) in RISK_QUESTIONS.items():
            given = change.risk_answers.get(code)
            if given is None or not 0 <= int(given) < len(texts):
                continue
            answers.append(AnswerLine(str(question), str(texts[int(given)]), weight, weight * int(given)))
        try:
            questionnaire = risk.questionnaire_score(
                {code: int(v) for code, v in change.risk_answers.items()}, RISK_WEIGHTS
            )
        except (risk.RiskInputError, TypeError, ValueError):
            questionnaire = None
    questionnaire_level = change.risk_questionnaire_level
    used = "rule" if questionnaire_level is None or change.risk_rule_level >= questionnaire_level else "questionnaire"
    return {
        "factors": factors,
        "rule_score": change.risk_rule_score,
        "rule_level": RiskLevel(change.risk_rule_level).label,
        "answers": answers,
        "weighted": questionnaire.weighted if questionnaire else None,
        "maximum": questionnaire.maximum if questionnaire else None,
        "percent": change.risk_questionnaire_percent,
        "questionnaire_level": RiskLevel(questionnaire_level).label if questionnaire_level else None,
        "level": RiskLevel(change.risk_level).label,
        "used": used,
    }


#: The thresholds of each score, as readers see them next to the score.
RULE_SCALE = _("0–2 low, 3–4 medium, 5–7 high, 8 or more very high")
# xgettext:no-python-format
QUESTIONNAIRE_SCALE = _("below 25% low, below 50% medium, below 75% high, else very high")


def conflict_lines(codes: list[dict], *, windows: dict, changes: dict, cis: dict) -> list[dict]:
    """The stored conflicts of a change in words: the reason, what it is with (a window, or another change the
    reader may see, else "another change"), the items concerned the reader may see, and hard or soft."""
    lines = []
    for conflict in codes or []:
        code = conflict.get("code")
        reason = str(ConflictCode(code).label) if code in ConflictCode.values else str(code)
        window = windows.get(conflict.get("window"))
        other = conflict.get("change")
        with_what, url = "", ""
        if window is not None:
            with_what = window.name
        elif other is not None and other in changes:
            with_what, url = changes[other].number, changes[other].get_absolute_url()
        elif other is not None:
            with_what = gettext("another change")
        items = [str(cis[pk]) for pk in conflict.get("cis") or () if pk in cis]
        hardness = ""
        if code == ConflictCode.BLACKOUT:
            hardness = gettext("hard: refused") if conflict.get("hard") else gettext("soft: needs an exception")
        lines.append(
            {"code": code, "reason": reason, "with": with_what, "url": url, "cis": items, "hardness": hardness}
        )
    return lines


def actions_for(user, change, *, steps_open: bool) -> list[dict]:
    """The transitions the table, the change's type and the user's rights allow now, as buttons (authorising or
    rejecting by hand is not offered while approval steps decide)."""
    found = []
    for action in CHANGE_MACHINE.actions_from(change.status):
        if not permissions.may_transition(user, change, action):
            continue
        if steps_open and action in (ChangeAction.AUTHORISE, ChangeAction.REJECT):
            continue
        try:
            for guard in CHANGE_MACHINE.guards.get(action, ()):
                guard(change, user)
        except InvalidTransition:
            continue
        found.append(
            {"code": action, "label": ChangeAction(action).label, "note": action in CHANGE_ACTIONS_NEEDING_NOTE}
        )
    return found
