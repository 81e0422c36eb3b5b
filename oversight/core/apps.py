"""The core app: shared plumbing (clock, errors, request context, events, base templates); no domain models."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared plumbing: clock, errors, request context, base templates. Holds no business models."""

    name = "oversight.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from oversight.core import (
            checks,  # noqa: F401  (registers the system checks)
            lookups,  # noqa: F401  (registers the ``__in_ids`` lookup)
        )
