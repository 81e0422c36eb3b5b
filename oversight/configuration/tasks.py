"""Jobs of the configuration app: applying a large import (queued by `configuration.imports.import_start`)."""

from celery import shared_task
from django.contrib.auth import get_user_model

from oversight.configuration.imports import import_run


@shared_task(name="oversight.configuration.tasks.apply_import")
def apply_import(import_id: int, actor_id: int | None) -> str:
    """Apply a queued import once; a second delivery finds it started and does nothing."""
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    result = import_run(import_id=import_id, actor=actor)
    return result.status if result is not None else "skipped"
