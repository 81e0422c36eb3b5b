"""Buttons are verbs: no action a user can press reads like a status or like the timeline's record of it
("已到场" on the button looked like the work order's state; the button says 确认到场)."""

from __future__ import annotations

import pytest
from django.utils import translation

from oversight.feedback.choices import ComplaintAction, ComplaintStatus
from oversight.scorecards.choices import PeriodAction, PeriodStatus
from oversight.tickets.choices import Action, Status
from oversight.tickets.views.display import ACTION_DONE

SYSTEM_ACTIONS = {Action.AUTO_CLOSE, PeriodAction.SETTLE_DISPUTES}  # never a button


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    ("actions", "states"),
    [
        (Action, [*Status, *ACTION_DONE.values()]),
        (ComplaintAction, list(ComplaintStatus)),
        (PeriodAction, list(PeriodStatus)),
    ],
)
def test_no_action_label_reads_like_a_status(language, actions, states):
    with translation.override(language):
        state_words = {str(s.label) if hasattr(s, "label") else str(s) for s in states}
        clashes = {
            action.value: str(action.label)
            for action in actions
            if action not in SYSTEM_ACTIONS and str(action.label) in state_words
        }
    assert not clashes, clashes


def test_the_arrival_button_says_confirm_arrival():
    with translation.override("zh-hans"):
        assert str(Action.ARRIVE.label) == "确认到场"
