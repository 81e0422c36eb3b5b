"""Writes of the contact-centre app: keyword-only, atomic, audited services (``<entity>_<verb>(*, ..., actor)``)."""

from oversight.contactcentre.services.imports import (
    RowsRefused,
    facts_post,
    import_run,
    import_upload,
    mapping_save,
    period_lock,
    period_unlock,
)
from oversight.contactcentre.services.queues import queue_change, queue_create
from oversight.contactcentre.services.terms import term_save, terms_copy_forward, version_is_open

__all__ = [
    "RowsRefused",
    "facts_post",
    "import_run",
    "import_upload",
    "mapping_save",
    "period_lock",
    "period_unlock",
    "queue_change",
    "queue_create",
    "term_save",
    "terms_copy_forward",
    "version_is_open",
]
