"""Periodic job of the evaluation app. It takes no instance and is safe to run twice or after a crash."""

from celery import shared_task

from oversight.scorecards.services import periods_compute_due


@shared_task(name="oversight.scorecards.tasks.compute_due_periods")
def compute_due_periods() -> dict:
    """Open the current and previous evaluation periods of every evaluated contract; compute ended drafts once."""
    return periods_compute_due()
