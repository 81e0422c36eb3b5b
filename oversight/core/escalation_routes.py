"""Whether an escalation matrix covers a trigger: the one question an app below the matrix asks before it sends
escalation notices of its own.

The app that keeps the matrix (liaisons) registers its answer from its ``AppConfig.ready()``; the apps below it
(tickets) ask here and never import it. Without a registration nothing is covered and every app keeps its own
fixed recipients (the platform without the liaisons app behaves as before).
"""

from __future__ import annotations

from collections.abc import Callable

Cover = Callable[..., bool]

_covers: list[Cover] = []


def register_cover(func: Cover) -> Cover:
    """Register ``func(*, trigger, organisation_id, vendor_id, priority) -> bool`` (once per function)."""
    if func not in _covers:
        _covers.append(func)
    return func


def matrix_covers(*, trigger: str, organisation_id: int, vendor_id: int | None, priority: str = "") -> bool:
    """Whether a registered matrix routes this trigger for this organisation, vendor and priority."""
    return any(
        cover(trigger=trigger, organisation_id=organisation_id, vendor_id=vendor_id, priority=priority)
        for cover in _covers
    )
