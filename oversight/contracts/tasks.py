"""Periodic jobs on contracts. Each takes no instance and is safe to run twice or after a crash."""

from celery import shared_task

from oversight.contracts.services import contract_renewal_reminders_send, contracts_expire_ended


@shared_task(name="oversight.contracts.tasks.send_renewal_reminders")
def send_renewal_reminders() -> int:
    """Remind the client and the vendor of contracts ending within their notice period (once per threshold)."""
    return contract_renewal_reminders_send()


@shared_task(name="oversight.contracts.tasks.expire_ended_contracts")
def expire_ended_contracts() -> int:
    """Mark active contracts whose term has ended as expired."""
    return contracts_expire_ended()
