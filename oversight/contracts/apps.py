"""The contracts app: vendor contracts (合同) with versioned terms, commitments, documents and renewals."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    """Contracts with vendors: versioned terms, SLA commitments, score bands, documents and renewal reminders."""

    name = "oversight.contracts"
    verbose_name = _("Contracts")

    def ready(self) -> None:
        """Register the contracts with the global search."""
        from oversight.contracts.search import register_search

        register_search()
