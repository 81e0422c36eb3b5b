"""Periodic job of the report delivery. It takes no instance and is safe to run twice, concurrently or after a crash."""

from celery import shared_task

from oversight.reports.services import deliveries_send_due


@shared_task(name="oversight.reports.tasks.send_due_reports")
def send_due_reports() -> dict:
    """E-mail every scheduled service report that is due, once per schedule and period."""
    return deliveries_send_due()
