"""Writes of the liaisons app; one module per part, import them from here.

- `escalation`: the engine (raise, advance, settle, the periodic sweep) with its fixed signatures
  ``escalation_raise`` and ``escalation_settle`` that other apps (meetings) call;
- `stalled`: stalled changes found by the sweep;
- `liaisons`: liaisons, deputies and the escalation matrix;
- `hotline`: the public supervision hotline (page, areas, reports and their triage)."""

from oversight.liaisons.services.escalation import (
    episode_settle,
    escalation_advance,
    escalation_raise,
    escalation_settle,
    escalation_sweep,
    matrix_covers,
    matrix_rules,
)

__all__ = [
    "episode_settle",
    "escalation_advance",
    "escalation_raise",
    "escalation_settle",
    "escalation_sweep",
    "matrix_covers",
    "matrix_rules",
]
