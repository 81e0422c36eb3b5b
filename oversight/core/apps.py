"""The core app: shared plumbing (clock, errors, request context, events, base templates); no domain models."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared plumbing: clock, errors, request context, base templates. Holds no business models."""

    name = "oversight.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from celery.signals import task_failure

        from oversight.core import (
            checks,  # noqa: F401  (registers the system checks)
            lookups,  # noqa: F401  (registers the ``__in_ids`` lookup)
        )

        task_failure.connect(_count_task_failure, weak=False, dispatch_uid="oversight.core.metrics.task_failure")


def _count_task_failure(sender=None, **kwargs) -> None:
    """Celery's ``task_failure`` signal: count the failure for /metrics (oversight.core.metrics)."""
    from oversight.core.metrics import count_task_failure

    count_task_failure(getattr(sender, "name", ""))
