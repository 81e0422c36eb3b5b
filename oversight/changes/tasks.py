"""Background jobs of the changes app: take no objects, call services, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from oversight.changes import services


@shared_task(name="oversight.changes.tasks.ask_due_substitutes")
def ask_due_substitutes() -> int:
    """Ask the substitutes of approval requests whose deadline has passed (each once: a repeat asks nobody)."""
    return services.approval_ask_substitutes()
