"""The one task that runs domain-event handlers (see oversight.core.events)."""

from __future__ import annotations

from celery import shared_task

from oversight.core import events


@shared_task(bind=True, name="oversight.core.tasks.run_event_handler", max_retries=5)
def run_event_handler(self, event: str, handler: str, payload: dict) -> None:
    """Run one registered handler of one event. Handlers are idempotent, so a redelivery is harmless."""
    func = events.registered_handler(event, handler)
    if func is None:
        raise LookupError(f"no handler {handler!r} is registered for {event!r}")
    try:
        func(**payload)
    except Exception as exc:
        if self.request.is_eager:
            raise
        # On a worker a passing failure (database restart, mail server down) is retried with backoff.
        raise self.retry(exc=exc, countdown=min(600, 10 * 2**self.request.retries)) from exc


@shared_task(bind=True, name="oversight.core.tasks.record_worker_heartbeat")
def record_worker_heartbeat(self) -> None:
    """Record that a worker took a job from the queue lately (beat queues this every 30 s; oversight.core.health)."""
    from oversight.core.health import WORKER, heartbeat_record

    heartbeat_record(WORKER, detail=(self.request.hostname or "in-process")[:200])
