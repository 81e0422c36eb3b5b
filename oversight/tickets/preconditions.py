"""Conditions of a work-order transition that only an app above tickets can judge (ADR 0028).

"Wait for the problem" is possible only for an incident linked to an open problem, and problems are an app
above tickets: tickets never imports it. The app that knows registers a check from its ``AppConfig.ready()``::

    preconditions.register(Action.PAUSE_PROBLEM, incident_has_open_problem)

A check takes the work order and answers whether the action may go ahead. An action listed in
``OUTSIDE_CONDITIONS`` is refused while no app has registered a check for it (nothing vouches for it), and
offered on the pages and in the API's ``allowed_actions`` only while a check says yes.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from oversight.tickets.choices import Action

Check = Callable[[object], bool]

#: The actions that need an outside app's word, with the refusal a user reads when it is missing.
OUTSIDE_CONDITIONS = {
    Action.PAUSE_PROBLEM: _("Only an incident linked to an open problem can wait for it."),
}

_checks: dict[str, list[Check]] = {}


def register(action: str, check: Check) -> None:
    """Let ``check(work_order) -> bool`` decide whether ``action`` may go ahead (registered once per check)."""
    if action not in OUTSIDE_CONDITIONS:
        raise ValueError(f"{action!r} takes no outside condition")
    registered = _checks.setdefault(action, [])
    if check not in registered:
        registered.append(check)


def refusal(action: str, work_order) -> str | None:
    """Why ``action`` may not go ahead on the work order now, or None when nothing stands in its way."""
    if action not in OUTSIDE_CONDITIONS:
        return None
    checks = _checks.get(action, ())
    if checks and all(check(work_order) for check in checks):
        return None
    return str(OUTSIDE_CONDITIONS[action])
