"""The one transition helper every object with a status uses (work orders, complaints, evaluation periods,
disputes, contracts, settlement statements, prize draws, report deliveries).

It lives here, in the audit layer, rather than in ``core``: it writes the audit entry of every transition,
and core imports no app (the import contracts say so), while every domain app may import audit. The table
and the repeat rule it applies are pure declarations in `oversight.core.transitions`, so an app's
``choices.py`` declares its machine without importing audit.

One call does, in this order: the row lock, the caller's authorisation check, the optimistic version
check, the table check with the one rule for a harmless repeat (see `oversight.core.transitions`), the
guards, the caller's own field changes, the status write with ``update_fields`` (and the version bump
where the model has a version), the timeline step where the model has a timeline, the audit entry, and
the domain event, which `oversight.core.events.publish` hands to its handlers only after the commit.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction

from oversight.audit.services import audit_record
from oversight.core import clock, events
from oversight.core.concurrency import check_version, lock_row, touch
from oversight.core.timeline import timeline_append
from oversight.core.transitions import Guard, Machine


@dataclass
class Transition:
    """What a transition did: the object (reloaded under the lock), whether it changed, from and to which status."""

    obj: models.Model
    changed: bool
    from_status: str
    to_status: str


def _has_field(model: type[models.Model], name: str) -> bool:
    """Whether the model has a concrete column of that name (a reverse relation does not count)."""
    return any(f.name == name for f in model._meta.concrete_fields)


def _evaluate(value, obj):
    return value(obj) if callable(value) else value


def _jsonable(data: dict) -> dict:
    """Decimals and instants as strings, so a timeline keeps exact figures in JSON."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def transition(
    obj: models.Model,
    *,
    machine: Machine,
    action: str,
    actor,
    expected_version: int | None = None,
    lock: bool = True,
    related: Iterable[str] = (),
    authorize: Callable[[Any], None] | None = None,
    guards: Iterable[Guard] = (),
    params: Mapping[str, Any] | None = None,
    target: str | Callable[[Any], str] | None = None,
    apply: Callable[[Any, Any], Iterable[str] | None] | None = None,
    at=None,
    timeline: Mapping[str, Any] | Callable[[Any], Mapping[str, Any]] | None = None,
    audit_after: Mapping[str, Any] | Callable[[Any], Mapping[str, Any]] | None = None,
    audit_organisation=None,
    event: events.EventType | str | None = None,
    payload: Mapping[str, Any] | Callable[[Any], Mapping[str, Any]] | None = None,
    announce: Callable[[Transition], Iterable[tuple[events.EventType | str, Mapping[str, Any]]]] | None = None,
) -> Transition:
    """Move ``obj`` along ``machine`` by ``action`` for ``actor`` (None = the system); see the module docstring.

    - ``lock=False`` when the caller already holds the row lock (and may have changed the object in memory);
      ``related`` are the relations to load with the lock.
    - ``authorize(obj)`` raises when the actor may not act on this object at all (before the version check);
      the machine's guards for the action, then ``guards``, run as ``guard(obj, actor)`` after the table check.
    - ``params`` are the request's inputs, for the machine's notion of the same request.
    - ``apply(obj, now)`` makes the action's own field changes and returns the names of the fields it changed.
    - ``timeline`` gives extra fields of the timeline step (``data``, ``body``, ``note``...), ``audit_after``
      what the audit entry records besides the statuses; either may be a callable of the object, read after
      ``apply``. ``event`` and ``payload`` are published after commit; ``announce(outcome)`` lists more
      ``(event, payload)`` pairs when one transition is announced several ways (as a transition, and by name).

    Must run inside a transaction (the row lock lasts until it ends)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("transition() must run inside a transaction")
    machine.step(action)
    locked = lock_row(obj, *related) if lock else obj
    if authorize is not None:
        authorize(locked)
    model = type(locked)
    if _has_field(model, "version"):
        check_version(locked, expected_version, machine.stale)
    from_status = getattr(locked, machine.status_field)
    to_status = machine.decide(locked, actor, action, params, target=target)
    if to_status is None:
        return Transition(obj=locked, changed=False, from_status=from_status, to_status=from_status)
    for guard in (*machine.guards.get(action, ()), *guards):
        guard(locked, actor)
    now = at or clock.now()
    fields = list(apply(locked, now) or ()) if apply is not None else []
    setattr(locked, machine.status_field, to_status)
    fields = [machine.status_field, *(f for f in fields if f != machine.status_field)]
    if _has_field(model, "version"):
        touch(locked, now, fields)
    else:
        if _has_field(model, "updated_at"):
            locked.updated_at = now
            fields.append("updated_at")
        locked.save(update_fields=fields)
    if machine.timeline:
        step_model = apps.get_model(machine.timeline)
        extra = dict(_evaluate(timeline, locked) or {})
        if "data" in extra:
            extra["data"] = _jsonable(extra["data"] or {})
        if _has_field(step_model, "action"):
            extra.setdefault("action", action)
        timeline_append(
            step_model,
            locked,
            actor=actor,
            kind=machine.timeline_kind,
            at=now,
            from_status=from_status,
            to_status=to_status,
            **extra,
        )
    audit_record(
        actor=actor,
        action=machine.audit_action(action, to_status),
        obj=locked,
        organisation=audit_organisation,
        before={"status": from_status},
        after={"status": to_status, **(_evaluate(audit_after, locked) or {})},
    )
    outcome = Transition(obj=locked, changed=True, from_status=from_status, to_status=to_status)
    if event is not None:
        events.publish(event, **(_evaluate(payload, locked) or {}))
    for announced, announced_payload in announce(outcome) if announce is not None else ():
        events.publish(announced, **announced_payload)
    return outcome
