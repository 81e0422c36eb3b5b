"""Domain events: a service announces what happened; the apps that care react, and the publisher never
imports them.

- The publishing app declares each event once, in its ``events.py``: ``WORK_ORDER_RESOLVED =
  define("tickets.work_order.resolved", "work_order_id", "actor_id", doc="...")``.
- A service calls ``publish(WORK_ORDER_RESOLVED, work_order_id=..., actor_id=...)`` inside its transaction.
  Nothing runs until the transaction commits; a rolled-back write announces nothing.
- A reacting app registers handlers in its ``handlers.py`` (imported by its ``AppConfig.ready``)::

      @handles("tickets.work_order.resolved")
      def issue_rating_link(*, work_order_id, actor_id, event_id): ...

- After commit, each handler runs as its own Celery task (``oversight.core.tasks.run_event_handler``):
  in-process when embedded (no ``REDIS_URL``), on a worker in production. One handler failing never
  stops another. A task may be delivered twice, so handlers are idempotent: they look at the state they
  are about to change, and ``event_id`` (one per publish) is there for handlers that need a dedupe key.

Payloads are primary keys and short codes only (int, str, bool or None), so a handler reads the rows as
they are when it runs and a queued task never carries a stale object.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

PAYLOAD_TYPES = (int, str, bool, type(None))


@dataclass(frozen=True)
class EventType:
    """One kind of domain event: its dotted name and the payload fields every publish must give."""

    name: str
    fields: tuple[str, ...]
    doc: str = ""


@dataclass
class _Registry:
    events: dict[str, EventType] = field(default_factory=dict)
    handlers: dict[str, list[Callable]] = field(default_factory=dict)


_registry = _Registry()


def define(name: str, *fields: str, doc: str = "") -> EventType:
    """Declare an event (called once, at import of the publishing app's ``events.py``)."""
    event = EventType(name=name, fields=tuple(fields), doc=doc)
    known = _registry.events.get(name)
    if known is not None and known != event:
        raise ValueError(f"event {name!r} is already defined with other fields")
    _registry.events[name] = event
    return event


def handles(event: str | EventType) -> Callable[[Callable], Callable]:
    """Register the decorated function as a handler of ``event`` (by name or ``EventType``)."""
    name = event.name if isinstance(event, EventType) else event

    def register(func: Callable) -> Callable:
        registered = _registry.handlers.setdefault(name, [])
        if handler_path(func) not in {handler_path(f) for f in registered}:
            registered.append(func)
        return func

    return register


def handler_path(func: Callable) -> str:
    """The dotted path a task uses to find a registered handler again."""
    return f"{func.__module__}.{func.__qualname__}"


def handlers_for(name: str) -> list[Callable]:
    """The handlers registered for an event, in registration order."""
    return list(_registry.handlers.get(name, ()))


def registered_handler(name: str, path: str) -> Callable | None:
    """A handler of ``name`` by its dotted path, or None (tasks never import arbitrary paths)."""
    for func in _registry.handlers.get(name, ()):
        if handler_path(func) == path:
            return func
    return None


def event_types() -> dict[str, EventType]:
    """Every defined event, by name (the docs and the consistency check read this)."""
    return dict(_registry.events)


def undefined_handled_events() -> list[str]:
    """Names that have handlers but were never defined: a typo that would silently never fire."""
    return sorted(name for name in _registry.handlers if name not in _registry.events)


def _check_payload(event: EventType, payload: dict) -> None:
    missing = [f for f in event.fields if f not in payload]
    extra = [f for f in payload if f not in event.fields]
    if missing or extra:
        raise TypeError(f"event {event.name!r}: missing {missing}, unexpected {extra}")
    for key, value in payload.items():
        if not isinstance(value, PAYLOAD_TYPES):
            raise TypeError(f"event {event.name!r}: {key} must be a primary key or a code, not {type(value)}")


def publish(event: EventType | str, **payload) -> str:
    """Announce ``event`` with ``payload``; its handlers run as tasks once the current transaction commits.

    Returns the event id given to every handler (the same for all handlers of this one publish)."""
    event_type = _registry.events.get(event.name if isinstance(event, EventType) else event)
    if event_type is None:
        raise LookupError(f"unknown event {event!r}: define it in the publishing app's events.py")
    _check_payload(event_type, payload)
    event_id = uuid.uuid4().hex
    # Robust: the write has committed, so a failing handler must neither undo nor hide it from the user nor
    # stop the next handler; it is logged (and retried by the worker in production). Tests set
    # EVENT_HANDLER_ERRORS_RAISE so a broken handler fails the test instead of a log line.
    robust = not getattr(settings, "EVENT_HANDLER_ERRORS_RAISE", False)
    for func in handlers_for(event_type.name):
        send = _enqueue(event_type.name, handler_path(func), {**payload, "event_id": event_id})
        transaction.on_commit(send, robust=robust)
    return event_id


def _enqueue(name: str, path: str, payload: dict) -> Callable[[], None]:
    def send() -> None:
        from oversight.core.tasks import run_event_handler

        run_event_handler.delay(name, path, payload)

    return send
