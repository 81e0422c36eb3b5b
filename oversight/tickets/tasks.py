"""Periodic jobs on work orders. Each takes no instance and is safe to run twice or after a crash."""

from celery import shared_task

from oversight.tickets.escalation import sla_escalation_sweep
from oversight.tickets.services import work_orders_auto_close


@shared_task(name="oversight.tickets.tasks.sweep_sla_escalations")
def sweep_sla_escalations() -> dict:
    """Record breaches and send warning/breach notices not sent yet."""
    return sla_escalation_sweep()


@shared_task(name="oversight.tickets.tasks.auto_close_resolved")
def auto_close_resolved() -> int:
    """Close work orders left resolved and unconfirmed past the configured days."""
    return work_orders_auto_close()
