"""Jobs of the contact-centre app: an uploaded export is imported by a job (a Celery worker when there is one,
else in-process when the upload commits), so a large file does not hold the web request."""

from celery import shared_task

from oversight.contactcentre.services.imports import import_run


@shared_task(name="oversight.contactcentre.tasks.run_interval_import")
def run_interval_import(import_id: int) -> str | None:
    """Import one queued file; returns its status (None when it was already taken by another delivery)."""
    run = import_run(import_id=import_id)
    return None if run is None else run.status
