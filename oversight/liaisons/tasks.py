"""Periodic work of the liaisons app (Celery beat: ``escalation-sweep`` in settings)."""

from celery import shared_task

from oversight.liaisons.services import escalation_sweep


@shared_task
def sweep_escalations() -> dict[str, int]:
    """Send the escalation levels now due, raise and settle stalled changes (idempotent)."""
    return escalation_sweep()
